package org.collab4j.io;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.train.CollabLearner;

import java.util.Random;

/** Tiny generated data and models trained on it, shared by the io and recommend tests. */
public final class TestModels {

    private TestModels() {}

    /**
     * Ratings {@code clamp(3 + bu + bi + pu·qi + noise)} rounded to half stars on a random share of the grid;
     * ids "u0".. and "i0"...
     *
     * @param users the number of users
     * @param items the number of items
     * @param density the share of the grid rated
     * @param seed the seed
     * @return the ratings
     */
    public static Ratings ratings(int users, int items, double density, long seed) {
        Random random = new Random(seed);
        double[][] p = new double[users][2];
        double[][] q = new double[items][2];
        for (double[] row : p) {
            row[0] = random.nextGaussian() * 0.7;
            row[1] = random.nextGaussian() * 0.7;
        }
        for (double[] row : q) {
            row[0] = random.nextGaussian() * 0.7;
            row[1] = random.nextGaussian() * 0.7;
        }
        Ratings.Builder builder = Ratings.builder();
        for (int u = 0; u < users; u++) {
            double bu = random.nextGaussian() * 0.4;
            for (int i = 0; i < items; i++) {
                if (random.nextDouble() < density) {
                    double r = 3 + bu + (i % 5 - 2) * 0.3 + p[u][0] * q[i][0] + p[u][1] * q[i][1]
                            + 0.2 * random.nextGaussian();
                    builder.add("u" + u, "i" + i, (float) Math.max(0.5, Math.min(5, Math.round(r * 2) / 2.0)));
                }
            }
        }
        return builder.build();
    }

    /**
     * A learner trained for a few epochs on a random 80/20 split of {@code ratings(users, items, 0.3, 7)}.
     *
     * @param users the number of users
     * @param items the number of items
     * @param block the block to train, or {@code null} for EmbeddingDotBias with 4 factors
     * @return the trained learner; the caller closes it
     */
    public static CollabLearner trained(int users, int items, CollabBlock.BaseBuilder<?> block) {
        return trained(ratings(users, items, 0.3, 7), block, 32, 3, 2e-2f);
    }

    /**
     * A learner trained with one-cycle on a random 80/20 split (seed 1) of some ratings.
     *
     * @param ratings the ratings
     * @param block the block to train, or {@code null} for EmbeddingDotBias with 4 factors
     * @param batchSize the batch size
     * @param epochs the epochs
     * @param lr the peak learning rate
     * @return the trained learner; the caller closes it
     */
    public static CollabLearner trained(Ratings ratings, CollabBlock.BaseBuilder<?> block, int batchSize, int epochs,
            float lr) {
        Split split = Splits.random(ratings, 0.2, 1);
        CollabLearner learner = CollabLearner.builder()
                .setData(split)
                .optModel(block != null ? block : EmbeddingDotBias.builder().optFactors(4))
                .optBatchSize(batchSize)
                .optOutput(null)
                .optProgressBar(false)
                .build();
        learner.fitOneCycle(epochs, lr);
        return learner;
    }
}
