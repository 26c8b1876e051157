package org.collab4j.train.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;

import org.collab4j.train.CollabLearner;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.optimizer.RmsProp;
import org.collab4j.train.optimizer.Sgd;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Touched-row updates against dense updates. With one batch holding every (user, item) pair, every row is
 * touched at every step, so the two must give the same weights for every optimizer and weight-decay mode.
 */
class SparseUpdatesTest {

    /** All 5 × 4 pairs: every user and item in every full batch. */
    private static Ratings grid() {
        Ratings.Builder builder = Ratings.builder();
        for (int u = 0; u < 5; u++) {
            for (int i = 0; i < 4; i++) {
                builder.add("u" + u, "i" + i, 1 + (u * 7 + i * 3) % 9 * 0.5f);
            }
        }
        return builder.build();
    }

    private static List<float[]> train(boolean sparse, Supplier<CollabOptimizer> optimizer,
            CollabBlock.BaseBuilder<?> model, int batchSize) {
        return train(sparse, optimizer, model, batchSize, null);
    }

    private static List<float[]> train(boolean sparse, Supplier<CollabOptimizer> optimizer,
            CollabBlock.BaseBuilder<?> model, int batchSize, Boolean hostStep) {
        Ratings ratings = grid();
        CollabLearnerBuilder builder = CollabLearner.builder().setTrainData(ratings).optModel(model)
                .optOptimizer(optimizer.get()).optBatchSize(batchSize).optOutput(null)
                .optTrainingStep((hostStep == null ? StepChoice.AUTO : hostStep ? StepChoice.HOST : StepChoice.DJL)
                        .touchedRows(sparse));
        try (CollabLearner learner = builder.build()) {
            if (batchSize >= ratings.size()) {
                learner.fitOneCycle(4, 3e-2f);
            } else {
                learner.fit(4, 3e-2f); // one-cycle would schedule momentum into plain SGD
            }
            List<float[]> weights = new ArrayList<>();
            for (var pair : learner.getBlock().getParameters()) {
                Parameter p = pair.getValue();
                weights.add(p.getArray().toFloatArray());
            }
            return weights;
        }
    }

    private static void assertSame(Supplier<CollabOptimizer> optimizer, CollabBlock.BaseBuilder<?> model) {
        List<float[]> dense = train(false, optimizer, model, 20);
        List<float[]> sparse = train(true, optimizer, model, 20);
        assertEquals(dense.size(), sparse.size());
        for (int k = 0; k < dense.size(); k++) {
            assertArrayEquals(dense.get(k), sparse.get(k), 2e-5f, optimizer.get() + ", parameter " + k);
        }
    }

    @Test
    void adamWithDecoupledAndL2WeightDecayAndClipping() {
        assertSame(() -> Adam.builder().optWeightDecay(0.1f).build(), EmbeddingDotBias.builder().optFactors(3));
        assertSame(() -> Adam.builder().optWeightDecay(0.1f).optDecoupledWeightDecay(false).optClipGradient(0.01f)
                .build(), EmbeddingDotBias.builder().optFactors(3));
    }

    @Test
    void sgdAndRmsPropWithMomentum() {
        assertSame(() -> Sgd.builder().optWeightDecay(0.05f).optDecoupledWeightDecay(false).build(),
                EmbeddingDot.builder().optFactors(3));
        // ε well above rounding noise: the two paths sum a row's gradient in different orders, and with
        // PyTorch's ε of 1e-8 a gradient that is 0 up to rounding becomes a full ±lr step in either direction
        // (seen once in about ten runs of the suite).
        assertSame(() -> RmsProp.builder().optMomentum(0.5f).optWeightDecay(0.05f).optEpsilon(1e-4f).build(),
                EmbeddingDotBias.builder().optFactors(2));
    }

    @Test
    void embeddingNetUpdatesItsLayersDenselyAndItsTablesByRow() {
        assertSame(() -> Adam.builder().optWeightDecay(0.1f).build(),
                EmbeddingNet.builder().optFactors(3).optHidden(4));
    }

    @Test
    void plainSgdIsEqualEvenWhenBatchesMissRows() {
        // Without momentum and weight decay an untouched row has a zero gradient and would not move anyway.
        Supplier<CollabOptimizer> sgd = () -> Sgd.builder().optMomentum(0f).build();
        List<float[]> dense = train(false, sgd, EmbeddingDotBias.builder().optFactors(3), 3);
        List<float[]> sparse = train(true, sgd, EmbeddingDotBias.builder().optFactors(3), 3);
        for (int k = 0; k < dense.size(); k++) {
            assertArrayEquals(dense.get(k), sparse.get(k), 1e-5f, "parameter " + k);
        }
    }

    private static float maxDifference(List<float[]> a, List<float[]> b) {
        float max = 0;
        for (int k = 0; k < a.size(); k++) {
            for (int j = 0; j < a.get(k).length; j++) {
                max = Math.max(max, Math.abs(a.get(k)[j] - b.get(k)[j]));
            }
        }
        return max;
    }

    @Test
    void lazyAdamOfTheDjlStepLeavesUntouchedRowsAlone() {
        // Batches of 3 miss most rows: dense Adam keeps moving them by momentum and decay, the lazy update not.
        Supplier<CollabOptimizer> adam = () -> Adam.builder().optWeightDecay(0.1f).build();
        List<float[]> dense = train(false, adam, EmbeddingDotBias.builder().optFactors(3), 3, false);
        List<float[]> sparse = train(true, adam, EmbeddingDotBias.builder().optFactors(3), 3, false);
        float maxDiff = maxDifference(dense, sparse);
        assertTrue(maxDiff > 1e-4f, "expected the lazy update to differ, max difference " + maxDiff);
    }

    @Test
    void touchedRowsOfTheHostStepCatchUpToDenseAdam() {
        // The same batches of 3: the host step's touched rows catch up on the steps they missed.
        Supplier<CollabOptimizer> adam = () -> Adam.builder().optWeightDecay(0.1f).build();
        List<float[]> dense = train(false, adam, EmbeddingDotBias.builder().optFactors(3), 3, true);
        List<float[]> sparse = train(true, adam, EmbeddingDotBias.builder().optFactors(3), 3, true);
        List<float[]> lazy = train(true, adam, EmbeddingDotBias.builder().optFactors(3), 3, false);
        float maxDiff = maxDifference(dense, sparse);
        assertTrue(maxDiff < 1e-4f, "touched rows should catch up to dense, max difference " + maxDiff);
        assertTrue(maxDifference(dense, lazy) > 10 * maxDiff, "the lazy update should differ far more");
    }
}
