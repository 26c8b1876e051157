package org.collab4j.train.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.EpochResult;
import org.collab4j.train.LearnerInternals;
import org.collab4j.train.RankingObjectiveTest;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.Sgd;
import org.collab4j.train.step.DeviceEngine;
import org.collab4j.train.step.HostEngine;
import org.collab4j.train.step.StepChoice;
import org.collab4j.train.step.StepKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

/**
 * WARP: the rule by hand, one step of both engines against the gradient by hand with the same candidates, learning
 * on clustered data beyond popularity on both engines (the device engine forced on the CPU), and its registration.
 */
class WarpTest {

    private static final int ITEMS = 12;
    private static final int TRIALS = 3;
    private static final int FACTORS = 3;

    private static Split clustered;
    private static double popularityNdcg;

    @BeforeAll
    static void data() {
        clustered = RankingObjectiveTest.clusteredSplit();
        popularityNdcg = RankingObjectiveTest.popularityNdcg(clustered.train(), clustered.valid());
    }

    @Test
    void theRankWeightIsLightFmsLogOfTheRankEstimate() {
        // ⌊(12 − 1)/n⌋ = 11, 5, 3, 2 for n = 1..4; from n = 6 on the estimate is 1 and the weight 0.
        assertEquals(Math.log(11), Warp.rankWeight(1, ITEMS), 1e-12);
        assertEquals(Math.log(5), Warp.rankWeight(2, ITEMS), 1e-12);
        assertEquals(Math.log(3), Warp.rankWeight(3, ITEMS), 1e-12);
        assertEquals(0, Warp.rankWeight(6, ITEMS), 0);
        assertEquals(0, Warp.rankWeight(20, ITEMS), 0);
        Warp warp = new Warp(TRIALS);
        assertTrue(warp.accepts(1f, 0.5f), "within the margin");
        assertFalse(warp.accepts(1f, -0.5f), "beyond the margin");
        // Host form: a pair at draw 1 with weight 1 (log 11); one at draw 2 with weight 5 (5·log 5 = 8.05); one at
        // draw 1 with weight 5 (5·log 11 = 11.99, clipped to LightFM's 10); one without a violation (no term).
        float[] dPositive = new float[4];
        double loss = warp.hostLoss(new float[] {1f, 2f, 0f, 3f}, new float[] {0.5f, 1.5f, 0.25f, -9f},
                new int[] {1, 2, 1, 0}, new float[] {1f, 5f, 5f, 1f}, 4, ITEMS, dPositive);
        double w0 = Math.log(11);
        double w1 = 5 * Math.log(5);
        double w2 = 10;
        assertEquals((w0 * 0.5 + w1 * 0.5 + w2 * 1.25) / 4, loss, 1e-9);
        assertArrayEquals(new float[] {(float) (-w0 / 4), (float) (-w1 / 4), (float) (-w2 / 4), 0f}, dPositive,
                1e-7f);
        assertThrows(IllegalArgumentException.class, () -> new Warp(0));
    }

    /** 4 users, 12 items, 8 positives with weights (one heavy enough for LightFM's clip). */
    private static Ratings tiny() {
        Ratings.Builder ids = Ratings.builder();
        for (int u = 0; u < 4; u++) {
            ids.add("u" + u, "i0", 1f);
        }
        for (int i = 1; i < ITEMS; i++) {
            ids.add("u0", "i" + i, 1f);
        }
        Ratings names = ids.build();
        return Ratings.ofIndices(names.users(), names.items(), new int[] {0, 0, 1, 1, 2, 2, 3, 3},
                new int[] {0, 1, 2, 3, 4, 5, 6, 7}, new float[] {1f, 2f, 1f, 0.5f, 5f, 1f, 3f, 1f});
    }

    private static CollabLearner tinyLearner(Ratings train, StepChoice step) {
        CollabLearner learner = CollabLearner.builder().setTrainData(train).optObjective(new Warp(TRIALS))
                .optModel(EmbeddingDotBias.builder().optFactors(FACTORS).optYRange(null))
                .optOptimizer(Sgd.builder().optMomentum(0f).build()).optBatchSize(train.size())
                .optTrainingStep(step).optDivergenceGuard(false).optOutput(null).optSeed(5).build();
        Random random = new Random(23);
        for (var pair : learner.getBlock().getParameters()) {
            float[] v = pair.getValue().getArray().toFloatArray();
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) (0.8 * random.nextGaussian());
            }
            pair.getValue().getArray().set(v);
        }
        return learner;
    }

    private static float[] table(CollabLearner learner, boolean user, int index) {
        CollabBlock block = learner.getBlock();
        return (user ? block.getUserTables() : block.getItemTables()).get(index).getArray().toFloatArray();
    }

    @Test
    void oneStepOfEitherEngineEqualsTheGradientByHand() {
        Ratings train = tiny();
        int n = train.size();
        Random random = new Random(4);
        long[] candidates = new long[n * TRIALS];
        for (int k = 0; k < candidates.length; k++) {
            candidates[k] = random.nextInt(ITEMS);
        }
        float lr = 0.2f;
        for (StepChoice step : List.of(StepChoice.HOST, StepChoice.DEVICE)) {
            try (CollabLearner learner = tinyLearner(train, step)) {
                assertEquals(step == StepChoice.HOST ? StepKind.RANKING : StepKind.DEVICE_RANKING,
                        learner.getStepPlan().kind());
                if (LearnerInternals.step(learner) instanceof HostEngine host) {
                    host.fixNegatives(candidates);
                } else {
                    ((DeviceEngine) LearnerInternals.step(learner)).fixNegatives(candidates);
                }
                float[] uf = table(learner, true, 0);
                float[] ub = table(learner, true, 1);
                float[] itf = table(learner, false, 0);
                float[] ib = table(learner, false, 1);
                double[] gu = new double[uf.length];
                double[] gi = new double[itf.length];
                double[] gb = new double[ib.length];
                double loss = 0;
                int[] trialsSeen = new int[TRIALS + 1];
                for (int k = 0; k < n; k++) {
                    int u = train.user(k);
                    int i = train.item(k);
                    double sPos = score(uf, itf, ib, u, i);
                    int chosen = -1;
                    int trial = 0;
                    for (int t = 1; t <= TRIALS; t++) {
                        int j = (int) candidates[k * TRIALS + t - 1];
                        if (score(uf, itf, ib, u, j) > sPos - 1) {
                            chosen = j;
                            trial = t;
                            break;
                        }
                    }
                    trialsSeen[trial]++;
                    if (trial == 0) {
                        continue;
                    }
                    double weight = Math.min(10, train.rating(k) * Math.log(Math.floor((ITEMS - 1.0) / trial)));
                    loss += weight * (1 - sPos + score(uf, itf, ib, u, chosen)) / n;
                    addPair(gu, gi, gb, uf, itf, u, i, -weight / n);
                    addPair(gu, gi, gb, uf, itf, u, chosen, weight / n);
                }
                // Guards against a case that proves little: no violation, a first-draw violation and a later one.
                assertTrue(trialsSeen[0] > 0 && trialsSeen[1] > 0 && trialsSeen[2] + trialsSeen[3] > 0,
                        java.util.Arrays.toString(trialsSeen));
                List<EpochResult> rows = learner.fit(1, lr);
                String what = step + " engine";
                assertEquals(loss, rows.get(0).trainLoss(), 1e-5, what + ", loss");
                assertArrayEquals(minus(uf, gu, lr), table(learner, true, 0), 1e-5f, what + ", user factors");
                assertArrayEquals(minus(itf, gi, lr), table(learner, false, 0), 1e-5f, what + ", item factors");
                assertArrayEquals(minus(ib, gb, lr), table(learner, false, 1), 1e-5f, what + ", item biases");
                assertArrayEquals(ub, table(learner, true, 1), 0f, what + ", the user bias is not trained");
            }
        }
    }

    private static double score(float[] uf, float[] itf, float[] ib, int u, int i) {
        double s = ib[i];
        for (int c = 0; c < FACTORS; c++) {
            s += (double) uf[u * FACTORS + c] * itf[i * FACTORS + c];
        }
        return s;
    }

    private static void addPair(double[] gu, double[] gi, double[] gb, float[] uf, float[] itf, int u, int i,
            double d) {
        for (int c = 0; c < FACTORS; c++) {
            gu[u * FACTORS + c] += d * itf[i * FACTORS + c];
            gi[i * FACTORS + c] += d * uf[u * FACTORS + c];
        }
        gb[i] += d;
    }

    private static float[] minus(float[] w, double[] g, float lr) {
        float[] out = new float[w.length];
        for (int k = 0; k < w.length; k++) {
            out[k] = (float) (w[k] - lr * g[k]);
        }
        return out;
    }

    @Test
    void itLearnsTheGroupsBeyondPopularityOnBothEngines() {
        for (StepChoice step : List.of(StepChoice.HOST, StepChoice.DEVICE)) {
            try (CollabLearner learner = CollabLearner.builder().setData(clustered).optObjective(Objective.warp())
                    .optModel(EmbeddingDotBias.builder().optFactors(8).optYRange(null))
                    .optOptimizer(Adam.builder().optWeightDecay(0.01f).build()).optBatchSize(32)
                    .optTrainingStep(step).optOutput(null).optSeed(11).build()) {
                List<EpochResult> rows = learner.fitOneCycle(15, 3e-2f);
                double ndcg = rows.get(rows.size() - 1).validNdcg();
                String what = step + ": first loss " + rows.get(0).trainLoss() + ", last "
                        + rows.get(rows.size() - 1).trainLoss() + ", NDCG@10 " + ndcg + ", popularity "
                        + popularityNdcg;
                System.out.println("WARP " + what);
                assertTrue(rows.get(rows.size() - 1).trainLoss() < rows.get(0).trainLoss(), what);
                assertTrue(ndcg > popularityNdcg + 0.05, what);
            }
        }
    }

    @Test
    void warpIsRegisteredByName() {
        assertEquals(Objective.warp(), Objective.parse("WARP"));
        assertEquals(new Warp(Warp.DEFAULT_MAX_TRIALS), Objectives.parse("warp"));
        assertTrue(Objectives.names().contains("warp") && Objectives.rankingNames().contains("warp"),
                Objectives.names().toString());
        assertTrue(Objective.warp().isRanking());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Objective.parse("lambdarank"));
        assertTrue(unknown.getMessage().contains("warp"), unknown.getMessage());
    }
}
