package org.collab4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * An immutable table of ratings, stored column by column: for each row a user index, an item index,
 * a rating and optionally a timestamp. User and item indices are contiguous ({@code 0..n-1}) and
 * translate back to the original ids through {@link #users()} and {@link #items()}.
 *
 * <pre>{@code
 * Ratings ratings = Ratings.read(Path.of("ratings.csv"), RatingsFormat.MOVIELENS_CSV);
 * Split split = Splits.random(ratings, 0.2, 42);
 * }</pre>
 */
public final class Ratings {

    private final IdMap users;
    private final IdMap items;
    private final int size;
    // The arrays may be longer than size: the builder hands over its growing arrays rather than
    // copying up to a few hundred MB once more. Only the first size entries are ever read.
    private final int[] userIndices;
    private final int[] itemIndices;
    private final float[] values;
    private final long[] timestamps;
    private final float min;
    private final float max;
    private final double mean;

    Ratings(IdMap users, IdMap items, int size, int[] userIndices, int[] itemIndices, float[] values,
            long[] timestamps) {
        this.users = users;
        this.items = items;
        this.size = size;
        this.userIndices = userIndices;
        this.itemIndices = itemIndices;
        this.values = values;
        this.timestamps = timestamps;
        float lo = Float.NaN;
        float hi = Float.NaN;
        double sum = 0;
        for (int row = 0; row < size; row++) {
            float value = values[row];
            lo = row == 0 ? value : Math.min(lo, value);
            hi = row == 0 ? value : Math.max(hi, value);
            sum += value;
        }
        min = lo;
        max = hi;
        mean = size == 0 ? Double.NaN : sum / size;
    }

    /**
     * Creates ratings straight from index arrays, with no per-row objects: row {@code r} is user
     * {@code users.id(userIndices[r])} rating item {@code items.id(itemIndices[r])} with {@code values[r]}. For
     * generated or already-indexed data of any size (25M rows take about 300 MB); the arrays are taken over, not
     * copied, so do not change them afterwards.
     *
     * @param users the user ids
     * @param items the item ids
     * @param userIndices a user index per row, each in {@code [0, users.size())}
     * @param itemIndices an item index per row, each in {@code [0, items.size())}
     * @param values a rating per row, finite
     * @return the ratings, without timestamps
     * @throws IllegalArgumentException if the arrays differ in length or an index or value is out of range
     */
    public static Ratings ofIndices(IdMap users, IdMap items, int[] userIndices, int[] itemIndices,
            float[] values) {
        int n = userIndices.length;
        if (itemIndices.length != n || values.length != n) {
            throw new IllegalArgumentException("ofIndices needs arrays of one length, got " + n + " user, "
                    + itemIndices.length + " item and " + values.length + " rating entries");
        }
        for (int row = 0; row < n; row++) {
            if (userIndices[row] < 0 || userIndices[row] >= users.size()
                    || itemIndices[row] < 0 || itemIndices[row] >= items.size() || !Float.isFinite(values[row])) {
                throw new IllegalArgumentException("row " + row + " (user index " + userIndices[row]
                        + ", item index " + itemIndices[row] + ", rating " + values[row] + ") is out of range for "
                        + users.size() + " users and " + items.size() + " items");
            }
        }
        return new Ratings(users, items, n, userIndices, itemIndices, values, null);
    }

    /**
     * Returns a builder for ratings held in memory.
     *
     * @return a new, empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a ratings file with the read options the format carries ({@link RatingsFile#read()}). The file is
     * streamed: memory grows with the number of ratings (about 12 bytes a rating, 20 with timestamps), not with
     * per-row objects.
     *
     * @param file a UTF-8 text file
     * @param format how the file is laid out
     * @return the ratings, users and items indexed in order of first appearance
     * @throws IOException if the file cannot be read
     * @throws RatingsFileException if the file does not match the format, has a malformed value, or
     *     contains no ratings
     */
    public static Ratings read(Path file, RatingsFormat format) throws IOException {
        return RatingsReader.read(file, format);
    }

    /**
     * Reads a ratings file with read options: {@code RatingsFile.of(file, format).read(options)}.
     *
     * @param file a UTF-8 text file
     * @param format how the file is laid out
     * @param options duplicates and the values to refuse (the format's own deprecated settings are not used)
     * @return the ratings, users and items indexed in order of first appearance
     * @throws IOException if the file cannot be read
     * @throws RatingsFileException if the file does not match the format, has a malformed value or one the options
     *     refuse, or contains no ratings
     */
    public static Ratings read(Path file, RatingsFormat format, ReadOptions options) throws IOException {
        return RatingsReader.read(file, format, options);
    }

    /**
     * Returns the users' ids and indices.
     *
     * @return the user id map
     */
    public IdMap users() {
        return users;
    }

    /**
     * Returns the items' ids and indices.
     *
     * @return the item id map
     */
    public IdMap items() {
        return items;
    }

    /**
     * Returns the number of ratings (rows).
     *
     * @return the number of rows
     */
    public int size() {
        return size;
    }

    /**
     * Returns the user index of a row.
     *
     * @param row a row in {@code 0..size()-1}
     * @return an index into {@link #users()}
     */
    public int user(int row) {
        return userIndices[checkRow(row)];
    }

    /**
     * Returns the item index of a row.
     *
     * @param row a row in {@code 0..size()-1}
     * @return an index into {@link #items()}
     */
    public int item(int row) {
        return itemIndices[checkRow(row)];
    }

    /**
     * Returns the rating of a row.
     *
     * @param row a row in {@code 0..size()-1}
     * @return the rating, a finite number
     */
    public float rating(int row) {
        return values[checkRow(row)];
    }

    /**
     * Tells whether every row has a timestamp.
     *
     * @return true if {@link #timestamp(int)} may be called
     */
    public boolean hasTimestamps() {
        return timestamps != null;
    }

    /**
     * Returns the timestamp of a row.
     *
     * @param row a row in {@code 0..size()-1}
     * @return the timestamp, in the unit of the file (seconds since the epoch for MovieLens)
     * @throws IllegalStateException if the ratings have no timestamps
     */
    public long timestamp(int row) {
        if (timestamps == null) {
            throw new IllegalStateException(
                    "these ratings have no timestamps; read them with a RatingsFormat that sets "
                            + "optTimestampColumn(...)");
        }
        return timestamps[checkRow(row)];
    }

    /**
     * Returns every row's user index.
     *
     * @return a new array of length {@link #size()}
     */
    public int[] userIndices() {
        return Arrays.copyOf(userIndices, size);
    }

    /**
     * Returns every row's item index.
     *
     * @return a new array of length {@link #size()}
     */
    public int[] itemIndices() {
        return Arrays.copyOf(itemIndices, size);
    }

    /**
     * Returns every row's rating.
     *
     * @return a new array of length {@link #size()}
     */
    public float[] ratingValues() {
        return Arrays.copyOf(values, size);
    }

    /**
     * Returns the smallest rating.
     *
     * @return the smallest rating, or NaN if there are no rows
     */
    public float minRating() {
        return min;
    }

    /**
     * Returns the largest rating.
     *
     * @return the largest rating, or NaN if there are no rows
     */
    public float maxRating() {
        return max;
    }

    /**
     * Returns the step of the rating scale: the smallest positive gap between two distinct ratings (0.5 for half
     * stars, 1 for whole stars), or 0 when the ratings take more than {@value #SCALE_VALUES} distinct values (a
     * continuous score) or a single one. Computed on each call, in one pass.
     *
     * @return the step, or 0
     */
    public float ratingStep() {
        float[] distinct = new float[SCALE_VALUES];
        int count = 0;
        for (int row = 0; row < size; row++) {
            float v = values[row];
            int at = Arrays.binarySearch(distinct, 0, count, v);
            if (at >= 0) {
                continue;
            }
            if (count == SCALE_VALUES) {
                return 0f;
            }
            int insert = -at - 1;
            System.arraycopy(distinct, insert, distinct, insert + 1, count - insert);
            distinct[insert] = v;
            count++;
        }
        float step = 0f;
        for (int k = 1; k < count; k++) {
            float gap = distinct[k] - distinct[k - 1];
            step = step == 0f ? gap : Math.min(step, gap);
        }
        return step;
    }

    /** The most distinct values {@link #ratingStep()} reads as a scale. */
    public static final int SCALE_VALUES = 256;

    /**
     * Returns the mean rating.
     *
     * @return the mean rating, or NaN if there are no rows
     */
    public double meanRating() {
        return mean;
    }

    /**
     * Returns the given rows, in the given order, with the same id maps (so indices keep their
     * meaning). Used for splits; a row may be selected more than once.
     *
     * @param rows row numbers in {@code 0..size()-1}
     * @return the selected ratings
     * @throws IllegalArgumentException if a row number is out of range
     */
    public Ratings select(int[] rows) {
        int[] u = new int[rows.length];
        int[] i = new int[rows.length];
        float[] r = new float[rows.length];
        long[] t = timestamps == null ? null : new long[rows.length];
        for (int k = 0; k < rows.length; k++) {
            int row = rows[k];
            if (row < 0 || row >= size) {
                throw new IllegalArgumentException(
                        "rows[" + k + "] = " + row + " is not a row of these ratings (valid: 0.." + (size - 1) + ")");
            }
            u[k] = userIndices[row];
            i[k] = itemIndices[row];
            r[k] = values[row];
            if (t != null) {
                t[k] = timestamps[row];
            }
        }
        return new Ratings(users, items, rows.length, u, i, r, t);
    }

    /**
     * Puts these ratings into another index space, typically a validation file into the training
     * set's: each row's user and item ids are looked up in the given maps, and rows whose user or
     * item is not there are dropped ({@code size() - result.size()} of them).
     *
     * @param users the user map to use, e.g. {@code train.users()}
     * @param items the item map to use, e.g. {@code train.items()}
     * @return the rows whose user and item both exist in the given maps, in their original order,
     *     with {@code users} and {@code items} as their id maps
     */
    public Ratings reindex(IdMap users, IdMap items) {
        int[] userMapping = mapping(this.users, users);
        int[] itemMapping = mapping(this.items, items);
        int[] u = new int[size];
        int[] i = new int[size];
        float[] r = new float[size];
        long[] t = timestamps == null ? null : new long[size];
        int kept = 0;
        for (int row = 0; row < size; row++) {
            int user = userMapping[userIndices[row]];
            int item = itemMapping[itemIndices[row]];
            if (user < 0 || item < 0) {
                continue;
            }
            u[kept] = user;
            i[kept] = item;
            r[kept] = values[row];
            if (t != null) {
                t[kept] = timestamps[row];
            }
            kept++;
        }
        return new Ratings(users, items, kept, u, i, r, t);
    }

    /**
     * Resolves rows that share a (user, item) pair, as the policy says: keeps them all, keeps the last, or
     * replaces them with one row holding their mean; or refuses them. The id maps stay the same (every pair keeps a
     * row, so no id loses its last rating).
     *
     * <pre>{@code
     * Ratings clean = ratings.deduplicate(DuplicatePolicy.MEAN);
     * }</pre>
     *
     * @param policy what to do with duplicates
     * @return these ratings if there is nothing to change (always for {@link DuplicatePolicy#KEEP_ALL}), else the
     *     resolved rows in their original order
     * @throws IllegalArgumentException under {@link DuplicatePolicy#ERROR} if a pair occurs twice: the message
     *     names the user, the item and the two rows (0-based)
     */
    public Ratings deduplicate(DuplicatePolicy policy) {
        return Duplicates.apply(this, policy, (first, second) -> new IllegalArgumentException(
                "user " + RatingsReader.shown(users.id(userIndices[second])) + " rated item "
                        + RatingsReader.shown(items.id(itemIndices[second])) + " more than once (rows " + first
                        + " and " + second + "); remove the duplicates, or choose DuplicatePolicy.KEEP_LAST or MEAN to"
                        + " resolve them"));
    }

    private static int[] mapping(IdMap from, IdMap to) {
        int[] mapping = new int[from.size()];
        for (int index = 0; index < mapping.length; index++) {
            mapping[index] = to.indexOf(from.id(index));
        }
        return mapping;
    }

    /**
     * Returns a summary, e.g. {@code Ratings[size=100836, users=610, items=9724, rating=0.5..5.0,
     * mean=3.5016, timestamps=yes]}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "Ratings[size=%d, users=%d, items=%d, rating=%s..%s, mean=%.4f, timestamps=%s]",
                size, users.size(), items.size(), min, max, mean, hasTimestamps() ? "yes" : "no");
    }

    private int checkRow(int row) {
        if (row < 0 || row >= size) {
            throw new IndexOutOfBoundsException(
                    "row " + row + " is out of range for " + size + " ratings (valid: 0.." + (size - 1) + ")");
        }
        return row;
    }

    /**
     * Collects ratings one at a time, assigning user and item indices in order of first appearance.
     * Either every rating has a timestamp or none has.
     */
    public static final class Builder {

        private static final int MAX_ROWS = Integer.MAX_VALUE - 8;

        private final IdMap.Builder users = IdMap.builder();
        private final IdMap.Builder items = IdMap.builder();
        private int[] userIndices = new int[1024];
        private int[] itemIndices = new int[1024];
        private float[] values = new float[1024];
        private long[] timestamps;
        private int size;

        Builder() {}

        /**
         * Adds a rating without a timestamp.
         *
         * @param user the user's id, not empty
         * @param item the item's id, not empty
         * @param rating the rating, a finite number
         * @return this builder
         * @throws IllegalArgumentException if an id is null or empty, the rating is NaN or infinite, or
         *     earlier ratings had timestamps
         */
        public Builder add(String user, String item, float rating) {
            if (size == 0) {
                timestamps = null;
            } else if (timestamps != null) {
                throw new IllegalArgumentException(
                        "earlier ratings have timestamps; give this one a timestamp too "
                                + "(add(user, item, rating, timestamp))");
            }
            append(user, item, rating);
            return this;
        }

        /**
         * Adds a rating with a timestamp.
         *
         * @param user the user's id, not empty
         * @param item the item's id, not empty
         * @param rating the rating, a finite number
         * @param timestamp when the rating was given, e.g. seconds since the epoch
         * @return this builder
         * @throws IllegalArgumentException if an id is null or empty, the rating is NaN or infinite, or
         *     earlier ratings had no timestamps
         */
        public Builder add(String user, String item, float rating, long timestamp) {
            if (size > 0 && timestamps == null) {
                throw new IllegalArgumentException(
                        "earlier ratings have no timestamps; add this one without a timestamp too, "
                                + "or give all of them one");
            }
            if (timestamps == null) {
                timestamps = new long[userIndices.length];
            }
            append(user, item, rating);
            timestamps[size - 1] = timestamp;
            return this;
        }

        /**
         * Returns the ratings added so far. The builder stays usable; later additions do not change
         * ratings already built.
         *
         * @return the ratings
         */
        public Ratings build() {
            // Sharing the arrays is safe: later additions only write past this size, or into copies.
            return new Ratings(users.build(), items.build(), size, userIndices, itemIndices, values,
                    timestamps);
        }

        private void append(String user, String item, float rating) {
            checkId("user", user);
            checkId("item", item);
            if (!Float.isFinite(rating)) {
                throw new IllegalArgumentException(
                        "rating " + rating + " for user \"" + user + "\" and item \"" + item
                                + "\" is not a finite number");
            }
            if (size == userIndices.length) {
                grow();
            }
            userIndices[size] = users.add(user);
            itemIndices[size] = items.add(item);
            values[size] = rating;
            size++;
        }

        private static void checkId(String role, String id) {
            if (id == null || id.isEmpty()) {
                throw new IllegalArgumentException("the " + role + " id is " + (id == null ? "null" : "empty")
                        + "; every rating needs a non-empty " + role + " id");
            }
        }

        private void grow() {
            if (size == MAX_ROWS) {
                throw new IllegalStateException("a Ratings table holds at most " + MAX_ROWS + " ratings");
            }
            int capacity = (int) Math.min(MAX_ROWS, size + (size >> 1) + 16L);
            userIndices = Arrays.copyOf(userIndices, capacity);
            itemIndices = Arrays.copyOf(itemIndices, capacity);
            values = Arrays.copyOf(values, capacity);
            if (timestamps != null) {
                timestamps = Arrays.copyOf(timestamps, capacity);
            }
        }
    }
}
