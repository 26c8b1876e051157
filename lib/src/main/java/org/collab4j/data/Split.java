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

    /**
     * Counts the validation ratings whose user and item both have training ratings: only those are scored from
     * trained embeddings. A separate validation file with none of them (other ids, another dataset) would be
     * scored on untrained embeddings alone.
     *
     * @return the number of validation rows with a trained user and a trained item
     */
    public long knownValidCount() {
        boolean[] users = new boolean[train.users().size()];
        boolean[] items = new boolean[train.items().size()];
        for (int row = 0; row < train.size(); row++) {
            users[train.user(row)] = true;
            items[train.item(row)] = true;
        }
        long known = 0;
        for (int row = 0; row < valid.size(); row++) {
            if (users[valid.user(row)] && items[valid.item(row)]) {
                known++;
            }
        }
        return known;
    }
}
