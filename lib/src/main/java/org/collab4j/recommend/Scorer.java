package org.collab4j.recommend;

import org.collab4j.io.BlockConfig;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Kernel;
import org.collab4j.kernel.ParameterNames;
import org.collab4j.model.YRange;

/**
 * A model's forward pass in plain Java over copies of its weights, split in two so that ranking can skip the
 * sigmoid: {@link #raw} is the score before the y-range squash, {@link #squash} turns it into the rating. The
 * squash is monotonic, so items rank the same by either. Immutable, hence thread-safe.
 */
abstract class Scorer {

    private final YRange range;

    Scorer(YRange range) {
        this.range = range;
    }

    static Scorer of(TrainedModel model) {
        BlockConfig config = model.getConfig();
        return switch (config.kind()) {
            case EMBEDDING_DOT, EMBEDDING_DOT_BIAS -> new DotScorer(model);
            case EMBEDDING_NET -> new NetScorer(model);
        };
    }

    /**
     * Returns the score before the squash.
     *
     * @param user a user index
     * @param item an item index
     * @return the raw score
     */
    abstract float raw(int user, int item);

    /**
     * Fills {@code out[i]} with {@code raw(user, i)} for every item, bit for bit as {@link #raw} computes it.
     *
     * @param user a user index
     * @param out one slot per item
     */
    final void rawAll(int user, float[] out) {
        rawRange(user, 0, out.length, out);
    }

    /**
     * Fills {@code out[i]} with {@code raw(user, i)} for the items {@code [from, to)}, bit for bit.
     *
     * @param user a user index
     * @param from the first item
     * @param to one past the last item
     * @param out one slot per item; only {@code [from, to)} is written
     */
    abstract void rawRange(int user, int from, int to, float[] out);

    /**
     * Returns the raw score of a folded-in user row (not in the model's table) for an item, as {@link #raw} would
     * if the row were the user's.
     *
     * @param row the user's row: factors, then the bias for a model with biases
     * @param item an item index
     * @return the raw score
     */
    abstract float rawFolded(float[] row, int item);

    /**
     * Fills {@code out[i]} with {@code rawFolded(row, i)} for every item, bit for bit.
     *
     * @param row the user's row
     * @param out one slot per item
     */
    final void rawAllFolded(float[] row, float[] out) {
        rawRangeFolded(row, 0, out.length, out);
    }

    /**
     * Fills {@code out[i]} with {@code rawFolded(row, i)} for the items {@code [from, to)}, bit for bit.
     *
     * @param row the user's row
     * @param from the first item
     * @param to one past the last item
     * @param out one slot per item; only {@code [from, to)} is written
     */
    abstract void rawRangeFolded(float[] row, int from, int to, float[] out);

    /**
     * Returns a trained user's row as {@link #rawFolded} takes it, so that {@code rawFolded(row(u), i)} is
     * {@code raw(u, i)} bit for bit.
     *
     * @param user a user index
     * @return a copy of the user's row
     */
    abstract float[] row(int user);

    /** The length of {@link #row}'s rows. */
    abstract int rowWidth();

    /**
     * How many items to score per user before moving to the next user when scoring many users
     * ({@link #rawRange}): a tile of the item table that stays in the core's cache. The whole catalogue unless
     * a scorer gains from tiles.
     */
    int tile() {
        return Integer.MAX_VALUE;
    }

    /** The y-range, or {@code null}. */
    final YRange range() {
        return range;
    }

    /**
     * Squashes a raw score into the y-range as DJL's {@code sigmoidRange} does; the identity without a range.
     *
     * @param raw the raw score
     * @return the predicted rating
     */
    final float squash(float raw) {
        return range == null ? raw : Kernel.sigmoidRange(raw, range.low(), range.high());
    }

    /** The inverse of {@link #squash}, clamped inside the range so that it stays finite. */
    final double unsquash(double rating) {
        if (range == null) {
            return rating;
        }
        double p = (rating - range.low()) / (range.high() - range.low());
        p = Math.min(1 - 1e-6, Math.max(1e-6, p));
        return Math.log(p / (1 - p));
    }

    /**
     * {@code EmbeddingDot} and {@code EmbeddingDotBias}: {@code U[u]·I[i] (+ b_u + b_i)}, by {@link Kernel}.
     *
     * <p>Scoring every item for a user runs over a factor-major copy of the item table ({@link Kernel#dotAll}),
     * which the JIT vectorises; each score still sees the same additions in the same order as {@link #raw}.
     */
    static final class DotScorer extends Scorer {

        private final float[] userFactors;
        private final float[] itemFactors;
        /** The item factors factor-major: {@code itemColumns[d][i] = I[i][d]}. */
        private final float[][] itemColumns;
        private final float[] userBias;
        private final float[] itemBias;
        private final int factors;
        private final int numItems;
        /** The item factors a tile holds. */
        static final int TILE_BYTES = 256 * 1024;

        DotScorer(TrainedModel model) {
            super(model.getConfig().yRange());
            userFactors = model.parameter(ParameterNames.USER_FACTORS);
            itemFactors = model.parameter(ParameterNames.ITEM_FACTORS);
            factors = model.getConfig().userFactors();
            numItems = model.getConfig().numItems();
            itemColumns = Kernel.columns(itemFactors, numItems, factors);
            boolean biases = model.getConfig().hasBiases();
            userBias = biases ? model.parameter(ParameterNames.USER_BIAS) : null;
            itemBias = biases ? model.parameter(ParameterNames.ITEM_BIAS) : null;
        }

        @Override
        float raw(int user, int item) {
            float r = Kernel.dot(userFactors, user * factors, itemFactors, item * factors, factors);
            return userBias == null ? r : Kernel.withBiases(r, userBias[user], itemBias[item]);
        }

        @Override
        void rawRange(int user, int from, int to, float[] out) {
            rawRange(userFactors, user * factors, userBias == null ? 0f : userBias[user], from, to, out);
        }

        @Override
        float rawFolded(float[] row, int item) {
            float r = Kernel.dot(row, 0, itemFactors, item * factors, factors);
            return userBias == null ? r : Kernel.withBiases(r, row[factors], itemBias[item]);
        }

        @Override
        void rawRangeFolded(float[] row, int from, int to, float[] out) {
            rawRange(row, 0, userBias == null ? 0f : row[factors], from, to, out);
        }

        @Override
        float[] row(int user) {
            float[] row = new float[rowWidth()];
            System.arraycopy(userFactors, user * factors, row, 0, factors);
            if (userBias != null) {
                row[factors] = userBias[user];
            }
            return row;
        }

        @Override
        int rowWidth() {
            return userBias == null ? factors : factors + 1;
        }

        /**
         * About 256 KiB of item factors, so that a tile read for one user is still in the core's L2 cache for the
         * next. On the 1 MiB-L2 machine measured (docs/benchmarks.md, issue 18) 128 KiB to 1 MiB tiles all scored
         * 2,000 users × 100,000 items × 64 factors at 8–11 GMAC/s against 4–5 untiled; 256 KiB was the best.
         */
        @Override
        int tile() {
            return Math.max(256, (TILE_BYTES / (4 * Math.max(1, factors))) & ~63);
        }

        /** Items {@code [from, to)}'s raw scores for the user row at {@code rows[u..u+factors)}, bias {@code bu}. */
        private void rawRange(float[] rows, int u, float bu, int from, int to, float[] out) {
            Kernel.dotRange(rows, u, itemColumns, from, to, factors, out);
            if (userBias != null) {
                for (int i = from; i < to; i++) {
                    out[i] = Kernel.withBiases(out[i], bu, itemBias[i]);
                }
            }
        }
    }
}
