package org.collab4j.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * What reading does with the values it finds, whatever the source: duplicate (user, item) pairs, ratings outside a
 * range, weights that must be positive. Immutable; apart from the file's layout ({@link RatingsFormat}: delimiter,
 * header, columns), so one set of options serves a delimited file, a Spark table or any other
 * {@link InteractionsSource}.
 *
 * <pre>{@code
 * ReadOptions strict = ReadOptions.builder()
 *         .optDuplicates(DuplicatePolicy.ERROR)
 *         .optRatingRange(0.5f, 5f)
 *         .build();
 * Ratings ratings = Ratings.read(Path.of("ratings.csv"), RatingsFormat.MOVIELENS_CSV, strict);
 * }</pre>
 *
 * <p>A source that reads line by line checks each value as it goes and names the line (the delimited reader); a
 * source that reads a table whole applies {@link #applyTo(Ratings, String)} to it, which checks the same things and
 * names a row instead.
 */
public final class ReadOptions {

    /** Every row kept as read, any finite value accepted. */
    public static final ReadOptions DEFAULTS = builder().build();

    private final DuplicatePolicy duplicates;
    private final float minRating;
    private final float maxRating;
    private final boolean positiveValues;

    private ReadOptions(Builder builder) {
        duplicates = builder.duplicates;
        minRating = builder.minRating;
        maxRating = builder.maxRating;
        positiveValues = builder.positiveValues;
    }

    /**
     * Returns a builder with the defaults: {@link DuplicatePolicy#KEEP_ALL}, no rating range, any sign.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a builder holding these options, to change some of them.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.duplicates = duplicates;
        b.minRating = minRating;
        b.maxRating = maxRating;
        b.positiveValues = positiveValues;
        return b;
    }

    /**
     * Returns what reading does with a user who rated the same item more than once.
     *
     * @return the policy; {@link DuplicatePolicy#KEEP_ALL} unless set
     */
    public DuplicatePolicy duplicates() {
        return duplicates;
    }

    /**
     * Tells whether ratings outside {@code [minRating(), maxRating()]} are refused.
     *
     * @return true if a range was set
     */
    public boolean hasRatingRange() {
        return !Float.isNaN(minRating);
    }

    /**
     * Returns the smallest valid rating.
     *
     * @return the bound, or NaN without a range
     */
    public float minRating() {
        return minRating;
    }

    /**
     * Returns the largest valid rating.
     *
     * @return the bound, or NaN without a range
     */
    public float maxRating() {
        return maxRating;
    }

    /**
     * Tells whether every value must be greater than 0, as an interaction's weight or count must.
     *
     * @return true if zero and negative values are refused
     */
    public boolean positiveValues() {
        return positiveValues;
    }

    /**
     * Applies these options to a table read whole: checks every value against the rating range and the sign, then
     * resolves duplicates. For sources that cannot check row by row while reading (a Spark table, a columnar file);
     * the delimited reader does the same checks line by line.
     *
     * @param ratings the rows as read
     * @param source what they were read from, for messages (e.g. {@link InteractionsSource#description()})
     * @return the rows, duplicates resolved (the same object when there is nothing to change)
     * @throws IllegalArgumentException naming the source, how many rows and one example row, for a value out of
     *     range or not positive; under {@link DuplicatePolicy#ERROR} naming the ids and the rows of a duplicate
     */
    public Ratings applyTo(Ratings ratings, String source) {
        int n = ratings.size();
        int outside = 0;
        int firstOutside = -1;
        int notPositive = 0;
        int firstNotPositive = -1;
        for (int row = 0; row < n; row++) {
            float value = ratings.rating(row);
            if (positiveValues && !(value > 0)) {
                notPositive++;
                firstNotPositive = firstNotPositive < 0 ? row : firstNotPositive;
            }
            if (hasRatingRange() && !(value >= minRating && value <= maxRating)) {
                outside++;
                firstOutside = firstOutside < 0 ? row : firstOutside;
            }
        }
        if (notPositive > 0) {
            throw new IllegalArgumentException(notPositive + " of " + n + " rows of " + source + " have a weight"
                    + " that is not positive, e.g. " + row(ratings, firstNotPositive) + "; an interaction's weight or"
                    + " count must be greater than 0: drop those rows");
        }
        if (outside > 0) {
            throw new IllegalArgumentException(outside + " of " + n + " rows of " + source + " have a rating"
                    + " outside [" + minRating + ", " + maxRating + "], e.g. " + row(ratings, firstOutside)
                    + "; fix or drop them, or widen the rating range");
        }
        return Duplicates.apply(ratings, duplicates, (first, second) -> new IllegalArgumentException(source
                + ": user " + RatingsReader.shown(ratings.users().id(ratings.user(second))) + " rated item "
                + RatingsReader.shown(ratings.items().id(ratings.item(second))) + " more than once (rows " + first
                + " and " + second + "); remove the duplicates, or choose DuplicatePolicy.KEEP_LAST or MEAN to"
                + " resolve them"));
    }

    private static String row(Ratings ratings, int row) {
        return "row " + row + " (user " + RatingsReader.shown(ratings.users().id(ratings.user(row))) + ", item "
                + RatingsReader.shown(ratings.items().id(ratings.item(row))) + ", value " + ratings.rating(row)
                + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadOptions r && duplicates == r.duplicates
                && Float.compare(minRating, r.minRating) == 0 && Float.compare(maxRating, r.maxRating) == 0
                && positiveValues == r.positiveValues;
    }

    @Override
    public int hashCode() {
        return Objects.hash(duplicates, minRating, maxRating, positiveValues);
    }

    /**
     * Returns the settings, e.g. {@code ReadOptions[duplicates=ERROR, ratingRange=[0.5, 5.0]]}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ReadOptions[duplicates=%s%s%s]", duplicates,
                hasRatingRange() ? ", ratingRange=[" + minRating + ", " + maxRating + "]" : "",
                positiveValues ? ", positiveValues" : "");
    }

    /** Collects the settings of {@link ReadOptions}; {@link #build()} checks them. */
    public static final class Builder {

        private DuplicatePolicy duplicates = DuplicatePolicy.KEEP_ALL;
        private float minRating = Float.NaN;
        private float maxRating = Float.NaN;
        private boolean positiveValues;

        Builder() {}

        /**
         * Sets what to do when a user rated the same item on more than one row. Default:
         * {@link DuplicatePolicy#KEEP_ALL}, every row is a rating. With {@link DuplicatePolicy#ERROR} reading fails
         * naming both rows (both lines of a file).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder optDuplicates(DuplicatePolicy policy) {
            this.duplicates = policy;
            return this;
        }

        /**
         * Refuses ratings outside {@code [min, max]} (both included): reading fails naming the line or row.
         * Default: any finite rating is accepted. Use it to make sure the data fits the model's y-range (e.g.
         * {@code optRatingRange(0.5f, 5f)} for MovieLens stars).
         *
         * @param min the smallest valid rating
         * @param max the largest valid rating, at least {@code min}
         * @return this builder
         */
        public Builder optRatingRange(float min, float max) {
            this.minRating = min;
            this.maxRating = max;
            return this;
        }

        /**
         * Refuses zero and negative values, as interactions' weights or counts (default: false). The
         * {@link Interactions} readers set it.
         *
         * @param positive true to refuse values that are not greater than 0
         * @return this builder
         */
        public Builder optPositiveValues(boolean positive) {
            this.positiveValues = positive;
            return this;
        }

        /**
         * Checks the settings and builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if the duplicate policy is null, or the rating range is not two finite
         *     numbers with {@code min <= max}
         */
        public ReadOptions build() {
            if (duplicates == null) {
                throw new IllegalArgumentException("the duplicate policy is null; pass one of "
                        + Arrays.toString(DuplicatePolicy.values()) + " to optDuplicates (default KEEP_ALL)");
            }
            boolean noRange = Float.isNaN(minRating) && Float.isNaN(maxRating);
            if (!noRange && !(Float.isFinite(minRating) && Float.isFinite(maxRating) && minRating <= maxRating)) {
                throw new IllegalArgumentException("the rating range [" + minRating + ", " + maxRating + "] is not"
                        + " two finite numbers with min <= max; pass e.g. optRatingRange(0.5f, 5f)");
            }
            return new ReadOptions(this);
        }
    }
}
