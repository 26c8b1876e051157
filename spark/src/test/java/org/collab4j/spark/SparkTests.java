package org.collab4j.spark;

import org.apache.spark.sql.SparkSession;
import org.collab4j.data.Ratings;
import org.collab4j.data.Splits;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.train.CollabLearner;

import java.util.Random;

/** A small local Spark session and a tiny trained model, for the module's tests. */
public final class SparkTests {

    private SparkTests() {}

    /**
     * Starts a {@code local[2]} session with few shuffle partitions and no UI.
     *
     * @return the session; the caller stops it
     */
    public static SparkSession session() {
        return SparkSession.builder().master("local[2]").appName("collab4j-spark test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    /**
     * Ratings {@code 1 + (u * 7 + i * 3) % 5} on about 40 % of a {@code users × items} grid, ids "u0".. and
     * "i0"...
     *
     * @param users the number of users
     * @param items the number of items
     * @return the ratings
     */
    public static Ratings ratings(int users, int items) {
        Random random = new Random(3);
        Ratings.Builder builder = Ratings.builder();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (random.nextDouble() < 0.4) {
                    builder.add("u" + u, "i" + i, 1 + (u * 7 + i * 3) % 5);
                }
            }
        }
        return builder.build();
    }

    /**
     * An EmbeddingDotBias model with 4 factors trained for two epochs on a random 80/20 split of
     * {@code ratings(users, items)}; the split leaves some ids in the id maps without training ratings.
     *
     * @param users the number of users
     * @param items the number of items
     * @return the model
     */
    public static TrainedModel model(int users, int items) {
        try (CollabLearner learner = CollabLearner.builder()
                .setData(Splits.random(ratings(users, items), 0.2, 1))
                .optModel(EmbeddingDotBias.builder().optFactors(4))
                .optBatchSize(32).optOutput(null).optProgressBar(false).build()) {
            learner.fitOneCycle(2, 2e-2f);
            return learner.fittedModel();
        }
    }
}
