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
    abstract void rawAll(int user, float[] out);

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
    abstract void rawAllFolded(float[] row, float[] out);

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
        void rawAll(int user, float[] out) {
            rawAll(userFactors, user * factors, userBias == null ? 0f : userBias[user], out);
        }

        @Override
        float rawFolded(float[] row, int item) {
            float r = Kernel.dot(row, 0, itemFactors, item * factors, factors);
            return userBias == null ? r : Kernel.withBiases(r, row[factors], itemBias[item]);
        }

        @Override
        void rawAllFolded(float[] row, float[] out) {
            rawAll(row, 0, userBias == null ? 0f : row[factors], out);
        }

        /** Every item's raw score for the user row at {@code rows[u..u+factors)} with user bias {@code bu}. */
        private void rawAll(float[] rows, int u, float bu, float[] out) {
            Kernel.dotAll(rows, u, itemColumns, numItems, factors, out);
            if (userBias != null) {
                for (int i = 0; i < numItems; i++) {
                    out[i] = Kernel.withBiases(out[i], bu, itemBias[i]);
                }
            }
        }
    }
}
