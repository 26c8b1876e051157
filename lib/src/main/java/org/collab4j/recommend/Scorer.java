package org.collab4j.recommend;

import org.collab4j.io.BlockConfig;
import org.collab4j.io.TrainedModel;
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
        if (range == null) {
            return raw;
        }
        return (float) (1 / (1 + Math.exp(-raw)) * (range.high() - range.low()) + range.low());
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
     * The dot product of two rows, summed from the first element to the last: the order
     * {@link DotScorer#rawAll} also uses, so that both give the same bits.
     */
    static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float sum = 0;
        for (int j = 0; j < length; j++) {
            sum += a[aOffset + j] * b[bOffset + j];
        }
        return sum;
    }

    /**
     * {@code EmbeddingDot} and {@code EmbeddingDotBias}: {@code U[u]·I[i] (+ b_u + b_i)}.
     *
     * <p>Scoring every item for a user runs factor by factor over a transposed copy of the item table,
     * {@code out[i] += U[u][d] * I[i][d]}: a loop without a reduction, which the JIT turns into SIMD instructions,
     * several times faster than one dot product per item. Each {@code out[i]} still sees the same additions in the
     * same order as {@link #dot}, so the two paths agree to the bit.
     */
    static final class DotScorer extends Scorer {

        private final float[] userFactors;
        private final float[] itemFactors;
        /** The item factors factor-major: {@code itemColumns[d * numItems + i] = I[i][d]}. */
        private final float[] itemColumns;
        private final float[] userBias;
        private final float[] itemBias;
        private final int factors;
        private final int numItems;

        DotScorer(TrainedModel model) {
            super(model.getConfig().yRange());
            userFactors = model.parameter("userFactors");
            itemFactors = model.parameter("itemFactors");
            factors = model.getConfig().userFactors();
            numItems = model.getConfig().numItems();
            itemColumns = new float[itemFactors.length];
            for (int i = 0; i < numItems; i++) {
                for (int d = 0; d < factors; d++) {
                    itemColumns[d * numItems + i] = itemFactors[i * factors + d];
                }
            }
            boolean biases = model.getConfig().hasBiases();
            userBias = biases ? model.parameter("userBias") : null;
            itemBias = biases ? model.parameter("itemBias") : null;
        }

        @Override
        float raw(int user, int item) {
            float r = dot(userFactors, user * factors, itemFactors, item * factors, factors);
            // (dot + b_u) + b_i: the order the block adds them in.
            return userBias == null ? r : r + userBias[user] + itemBias[item];
        }

        @Override
        void rawAll(int user, float[] out) {
            rawAll(userFactors, user * factors, userBias == null ? 0f : userBias[user], out);
        }

        @Override
        float rawFolded(float[] row, int item) {
            float r = dot(row, 0, itemFactors, item * factors, factors);
            return userBias == null ? r : r + row[factors] + itemBias[item];
        }

        @Override
        void rawAllFolded(float[] row, float[] out) {
            rawAll(row, 0, userBias == null ? 0f : row[factors], out);
        }

        private void rawAll(float[] rows, int u, float bu, float[] out) {
            java.util.Arrays.fill(out, 0, numItems, 0f);
            int d = 0;
            // Four factors per pass: a quarter of the loads and stores of out, and still the same additions in
            // the same order as one factor per pass (about 1.4 times faster than that).
            for (; d + 3 < factors; d += 4) {
                float u0 = rows[u + d];
                float u1 = rows[u + d + 1];
                float u2 = rows[u + d + 2];
                float u3 = rows[u + d + 3];
                int c0 = d * numItems;
                int c1 = c0 + numItems;
                int c2 = c1 + numItems;
                int c3 = c2 + numItems;
                for (int i = 0; i < numItems; i++) {
                    out[i] = out[i] + u0 * itemColumns[c0 + i] + u1 * itemColumns[c1 + i]
                            + u2 * itemColumns[c2 + i] + u3 * itemColumns[c3 + i];
                }
            }
            for (; d < factors; d++) {
                float ud = rows[u + d];
                int c = d * numItems;
                for (int i = 0; i < numItems; i++) {
                    out[i] += ud * itemColumns[c + i];
                }
            }
            if (userBias != null) {
                for (int i = 0; i < numItems; i++) {
                    out[i] = out[i] + bu + itemBias[i];
                }
            }
        }
    }
}
