package org.collab4j.train.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;

import org.collab4j.engine.Engines;
import org.junit.jupiter.api.Test;

/**
 * Adam on the lesson's one-parameter problem, loss = (w·x − y)², against the update written out by hand in
 * doubles.
 */
class AdamTest {

    private static final float X = 2f;
    private static final float Y = 30f;

    @Test
    void decoupledUpdateMatchesTheHandComputedSteps() {
        checkThreeSteps(true);
    }

    @Test
    void l2UpdateMatchesTheHandComputedSteps() {
        checkThreeSteps(false);
    }

    private static void checkThreeSteps(boolean decoupled) {
        float lr = 0.1f;
        float wd = 0.05f;
        float[] beta1s = {0.95f, 0.9f, 0.85f}; // a schedule moving β1 between steps
        Adam adam = Adam.builder().optWeightDecay(wd).optDecoupledWeightDecay(decoupled).build();
        double w = 1.5;
        double m = 0;
        double v = 0;
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            NDArray weight = manager.create(new float[] {(float) w});
            weight.setRequiresGradient(true);
            for (int t = 1; t <= 3; t++) {
                double beta1 = beta1s[t - 1];
                adam.setLearningRate(lr);
                adam.setMomentum(beta1s[t - 1]);
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    collector.backward(weight.mul(X).sub(Y).square());
                }
                adam.update("w", weight, weight.getGradient());

                double g = 2 * (w * X - Y) * X;
                if (decoupled) {
                    w -= lr * wd * w;
                } else {
                    g += wd * w;
                }
                m = beta1 * m + (1 - beta1) * g;
                v = 0.99 * v + 0.01 * g * g;
                double step = lr * Math.sqrt(1 - Math.pow(0.99, t)) / (1 - Math.pow(beta1, t));
                w -= step * m / (Math.sqrt(v) + 1e-5);
                assertEquals(w, weight.getFloat(), 1e-5, "step " + t);
            }
        }
    }

    @Test
    void rejectsOutOfRangeSettings() {
        assertThrows(IllegalArgumentException.class, () -> Adam.builder().optLearningRate(-1f).build());
        assertThrows(IllegalArgumentException.class, () -> Adam.builder().optBeta2(1f).build());
        assertThrows(IllegalArgumentException.class, () -> Adam.builder().optWeightDecay(Float.NaN).build());
        Adam adam = Adam.builder().build();
        assertThrows(IllegalArgumentException.class, () -> adam.setMomentum(1f));
    }
}
