package org.collab4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Implicit feedback (clicks, plays, purchases, views) as {@link Ratings} whose value is a weight or count: read by the
 * same readers and formats, repeated events of a (user, item) pair aggregated, or explicit ratings turned into
 * positives by a threshold. Everything that takes {@code Ratings} (splits, the learner, {@code Recommender}) takes
 * the result unchanged.
 *
 * <pre>{@code
 * Ratings plays = Interactions.read(Path.of("plays.csv"), format, Aggregation.SUM);
 * ImplicitData liked = Interactions.fromRatings(ratings, 4f, PositiveValue.ONE);
 * }</pre>
 */
public final class Interactions {

    private static final Logger logger = LoggerFactory.getLogger(Interactions.class);

    private Interactions() {}

    /**
     * Reads an interaction file and aggregates repeated events. The format's rating column is the weight (or count)
     * of each event, which must be a positive finite number.
     *
     * @param file a UTF-8 text file
     * @param format how the file is laid out; its rating column holds the weight
     * @param aggregation how repeated events of one pair are merged
     * @return one row per (user, item) pair; with timestamps when the format has them (each pair's latest)
     * @throws IOException if the file cannot be read
     * @throws RatingsFileException naming file, line and field for a zero, negative, NaN or malformed weight, and
     *     as {@link Ratings#read} for every other problem
     */
    public static Ratings read(Path file, RatingsFormat format, Aggregation aggregation) throws IOException {
        return read(RatingsFile.of(file, format), format.readOptions(), aggregation);
    }

    /**
     * Reads interactions from any source and aggregates repeated events. The source's value is the weight (or
     * count) of each event, which must be a positive finite number: the options are read with
     * {@link ReadOptions.Builder#optPositiveValues(boolean) optPositiveValues(true)}.
     *
     * @param source where the events come from, e.g. a {@link RatingsFile}
     * @param options duplicates and ranges, as for ratings
     * @param aggregation how repeated events of one pair are merged
     * @return one row per (user, item) pair; with timestamps when the source has them (each pair's latest)
     * @throws IOException if the source cannot be read
     * @throws IllegalArgumentException ({@link RatingsFileException} for a file) for a zero, negative, NaN or
     *     malformed weight, naming the source
     */
    public static Ratings read(InteractionsSource source, ReadOptions options, Aggregation aggregation)
            throws IOException {
        requireAggregation(aggregation);
        return aggregate(source.read(options.toBuilder().optPositiveValues(true).build()), aggregation);
    }

    /**
     * Reads explicit ratings and keeps those at or above a threshold as positives.
     *
     * @param file a UTF-8 ratings file
     * @param format how the file is laid out
     * @param threshold the smallest rating that counts as a positive, e.g. 4
     * @param value what each positive's value is
     * @return the positives and the seen rows, as {@link #fromRatings(Ratings, float, PositiveValue)}
     * @throws IOException if the file cannot be read
     * @throws RatingsFileException if the file cannot be read as ratings, or no rating reaches the threshold (the
     *     message names the file, the threshold and the largest rating)
     */
    public static ImplicitData readThresholded(Path file, RatingsFormat format, float threshold, PositiveValue value)
            throws IOException {
        Ratings ratings = Ratings.read(file, format);
        if (!(ratings.maxRating() >= threshold)) {
            throw new RatingsFileException(file, noPositives(ratings, threshold));
        }
        return fromRatings(ratings, threshold, value);
    }

    /**
     * Turns explicit ratings into positives: the rows rated {@code threshold} or more are kept (valued 1 or by their
     * rating), the rows below it become "seen". Users left without a positive are dropped from both parts and from
     * the user id map (a warning gives their number, and {@link ImplicitData#droppedUsers()} holds it); items keep
     * their indices, so an item rated only below the threshold stays known as seen.
     *
     * @param ratings the explicit ratings
     * @param threshold the smallest rating that counts as a positive, finite
     * @param value what each positive's value is
     * @return the positives and the seen rows
     * @throws IllegalArgumentException if the threshold is not finite, value is null, or no rating reaches the
     *     threshold
     */
    public static ImplicitData fromRatings(Ratings ratings, float threshold, PositiveValue value) {
        if (!Float.isFinite(threshold) || value == null) {
            throw new IllegalArgumentException("the threshold must be a finite number and the value ONE or RATING,"
                    + " got " + threshold + " and " + value);
        }
        if (!(ratings.maxRating() >= threshold)) {
            throw new IllegalArgumentException(noPositives(ratings, threshold));
        }
        int n = ratings.size();
        boolean[] hasPositive = new boolean[ratings.users().size()];
        boolean[] hasRows = new boolean[hasPositive.length];
        for (int row = 0; row < n; row++) {
            hasRows[ratings.user(row)] = true;
            if (ratings.rating(row) >= threshold) {
                hasPositive[ratings.user(row)] = true;
            }
        }
        IdMap.Builder kept = IdMap.builder();
        int dropped = 0;
        for (int u = 0; u < hasPositive.length; u++) {
            if (hasPositive[u]) {
                kept.add(ratings.users().id(u));
            } else if (hasRows[u]) {
                dropped++;
            }
        }
        IdMap users = kept.build();
        Ratings positivesInOld = ratings.select(rows(ratings, threshold, true));
        float[] values = positivesInOld.ratingValues();
        if (value == PositiveValue.ONE) {
            Arrays.fill(values, 1f);
        }
        Ratings positives = withValues(positivesInOld, values).reindex(users, ratings.items());
        Ratings seen = ratings.select(rows(ratings, threshold, false)).reindex(users, ratings.items());
        if (dropped > 0) {
            logger.warn("{} users have no rating >= {} and were dropped; {} users keep their positives", dropped,
                    threshold, users.size());
        }
        return new ImplicitData(positives, seen, dropped);
    }

    /** α of {@link #confidence(Ratings)}. */
    public static final float DEFAULT_CONFIDENCE_ALPHA = 2f;
    /** ε of {@link #confidence(Ratings)}. */
    public static final float DEFAULT_CONFIDENCE_EPSILON = 10f;

    /**
     * Turns counts (plays, clicks, purchases, or any positive weight) into iALS confidences with the default α =
     * {@value #DEFAULT_CONFIDENCE_ALPHA} and ε = {@value #DEFAULT_CONFIDENCE_EPSILON}
     * ({@link #confidence(Ratings, float, float)}); when every value is the same (plain implicit data, no counts)
     * every row weighs 1, as the values then say nothing.
     *
     * <p>α and ε were chosen on inner per-user splits of three training files (docs/benchmarks.md, issue 26):
     * a synthetic play-count file whose counts grow with taste, and, as a proxy for counts, MovieLens' and
     * FilmTrust's ratings read as counts (every row a positive, relevant = a held-out rating of at least 4 or
     * 3.5). Against every row weighing 1, NDCG@10 rose on all three (0.1839 to 0.1863, 0.1738 to 0.1785, 0.3488 to
     * 0.3499); α = 4 or ε = 0.1 lowered it on all three.
     *
     * @param counts interactions whose values are counts or weights, each positive
     * @return the same rows, valued by confidence
     * @throws IllegalArgumentException if a value is not positive
     */
    public static Ratings confidence(Ratings counts) {
        if (counts.size() > 0 && counts.minRating() == counts.maxRating()) {
            return confidence(counts, 0f, 1f);
        }
        return confidence(counts, DEFAULT_CONFIDENCE_ALPHA, DEFAULT_CONFIDENCE_EPSILON);
    }

    /**
     * Turns counts into confidences, {@code c = 1 + α · ln(1 + count / ε)} (Hu, Koren and Volinsky 2008's log
     * form): a single event weighs a little more than 1, each further one less than the one before, so a user's
     * hundred plays of one song do not drown the rest of their history. α = 0 weighs every row 1.
     *
     * @param counts interactions whose values are counts or weights, each positive
     * @param alpha how much counts add, {@code >= 0}
     * @param epsilon the count scale, {@code > 0}
     * @return the same rows (ids, order, timestamps), valued by confidence, each at least 1
     * @throws IllegalArgumentException if α or ε is out of range, or a value is not positive
     */
    public static Ratings confidence(Ratings counts, float alpha, float epsilon) {
        if (!(alpha >= 0) || Float.isInfinite(alpha) || !(epsilon > 0) || Float.isInfinite(epsilon)) {
            throw new IllegalArgumentException("confidence needs alpha >= 0 and epsilon > 0, both finite, got "
                    + alpha + " and " + epsilon);
        }
        float[] values = counts.ratingValues();
        for (int row = 0; row < values.length; row++) {
            if (!(values[row] > 0) || Float.isInfinite(values[row])) {
                throw new IllegalArgumentException("count " + values[row] + " at row " + row + " (user "
                        + counts.users().id(counts.user(row)) + ", item " + counts.items().id(counts.item(row))
                        + ") is not a positive number: counts and weights must be > 0");
            }
            values[row] = (float) (1 + alpha * Math.log1p(values[row] / epsilon));
        }
        return withValues(counts, values);
    }

    private static String noPositives(Ratings ratings, float threshold) {
        return String.format(Locale.ROOT, "no rating reaches the positive threshold %s (the ratings run from %s to %s)"
                + "; choose a threshold of at most %s", threshold, ratings.minRating(), ratings.maxRating(),
                ratings.maxRating());
    }

    private static int[] rows(Ratings ratings, float threshold, boolean positive) {
        int[] rows = new int[ratings.size()];
        int count = 0;
        for (int row = 0; row < ratings.size(); row++) {
            if (ratings.rating(row) >= threshold == positive) {
                rows[count++] = row;
            }
        }
        return Arrays.copyOf(rows, count);
    }

    /**
     * Merges repeated events of each (user, item) pair into one row, kept where the pair first occurs. The id maps
     * stay the same.
     *
     * @param events the events, one row each; values are weights
     * @param aggregation {@link Aggregation#COUNT} (value = number of events) or {@link Aggregation#SUM} (value =
     *     summed weight)
     * @return one row per pair; with timestamps when the events have them (each pair's latest)
     */
    public static Ratings aggregate(Ratings events, Aggregation aggregation) {
        requireAggregation(aggregation);
        int n = events.size();
        long[] keys = new long[n];
        for (int row = 0; row < n; row++) {
            keys[row] = (long) events.user(row) * events.items().size() + events.item(row);
        }
        // Sort row numbers by pair (stable by row), so each group's first row is its earliest.
        Integer[] order = new Integer[n];
        for (int row = 0; row < n; row++) {
            order[row] = row;
        }
        Arrays.sort(order, (a, b) -> keys[a] != keys[b] ? Long.compare(keys[a], keys[b]) : Integer.compare(a, b));
        int[] first = new int[n];
        float[] sums = new float[n];
        long[] latest = events.hasTimestamps() ? new long[n] : null;
        int groups = 0;
        for (int k = 0; k < n; k++) {
            int row = order[k];
            if (k == 0 || keys[row] != keys[order[k - 1]]) {
                first[groups] = row;
                sums[groups] = 0;
                if (latest != null) {
                    latest[groups] = Long.MIN_VALUE;
                }
                groups++;
            }
            int g = groups - 1;
            sums[g] += aggregation == Aggregation.COUNT ? 1f : events.rating(row);
            if (latest != null) {
                latest[g] = Math.max(latest[g], events.timestamp(row));
            }
        }
        // Back to first-occurrence order.
        Integer[] byRow = new Integer[groups];
        for (int g = 0; g < groups; g++) {
            byRow[g] = g;
        }
        Arrays.sort(byRow, (a, b) -> Integer.compare(first[a], first[b]));
        int[] u = new int[groups];
        int[] i = new int[groups];
        float[] v = new float[groups];
        long[] t = latest == null ? null : new long[groups];
        for (int k = 0; k < groups; k++) {
            int g = byRow[k];
            u[k] = events.user(first[g]);
            i[k] = events.item(first[g]);
            v[k] = sums[g];
            if (t != null) {
                t[k] = latest[g];
            }
        }
        return new Ratings(events.users(), events.items(), groups, u, i, v, t);
    }

    private static Ratings withValues(Ratings ratings, float[] values) {
        long[] t = null;
        if (ratings.hasTimestamps()) {
            t = new long[ratings.size()];
            for (int row = 0; row < t.length; row++) {
                t[row] = ratings.timestamp(row);
            }
        }
        return new Ratings(ratings.users(), ratings.items(), ratings.size(), ratings.userIndices(),
                ratings.itemIndices(), values, t);
    }

    private static void requireAggregation(Aggregation aggregation) {
        if (aggregation == null) {
            throw new IllegalArgumentException("aggregation must be COUNT or SUM, not null");
        }
    }
}
