package org.collab4j.train.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.train.CollabLearner;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.train.EpochResult;
import org.collab4j.train.SyntheticRatings;
import org.collab4j.train.TrainingDivergedException;
import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.model.ParameterGroup;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.optimizer.RmsProp;
import org.collab4j.train.optimizer.Sgd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The device step against the DJL dense step on the CPU engine: from one seed, with the same batches, both must
 * end with the same weights and report the same losses, for every optimizer and setting.
 */
class DeviceStepTest {

    /** Same arithmetic in the same op order: at most 1e-6 apart (the bound). */
    private static final float TOLERANCE = 1e-6f;

    private static Ratings ratings;

    @BeforeAll
    static void data() {
        // About 240 ratings in batches of 16 with a partial last batch (dropped), 15 batches an epoch.
        ratings = SyntheticRatings.generate(30, 20, 3, 0.4, 7);
    }

    private record Run(List<float[]> weights, List<EpochResult> history) {}

    private static Run train(StepKind kind, Supplier<CollabOptimizer> optimizer, CollabBlock.BaseBuilder<?> model,
            Consumer<CollabLearnerBuilder> extra) {
        CollabLearnerBuilder builder = CollabLearner.builder().setTrainData(ratings).optModel(model)
                .optOptimizer(optimizer.get()).optBatchSize(16).optTrainingStep(StepChoice.of(kind)).optOutput(null)
                .optSeed(3);
        extra.accept(builder);
        try (CollabLearner learner = builder.build()) {
            assertEquals(kind, learner.getStepPlan().kind());
            learner.fitOneCycle(2, 1e-2f);
            learner.fit(1, 3e-3f);
            List<float[]> weights = new ArrayList<>();
            for (var pair : learner.getBlock().getParameters()) {
                weights.add(pair.getValue().getArray().toFloatArray());
            }
            return new Run(weights, learner.history());
        }
    }

    private static void assertSameAsDense(Supplier<CollabOptimizer> optimizer, CollabBlock.BaseBuilder<?> model,
            Consumer<CollabLearnerBuilder> extra) {
        Run dense = train(StepKind.DENSE, optimizer, model, extra);
        Run device = train(StepKind.DEVICE, optimizer, model, extra);
        for (int k = 0; k < dense.weights().size(); k++) {
            assertArrayEquals(dense.weights().get(k), device.weights().get(k), TOLERANCE,
                    optimizer.get() + ", parameter " + k);
        }
        for (int e = 0; e < dense.history().size(); e++) {
            assertEquals(dense.history().get(e).trainLoss(), device.history().get(e).trainLoss(), 1e-7,
                    "smoothed loss of epoch " + (e + 1));
        }
        // Guards against a comparison of two runs where nothing moved.
        assertNotEquals(dense.history().get(0).trainLoss(), dense.history().get(2).trainLoss(), "training moved");
    }

    private static void assertSameAsDense(Supplier<CollabOptimizer> optimizer, CollabBlock.BaseBuilder<?> model) {
        assertSameAsDense(optimizer, model, b -> { });
    }

    @Test
    void adamWMatchesTheDenseStep() {
        assertSameAsDense(() -> Adam.builder().optWeightDecay(0.1f).build(), EmbeddingDotBias.builder().optFactors(4));
    }

    @Test
    void adamWithL2AndClippingMatchesTheDenseStep() {
        assertSameAsDense(() -> Adam.builder().optWeightDecay(0.05f).optDecoupledWeightDecay(false)
                .optClipGradient(0.01f).build(), EmbeddingDotBias.builder().optFactors(4));
    }

    @Test
    void sgdWithAndWithoutMomentumMatchesTheDenseStep() {
        assertSameAsDense(() -> Sgd.builder().optWeightDecay(0.05f).build(), EmbeddingDot.builder().optFactors(4));
        assertSameAsDense(() -> Sgd.builder().optMomentum(0f).optClipGradient(0.02f).build(),
                EmbeddingDot.builder().optFactors(4).optYRange(null));
    }

    @Test
    void rmsPropWithMomentumMatchesTheDenseStep() {
        assertSameAsDense(() -> RmsProp.builder().optMomentum(0.5f).optEpsilon(1e-4f).optWeightDecay(0.01f).build(),
                EmbeddingDotBias.builder().optFactors(4));
        assertSameAsDense(() -> RmsProp.builder().optDecoupledWeightDecay(false).optWeightDecay(0.01f).build(),
                EmbeddingDot.builder().optFactors(4));
    }

    @Test
    void multipliersBiasExclusionAndEmbeddingNetMatchTheDenseStep() {
        assertSameAsDense(() -> Adam.builder().optWeightDecay(0.2f).build(), EmbeddingDotBias.builder().optFactors(4),
                b -> b.optGroupLearningRate(ParameterGroup.BIASES, 3f)
                        .optGroupLearningRate(ParameterGroup.EMBEDDINGS, 0.5f).optDecayBiases(false));
        assertSameAsDense(() -> Adam.builder().optWeightDecay(0.1f).build(),
                EmbeddingNet.builder().optFactors(4).optHidden(8).optEmbeddingDropout(0.1f), b -> b.optLossEvery(4));
    }

    /**
     * The device step's touched rows (rows repeated in a batch resolved on the device, no distinct rows) against
     * the DJL touched-row step (distinct rows found on the host): both lazy, so the same weights; and not the dense
     * step's, or the comparison would prove nothing.
     */
    private static void assertSameAsTouched(Supplier<CollabOptimizer> optimizer, CollabBlock.BaseBuilder<?> model) {
        Run touched = train(StepKind.TOUCHED, optimizer, model, b -> { });
        Run device = train(StepKind.DEVICE, optimizer, model,
                b -> b.optTrainingStep(StepChoice.DEVICE.touchedRows(true)));
        Run dense = train(StepKind.DEVICE, optimizer, model, b -> { });
        float denseDifference = 0;
        for (int k = 0; k < touched.weights().size(); k++) {
            assertArrayEquals(touched.weights().get(k), device.weights().get(k), 1e-5f,
                    optimizer.get() + ", parameter " + k);
            for (int j = 0; j < dense.weights().get(k).length; j++) {
                denseDifference = Math.max(denseDifference,
                        Math.abs(dense.weights().get(k)[j] - device.weights().get(k)[j]));
            }
        }
        assertTrue(denseDifference > 1e-4f, "touched rows should differ from dense updates: " + denseDifference);
    }

    @Test
    void touchedRowsOnTheDeviceMatchTheDjlTouchedRowStep() {
        assertSameAsTouched(() -> Adam.builder().optWeightDecay(0.1f).build(), EmbeddingDotBias.builder().optFactors(4));
        assertSameAsTouched(() -> Sgd.builder().optWeightDecay(0.05f).optClipGradient(0.05f).build(),
                EmbeddingDot.builder().optFactors(4));
        assertSameAsTouched(() -> RmsProp.builder().optMomentum(0.5f).optWeightDecay(0.01f).build(),
                EmbeddingDotBias.builder().optFactors(4));
        assertSameAsTouched(() -> Adam.builder().optWeightDecay(0.1f).build(),
                EmbeddingNet.builder().optFactors(4).optHidden(8));
    }

    @Test
    void theGuardRestoresTheEpochStartWeightsAtTheLossCadence() {
        try (CollabLearner learner = CollabLearner.builder().setTrainData(ratings).optBatchSize(16)
                .optTrainingStep(StepChoice.DEVICE).optOptimizer(Sgd.builder().build()).optOutput(null).build()) {
            learner.fit(1, 1e-2f);
            List<float[]> before = new ArrayList<>();
            for (var pair : learner.getBlock().getParameters()) {
                before.add(pair.getValue().getArray().toFloatArray());
            }
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                    () -> learner.fit(1, 1e30f));
            assertTrue(e.getMessage().contains("put back"), e.getMessage());
            for (int k = 0; k < before.size(); k++) {
                assertArrayEquals(before.get(k), learner.getBlock().getParameters().get(k).getValue().getArray()
                        .toFloatArray(), "parameter " + k);
            }
        }
    }

    @Test
    void theStepPlanIsShownAndCannotBeSetTwice() {
        try (CollabLearner learner = CollabLearner.builder().setTrainData(ratings)
                .optTrainingStep(StepChoice.DEVICE).optOutput(null).build()) {
            assertTrue(learner.toString().contains("step=device"), learner.toString());
        }
        // One knob: a step and updates that contradict each other cannot even be asked for.
        assertThrows(IllegalArgumentException.class, () -> StepChoice.TOUCHED.touchedRows(false));
        assertThrows(IllegalArgumentException.class, () -> StepChoice.DENSE.touchedRows(true));
        assertThrows(IllegalArgumentException.class, () -> CollabLearner.builder().optTrainingStep(null));
        try (CollabLearner learner = CollabLearner.builder().setTrainData(ratings)
                .optTrainingStep(StepChoice.DEVICE.touchedRows(true)).optOutput(null).build()) {
            assertTrue(learner.usesSparseUpdates());
            assertTrue(learner.getStepPlan().reason().contains("index work on the device"),
                    learner.getStepPlan().reason());
        }
        assertThrows(IllegalArgumentException.class, () -> StepKind.parse("fast"));
        assertEquals(StepKind.TOUCHED, StepKind.parse("touched"));
    }
}
