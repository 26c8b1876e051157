package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.recommend.Evaluation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

class CollabLearnerTest {

    private static Split split;
    private static double meanBaseline;

    @BeforeAll
    static void data() {
        Ratings ratings = SyntheticRatings.generate(300, 200, 3, 0.15, 7);
        split = Splits.random(ratings, 0.2, 1);
        double mean = split.train().meanRating();
        double sumSq = 0;
        for (int k = 0; k < split.valid().size(); k++) {
            sumSq += Math.pow(split.valid().rating(k) - mean, 2);
        }
        meanBaseline = Math.sqrt(sumSq / split.valid().size());
    }

    private static CollabLearnerBuilder learner() {
        return CollabLearner.builder().setData(split).optBatchSize(256).optOutput(null);
    }

    @Test
    void dotBiasEndsWellBelowTheMeanBaseline() {
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        try (CollabLearner learner =
                learner().optOutput(new PrintStream(table, true, StandardCharsets.UTF_8)).build()) {
            List<EpochResult> rows = learner.fitOneCycle(6, 1e-2f);
            Evaluation eval = learner.evaluate(split.valid());
            assertTrue(eval.rmse() < 0.75 * meanBaseline,
                    "RMSE " + eval.rmse() + " vs mean baseline " + meanBaseline);
            assertEquals(eval.rmse(), rows.get(rows.size() - 1).validRmse(), 1e-9);
            assertEquals(eval.mse(), eval.rmse() * eval.rmse(), 1e-9);
            assertTrue(eval.mae() <= eval.rmse());
            assertEquals(split.valid().size(), eval.count());
            assertTrue(rows.get(5).trainLoss() < rows.get(0).trainLoss());
            String printed = table.toString(StandardCharsets.UTF_8);
            assertTrue(printed.startsWith("epoch  train_loss  valid_loss  valid_rmse  time"), printed);
            assertEquals(7, printed.lines().count(), printed);
        }
    }

    @Test
    void otherModelsAndConstantRateTrainToo() {
        try (CollabLearner net = learner().optModel(EmbeddingNet.builder().optFactors(16)).build()) {
            net.fitOneCycle(6, 1e-2f);
            double rmse = net.evaluate(split.valid()).rmse();
            assertTrue(rmse < 0.9 * meanBaseline, "net RMSE " + rmse + " vs mean baseline " + meanBaseline
                    + ", epochs " + net.history());
        }
        try (CollabLearner dot = learner().optModel(EmbeddingDot.builder().optFactors(8)).build()) {
            double before = dot.evaluate(split.valid()).rmse();
            dot.fit(3, 1e-2f);
            assertTrue(dot.evaluate(split.valid()).rmse() < before);
        }
    }

    @Test
    void sameSeedGivesTheSameNumbersOnTheCpu() {
        float[] first;
        float[] second;
        try (CollabLearner a = learner().optSeed(3).optDevice(Device.cpu()).build()) {
            a.fitOneCycle(2, 5e-3f);
            first = a.predictIndices(new int[] {0, 1, 2}, new int[] {0, 1, 2});
        }
        try (CollabLearner b = learner().optSeed(3).optDevice(Device.cpu()).build()) {
            b.fitOneCycle(2, 5e-3f);
            second = b.predictIndices(new int[] {0, 1, 2}, new int[] {0, 1, 2});
        }
        assertArrayEquals(first, second);
    }

    @Test
    void predictsByOriginalIdsAndNamesUnknownOnes() {
        try (CollabLearner learner = learner().build()) {
            learner.fit(1, 5e-3f);
            Ratings valid = split.valid();
            String user = valid.users().id(valid.user(0));
            String item = valid.items().id(valid.item(0));
            float one = learner.predict(user, item);
            float[] batch = learner.predict(List.of(user, user), List.of(item, item));
            assertEquals(one, batch[0]);
            assertEquals(one, learner.predictIndices(new int[] {valid.user(0)}, new int[] {valid.item(0)})[0]);
            assertTrue(one > 0f && one < 5.5f);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> learner.predict("nobody", item));
            assertTrue(e.getMessage().contains("Unknown user id 'nobody'"), e.getMessage());
        }
    }

    /** fast.ai's show_results: distinct rows from many users, each with its rating and the model's prediction. */
    @Test
    void samplePredictionsDrawsDistinctRowsAcrossUsers() {
        try (CollabLearner learner = learner().build()) {
            learner.fit(1, 5e-3f);
            Ratings valid = split.valid();
            List<PredictedRating> sample = learner.samplePredictions(valid, 10, 7);
            assertEquals(10, sample.size());
            assertEquals(sample, learner.samplePredictions(valid, 10, 7), "the same rows for the same seed");
            assertNotEquals(sample, learner.samplePredictions(valid, 10, 8));
            assertTrue(sample.stream().map(PredictedRating::user).distinct().count() > 3,
                    "from many users, not the first rows of one: " + sample);
            java.util.Map<String, Float> known = new java.util.HashMap<>();
            for (int row = 0; row < valid.size(); row++) {
                known.put(valid.users().id(valid.user(row)) + "/" + valid.items().id(valid.item(row)),
                        valid.rating(row));
            }
            for (PredictedRating p : sample) {
                assertEquals(known.get(p.user() + "/" + p.item()), p.actual(), "a rating of the data: " + p);
                assertEquals(learner.predict(p.user(), p.item()), p.predicted(), 1e-6f);
            }
            assertEquals(10, sample.stream().map(p -> p.user() + "/" + p.item()).distinct().count());
            List<PredictedRating> all = learner.samplePredictions(valid, valid.size() + 5, 1);
            assertEquals(valid.size(), all.size(), "every row once when asked for more");
            assertEquals(valid.size(), all.stream().map(p -> p.user() + "/" + p.item()).distinct().count());
            assertThrows(IllegalArgumentException.class, () -> learner.samplePredictions(valid, -1, 1));
        }
    }

    @Test
    void nativeMemoryDoesNotGrowWithEpochs() {
        try (CollabLearner learner = learner().optBatchSize(64).build()) {
            NDManager manager = learner.getModel().getNDManager();
            learner.fit(1, 1e-3f);
            int afterOne = manager.getManagedArrays().size();
            learner.fit(3, 1e-3f);
            learner.evaluate(split.valid());
            assertEquals(afterOne, manager.getManagedArrays().size());
        }
    }

    @Test
    void rejectsBadSettingsWithAdvice() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> learner().optBatchSize(0).build());
        assertTrue(e.getMessage().contains("batch size must be at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CollabLearner.builder().build());
        assertTrue(e.getMessage().contains("setData"), e.getMessage());
        Ratings other = SyntheticRatings.generate(5, 5, 1, 1.0, 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> CollabLearner.builder().setTrainData(split.train()).optValidData(other).build());
        assertTrue(e.getMessage().contains("reindex"), e.getMessage());
        try (CollabLearner learner = learner().build()) {
            e = assertThrows(IllegalArgumentException.class, () -> learner.fitOneCycle(1, 0f));
            assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
        }
    }

    @Test
    void divergenceStopsWithAClearMessage() {
        try (CollabLearner learner = learner().optModel(EmbeddingDot.builder().optYRange(null)).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> learner.fit(3, 1e6f));
            assertTrue(e.getMessage().contains("diverged"), e.getMessage());
        }
    }
}
