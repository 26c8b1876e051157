package org.collab4j.data;

/**
 * Ratings divided into a training and a validation part that share the same id maps, so a user or
 * item index means the same thing in both.
 *
 * @param train the ratings to fit on
 * @param valid the held-out ratings to measure on
 */
public record Split(Ratings train, Ratings valid) {

    /**
     * Creates a split.
     *
     * @param train the ratings to fit on
     * @param valid the held-out ratings to measure on
     * @throws IllegalArgumentException if either is null or they do not share id maps
     */
    public Split {
        if (train == null || valid == null) {
            throw new IllegalArgumentException("train and valid must not be null");
        }
        if (!train.users().equals(valid.users()) || !train.items().equals(valid.items())) {
            throw new IllegalArgumentException(
                    "train and valid use different id maps; put valid into train's index space with "
                            + "valid.reindex(train.users(), train.items())");
        }
    }
}
