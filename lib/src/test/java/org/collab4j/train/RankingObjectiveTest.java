package org.collab4j.train;

import static org.collab4j.train.BlockParameters.get;
import static org.collab4j.train.BlockParameters.set;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.Sgd;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.Ials;
import org.collab4j.train.step.StepChoice;
import org.collab4j.train.step.StepKind;
import org.collab4j.train.objective.Softmax;
import org.collab4j.train.objective.NegativeSampling;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

/** The ranking objectives: the arithmetic by hand, learning on clustered data, and the refusals. */
public class RankingObjectiveTest {

    private static Split clustered;
    private static double popularityNdcg;

    /**
     * 80 users in two groups; each interacts with 8 of the 30 items of its group's half of 60 items, and items of
     * low index are more popular within each half. Two interactions per user are held out. A model that learns
     * the groups ranks its own half first; popularity alone cannot tell the halves apart for a user.
     */
    @BeforeAll
    static void data() {
        clustered = clusteredSplit();
        popularityNdcg = popularityNdcg(clustered.train(), clustered.valid());
    }

    /**
     * The data above, also {@code DeviceRankingStepTest}'s and {@code WarpTest}'s.
     *
     * @return the split
     */
    public static Split clusteredSplit() {
        Random random = new Random(3);
        Ratings.Builder train = Ratings.builder();
        Ratings.Builder valid = Ratings.builder();
        for (int u = 0; u < 80; u++) {
            int half = u % 2;
            java.util.Set<Integer> chosen = new java.util.LinkedHashSet<>();
            while (chosen.size() < 10) {
                int i = (int) Math.floor(Math.pow(random.nextDouble(), 2) * 30);
                chosen.add(half * 30 + i);
            }
            int k = 0;
            for (int item : chosen) {
                (k++ < 8 ? train : valid).add("u" + u, "i" + item, 1f);
            }
        }
        Ratings t = train.build();
        return new Split(t, valid.build().reindex(t.users(), t.items()));
    }

    /**
     * NDCG@10 of ranking every user's unseen items by training popularity, with the probe's arithmetic.
     *
     * @param train the training positives
     * @param valid the held-out positives
     * @return the NDCG@10
     */
    public static double popularityNdcg(Ratings train, Ratings valid) {
        try (CollabLearner learner = CollabLearner.builder().setData(new Split(train, valid))
                .optObjective(Objective.ials()).optModel(EmbeddingDot.builder().optFactors(1).optYRange(null))
                .optOutput(null).build()) {
            // One factor: user factors 1, item factors the item's count — a pure popularity ranking.
            float[] counts = new float[train.items().size()];
            for (int i : train.itemIndices()) {
                counts[i]++;
            }
            float[] ones = new float[train.users().size()];
            java.util.Arrays.fill(ones, 1f);
            learner.getBlock().getUserTables().get(0).getArray().set(ones);
            learner.getBlock().getItemTables().get(0).getArray().set(counts);
            return new RankingProbe(learner.getBlock(), train, valid, 10, 1000, 1).measure()[0];
        }
    }

    private static double lastNdcg(List<EpochResult> rows) {
        return rows.get(rows.size() - 1).validNdcg();
    }

    @Test
    void ialsLearnsTheGroupsFarBeyondPopularity() {
        try (CollabLearner learner = CollabLearner.builder().setData(clustered).optObjective(Objective.ials())
                .optOutput(null).build()) {
            List<EpochResult> rows = learner.fitAls(8);
            double ndcg = lastNdcg(rows);
            assertTrue(ndcg > popularityNdcg + 0.1, "iALS NDCG@10 " + ndcg + " vs popularity " + popularityNdcg);
            // Each sweep minimises the objective over one side: it can only go down.
            for (int e = 1; e < rows.size(); e++) {
                assertTrue(rows.get(e).trainLoss() <= rows.get(e - 1).trainLoss() + 1e-6, rows.toString());
            }
            assertTrue(Double.isNaN(rows.get(0).validLoss()));
            assertEquals("ials", learner.getObjective().name());
        }
    }

    @Test
    void bprAndSoftmaxLearnTheGroupsBeyondPopularity() {
        for (Objective objective : List.of(Objective.bpr(), Objective.softmax(), new Softmax(8,
                NegativeSampling.UNIFORM))) {
            try (CollabLearner learner = CollabLearner.builder().setData(clustered).optObjective(objective)
                    .optModel(EmbeddingDotBias.builder().optFactors(8).optYRange(null))
                    .optOptimizer(Adam.builder().optWeightDecay(0.01f).build()).optBatchSize(32).optOutput(null)
                    .build()) {
                double ndcg = lastNdcg(learner.fitOneCycle(15, 3e-2f));
                assertTrue(ndcg > popularityNdcg + 0.05, objective + " NDCG@10 " + ndcg + " vs popularity "
                        + popularityNdcg);
            }
        }
    }

    @Test
    void oneFullSoftmaxStepByHand() {
        // One user, three items, the positive i0; factors (1, 0) for the user, items (1, 0), (0, 1), (2, 0), biases
        // 0: scores 1, 0, 2; softmax p = e^(1, 0, 2) / Σ. ∂loss/∂s = p − (1, 0, 0).
        Ratings items = Ratings.builder().add("u0", "i0", 1f).add("u1", "i1", 1f).add("u1", "i2", 1f).build();
        Ratings train = Ratings.ofIndices(items.users(), items.items(), new int[] {0}, new int[] {0},
                new float[] {1f});
        try (CollabLearner learner = CollabLearner.builder().setTrainData(train)
                .optObjective(new Softmax(1000, NegativeSampling.UNIFORM))
                .optModel(EmbeddingDotBias.builder().optFactors(2).optYRange(null))
                .optOptimizer(Sgd.builder().optMomentum(0f).build()).optBatchSize(1).optOutput(null).build()) {
            set(learner, "userFactors", 1f, 0f, 0f, 0f);
            set(learner, "itemFactors", 1f, 0f, 0f, 1f, 2f, 0f);
            set(learner, "itemBias", 0f, 0f, 0f);
            double z = Math.exp(1) + Math.exp(0) + Math.exp(2);
            double[] g = {Math.exp(1) / z - 1, Math.exp(0) / z, Math.exp(2) / z};
            List<EpochResult> rows = learner.fit(1, 0.5f);
            assertEquals(Math.log(z) - 1, rows.get(0).trainLoss(), 1e-5);
            // ∂U0 = Σ g_j I_j = (g0 + 2 g2, g1); ∂I_j = g_j U0 = (g_j, 0); ∂b_j = g_j.
            assertArrayEquals(new float[] {(float) (1 - 0.5 * (g[0] + 2 * g[2])), (float) (-0.5 * g[1]), 0f, 0f},
                    get(learner, "userFactors"), 1e-5f);
            assertArrayEquals(new float[] {(float) (1 - 0.5 * g[0]), 0f, (float) (-0.5 * g[1]), 1f,
                    (float) (2 - 0.5 * g[2]), 0f}, get(learner, "itemFactors"), 1e-5f);
            assertArrayEquals(new float[] {(float) (-0.5 * g[0]), (float) (-0.5 * g[1]), (float) (-0.5 * g[2])},
                    get(learner, "itemBias"), 1e-5f);
        }
    }

    @Test
    void theSoftmaxKeepsTheUsersOtherItemsAmongTheNegatives() {
        // u0 has i0 and i1, one batch of both. Scores 1, 0, 2 as above; each positive's softmax runs over all three
        // items (only the positive itself is special): ∂loss/∂s = p − (e0 + e1) / 2, loss = log Σ − (1 + 0) / 2.
        // Masking u0's other item in each positive's softmax (as the host engine once did) gives other numbers.
        Ratings items = Ratings.builder().add("u0", "i0", 1f).add("u0", "i1", 1f).add("u1", "i2", 1f).build();
        Ratings train = Ratings.ofIndices(items.users(), items.items(), new int[] {0, 0}, new int[] {0, 1},
                new float[] {1f, 1f});
        try (CollabLearner learner = CollabLearner.builder().setTrainData(train)
                .optObjective(new Softmax(1000, NegativeSampling.UNIFORM))
                .optModel(EmbeddingDotBias.builder().optFactors(2).optYRange(null))
                .optOptimizer(Sgd.builder().optMomentum(0f).build()).optBatchSize(2).optOutput(null).build()) {
            set(learner, "userFactors", 1f, 0f, 0f, 0f);
            set(learner, "itemFactors", 1f, 0f, 0f, 1f, 2f, 0f);
            set(learner, "itemBias", 0f, 0f, 0f);
            double z = Math.exp(1) + Math.exp(0) + Math.exp(2);
            double[] g = {Math.exp(1) / z - 0.5, Math.exp(0) / z - 0.5, Math.exp(2) / z};
            List<EpochResult> rows = learner.fit(1, 0.5f);
            assertEquals(Math.log(z) - 0.5, rows.get(0).trainLoss(), 1e-5);
            assertArrayEquals(new float[] {(float) (1 - 0.5 * (g[0] + 2 * g[2])), (float) (-0.5 * g[1]), 0f, 0f},
                    get(learner, "userFactors"), 1e-5f);
            assertArrayEquals(new float[] {(float) (-0.5 * g[0]), (float) (-0.5 * g[1]), (float) (-0.5 * g[2])},
                    get(learner, "itemBias"), 1e-5f);
        }
    }

    @Test
    void refusesBlocksAndDataARankingLossCannotTrain() {
        Ratings train = clustered.train();
        IllegalArgumentException yRange = assertThrows(IllegalArgumentException.class,
                () -> CollabLearner.builder().setTrainData(train).optObjective(Objective.bpr())
                        .optModel(EmbeddingDotBias.builder()).optOutput(null).build());
        assertTrue(yRange.getMessage().contains("optYRange(null)"), yRange.getMessage());
        IllegalArgumentException net = assertThrows(IllegalArgumentException.class,
                () -> CollabLearner.builder().setTrainData(train).optObjective(Objective.softmax())
                        .optModel(EmbeddingNet.builder()).optOutput(null).build());
        assertTrue(net.getMessage().contains("EmbeddingNet"), net.getMessage());
        IllegalArgumentException biases = assertThrows(IllegalArgumentException.class,
                () -> CollabLearner.builder().setTrainData(train).optObjective(Objective.ials())
                        .optModel(EmbeddingDotBias.builder().optYRange(null)).optOutput(null).build());
        assertTrue(biases.getMessage().contains("EmbeddingDot"), biases.getMessage());
        for (float bad : new float[] {0f, -1f}) {
            Ratings weights = Ratings.ofIndices(train.users(), train.items(), train.userIndices(),
                    train.itemIndices(), withFirst(train.ratingValues(), bad));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CollabLearner.builder().setTrainData(weights).optObjective(Objective.ials())
                            .optOutput(null).build());
            assertTrue(e.getMessage().contains("weight"), e.getMessage());
        }
        try (CollabLearner learner = CollabLearner.builder().setTrainData(train).optObjective(Objective.ials())
                .optOutput(null).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> learner.fitOneCycle(1, 1e-2f));
            assertTrue(e.getMessage().contains("fitAls"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> LrFinder.builder().build().find(learner));
        }
        try (CollabLearner learner = CollabLearner.builder().setTrainData(train).optOutput(null).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> learner.fitAls(1));
            assertTrue(e.getMessage().contains("mse"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new Ials(0f, 0.01f, 3));
        assertThrows(IllegalArgumentException.class, () -> new Ials(Float.NaN, 0.01f, 3));
        assertThrows(IllegalArgumentException.class, () -> Objective.parse("lambdarank"));
        assertEquals(Objective.warp(), Objective.parse("warp"));
        assertEquals(Objective.bpr(), Objective.parse("BPR"));
    }

    @Test
    void thePlannerChoosesTheObjectivesStep() {
        Ratings train = clustered.train();
        try (CollabLearner als = CollabLearner.builder().setTrainData(train).optObjective(Objective.ials())
                .optOutput(null).build();
                CollabLearner bpr = CollabLearner.builder().setTrainData(train).optObjective(Objective.bpr())
                        .optOutput(null).build()) {
            assertEquals(StepKind.ALS, als.getStepPlan().kind());
            assertTrue(als.getStepPlan().reason().contains("ials"), als.getStepPlan().toString());
            assertEquals(StepKind.RANKING, bpr.getStepPlan().kind());
            assertTrue(bpr.getStepPlan().reason().contains("bpr"), bpr.getStepPlan().toString());
            als.fitAls(1);
            assertEquals(als.getStepPlan().toString(), als.fittedModel().getProvenance().trainingStep());
            assertEquals("ials", als.fittedModel().objective());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CollabLearner.builder().setTrainData(train).optObjective(Objective.bpr())
                        .optTrainingStep(StepChoice.DENSE).optOutput(null).build());
        assertTrue(e.getMessage().contains("bpr"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StepKind.parse("als"));
        assertThrows(IllegalArgumentException.class, () -> StepKind.parse("ranking"));
    }

    @Test
    void earlyStoppingAndBestWeightsWatchNdcg() {
        BestWeights best = BestWeights.keep();
        try (CollabLearner learner = CollabLearner.builder().setData(clustered).optObjective(Objective.ials())
                .addListeners(best, new EarlyStopping(2, 0)).optOutput(null).build()) {
            List<EpochResult> rows = learner.fitAls(6);
            double top = rows.stream().mapToDouble(EpochResult::validNdcg).max().orElseThrow();
            assertEquals(-top, best.bestLoss(), 1e-12);
        }
    }

    private static float[] withFirst(float[] values, float first) {
        float[] copy = values.clone();
        copy[0] = first;
        return copy;
    }
}
