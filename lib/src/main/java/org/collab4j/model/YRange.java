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
     * The range a rating model gets for ratings from {@code min} to {@code max} (the default of
     * {@code CollabLearner}'s own block and of {@code train}'s {@code --y-range}): {@link #MOVIELENS},
     * {@code (0, 5.5)}, when the ratings lie within {@code [0.5, 5]} (star scales), else {@code (min − step,
     * max + step)}, half a step of the scale beyond each end as (0, 5.5) is for 0.5–5 stars ({@code (0, 11)} for
     * 1–10), where {@code step} is the smallest gap between two rating values ({@code 0} for continuous values:
     * then a tenth of {@code max − min}; a single value: 1).
     *
     * <p>Chosen on inner splits of two training files (docs/benchmarks.md, issue 26): FilmTrust's 0.5–4 stars do
     * best with (0, 5.5) as MovieLens' 0.5–5 do (RMSE 0.7938 against 0.8095 with the (0, 4.5) that
     * {@code max + step} would give), so stars up to 5 keep it; a scale beyond 5 (1–10, 1–100) or below 0.5
     * (0–1 scores) would be squashed into a range it cannot reach or barely uses.
     *
     * @param min the smallest rating
     * @param max the largest rating, at least {@code min}
     * @param step the smallest positive gap between two distinct ratings, or {@code 0} if unknown or continuous
     * @return the range
     * @throws IllegalArgumentException if a value is not finite, {@code max < min} or {@code step < 0}
     */
    public static YRange forRatings(float min, float max, float step) {
        if (!Float.isFinite(min) || !Float.isFinite(max) || !Float.isFinite(step) || max < min || step < 0) {
            throw new IllegalArgumentException("ratings from " + min + " to " + max + " with step " + step
                    + ": need finite min <= max and step >= 0");
        }
        if (min >= 0.5f && max <= 5f) {
            return MOVIELENS;
        }
        float margin = step > 0 ? step : max > min ? (max - min) / 10f : 1f;
        return new YRange(min - margin, max + margin);
    }

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
