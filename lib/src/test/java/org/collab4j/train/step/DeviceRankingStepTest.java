package org.collab4j.train.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import org.collab4j.train.BestWeights;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.train.EpochResult;
import org.collab4j.train.LearnerInternals;
import org.collab4j.train.RankingObjectiveTest;
import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.Sgd;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.Bpr;
import org.collab4j.train.objective.Softmax;
import org.collab4j.train.objective.NegativeSampling;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

/**
 * The device ranking step forced on the CPU engine: one step against the gradient by hand, learning against the
 * host ranking step, and the planner's choices.
 */
class DeviceRankingStepTest {

    private static Split clustered;
    private static double popularityNdcg;

    /** The clustered data of {@code RankingObjectiveTest}: two groups of users, each with its half of the items. */
    @BeforeAll
    static void data() {
        clustered = RankingObjectiveTest.clusteredSplit();
        popularityNdcg = RankingObjectiveTest.popularityNdcg(clustered.train(), clustered.valid());
    }

    // ---------------------------------------------------------------- one step by hand

    /** A tiny data set: 3 users, 5 items, 7 positives with weights. */
    private static Ratings tiny() {
        Ratings ids = Ratings.builder().add("u0", "i0", 1f).add("u1", "i1", 1f).add("u2", "i2", 1f)
                .add("u2", "i3", 1f).add("u2", "i4", 1f).build();
        return Ratings.ofIndices(ids.users(), ids.items(), new int[] {0, 0, 1, 1, 2, 2, 2},
                new int[] {0, 1, 1, 2, 3, 0, 4}, new float[] {1f, 2f, 1f, 0.5f, 1f, 1f, 3f});
    }

    private static CollabLearner tinyLearner(Ratings train, Objective objective, boolean biases) {
        CollabBlock.BaseBuilder<?> model = biases ? EmbeddingDotBias.builder().optFactors(3).optYRange(null)
                : EmbeddingDot.builder().optFactors(3).optYRange(null);
        CollabLearner learner = CollabLearner.builder().setTrainData(train).optObjective(objective).optModel(model)
                .optOptimizer(Sgd.builder().optMomentum(0f).build()).optBatchSize(train.size())
                .optTrainingStep(StepChoice.DEVICE).optDivergenceGuard(false).optOutput(null).optSeed(5).build();
        assertEquals(StepKind.DEVICE_RANKING, learner.getStepPlan().kind());
        // Random factors large enough for the scores to matter, biases too.
        Random random = new Random(17);
        for (var pair : learner.getBlock().getParameters()) {
            float[] v = pair.getValue().getArray().toFloatArray();
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) random.nextGaussian();
            }
            pair.getValue().getArray().set(v);
        }
        return learner;
    }

    /** The three trained tables as doubles, and the item bias (zeros without one). */
    private record Tables(double[][] u, double[][] i, double[] b) {

        static Tables of(CollabLearner learner, int factors) {
            CollabBlock block = learner.getBlock();
            float[] uf = block.getUserTables().get(0).getArray().toFloatArray();
            float[] itf = block.getItemTables().get(0).getArray().toFloatArray();
            float[] ib = block.getItemTables().size() > 1 ? block.getItemTables().get(1).getArray().toFloatArray()
                    : new float[itf.length / factors];
            return new Tables(rows(uf, factors), rows(itf, factors), toDoubles(ib));
        }

        double score(int u, int i) {
            double s = b[i];
            for (int c = 0; c < this.u[u].length; c++) {
                s += this.u[u][c] * this.i[i][c];
            }
            return s;
        }

        /** Adds {@code d · ∂s_ui/∂θ} to the gradient tables {@code g}. */
        void addPair(Tables g, int u, int i, double d) {
            for (int c = 0; c < this.u[u].length; c++) {
                g.u[u][c] += d * this.i[i][c];
                g.i[i][c] += d * this.u[u][c];
            }
            g.b[i] += d;
        }

        Tables zero() {
            return new Tables(new double[u.length][u[0].length], new double[i.length][i[0].length],
                    new double[b.length]);
        }

        float[] flat(double[][] t, Tables g, double[][] gt, double lr) {
            float[] out = new float[t.length * t[0].length];
            for (int r = 0; r < t.length; r++) {
                for (int c = 0; c < t[0].length; c++) {
                    out[r * t[0].length + c] = (float) (t[r][c] - lr * gt[r][c]);
                }
            }
            return out;
        }
    }

    private static double[][] rows(float[] flat, int columns) {
        double[][] out = new double[flat.length / columns][columns];
        for (int k = 0; k < flat.length; k++) {
            out[k / columns][k % columns] = flat[k];
        }
        return out;
    }

    private static double[] toDoubles(float[] v) {
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = v[k];
        }
        return out;
    }

    private static void assertUpdated(CollabLearner learner, Tables before, Tables grad, double lr, boolean biases) {
        CollabBlock block = learner.getBlock();
        assertArrayEquals(before.flat(before.u(), grad, grad.u(), lr),
                block.getUserTables().get(0).getArray().toFloatArray(), 1e-5f, "user factors");
        assertArrayEquals(before.flat(before.i(), grad, grad.i(), lr),
                block.getItemTables().get(0).getArray().toFloatArray(), 1e-5f, "item factors");
        if (biases) {
            float[] expected = new float[before.b().length];
            for (int k = 0; k < expected.length; k++) {
                expected[k] = (float) (before.b()[k] - lr * grad.b()[k]);
            }
            assertArrayEquals(expected, block.getItemTables().get(1).getArray().toFloatArray(), 1e-5f,
                    "item biases");
            // The user bias cannot change a user's ranking: left as it was, as the host step leaves it.
            assertEquals(3, block.getUserTables().get(1).getArray().size());
        }
    }

    @Test
    void oneBprStepWithFixedNegativesEqualsTheGradientByHand() {
        Ratings train = tiny();
        long[] negatives = {2, 4, 0, 3, 1, 1, 3};
        for (boolean biases : new boolean[] {true, false}) {
            try (CollabLearner learner = tinyLearner(train, Objective.bpr(), biases)) {
                ((DeviceEngine) LearnerInternals.step(learner)).fixNegatives(negatives);
                Tables t = Tables.of(learner, 3);
                Tables g = t.zero();
                int n = train.size();
                double loss = 0;
                for (int k = 0; k < n; k++) {
                    int u = train.user(k);
                    int i = train.item(k);
                    int j = (int) negatives[k];
                    double w = train.rating(k);
                    double x = t.score(u, i) - t.score(u, j);
                    loss += w * Math.log1p(Math.exp(-x)) / n;
                    double d = -w / (1 + Math.exp(x)) / n;
                    t.addPair(g, u, i, d);
                    t.addPair(g, u, j, -d);
                }
                float[] userBias = biases ? learner.getBlock().getUserTables().get(1).getArray().toFloatArray()
                        : null;
                List<EpochResult> rows = learner.fit(1, 0.3f);
                assertEquals(loss, rows.get(0).trainLoss(), 1e-5, "loss");
                assertUpdated(learner, t, g, 0.3, biases);
                if (biases) {
                    assertArrayEquals(userBias, learner.getBlock().getUserTables().get(1).getArray()
                            .toFloatArray(), 0f, "user bias untrained");
                }
            }
        }
    }

    @Test
    void oneSampledSoftmaxStepWithFixedNegativesEqualsTheGradientByHand() {
        Ratings train = tiny();
        // Three shared negatives with a repeat and with positives of the batch among them; popularity log-Q.
        long[] negatives = {1, 4, 1};
        Softmax objective = new Softmax(3, NegativeSampling.POPULARITY);
        try (CollabLearner learner = tinyLearner(train, objective, true)) {
            ((DeviceEngine) LearnerInternals.step(learner)).fixNegatives(negatives);
            Tables t = Tables.of(learner, 3);
            Tables g = t.zero();
            int n = train.size();
            int[] counts = new int[5];
            for (int k = 0; k < n; k++) {
                counts[train.item(k)]++;
            }
            double[] logQ = new double[5];
            for (int i = 0; i < 5; i++) {
                logQ[i] = Math.log((counts[i] + 1.0) / (n + 5)) + Math.log(negatives.length);
            }
            double loss = 0;
            for (int k = 0; k < n; k++) {
                int u = train.user(k);
                int i = train.item(k);
                double w = train.rating(k);
                double[] logits = new double[negatives.length + 1];
                logits[0] = t.score(u, i) - logQ[i];
                for (int m = 0; m < negatives.length; m++) {
                    int j = (int) negatives[m];
                    // Only the positive itself is masked on the device (not the user's other items).
                    logits[m + 1] = j == i ? Double.NEGATIVE_INFINITY : t.score(u, j) - logQ[j];
                }
                double max = java.util.Arrays.stream(logits).max().orElseThrow();
                double z = 0;
                for (double l : logits) {
                    z += Math.exp(l - max);
                }
                double logZ = max + Math.log(z);
                loss += w * (logZ - logits[0]) / n;
                t.addPair(g, u, i, w / n * (Math.exp(logits[0] - logZ) - 1));
                for (int m = 0; m < negatives.length; m++) {
                    t.addPair(g, u, (int) negatives[m], w / n * Math.exp(logits[m + 1] - logZ));
                }
            }
            List<EpochResult> rows = learner.fit(1, 0.3f);
            assertEquals(loss, rows.get(0).trainLoss(), 1e-5, "loss");
            assertUpdated(learner, t, g, 0.3, true);
        }
    }

    @Test
    void oneFullSoftmaxStepEqualsTheGradientByHand() {
        Ratings train = tiny();
        try (CollabLearner learner = tinyLearner(train, new Softmax(1000,
                NegativeSampling.POPULARITY), true)) {
            Tables t = Tables.of(learner, 3);
            Tables g = t.zero();
            int n = train.size();
            double loss = 0;
            for (int k = 0; k < n; k++) {
                int u = train.user(k);
                int i = train.item(k);
                double w = train.rating(k);
                // Every item once, the positive among them, no correction.
                double z = 0;
                for (int j = 0; j < 5; j++) {
                    z += Math.exp(t.score(u, j));
                }
                loss += w * (Math.log(z) - t.score(u, i)) / n;
                for (int j = 0; j < 5; j++) {
                    t.addPair(g, u, j, w / n * (Math.exp(t.score(u, j)) / z - (j == i ? 1 : 0)));
                }
            }
            List<EpochResult> rows = learner.fit(1, 0.3f);
            assertEquals(loss, rows.get(0).trainLoss(), 1e-5, "loss");
            assertUpdated(learner, t, g, 0.3, true);
        }
    }

    // ---------------------------------------------------------------- learning

    private static double[] train(Objective objective, StepKind kind) {
        try (CollabLearner learner = CollabLearner.builder().setData(clustered).optObjective(objective)
                .optModel(EmbeddingDotBias.builder().optFactors(8).optYRange(null))
                .optOptimizer(Adam.builder().optWeightDecay(0.01f).build()).optBatchSize(32)
                .optTrainingStep(StepChoice.of(kind)).optOutput(null).optSeed(11).build()) {
            List<EpochResult> rows = learner.fitOneCycle(15, 3e-2f);
            return new double[] {rows.get(0).trainLoss(), rows.get(rows.size() - 1).trainLoss(),
                rows.get(rows.size() - 1).validNdcg()};
        }
    }

    @Test
    void theDeviceStepLearnsAsWellAsTheHostStep() {
        for (Objective objective : List.of(Objective.bpr(), new Bpr(NegativeSampling.POPULARITY),
                new Softmax(16, NegativeSampling.POPULARITY),
                new Softmax(8, NegativeSampling.UNIFORM),
                // 256 negatives of 60 items: the full softmax.
                Objective.softmax())) {
            double[] device = train(objective, StepKind.DEVICE);
            double[] host = train(objective, StepKind.HOST);
            String what = objective + ": device (first loss, last loss, NDCG@10) " + java.util.Arrays.toString(device)
                    + ", host " + java.util.Arrays.toString(host) + ", popularity " + popularityNdcg;
            System.out.println(what);
            assertTrue(device[1] < device[0], "the loss falls, " + what);
            assertTrue(device[2] > popularityNdcg + 0.05, "far above popularity, " + what);
            // The stated margin: the device step's NDCG@10 within 0.06 of the host step's, which skips a user's
            // own items among the negatives (BPR uniform, the closest: 0.304 against 0.356).
            assertTrue(device[2] > host[2] - 0.06, "comparable to the host step, " + what);
        }
    }

    @Test
    void bestWeightsRestoreTheBestEpochAndTrainingGoesOn() {
        BestWeights best = BestWeights.keep();
        try (CollabLearner learner = CollabLearner.builder().setData(clustered).optObjective(Objective.bpr())
                .optModel(EmbeddingDotBias.builder().optFactors(8).optYRange(null))
                .optOptimizer(Adam.builder().optWeightDecay(0.01f).build()).optBatchSize(32)
                .optTrainingStep(StepChoice.DEVICE).addListeners(best).optOutput(null).optSeed(11).build()) {
            List<EpochResult> rows = learner.fitOneCycle(6, 3e-2f);
            double top = rows.stream().mapToDouble(EpochResult::validNdcg).max().orElseThrow();
            double now = LearnerInternals.probeNdcg(learner.getBlock(), clustered.train(), clustered.valid(), 10,
                    CollabLearnerBuilder.DEFAULT_RANKING_USERS, 11);
            assertEquals(top, now, 1e-9, "the best epoch's weights are back");
            List<EpochResult> more = learner.fit(1, 1e-3f);
            assertTrue(Double.isFinite(more.get(0).trainLoss()) && more.get(0).trainLoss() > 0, more.toString());
        }
    }

    // ---------------------------------------------------------------- planning and refusals

    @Test
    void thePlannerChoosesTheDeviceRankingStepOnAGpu() {
        CollabBlock block = EmbeddingDotBias.builder().optFactors(4).optYRange(null).setNumUsers(10).setNumItems(10)
                .build();
        for (Objective objective : List.of(Objective.bpr(), Objective.softmax())) {
            StepPlan gpu = StepPlanner.plan(new StepPlanner.Request(StepChoice.AUTO, Device.gpu(), block,
                    Adam.builder().build(), 64, 100, 20, objective));
            assertEquals(StepKind.DEVICE_RANKING, gpu.kind());
            assertTrue(gpu.reason().contains(objective.name()) && gpu.reason().contains("on the device"),
                    gpu.toString());
            assertEquals("device-ranking", gpu.name());
            StepPlan cpu = StepPlanner.plan(new StepPlanner.Request(StepChoice.AUTO, Device.cpu(), block,
                    Adam.builder().build(), 64, 100, 20, objective));
            assertEquals(StepKind.RANKING, cpu.kind());
            assertTrue(cpu.reason().contains("on the CPU"), cpu.toString());
            assertEquals(StepKind.RANKING, StepPlanner.plan(new StepPlanner.Request(StepChoice.HOST,
                    Device.gpu(), block, Adam.builder().build(), 64, 100, 20, objective)).kind());
        }
        try (CollabLearner learner = CollabLearner.builder().setTrainData(clustered.train())
                .optObjective(Objective.bpr()).optTrainingStep(StepChoice.DEVICE).optOutput(null).build()) {
            assertEquals(StepKind.DEVICE_RANKING, learner.getStepPlan().kind());
            assertTrue(learner.toString().contains("device-ranking"), learner.toString());
            learner.fitOneCycle(1, 1e-2f);
            assertEquals(learner.getStepPlan().toString(), learner.fittedModel().getProvenance().trainingStep());
        }
        for (StepKind kind : List.of(StepKind.DENSE, StepKind.TOUCHED)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CollabLearner.builder().setTrainData(clustered.train()).optObjective(Objective.bpr())
                            .optTrainingStep(StepChoice.of(kind)).optOutput(null).build());
            assertTrue(e.getMessage().contains("device or host"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> CollabLearner.builder().setTrainData(clustered.train())
                .optObjective(Objective.ials()).optTrainingStep(StepChoice.DEVICE).optOutput(null).build());
        assertThrows(IllegalArgumentException.class, () -> StepKind.parse("device-ranking"));
    }

    @Test
    void badInputIsRefusedAsWithTheHostStep() {
        Ratings train = clustered.train();
        IllegalArgumentException yRange = assertThrows(IllegalArgumentException.class,
                () -> CollabLearner.builder().setTrainData(train).optObjective(Objective.bpr())
                        .optModel(EmbeddingDotBias.builder()).optTrainingStep(StepChoice.DEVICE).optOutput(null)
                        .build());
        assertTrue(yRange.getMessage().contains("optYRange(null)"), yRange.getMessage());
        for (float bad : new float[] {0f, -1f}) {
            float[] values = train.ratingValues().clone();
            values[0] = bad;
            Ratings weights = Ratings.ofIndices(train.users(), train.items(), train.userIndices(),
                    train.itemIndices(), values);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CollabLearner.builder().setTrainData(weights).optObjective(Objective.softmax())
                            .optTrainingStep(StepChoice.DEVICE).optOutput(null).build());
            assertTrue(e.getMessage().contains("weight"), e.getMessage());
        }
    }
}
