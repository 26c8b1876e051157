package org.collab4j.model;

/**
 * The open interval {@code (low, high)} that a model's predictions are squashed into by a scaled sigmoid.
 *
 * <p>fast.ai uses {@code (0, 5.5)} for 0.5–5 star ratings: a little above the highest rating, because a sigmoid
 * only reaches its bounds at infinity.
 *
 * @param low the lower bound
 * @param high the upper bound, greater than {@code low}
 */
public record YRange(float low, float high) {

    /** The range fast.ai uses for MovieLens' 0.5–5 stars: {@code (0, 5.5)}. */
    public static final YRange MOVIELENS = new YRange(0f, 5.5f);

    /**
     * Creates a range.
     *
     * @param low the lower bound
     * @param high the upper bound, greater than {@code low}
     * @throws IllegalArgumentException if a bound is not finite or {@code low >= high}
     */
    public YRange {
        if (!Float.isFinite(low) || !Float.isFinite(high) || low >= high) {
            throw new IllegalArgumentException(
                    "y-range must be two finite numbers with low < high, got (" + low + ", " + high + ")");
        }
    }

    /**
     * Returns whether a rating lies inside the open range.
     *
     * @param rating the rating
     * @return {@code true} if {@code low < rating < high}
     */
    public boolean contains(float rating) {
        return rating > low && rating < high;
    }

    @Override
    public String toString() {
        return "(" + low + ", " + high + ")";
    }
}
