package org.collab4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates ratings of any size with a known structure, for benchmarks and tests at scales no bundled data set has
 * (e.g. MovieLens-25M's shape: 25M ratings, 162k users, 62k items).
 *
 * <pre>{@code
 * Ratings ratings = SyntheticRatings.builder()
 *         .setUsers(162_541).setItems(62_423).setRatings(25_000_095).build().generate();
 * }</pre>
 *
 * <p>The truth is a latent-factor model: every user and item has {@code factors} Gaussian factors and a Gaussian
 * bias, and a rating is {@code clamp(mean + b_u + b_i + p_u·q_i + noise, 0.5, 5)} rounded to half stars. Who
 * rates what follows a Zipf-like popularity, {@code P(rank r) ∝ 1/(r+1)^skew}, separately for users and items, with
 * ranks shuffled over the indices so that popular rows are spread through the tables. A (user, item) pair may
 * occur more than once, rarely at MovieLens densities. Ids are {@code "u0".."u<n-1>"} and {@code "i0".."i<m-1>"}.
 * The same settings always give the same ratings. Generation writes straight into index arrays (about 12 bytes a
 * rating), without per-row objects. {@link SyntheticMovieLens} streams MovieLens-shaped ratings to a CSV file instead,
 * with distinct pairs, half-star ratings and timestamps.
 */
public final class SyntheticRatings {

    private final int users;
    private final int items;
    private final int ratings;
    private final int factors;
    private final double userSkew;
    private final double itemSkew;
    private final double noise;
    private final long seed;

    private SyntheticRatings(Builder builder) {
        users = builder.users;
        items = builder.items;
        ratings = builder.ratings;
        factors = builder.factors;
        userSkew = builder.userSkew;
        itemSkew = builder.itemSkew;
        noise = builder.noise;
        seed = builder.seed;
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
     * Generates the ratings.
     *
     * @return the ratings, indexed by {@code "u<k>"} / {@code "i<k>"} ids in index order
     */
    public Ratings generate() {
        SplittableRandom random = new SplittableRandom(seed);
        // Factor scale such that p·q has a standard deviation of about 0.8 stars whatever the number of factors.
        double scale = Math.sqrt(0.8 / Math.sqrt(factors));
        float[] p = gaussians(random, (long) users * factors, scale);
        float[] q = gaussians(random, (long) items * factors, scale);
        float[] bu = gaussians(random, users, 0.4);
        float[] bi = gaussians(random, items, 0.4);
        double[] userCdf = zipfCdf(users, userSkew);
        double[] itemCdf = zipfCdf(items, itemSkew);
        int[] userOfRank = permutation(users, random);
        int[] itemOfRank = permutation(items, random);
        int[] u = new int[ratings];
        int[] i = new int[ratings];
        float[] r = new float[ratings];
        for (int row = 0; row < ratings; row++) {
            int user = userOfRank[draw(userCdf, random.nextDouble())];
            int item = itemOfRank[draw(itemCdf, random.nextDouble())];
            double x = 3.5 + bu[user] + bi[item] + noise * random.nextGaussian();
            for (int f = 0, pu = user * factors, qi = item * factors; f < factors; f++) {
                x += p[pu + f] * q[qi + f];
            }
            u[row] = user;
            i[row] = item;
            r[row] = (float) Math.max(0.5, Math.min(5.0, Math.round(x * 2) / 2.0));
        }
        return Ratings.ofIndices(ids("u", users), ids("i", items), u, i, r);
    }

    static float[] gaussians(SplittableRandom random, long n, double std) {
        float[] values = new float[Math.toIntExact(n)];
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) (random.nextGaussian() * std);
        }
        return values;
    }

    static double[] zipfCdf(int n, double skew) {
        return zipfCdf(n, skew, 1);
    }

    /** The cumulative Zipf–Mandelbrot distribution {@code P(rank r) ∝ 1/(r+offset)^skew}, normalised to end at 1. */
    static double[] zipfCdf(int n, double skew, double offset) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int rank = 0; rank < n; rank++) {
            sum += Math.pow(rank + offset, -skew);
            cdf[rank] = sum;
        }
        for (int rank = 0; rank < n; rank++) {
            cdf[rank] /= sum;
        }
        return cdf;
    }

    static int draw(double[] cdf, double uniform) {
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < uniform) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static int[] permutation(int n, SplittableRandom random) {
        int[] result = new int[n];
        for (int k = 0; k < n; k++) {
            result[k] = k;
        }
        for (int k = n - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            int t = result[k];
            result[k] = result[j];
            result[j] = t;
        }
        return result;
    }

    private static IdMap ids(String prefix, int n) {
        List<String> ids = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            ids.add(prefix + k);
        }
        return IdMap.of(ids);
    }

    @Override
    public String toString() {
        return "SyntheticRatings(users=" + users + ", items=" + items + ", ratings=" + ratings + ", factors="
                + factors + ", userSkew=" + userSkew + ", itemSkew=" + itemSkew + ", noise=" + noise + ", seed="
                + seed + ")";
    }

    /** Builds a {@link SyntheticRatings}. */
    public static final class Builder {

        int users = 1000;
        int items = 1000;
        int ratings = 100_000;
        int factors = 10;
        double userSkew = 0.5;
        double itemSkew = 1.0;
        double noise = 0.5;
        long seed = 42;

        Builder() {}

        /**
         * Sets the number of users (default 1000).
         *
         * @param users the number of users, at least 1
         * @return this builder
         */
        public Builder setUsers(int users) {
            this.users = users;
            return this;
        }

        /**
         * Sets the number of items (default 1000).
         *
         * @param items the number of items, at least 1
         * @return this builder
         */
        public Builder setItems(int items) {
            this.items = items;
            return this;
        }

        /**
         * Sets the number of ratings (default 100,000).
         *
         * @param ratings the number of ratings, at least 1
         * @return this builder
         */
        public Builder setRatings(int ratings) {
            this.ratings = ratings;
            return this;
        }

        /**
         * Sets the number of latent factors of the true model (default 10).
         *
         * @param factors the number of factors, at least 1
         * @return this builder
         */
        public Builder optFactors(int factors) {
            this.factors = factors;
            return this;
        }

        /**
         * Sets the Zipf exponents of user activity and item popularity (defaults 0.5 and 1.0: a long tail of
         * items, as in MovieLens; 0 is uniform).
         *
         * @param userSkew the users' exponent, at least 0
         * @param itemSkew the items' exponent, at least 0
         * @return this builder
         */
        public Builder optSkew(double userSkew, double itemSkew) {
            this.userSkew = userSkew;
            this.itemSkew = itemSkew;
            return this;
        }

        /**
         * Sets the standard deviation of the Gaussian noise added to each rating, in stars (default 0.5).
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
         * @throws IllegalArgumentException if a setting is out of range
         */
        public SyntheticRatings build() {
            if (users < 1 || items < 1 || ratings < 1 || factors < 1) {
                throw new IllegalArgumentException("users, items, ratings and factors must each be at least 1, got "
                        + users + ", " + items + ", " + ratings + ", " + factors);
            }
            if ((long) Math.max(users, items) * factors > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("users × factors and items × factors must fit in one Java array");
            }
            if (!(userSkew >= 0) || !(itemSkew >= 0) || !(noise >= 0)
                    || Double.isInfinite(userSkew + itemSkew + noise)) {
                throw new IllegalArgumentException("skews and noise must be finite and >= 0, got " + userSkew + ", "
                        + itemSkew + ", " + noise);
            }
            return new SyntheticRatings(this);
        }
    }
}
