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
     * The dot product of two rows, with four partial sums: a fixed order, so that every caller gets the same bits.
     */
    static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = 0;
        for (; j + 3 < length; j += 4) {
            s0 += a[aOffset + j] * b[bOffset + j];
            s1 += a[aOffset + j + 1] * b[bOffset + j + 1];
            s2 += a[aOffset + j + 2] * b[bOffset + j + 2];
            s3 += a[aOffset + j + 3] * b[bOffset + j + 3];
        }
        for (; j < length; j++) {
            s0 += a[aOffset + j] * b[bOffset + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code EmbeddingDot} and {@code EmbeddingDotBias}: {@code U[u]·I[i] (+ b_u + b_i)}. */
    static final class DotScorer extends Scorer {

        private final float[] userFactors;
        private final float[] itemFactors;
        private final float[] userBias;
        private final float[] itemBias;
        private final int factors;

        DotScorer(TrainedModel model) {
            super(model.getConfig().yRange());
            userFactors = model.parameter("userFactors");
            itemFactors = model.parameter("itemFactors");
            factors = model.getConfig().userFactors();
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
            for (int i = 0; i < out.length; i++) {
                out[i] = raw(user, i);
            }
        }
    }
}
