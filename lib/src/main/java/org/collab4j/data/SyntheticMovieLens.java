package org.collab4j.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Streams MovieLens-shaped ratings of any size to a CSV file ({@code userId,movieId,rating,timestamp}, the layout of
 * MovieLens's {@code ratings.csv}, read by {@link RatingsFormat#MOVIELENS_CSV}), for benchmarks at MovieLens-25M's
 * scale and beyond without downloading it. Nothing is held per row: memory is the true factors and a few arrays per
 * user and item, whatever the number of rows.
 *
 * <pre>{@code
 * SyntheticMovieLens data = SyntheticMovieLens.builder().setRows(25_000_095).build(); // 162,541 × 62,423
 * try (OutputStream out = Files.newOutputStream(file)) {
 *     data.writeCsv(out);
 * }
 * }</pre>
 *
 * <p>The shape follows MovieLens-25M (25,000,095 ratings of 62,423 films by 162,541 users):
 * <ul>
 *   <li>users and items in proportion to the rows, at MovieLens-25M's ratios, unless set;</li>
 *   <li>user activity a power law, {@code P(user rank r) ∝ (r+1)^-0.5} (at 25M rows the most active user has about
 *       31k ratings and the least about 75; MovieLens-25M: 32k and 20), each user's count capped at half the items;
 *   <li>item popularity a Zipf–Mandelbrot law, {@code P(item rank r) ∝ (r+100)^-1.2} (at 25M rows the most popular
 *       film has about 69k ratings and the top 1% of films 45% of the ratings; MovieLens-25M: 81k);</li>
 *   <li>each user rates distinct items (no duplicate pairs, as in MovieLens), written in movieId order;</li>
 *   <li>ratings from a latent-factor truth, {@code 3.53 + b_u + b_i + p_u·q_i + noise}, rounded to half stars in
 *       [0.5, 5] for 60% of users and to whole stars in [1, 5] for the others (MovieLens allowed half stars only
 *       from 2003);</li>
 *   <li>timestamps: each user starts at a uniform time between MovieLens-25M's first and last rating and rates over
 *       an exponentially distributed span (mean 90 days).</li>
 * </ul>
 * Ranks are shuffled over ids, so popular users and films are spread through the id ranges. The same settings always
 * write the same bytes.
 */
public final class SyntheticMovieLens {

    /** MovieLens-25M's rows, users and items: the ratios the defaults scale with. */
    public static final int ML25M_ROWS = 25_000_095;

    /** MovieLens-25M's users. */
    public static final int ML25M_USERS = 162_541;

    /** MovieLens-25M's items. */
    public static final int ML25M_ITEMS = 62_423;

    private static final double USER_SKEW = 0.5;
    private static final double ITEM_SKEW = 1.2;
    private static final double ITEM_OFFSET = 100;
    private static final double MEAN = 3.53;
    private static final double HALF_STAR_USERS = 0.6;
    private static final long FIRST_TIME = 789_652_009L;
    private static final long LAST_TIME = 1_574_327_703L;
    private static final double MEAN_SPAN_SECONDS = 90 * 86_400.0;
    private static final byte[] HEADER = "userId,movieId,rating,timestamp\n".getBytes(StandardCharsets.US_ASCII);

    private final long rows;
    private final int users;
    private final int items;
    private final int factors;
    private final double noise;
    private final long seed;

    private SyntheticMovieLens(Builder builder) {
        rows = builder.rows;
        users = builder.users > 0 ? builder.users : scaled(ML25M_USERS, builder.rows);
        items = builder.items > 0 ? builder.items : scaled(ML25M_ITEMS, builder.rows);
        factors = builder.factors;
        noise = builder.noise;
        seed = builder.seed;
        if ((long) users * (items / 2) < rows) {
            throw new IllegalArgumentException(rows + " rows do not fit " + users + " users who each rate at most"
                    + " half of " + items + " items; set more users or items");
        }
    }

    private static int scaled(int ml25m, long rows) {
        return (int) Math.max(2, Math.round((double) ml25m * rows / ML25M_ROWS));
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the number of users the file will have (some may end up with no rating only when rows &lt; users).
     *
     * @return the users
     */
    public int users() {
        return users;
    }

    /**
     * Returns the number of items drawn from.
     *
     * @return the items
     */
    public int items() {
        return items;
    }

    /**
     * Returns the number of rows the file will have, not counting the header.
     *
     * @return the rows
     */
    public long rows() {
        return rows;
    }

    /**
     * Writes the header and every row to {@code out}, buffered here; {@code out} is neither flushed nor closed.
     *
     * @param out where the CSV goes
     * @throws IOException if writing fails
     */
    public void writeCsv(OutputStream out) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        // Factor scale such that p·q has a standard deviation of about 0.6 stars whatever the number of factors.
        double scale = Math.sqrt(0.6 / Math.sqrt(factors));
        float[] p = SyntheticRatings.gaussians(random, (long) users * factors, scale);
        float[] q = SyntheticRatings.gaussians(random, (long) items * factors, scale);
        float[] bu = SyntheticRatings.gaussians(random, users, 0.4);
        float[] bi = SyntheticRatings.gaussians(random, items, 0.5);
        double[] itemCdf = SyntheticRatings.zipfCdf(items, ITEM_SKEW, ITEM_OFFSET);
        int[] itemOfRank = SyntheticRatings.permutation(items, random);
        int[] userOfRank = SyntheticRatings.permutation(users, random);
        int[] counts = userCounts();
        // stamp[item] == user + 1 marks the items the current user has rated: a distinct-pair check without a set.
        int[] stamp = new int[items];
        int[] chosen = new int[items / 2 + 1];
        long[] times = new long[chosen.length];
        CsvBuffer csv = new CsvBuffer(out);
        csv.bytes(HEADER);
        int[] rankOfUser = new int[users];
        for (int rank = 0; rank < users; rank++) {
            rankOfUser[userOfRank[rank]] = rank;
        }
        // Users in id order, as MovieLens's file is sorted by userId, then movieId.
        for (int user = 0; user < users; user++) {
            int n = draw(random, counts[rankOfUser[user]], itemCdf, itemOfRank, stamp, user + 1, chosen);
            Arrays.sort(chosen, 0, n);
            boolean halfStars = random.nextDouble() < HALF_STAR_USERS;
            double span = -Math.log(1 - random.nextDouble()) * MEAN_SPAN_SECONDS;
            long start = FIRST_TIME + (long) (random.nextDouble() * Math.max(0, LAST_TIME - FIRST_TIME - span));
            for (int k = 0; k < n; k++) {
                times[k] = start + (long) (random.nextDouble() * span);
            }
            for (int k = 0; k < n; k++) {
                int item = chosen[k];
                double x = MEAN + bu[user] + bi[item] + noise * random.nextGaussian();
                for (int f = 0, pu = user * factors, qi = item * factors; f < factors; f++) {
                    x += p[pu + f] * q[qi + f];
                }
                int halves = halfStars
                        ? (int) Math.max(1, Math.min(10, Math.round(x * 2)))
                        : 2 * (int) Math.max(1, Math.min(5, Math.round(x)));
                csv.integer(user + 1L).comma().integer(item + 1L).comma();
                csv.integer(halves / 2).dot().digit(halves % 2 == 0 ? 0 : 5).comma().integer(times[k]).newline();
            }
        }
        csv.flush();
    }

    /**
     * Each user rank's number of ratings: the power law's expected counts rounded down and capped at half the items,
     * then the rows left over handed out one at a time in rank order, so the total is exactly {@link #rows()}.
     */
    private int[] userCounts() {
        double[] cdf = SyntheticRatings.zipfCdf(users, USER_SKEW);
        int cap = items / 2;
        int[] counts = new int[users];
        long total = 0;
        double previous = 0;
        for (int rank = 0; rank < users; rank++) {
            counts[rank] = (int) Math.min(cap, Math.floor(rows * (cdf[rank] - previous)));
            previous = cdf[rank];
            total += counts[rank];
        }
        while (total < rows) {
            for (int rank = 0; rank < users && total < rows; rank++) {
                if (counts[rank] < cap) {
                    counts[rank]++;
                    total++;
                }
            }
        }
        return counts;
    }

    /**
     * Draws {@code n} distinct items by popularity into {@code chosen}, rejecting repeats. A very active user who
     * has taken most of the popular mass falls back to the least popular items not yet rated, so the count is
     * always met (n is at most half the items).
     */
    private static int draw(SplittableRandom random, int n, double[] itemCdf, int[] itemOfRank, int[] stamp,
            int mark, int[] chosen) {
        int got = 0;
        long tries = 0;
        long maxTries = 50L * n;
        while (got < n && tries++ < maxTries) {
            int item = itemOfRank[SyntheticRatings.draw(itemCdf, random.nextDouble())];
            if (stamp[item] != mark) {
                stamp[item] = mark;
                chosen[got++] = item;
            }
        }
        for (int rank = itemOfRank.length - 1; got < n; rank--) {
            int item = itemOfRank[rank];
            if (stamp[item] != mark) {
                stamp[item] = mark;
                chosen[got++] = item;
            }
        }
        return got;
    }

    @Override
    public String toString() {
        return "SyntheticMovieLens(rows=" + rows + ", users=" + users + ", items=" + items + ", factors=" + factors
                + ", noise=" + noise + ", seed=" + seed + ")";
    }

    /** ASCII digits into a byte buffer: no String per field, so 25M rows write in seconds. */
    private static final class CsvBuffer {

        private final OutputStream out;
        private final byte[] buffer = new byte[1 << 16];
        private final byte[] digits = new byte[20];
        private int position;

        CsvBuffer(OutputStream out) {
            this.out = out;
        }

        void bytes(byte[] bytes) throws IOException {
            for (byte b : bytes) {
                put(b);
            }
        }

        CsvBuffer integer(long value) throws IOException {
            int n = 0;
            do {
                digits[n++] = (byte) ('0' + value % 10);
                value /= 10;
            } while (value > 0);
            while (n > 0) {
                put(digits[--n]);
            }
            return this;
        }

        CsvBuffer digit(int digit) throws IOException {
            put((byte) ('0' + digit));
            return this;
        }

        CsvBuffer comma() throws IOException {
            put((byte) ',');
            return this;
        }

        CsvBuffer dot() throws IOException {
            put((byte) '.');
            return this;
        }

        void newline() throws IOException {
            put((byte) '\n');
        }

        private void put(byte b) throws IOException {
            if (position == buffer.length) {
                flush();
            }
            buffer[position++] = b;
        }

        void flush() throws IOException {
            out.write(buffer, 0, position);
            position = 0;
        }
    }

    /** Builds a {@link SyntheticMovieLens}. */
    public static final class Builder {

        long rows = ML25M_ROWS;
        int users;
        int items;
        int factors = 20;
        double noise = 0.5;
        long seed = 42;

        Builder() {}

        /**
         * Sets the number of rows (default MovieLens-25M's 25,000,095).
         *
         * @param rows the rows, at least 1
         * @return this builder
         */
        public Builder setRows(long rows) {
            this.rows = rows;
            return this;
        }

        /**
         * Sets the numbers of users and items (default: MovieLens-25M's, scaled by rows / 25,000,095).
         *
         * @param users the users, at least 2, or 0 for the default
         * @param items the items, at least 2, or 0 for the default
         * @return this builder
         */
        public Builder optShape(int users, int items) {
            this.users = users;
            this.items = items;
            return this;
        }

        /**
         * Sets the number of latent factors of the true model (default 20).
         *
         * @param factors the factors, at least 1
         * @return this builder
         */
        public Builder optFactors(int factors) {
            this.factors = factors;
            return this;
        }

        /**
         * Sets the standard deviation of the Gaussian noise before rounding, in stars (default 0.5).
         *
         * @param noise the noise, at least 0
         * @return this builder
         */
        public Builder optNoise(double noise) {
            this.noise = noise;
            return this;
        }

        /**
         * Sets the random seed (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the generator.
         *
         * @return the generator
         * @throws IllegalArgumentException if a setting is out of range, or the rows cannot be spread over the
         *     users with each rating at most half the items
         */
        public SyntheticMovieLens build() {
            if (rows < 1 || users < 0 || items < 0 || users == 1 || items == 1 || factors < 1) {
                throw new IllegalArgumentException("rows and factors must be at least 1 and users and items at"
                        + " least 2 (or 0 for the default), got " + rows + ", " + factors + ", " + users + ", "
                        + items);
            }
            if (rows > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("at most " + (Integer.MAX_VALUE - 8) + " rows (what Ratings"
                        + " holds), got " + rows);
            }
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new IllegalArgumentException("noise must be finite and >= 0, got " + noise);
            }
            SyntheticMovieLens built = new SyntheticMovieLens(this);
            if ((long) built.users * built.factors > Integer.MAX_VALUE - 8
                    || (long) built.items * built.factors > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("users × factors and items × factors must fit in one Java array");
            }
            return built;
        }
    }
}
