package org.collab4j.data;

import org.collab4j.kernel.Csr;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Ways to divide {@link Ratings} into a training and a validation {@link Split}. Both parts keep the
 * input's id maps and list their rows in the input's order.
 */
public final class Splits {

    private Splits() {}

    /**
     * Holds out a random fraction of the ratings. The same seed gives the same split.
     *
     * @param ratings the ratings to divide
     * @param validFraction the share of ratings to hold out, strictly between 0 and 1; the validation
     *     set gets {@code Math.round(ratings.size() * validFraction)} ratings
     * @param seed the seed of the shuffle
     * @return the split
     * @throws IllegalArgumentException if the fraction is outside (0, 1) or leaves a part empty
     */
    public static Split random(Ratings ratings, double validFraction, long seed) {
        int validSize = validSize(ratings, validFraction);
        int n = ratings.size();
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        // Fisher-Yates, stopped once the last validSize positions are drawn.
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i >= n - validSize; i--) {
            int j = random.nextInt(i + 1);
            int swap = rows[i];
            rows[i] = rows[j];
            rows[j] = swap;
        }
        return split(ratings, Arrays.copyOfRange(rows, 0, n - validSize), Arrays.copyOfRange(rows, n - validSize, n));
    }

    /**
     * Holds out a random fraction of each user's ratings, for ranking evaluation: every user with ratings keeps
     * some in training and, when they have enough, has some held out. A user with {@code n} ratings gets
     * {@code Math.round(n * validFraction)} of them held out, but never all of them. Users are visited in index
     * order with one seeded generator, so the same seed gives the same split.
     *
     * @param ratings the ratings to divide
     * @param validFraction the share of each user's ratings to hold out, strictly between 0 and 1
     * @param seed the seed of the per-user shuffles
     * @return the split
     * @throws IllegalArgumentException if the fraction is outside (0, 1) or holds out nothing at all
     */
    public static Split byUser(Ratings ratings, double validFraction, long seed) {
        if (!(validFraction > 0 && validFraction < 1)) {
            throw new IllegalArgumentException(
                    "validFraction is " + validFraction + "; it must be strictly between 0 and 1, e.g. 0.2");
        }
        int n = ratings.size();
        int users = ratings.users().size();
        Csr byUser = Csr.group(users, ratings.userIndices());
        int[] start = byUser.offsets();
        // Each group is shuffled (or sorted) in place: a copy, as the grouping's arrays are its own.
        int[] rows = byUser.order().clone();
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] valid = new boolean[n];
        int validSize = 0;
        for (int u = 0; u < users; u++) {
            int count = start[u + 1] - start[u];
            int hold = (int) Math.min(Math.round(count * validFraction), count - 1L);
            // A partial Fisher-Yates over this user's rows: the last `hold` positions are drawn.
            for (int i = start[u + 1] - 1; i >= start[u + 1] - hold; i--) {
                int j = start[u] + random.nextInt(i - start[u] + 1);
                int swap = rows[i];
                rows[i] = rows[j];
                rows[j] = swap;
                valid[rows[i]] = true;
                validSize++;
            }
        }
        if (validSize == 0) {
            throw new IllegalArgumentException("a validFraction of " + validFraction + " holds out none of "
                    + n + " ratings (every user has too few); use a larger fraction");
        }
        int[] trainRows = new int[n - validSize];
        int[] validRows = new int[validSize];
        int t = 0;
        int v = 0;
        for (int row = 0; row < n; row++) {
            if (valid[row]) {
                validRows[v++] = row;
            } else {
                trainRows[t++] = row;
            }
        }
        return new Split(ratings.select(trainRows), ratings.select(validRows));
    }

    /**
     * Puts separately loaded training and validation ratings into one id space, as fast.ai does: the combined
     * id maps list the training ids first (so training indices do not change), then ids seen only in
     * validation. Those get embeddings that training never updates, and every validation row is kept and scored.
     *
     * @param train the training ratings
     * @param valid the validation ratings
     * @return the two in shared id maps
     */
    public static Split combine(Ratings train, Ratings valid) {
        IdMap users = union(train.users(), valid.users());
        IdMap items = union(train.items(), valid.items());
        return new Split(train.reindex(users, items), valid.reindex(users, items));
    }

    private static IdMap union(IdMap first, IdMap second) {
        IdMap.Builder builder = IdMap.builder();
        first.ids().forEach(builder::add);
        second.ids().forEach(builder::add);
        return builder.build();
    }

    /**
     * Holds out the latest ratings: the validation set gets the {@code Math.round(ratings.size() *
     * validFraction)} ratings with the largest timestamps. Among equal timestamps a later row counts
     * as later.
     *
     * @param ratings the ratings to divide; they must have timestamps
     * @param validFraction the share of ratings to hold out, strictly between 0 and 1
     * @return the split
     * @throws IllegalArgumentException if the ratings have no timestamps, or the fraction is outside
     *     (0, 1) or leaves a part empty
     */
    public static Split byTime(Ratings ratings, double validFraction) {
        if (!ratings.hasTimestamps()) {
            throw new IllegalArgumentException(
                    "byTime needs timestamps and these ratings have none; read them with a RatingsFormat "
                            + "that sets optTimestampColumn(...), or use Splits.random");
        }
        int validSize = validSize(ratings, validFraction);
        int n = ratings.size();
        // Sorting primitive timestamps (not boxed row numbers) keeps 25M-row splits cheap: find the
        // cut-off timestamp, then take every later row and the last rows that tie with it.
        long[] sorted = new long[n];
        for (int row = 0; row < n; row++) {
            sorted[row] = ratings.timestamp(row);
        }
        Arrays.sort(sorted);
        long cutoff = sorted[n - validSize];
        int tiesToTake = validSize;
        for (int row = 0; row < n; row++) {
            if (ratings.timestamp(row) > cutoff) {
                tiesToTake--;
            }
        }
        boolean[] valid = new boolean[n];
        for (int row = n - 1; row >= 0; row--) {
            long time = ratings.timestamp(row);
            if (time > cutoff || time == cutoff && tiesToTake-- > 0) {
                valid[row] = true;
            }
        }
        int[] trainRows = new int[n - validSize];
        int[] validRows = new int[validSize];
        int t = 0;
        int v = 0;
        for (int row = 0; row < n; row++) {
            if (valid[row]) {
                validRows[v++] = row;
            } else {
                trainRows[t++] = row;
            }
        }
        return new Split(ratings.select(trainRows), ratings.select(validRows));
    }

    /**
     * Holds out a random fraction of each user's rows, for ranking evaluation: a user with {@code n} rows gets
     * {@code Math.round(n * validFraction)} of them held out, but always keeps at least one in training (a user with
     * one row keeps it). The same seed gives the same split.
     *
     * @param ratings the ratings or interactions to divide
     * @param validFraction the share of each user's rows to hold out, strictly between 0 and 1
     * @param seed the seed of the per-user shuffles
     * @return the split, rows in the input's order
     * @throws IllegalArgumentException if the fraction is outside (0, 1) or nothing is held out
     */
    public static Split perUserFraction(Ratings ratings, double validFraction, long seed) {
        if (!(validFraction > 0 && validFraction < 1)) {
            throw new IllegalArgumentException(
                    "validFraction is " + validFraction + "; it must be strictly between 0 and 1, e.g. 0.2");
        }
        return perUser(ratings, n -> (int) Math.round(n * validFraction), seed, false);
    }

    /**
     * Leave-k-out: holds out {@code k} random rows of each user, but always keeps at least one in training (a user
     * with {@code n <= k} rows has {@code n - 1} held out). The same seed gives the same
     * split.
     *
     * @param ratings the ratings or interactions to divide
     * @param k how many rows of each user to hold out, at least 1
     * @param seed the seed of the per-user shuffles
     * @return the split, rows in the input's order
     * @throws IllegalArgumentException if {@code k < 1} or nothing is held out
     */
    public static Split leaveKOut(Ratings ratings, int k, long seed) {
        if (k < 1) {
            throw new IllegalArgumentException("k is " + k + "; leave-k-out holds out at least 1 row per user");
        }
        return perUser(ratings, n -> k, seed, false);
    }

    /**
     * Holds out each user's latest rows: a user with {@code n} rows gets the {@code Math.round(n * validFraction)}
     * with the largest timestamps held out (among equal timestamps a later row counts as later), but always keeps at
     * least one in training.
     *
     * @param ratings the ratings or interactions to divide; they must have timestamps
     * @param validFraction the share of each user's rows to hold out, strictly between 0 and 1
     * @return the split, rows in the input's order
     * @throws IllegalArgumentException if there are no timestamps, the fraction is outside (0, 1) or nothing is
     *     held out
     */
    public static Split perUserByTime(Ratings ratings, double validFraction) {
        if (!ratings.hasTimestamps()) {
            throw new IllegalArgumentException(
                    "perUserByTime needs timestamps and these ratings have none; read them with a RatingsFormat "
                            + "that sets optTimestampColumn(...), or use Splits.perUserFraction");
        }
        if (!(validFraction > 0 && validFraction < 1)) {
            throw new IllegalArgumentException(
                    "validFraction is " + validFraction + "; it must be strictly between 0 and 1, e.g. 0.2");
        }
        return perUser(ratings, n -> (int) Math.round(n * validFraction), 0, true);
    }

    /** Groups rows by user, orders each group (shuffled, or by time), and holds out each group's tail. */
    private static Split perUser(Ratings ratings, java.util.function.IntUnaryOperator heldOut, long seed,
            boolean byTime) {
        int n = ratings.size();
        int users = ratings.users().size();
        Csr byUser = Csr.group(users, ratings.userIndices());
        int[] start = byUser.offsets();
        // Each group is shuffled (or sorted) in place: a copy, as the grouping's arrays are its own.
        int[] rows = byUser.order().clone();
        boolean[] valid = new boolean[n];
        SplittableRandom random = new SplittableRandom(seed);
        int validCount = 0;
        for (int u = 0; u < users; u++) {
            int from = start[u];
            int count = start[u + 1] - from;
            if (count == 0) {
                continue;
            }
            int take = Math.min(Math.max(heldOut.applyAsInt(count), 0), count - 1);
            if (byTime) {
                // Rows of a user are in input order; a stable sort by timestamp puts the latest last.
                Integer[] order = new Integer[count];
                for (int k = 0; k < count; k++) {
                    order[k] = rows[from + k];
                }
                Arrays.sort(order, (a, b) -> a.equals(b) ? 0 : ratings.timestamp(a) != ratings.timestamp(b)
                        ? Long.compare(ratings.timestamp(a), ratings.timestamp(b)) : Integer.compare(a, b));
                for (int k = 0; k < count; k++) {
                    rows[from + k] = order[k];
                }
            } else {
                // Each user's own seeded Fisher-Yates draw of its tail (the same random stream over users in order).
                for (int k = count - 1; k >= count - take; k--) {
                    int j = random.nextInt(k + 1);
                    int swap = rows[from + k];
                    rows[from + k] = rows[from + j];
                    rows[from + j] = swap;
                }
            }
            for (int k = count - take; k < count; k++) {
                valid[rows[from + k]] = true;
            }
            validCount += take;
        }
        if (validCount == 0) {
            throw new IllegalArgumentException("no user has enough rows to hold one out (every user keeps at least "
                    + "one row in training); use a larger fraction or k, or more data");
        }
        int[] trainRows = new int[n - validCount];
        int[] validRows = new int[validCount];
        int t = 0;
        int v = 0;
        for (int row = 0; row < n; row++) {
            if (valid[row]) {
                validRows[v++] = row;
            } else {
                trainRows[t++] = row;
            }
        }
        return new Split(ratings.select(trainRows), ratings.select(validRows));
    }

    private static int validSize(Ratings ratings, double validFraction) {
        if (!(validFraction > 0 && validFraction < 1)) {
            throw new IllegalArgumentException(
                    "validFraction is " + validFraction + "; it must be strictly between 0 and 1, e.g. 0.2");
        }
        long validSize = Math.round(ratings.size() * validFraction);
        if (validSize == 0 || validSize == ratings.size()) {
            throw new IllegalArgumentException(
                    "a validFraction of " + validFraction + " of " + ratings.size() + " ratings leaves the "
                            + (validSize == 0 ? "validation" : "training") + " set empty; use a "
                            + (validSize == 0 ? "larger" : "smaller") + " fraction or more ratings");
        }
        return (int) validSize;
    }

    private static Split split(Ratings ratings, int[] trainRows, int[] validRows) {
        Arrays.sort(trainRows);
        Arrays.sort(validRows);
        return new Split(ratings.select(trainRows), ratings.select(validRows));
    }
}
