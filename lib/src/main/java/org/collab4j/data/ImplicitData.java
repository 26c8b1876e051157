package org.collab4j.data;

/**
 * Explicit ratings turned into implicit positives by a threshold: the rows at or above it, and the rows below it
 * kept as "seen" so that recommendations can still leave them out. Both share the same id maps.
 *
 * @param positives the rows rated at or above the threshold, one value per row as the {@link PositiveValue} says
 * @param seen the rows rated below the threshold, with their ratings, for users that have positives
 * @param droppedUsers how many users had no positive and were dropped (from the id map too)
 */
public record ImplicitData(Ratings positives, Ratings seen, int droppedUsers) {

    /**
     * Creates the data.
     *
     * @throws IllegalArgumentException if a part is null or the parts do not share id maps
     */
    public ImplicitData {
        new Split(positives, seen); // checks nulls and that the id maps match
    }
}
