package org.collab4j.train.step;

import static org.collab4j.train.BlockParameters.get;
import static org.collab4j.train.BlockParameters.set;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.tracker.Tracker;

import org.collab4j.train.CollabLearner;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.train.EpochResult;
import org.collab4j.train.LearnerInternals;
import org.collab4j.train.LrFinder;
import org.collab4j.train.SyntheticRatings;
import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.model.ParameterGroup;
import org.collab4j.model.YRange;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.optimizer.RmsProp;
import org.collab4j.train.optimizer.Sgd;
import org.collab4j.train.objective.Objective;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The plain-Java training step of the dot models against the DJL step: from one seed, with the same batches, both
 * must end with the same weights, for every optimizer and setting, in dense and touched-row mode.
 */
class HostStepTest {

    /**
     * Absolute tolerance on weights after three epochs. The two steps differ only in rounding (PyTorch's vectorised
     * sums and fused multiply-adds against Java's left-to-right float arithmetic), about 1e-7 per step.
     */
    private static final float TOLERANCE = 1e-5f;
    /**
     * Tolerance of touched rows caught up against dense updates: Adam's catch-up leaves ε out of the steps a row
     * missed ({@link CollabOptimizer#updateHostRows}).
     */
    private static final float CATCH_UP_TOLERANCE = 1e-4f;

    private static Ratings ratings;

    @BeforeAll
    static void data() {
        // 30 × 20 at 40 %: about 240 ratings, batches of 16, so most rows are missing from most batches and the
        // lazy (touched-row) and dense updates really differ.
        ratings = SyntheticRatings.generate(30, 20, 3, 0.4, 7);
    }

    private static List<float[]> train(boolean host, boolean sparse, Supplier<CollabOptimizer> optimizer,
            CollabBlock.BaseBuilder<?> model, Consumer<CollabLearnerBuilder> extra) {
        CollabLearnerBuilder builder = CollabLearner.builder().setTrainData(ratings).optModel(model)
                .optOptimizer(optimizer.get()).optBatchSize(16)
                .optTrainingStep((host ? StepChoice.HOST : StepChoice.DJL).touchedRows(sparse))
                .optOutput(null).optSeed(3);
        extra.accept(builder);
        try (CollabLearner learner = builder.build()) {
            assertEquals(host, learner.usesHostStep());
            learner.fitOneCycle(3, 1e-2f);
            List<float[]> weights = new ArrayList<>();
            for (var pair : learner.getBlock().getParameters()) {
                weights.add(pair.getValue().getArray().toFloatArray());
            }
            return weights;
        }
    }

    /**
     * The host step's dense updates against the DJL dense step; its touched rows, which catch up on the steps they
     * missed, against the DJL dense step too when the optimizer catches up ({@link
     * CollabOptimizer#catchesUpHostRows()}), else (L2 decay) against the DJL touched-row step, which is lazy.
     */
    private static void assertSameAsDjl(Supplier<CollabOptimizer> optimizer, CollabBlock.BaseBuilder<?> model,
            Consumer<CollabLearnerBuilder> extra) {
        boolean catchesUp = optimizer.get().catchesUpHostRows();
        List<float[]> djlDense = train(false, false, optimizer, model, extra);
        List<float[]> djlLazy = train(false, true, optimizer, model, extra);
        List<float[]> hostDense = train(true, false, optimizer, model, extra);
        List<float[]> hostTouched = train(true, true, optimizer, model, extra);
        float touchedTolerance = catchesUp && optimizer.get() instanceof Adam ? CATCH_UP_TOLERANCE : TOLERANCE;
        boolean modesDiffer = false;
        for (int k = 0; k < djlDense.size(); k++) {
            assertArrayEquals(djlDense.get(k), hostDense.get(k), TOLERANCE,
                    optimizer.get() + ", dense, parameter " + k);
            assertArrayEquals((catchesUp ? djlDense : djlLazy).get(k), hostTouched.get(k), touchedTolerance,
                    optimizer.get() + ", touched rows, parameter " + k);
            modesDiffer |= maxDifference(djlDense.get(k), djlLazy.get(k)) > 10 * touchedTolerance;
        }
        // Guards against a test that passes because nothing moved or every mode ran the same code.
        assertTrue(modesDiffer, "dense and lazy touched-row updates should differ on this data");
    }

    private static float maxDifference(float[] a, float[] b) {
        float max = 0;
        for (int k = 0; k < a.length; k++) {
            max = Math.max(max, Math.abs(a[k] - b[k]));
        }
        return max;
    }

    private static void assertSameAsDjl(Supplier<CollabOptimizer> optimizer, CollabBlock.BaseBuilder<?> model) {
        assertSameAsDjl(optimizer, model, b -> { });
    }

    @Test
    void adamWMatchesTheDjlStep() {
        assertSameAsDjl(() -> Adam.builder().optWeightDecay(0.1f).build(), EmbeddingDotBias.builder().optFactors(4));
    }

    @Test
    void adamWithL2AndClippingMatchesTheDjlStep() {
        // The biases out of the decay (the default since issue 26): with L2 decay the host's touched rows are all
        // lazy, the biases' too, as DJL's touched-row step; and with the biases decayed.
        assertSameAsDjl(() -> Adam.builder().optWeightDecay(0.05f).optDecoupledWeightDecay(false)
                .optClipGradient(0.01f).build(), EmbeddingDotBias.builder().optFactors(4), b -> b.optDecayBiases(false));
        assertSameAsDjl(() -> Adam.builder().optWeightDecay(0.05f).optDecoupledWeightDecay(false)
                .optClipGradient(0.01f).build(), EmbeddingDotBias.builder().optFactors(4), b -> b.optDecayBiases(true));
    }

    @Test
    void sgdWithMomentumMatchesTheDjlStep() {
        assertSameAsDjl(() -> Sgd.builder().optWeightDecay(0.05f).build(), EmbeddingDot.builder().optFactors(4));
    }

    @Test
    void rmsPropWithMomentumMatchesTheDjlStep() {
        // ε above rounding noise, as in SparseUpdatesTest: at 1e-8 a gradient that is 0 up to rounding in one step
        // and exactly 0 in the other becomes a full step in one of them.
        assertSameAsDjl(() -> RmsProp.builder().optMomentum(0.5f).optEpsilon(1e-4f).optWeightDecay(0.01f).build(),
                EmbeddingDotBias.builder().optFactors(4));
    }

    @Test
    void learningRateMultipliersAndBiasExclusionMatchTheDjlStep() {
        assertSameAsDjl(() -> Adam.builder().optWeightDecay(0.2f).build(), EmbeddingDotBias.builder().optFactors(4),
                b -> b.optGroupLearningRate(ParameterGroup.BIASES, 3f)
                        .optGroupLearningRate(ParameterGroup.EMBEDDINGS, 0.5f).optDecayBiases(false));
    }

    @Test
    void embeddingDotWithoutYRangeMatchesTheDjlStep() {
        assertSameAsDjl(() -> Adam.builder().optWeightDecay(0.1f).build(),
                EmbeddingDot.builder().optFactors(4).optYRange(null));
    }



    @Test
    void oneStepOfABareDotByHand() {
        // u0·i0 = (1, 2)·(1, 1) = 3 against 1; u1·i0 = (0.5, 0)·(1, 1) = 0.5 against 2. Loss (4 + 2.25) / 2.
        // ∂loss/∂pred = 2·err/2 = (2, -1.5): ∂U0 = 2·(1, 1), ∂U1 = -1.5·(1, 1), ∂I0 = 2·(1, 2) - 1.5·(0.5, 0).
        Ratings two = Ratings.builder().add("u0", "i0", 1f).add("u1", "i0", 2f).build();
        try (CollabLearner learner = CollabLearner.builder().setTrainData(two)
                .optModel(EmbeddingDot.builder().optFactors(2).optYRange(null))
                .optOptimizer(Sgd.builder().optMomentum(0f).build()).optBatchSize(2).optOutput(null).build()) {
            assertTrue(learner.usesHostStep());
            set(learner, "userFactors", 1f, 2f, 0.5f, 0f);
            set(learner, "itemFactors", 1f, 1f);
            List<EpochResult> rows = learner.fit(1, 0.1f);
            assertEquals(3.125, rows.get(0).trainLoss(), 1e-6);
            assertArrayEquals(new float[] {0.8f, 1.8f, 0.65f, 0.15f}, get(learner, "userFactors"), 1e-6f);
            assertArrayEquals(new float[] {0.875f, 0.6f}, get(learner, "itemFactors"), 1e-6f);
        }
    }

    @Test
    void oneStepThroughTheYRangeByHand() {
        // All weights 0: sigmoid(0) = 0.5, prediction 0.5·5.5 = 2.75 against 3.75, error -1; slope
        // 0.5·0.5·5.5 = 1.375; ∂loss/∂x = 2·(-1)·1.375 = -2.75 for both biases (factors, all 0, get gradient 0).
        Ratings one = Ratings.builder().add("u0", "i0", 3.75f).build();
        try (CollabLearner learner = CollabLearner.builder().setTrainData(one)
                .optModel(EmbeddingDotBias.builder().optFactors(2).optYRange(YRange.MOVIELENS))
                .optOptimizer(Sgd.builder().optMomentum(0f).build()).optBatchSize(1).optOutput(null).build()) {
            for (String name : new String[] {"userFactors", "itemFactors"}) {
                set(learner, name, 0f, 0f);
            }
            set(learner, "userBias", 0f);
            set(learner, "itemBias", 0f);
            List<EpochResult> rows = learner.fit(1, 0.1f);
            assertEquals(1.0, rows.get(0).trainLoss(), 1e-6);
            assertArrayEquals(new float[] {0.275f}, get(learner, "userBias"), 1e-6f);
            assertArrayEquals(new float[] {0.275f}, get(learner, "itemBias"), 1e-6f);
            assertArrayEquals(new float[] {0f, 0f}, get(learner, "userFactors"), 0f);
        }
    }

    /** A CollabOptimizer written before host updates existed: plain SGD through NDArrays only. */
    private static final class NdArrayOnlySgd extends CollabOptimizer {
        NdArrayOnlySgd() {
            super(new Builder());
        }

        @Override
        protected boolean step(String parameterId, int t, NDArray weight, NDArray grad, float lr) {
            weight.subi(grad.mul(lr));
            return false;
        }

        static final class Builder extends BaseBuilder<Builder> {
            @Override
            protected Builder self() {
                return this;
            }
        }
    }

    private static CollabLearnerBuilder small() {
        return CollabLearner.builder().setTrainData(ratings).optOutput(null);
    }

    @Test
    void hostStepIsTheDefaultForDotModelsOnTheCpuAndCanBeTurnedOff() {
        try (CollabLearner learner = small().build()) {
            assertTrue(learner.usesHostStep());
        }
        try (CollabLearner learner = small().optModel(EmbeddingDot.builder()).build()) {
            assertTrue(learner.usesHostStep());
        }
        try (CollabLearner learner = small().optTrainingStep(StepChoice.DJL).build()) {
            assertFalse(learner.usesHostStep());
        }
        try (CollabLearner learner = small().optModel(EmbeddingNet.builder()).build()) {
            assertFalse(learner.usesHostStep());
        }
        try (CollabLearner learner = small().optOptimizer(new NdArrayOnlySgd()).build()) {
            assertFalse(learner.usesHostStep());
            learner.fit(1, 1e-2f); // and the DJL step still trains with it
        }
    }

    @Test
    void hostStepChoosesTouchedRowsWhenABatchTouchesFewerRowsThanTheTablesHold() {
        int rows = ratings.users().size() + ratings.items().size();
        int largest = (rows - 1) / 2;
        try (CollabLearner learner = small().optBatchSize(largest).build()) {
            assertTrue(learner.usesSparseUpdates(), "2·" + largest + " of " + rows + " rows");
            assertTrue(learner.getStepPlan().reason().contains("caught up"), learner.getStepPlan().reason());
        }
        try (CollabLearner learner = small().optBatchSize(largest + 1).build()) {
            assertFalse(learner.usesSparseUpdates(), "2·" + (largest + 1) + " of " + rows + " rows");
        }
        // L2 decay cannot be caught up: touched rows are lazy, chosen only when a batch covers a small share.
        int smallBatch = (int) (StepPlanner.SPARSE_AUTO_SHARE * rows / 2);
        Supplier<CollabOptimizer> l2 = () -> Adam.builder().optWeightDecay(0.1f).optDecoupledWeightDecay(false)
                .build();
        try (CollabLearner learner = small().optOptimizer(l2.get()).optBatchSize(smallBatch).build()) {
            assertTrue(learner.usesSparseUpdates(), "2·" + smallBatch + " of " + rows + " rows");
            assertTrue(learner.getStepPlan().reason().contains("lazy"), learner.getStepPlan().reason());
        }
        try (CollabLearner learner = small().optOptimizer(l2.get()).optBatchSize(smallBatch + 1).build()) {
            assertFalse(learner.usesSparseUpdates(), "2·" + (smallBatch + 1) + " of " + rows + " rows");
        }
        // The DJL step keeps its row-count rule: dense below SPARSE_AUTO_ROWS whatever the batch.
        try (CollabLearner learner = small().optBatchSize(smallBatch).optTrainingStep(StepChoice.DJL).build()) {
            assertFalse(learner.usesSparseUpdates());
        }
    }

    @Test
    void forcingTheHostStepWhereItCannotRunSaysWhy() {
        IllegalArgumentException model = assertThrows(IllegalArgumentException.class,
                () -> small().optModel(EmbeddingNet.builder()).optTrainingStep(StepChoice.HOST).build());
        assertTrue(model.getMessage().contains("EmbeddingNet"), model.getMessage());
        IllegalArgumentException optimizer = assertThrows(IllegalArgumentException.class,
                () -> small().optOptimizer(new NdArrayOnlySgd()).optTrainingStep(StepChoice.HOST).build());
        assertTrue(optimizer.getMessage().contains("no host update"), optimizer.getMessage());
    }

    @Test
    void lrFinderRestoresTheWeightsWithTheHostStep() {
        try (CollabLearner learner = small().optTrainingStep(StepChoice.AUTO.touchedRows(true)).build()) {
            assertTrue(learner.usesHostStep());
            learner.fit(1, 1e-2f);
            List<float[]> before = new ArrayList<>();
            for (Parameter p : learner.getBlock().getUserTables()) {
                before.add(p.getArray().toFloatArray());
            }
            LrFinder.Result found = LrFinder.builder().optSteps(40).build().find(learner);
            assertTrue(found.points().size() > 10);
            for (int k = 0; k < before.size(); k++) {
                assertArrayEquals(before.get(k), learner.getBlock().getUserTables().get(k).getArray().toFloatArray());
            }
            // The next fit starts from the restored weights, not from the host copies the finder left behind: at
            // learning rate 0 an epoch must leave them exactly as they are.
            learner.fit(1, Tracker.fixed(0f), null);
            for (int k = 0; k < before.size(); k++) {
                assertArrayEquals(before.get(k), learner.getBlock().getUserTables().get(k).getArray().toFloatArray());
            }
        }
    }

    /**
     * Splitting the optimizer update over threads changes nothing: bit for bit the same weights with 1 and 3
     * threads, for tables large enough to be split (about 2,000 distinct users × 32 factors in a batch, well over
     * the 32,768 values below which an update stays on one thread), dense and touched-row, with clipping and L2
     * decay, which go through per-thread scratch arrays.
     */
    @Test
    void theUpdateGivesTheSameWeightsOnAnyNumberOfThreads() {
        Ratings big = SyntheticRatings.generate(3000, 1000, 4, 0.003, 5);
        for (boolean sparse : new boolean[] {false, true}) {
            List<List<float[]>> runs = new ArrayList<>();
            for (int threads : new int[] {1, 3}) {
                CollabLearnerBuilder builder = CollabLearner.builder().setTrainData(big)
                        .optModel(EmbeddingDotBias.builder().optFactors(32))
                        .optOptimizer(Adam.builder().optWeightDecay(0.01f).optDecoupledWeightDecay(false)
                                .optClipGradient(0.05f).build())
                        .optBatchSize(4096).optTrainingStep(StepChoice.AUTO.touchedRows(sparse))
                        .optHostThreads(threads).optOutput(null);
                try (CollabLearner learner = builder.build()) {
                    assertTrue(learner.usesHostStep());
                    learner.fitOneCycle(2, 1e-2f);
                    List<float[]> weights = new ArrayList<>();
                    for (var pair : learner.getBlock().getParameters()) {
                        weights.add(pair.getValue().getArray().toFloatArray());
                    }
                    runs.add(weights);
                }
            }
            for (int k = 0; k < runs.get(0).size(); k++) {
                assertArrayEquals(runs.get(0).get(k), runs.get(1).get(k), (sparse ? "touched rows" : "dense")
                        + ", parameter " + k);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> CollabLearner.builder().optHostThreads(0));
    }

    /**
     * Splitting a batch's catch-up, scores and gradient sums over threads changes nothing either: with AdamW (its
     * touched rows catch up on the steps they missed) the same weights bit for bit on 1, 2 and 3 threads, for the
     * rating objective at the default batch of 64 (about 3,000 values per piece, above the team's grain of 1,024)
     * and at 2,048, and for BPR, WARP and the sampled softmax, whose negatives are drawn on the calling thread.
     */
    @Test
    void theBatchsWorkGivesTheSameWeightsOnAnyNumberOfThreads() {
        Ratings big = SyntheticRatings.generate(1500, 500, 4, 0.01, 5);
        record Setting(String name, Objective objective, int batchSize) {}
        List<Setting> settings = List.of(new Setting("mse, batch 64", Objective.mse(), 64),
                new Setting("mse, batch 2048", Objective.mse(), 2048),
                new Setting("bpr", Objective.bpr(), 256), new Setting("warp", Objective.warp(), 256),
                new Setting("softmax", Objective.softmax(), 256));
        for (Setting setting : settings) {
            List<List<float[]>> runs = new ArrayList<>();
            for (int threads : new int[] {1, 2, 3}) {
                CollabLearnerBuilder builder = CollabLearner.builder().setTrainData(big)
                        .optObjective(setting.objective())
                        .optModel(EmbeddingDotBias.builder().optFactors(48)
                                .optYRange(setting.objective().isRanking() ? null : new YRange(0f, 5.5f)))
                        .optOptimizer(Adam.builder().optWeightDecay(0.1f).build())
                        .optBatchSize(setting.batchSize())
                        .optTrainingStep(setting.objective().isRanking() ? StepChoice.HOST
                                : StepChoice.HOST.touchedRows(true))
                        .optHostThreads(threads).optOutput(null).optSeed(9);
                try (CollabLearner learner = builder.build()) {
                    assertTrue(LearnerInternals.step(learner) instanceof HostEngine, setting.name() + ": " + learner);
                    learner.fitOneCycle(2, 1e-2f);
                    List<float[]> weights = new ArrayList<>();
                    for (var pair : learner.getBlock().getParameters()) {
                        weights.add(pair.getValue().getArray().toFloatArray());
                    }
                    runs.add(weights);
                }
            }
            for (int run = 1; run < runs.size(); run++) {
                for (int k = 0; k < runs.get(0).size(); k++) {
                    assertArrayEquals(runs.get(0).get(k), runs.get(run).get(k), setting.name() + ", "
                            + (run + 1) + " threads, parameter " + k);
                }
            }
        }
    }
}
