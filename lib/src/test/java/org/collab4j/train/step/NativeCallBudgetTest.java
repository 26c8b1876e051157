package org.collab4j.train.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.train.CollabLearner;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.train.LearnerInternals;
import org.collab4j.train.SyntheticRatings;
import org.collab4j.agent.NativeCalls;
import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.optimizer.RmsProp;
import org.collab4j.train.optimizer.Sgd;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.Bpr;
import org.collab4j.train.objective.Softmax;
import org.collab4j.train.objective.NegativeSampling;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

/**
 * Counts the native calls of training steps with the test-scoped agent ({@link NativeCalls}, Surefire runs every
 * test with {@code -javaagent}): a steady-state step of the device step must make no call that copies between host
 * and device, and at most {@value #BUDGET} native calls.
 */
class NativeCallBudgetTest {

    /**
     * The budget for a steady-state device step, EmbeddingDotBias with AdamW: native calls that do work,
     * that is all but {@code torchDeleteTensor}, which frees the handle of one of the step's temporaries.
     */
    static final int BUDGET = 45;
    /** The budget with the frees counted: the 36 working calls of that step free 20 temporaries (56 in all). */
    static final int BUDGET_WITH_FREES = 60;

    /**
     * The device step with touched rows, EmbeddingDotBias with AdamW: 124 working calls (per table a gather, the
     * gradient gather, two state gathers and three index-puts of 4 calls each; per side the slots' put and get).
     */
    static final int TOUCHED_BUDGET = 130;

    private static Ratings ratings;

    @BeforeAll
    static void data() {
        assertTrue(NativeCalls.installed(), "run with -javaagent:lib/target/native-call-counter/"
                + "native-call-counter-agent.jar (Surefire does: see lib/pom.xml)");
        ratings = SyntheticRatings.generate(60, 40, 3, 0.3, 11);
    }

    /** Trains one warm-up epoch, then counts the steps of a one-cycle fit of two epochs. */
    private static List<NativeCalls.Step> steadySteps(StepKind kind, CollabOptimizer optimizer,
            CollabBlock.BaseBuilder<?> model) {
        return steadySteps(kind, optimizer, model, false);
    }

    private static List<NativeCalls.Step> steadySteps(StepKind kind, CollabOptimizer optimizer,
            CollabBlock.BaseBuilder<?> model, boolean touchedRows) {
        CollabLearnerBuilder builder = CollabLearner.builder().setTrainData(ratings).optModel(model)
                .optOptimizer(optimizer).optBatchSize(32).optOutput(null)
                .optTrainingStep(touchedRows ? StepChoice.of(kind).touchedRows(true) : StepChoice.of(kind));
        try (CollabLearner learner = builder.build()) {
            learner.fit(1, 1e-3f);
            NativeCalls.reset();
            learner.fitOneCycle(2, 5e-3f);
            List<NativeCalls.Step> steps = NativeCalls.steps();
            assertEquals(2 * (ratings.size() / 32), steps.size(),
                    "one record per batch");
            return steps;
        }
    }

    private static void assertNoSyncWithinBudget(List<NativeCalls.Step> steps, int budget, String what) {
        assertNoSyncWithinBudget(steps, budget, 2 * budget, what);
    }

    private static void assertNoSyncWithinBudget(List<NativeCalls.Step> steps, int budget, int withFrees,
            String what) {
        for (int k = 0; k < steps.size(); k++) {
            NativeCalls.Step s = steps.get(k);
            assertEquals(0, s.syncs(), what + ", step " + k + " synchronises: " + s.byName());
            long work = s.calls() - s.byName().getOrDefault("torchDeleteTensor", 0);
            assertTrue(work <= budget, what + ", step " + k + ": " + work + " native calls besides frees, over "
                    + budget + ": " + s.byName());
            assertTrue(s.calls() <= withFrees, what + ", step " + k + ": " + s.calls()
                    + " native calls with frees, over " + withFrees + ": " + s.byName());
        }
    }

    @Test
    void theDeviceStepMakesNoSynchronisingCallAndStaysWithinBudget() {
        List<NativeCalls.Step> steps = steadySteps(StepKind.DEVICE, Adam.builder().optWeightDecay(0.1f).build(),
                EmbeddingDotBias.builder().optFactors(8));
        assertNoSyncWithinBudget(steps, BUDGET, BUDGET_WITH_FREES, "AdamW, EmbeddingDotBias");
        System.out.println("device step, EmbeddingDotBias + AdamW: " + steps.get(steps.size() - 1).calls()
                + " native calls per step, 0 synchronising: " + steps.get(steps.size() - 1).byName());
    }

    @Test
    void everyOptimizerSettingOfTheDeviceStepAvoidsHostCopies() {
        // Budgets a little above the counts: each setting adds its own scalar operations.
        assertNoSyncWithinBudget(steadySteps(StepKind.DEVICE, Adam.builder().optWeightDecay(0.05f)
                .optDecoupledWeightDecay(false).optClipGradient(0.1f).build(),
                EmbeddingDotBias.builder().optFactors(8)), 50, "Adam L2 + clip");
        assertNoSyncWithinBudget(steadySteps(StepKind.DEVICE, Sgd.builder().optWeightDecay(0.01f).build(),
                EmbeddingDot.builder().optFactors(8)), 45, "SGD with momentum");
        assertNoSyncWithinBudget(steadySteps(StepKind.DEVICE, RmsProp.builder().optMomentum(0.5f).build(),
                EmbeddingDotBias.builder().optFactors(8)), 80, "RMSProp with momentum");
        assertNoSyncWithinBudget(steadySteps(StepKind.DEVICE, Adam.builder().optWeightDecay(0.1f).build(),
                EmbeddingNet.builder().optFactors(8).optHidden(8)), 90, "EmbeddingNet");
    }

    /** The ranking steps' budget, EmbeddingDotBias + AdamW: working calls, frees not counted. */
    static final int RANKING_BUDGET = 45;

    /** One warm-up epoch of a ranking objective, then the steps of a one-cycle fit of two epochs. */
    private static List<NativeCalls.Step> steadyRankingSteps(StepKind kind, Objective objective) {
        try (CollabLearner learner = CollabLearner.builder().setTrainData(ratings).optObjective(objective)
                .optModel(EmbeddingDotBias.builder().optFactors(8).optYRange(null))
                .optOptimizer(Adam.builder().optWeightDecay(0.1f).build()).optBatchSize(32)
                .optTrainingStep(StepChoice.of(kind))
                .optOutput(null).build()) {
            assertEquals(kind == StepKind.DEVICE ? StepKind.DEVICE_RANKING : StepKind.RANKING,
                    learner.getStepPlan().kind());
            learner.fitOneCycle(1, 1e-3f);
            NativeCalls.reset();
            learner.fitOneCycle(2, 5e-3f);
            List<NativeCalls.Step> steps = NativeCalls.steps();
            assertEquals(2 * (ratings.size() / 32), steps.size(), "one record per batch");
            if (LearnerInternals.step(learner) instanceof DeviceEngine device) {
                assertEquals(0, device.scalarMisses(), "every scalar prepared");
            }
            return steps;
        }
    }

    @Test
    void theDeviceRankingStepDrawsItsNegativesWithoutAHostCopy() {
        for (Objective objective : List.of(Objective.bpr(), new Bpr(NegativeSampling.POPULARITY),
                new Softmax(16, NegativeSampling.POPULARITY),
                new Softmax(16, NegativeSampling.UNIFORM), new Softmax(1000,
                        NegativeSampling.UNIFORM), Objective.warp())) {
            List<NativeCalls.Step> steps = steadyRankingSteps(StepKind.DEVICE, objective);
            assertNoSyncWithinBudget(steps, RANKING_BUDGET, objective.toString());
            NativeCalls.Step last = steps.get(steps.size() - 1);
            System.out.println("device ranking step, " + objective + ", EmbeddingDotBias + AdamW: "
                    + (last.calls() - last.byName().getOrDefault("torchDeleteTensor", 0)) + " working native"
                    + " calls per step (" + last.calls() + " with frees), 0 synchronising: " + last.byName());
        }
    }

    @Test
    void theHostRankingStepMakesNoNativeCallPerStep() {
        // The counter sees the ranking steps too: the host ranking step works on host copies between epochs.
        for (Objective objective : List.of(Objective.bpr(), Objective.warp())) {
            for (NativeCalls.Step s : steadyRankingSteps(StepKind.HOST, objective)) {
                assertEquals(0, s.calls(), objective + ": " + s.byName());
            }
        }
    }

    @Test
    void theDeviceStepsTouchedRowsMakeNoSynchronisingCall() {
        // No distinct rows (a unique would synchronise): repeats resolved by an index-put and a gather.
        List<NativeCalls.Step> steps = steadySteps(StepKind.DEVICE, Adam.builder().optWeightDecay(0.1f).build(),
                EmbeddingDotBias.builder().optFactors(8), true);
        assertNoSyncWithinBudget(steps, TOUCHED_BUDGET, "touched rows on the device, AdamW, EmbeddingDotBias");
        System.out.println("device step with touched rows, EmbeddingDotBias + AdamW: "
                + steps.get(steps.size() - 1).calls() + " native calls per step, 0 synchronising: "
                + steps.get(steps.size() - 1).byName());
    }

    /**
     * The device engine with item side features (EmbeddingDotBias, AdamW): per step the batch's combined rows and
     * biases (gathers, a multiply and a sum per lookup) and the dense update of four parts in place of the item
     * tables: still no host-device copy, and at most {@value #FEATURES_EXTRA} working calls more than the step
     * without features.
     */
    static final int FEATURES_EXTRA = 30;

    @Test
    void theDeviceStepWithSideFeaturesMakesNoSynchronisingCall() {
        // Items i0 .. i39, two categorical features each (of 6), one item without any.
        List<String> ids = new java.util.ArrayList<>();
        int[] offsets = new int[41];
        int[] columns = new int[78];
        float[] values = new float[78];
        for (int i = 0, e = 0; i < 40; i++) {
            ids.add("i" + i);
            if (i > 0) {
                columns[e] = i % 3;
                values[e++] = 1f;
                columns[e] = 3 + i % 3;
                values[e++] = 1f;
            }
            offsets[i + 1] = e;
        }
        org.collab4j.data.FeatureTable items = org.collab4j.data.FeatureTable.of(org.collab4j.data.IdMap.of(ids),
                List.of("a", "b", "c", "d", "e", "f"), org.collab4j.kernel.FeatureMatrix.of(offsets, columns, values,
                        6), "items");
        for (Objective objective : List.of(Objective.mse(), Objective.bpr(), new Softmax(16,
                NegativeSampling.POPULARITY))) {
            try (CollabLearner learner = CollabLearner.builder().setTrainData(ratings).optObjective(objective)
                    .optModel(EmbeddingDotBias.builder().optFactors(8)
                            .optYRange(objective.isRanking() ? null : org.collab4j.model.YRange.MOVIELENS))
                    .optOptimizer(Adam.builder().optWeightDecay(0.1f).build()).optBatchSize(32)
                    .optItemFeatures(items).optTrainingStep(StepChoice.DEVICE).optOutput(null).build()) {
                learner.fitOneCycle(1, 1e-3f);
                NativeCalls.reset();
                learner.fitOneCycle(2, 5e-3f);
                List<NativeCalls.Step> steps = NativeCalls.steps();
                assertEquals(2 * (ratings.size() / 32), steps.size(), "one record per batch");
                assertEquals(0, ((DeviceEngine) LearnerInternals.step(learner)).scalarMisses(), "every scalar"
                        + " prepared");
                int budget = (objective.isRanking() ? RANKING_BUDGET : BUDGET) + FEATURES_EXTRA;
                assertNoSyncWithinBudget(steps, budget, "item features, " + objective);
                NativeCalls.Step last = steps.get(steps.size() - 1);
                System.out.println("device step with item features, " + objective + ", EmbeddingDotBias + AdamW: "
                        + (last.calls() - last.byName().getOrDefault("torchDeleteTensor", 0)) + " working native"
                        + " calls per step (" + last.calls() + " with frees), 0 synchronising: " + last.byName());
            }
        }
    }

    @Test
    void theCounterSeesTheDenseStepsCopies() {
        // The counter can fail: the DJL dense step reads its loss and makes its scalars from Java numbers.
        List<NativeCalls.Step> steps = steadySteps(StepKind.DENSE, Adam.builder().optWeightDecay(0.1f).build(),
                EmbeddingDotBias.builder().optFactors(8));
        NativeCalls.Step last = steps.get(steps.size() - 1);
        assertFalse(last.syncs() == 0, "the dense step synchronises: " + last.byName());
        assertTrue(last.byName().containsKey("torchFromBlob"), last.byName().toString());
        System.out.println("dense step, EmbeddingDotBias + AdamW: " + last.calls() + " native calls per step, "
                + last.syncs() + " synchronising: " + last.byName());
    }
}
