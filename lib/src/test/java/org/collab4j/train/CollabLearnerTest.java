package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /** The builder's checks are in {@link CollabLearnerBuilderTest}; a fit checks its own arguments. */
    @Test
    void rejectsABadLearningRateWithAdvice() {
        try (CollabLearner learner = learner().build()) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> learner.fitOneCycle(1, 0f));
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
