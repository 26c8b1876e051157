package org.collab4j.data;

/** The value a rating kept by {@link Interactions#fromRatings(Ratings, float, PositiveValue)} carries. */
public enum PositiveValue {
    /** Every positive weighs 1. */
    ONE,
    /** The rating itself is the positive's confidence. */
    RATING
}
