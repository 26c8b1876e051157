package org.collab4j.train.optimizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;

import org.collab4j.engine.Engines;
import org.junit.jupiter.api.Test;

/**
 * The lesson's spreadsheet: fit y = a·x + b (true a = 2, b = 30) by gradient descent on the mean squared error,
 * each optimizer against its update rule written out by hand in doubles, three steps from a = b = 1.
 */
class LineFitTest {

    private static final double[] X = {1, 2, 3, 4};
    private static final double[] Y = {32, 34, 36, 38};

    /** Gradient of mean((a·x + b − y)²) with respect to (a, b). */
    private static double[] gradient(double a, double b) {
        double ga = 0;
        double gb = 0;
        for (int k = 0; k < X.length; k++) {
            double err = a * X[k] + b - Y[k];
            ga += 2 * err * X[k] / X.length;
            gb += 2 * err / X.length;
        }
        return new double[] {ga, gb};
    }

    /** Runs three steps of the optimizer on (a, b) and returns their values after each step. */
    private static double[][] run(CollabOptimizer optimizer, float lr) {
        double[][] result = new double[3][];
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            NDArray a = manager.create(new float[] {1f});
            NDArray b = manager.create(new float[] {1f});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            NDArray x = manager.create(new float[] {1, 2, 3, 4});
            NDArray y = manager.create(new float[] {32, 34, 36, 38});
            optimizer.setLearningRate(lr);
            for (int t = 0; t < 3; t++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                        collector.backward(a.mul(x).add(b).sub(y).square().mean());
                    }
                    optimizer.update("a", a, a.getGradient());
                    optimizer.update("b", b, b.getGradient());
                }
                result[t] = new double[] {a.getFloat(), b.getFloat()};
            }
        }
        return result;
    }

    private static void assertSteps(double[][] expected, double[][] actual) {
        for (int t = 0; t < 3; t++) {
            assertEquals(expected[t][0], actual[t][0], 1e-4 * Math.max(1, Math.abs(expected[t][0])), "a, step " + (t + 1));
            assertEquals(expected[t][1], actual[t][1], 1e-4 * Math.max(1, Math.abs(expected[t][1])), "b, step " + (t + 1));
        }
    }

    @Test
    void plainSgd() {
        double[] w = {1, 1};
        double[][] expected = new double[3][];
        for (int t = 0; t < 3; t++) {
            double[] g = gradient(w[0], w[1]);
            w = new double[] {w[0] - 0.01 * g[0], w[1] - 0.01 * g[1]};
            expected[t] = w;
        }
        assertSteps(expected, run(Sgd.builder().optMomentum(0f).build(), 0.01f));
    }

    @Test
    void sgdWithMomentumAndL2WeightDecay() {
        double mom = 0.9;
        double wd = 0.1;
        double[] w = {1, 1};
        double[] v = {0, 0};
        double[][] expected = new double[3][];
        for (int t = 0; t < 3; t++) {
            double[] g = gradient(w[0], w[1]);
            for (int k = 0; k < 2; k++) {
                v[k] = mom * v[k] + g[k] + wd * w[k];
            }
            w = new double[] {w[0] - 0.01 * v[0], w[1] - 0.01 * v[1]};
            expected[t] = w;
        }
        assertSteps(expected, run(Sgd.builder().optMomentum(0.9f).optWeightDecay(0.1f)
                .optDecoupledWeightDecay(false).build(), 0.01f));
    }

    @Test
    void sgdWithDecoupledWeightDecayAndClipping() {
        double wd = 0.5;
        double clip = 3;
        double[] w = {1, 1};
        double[][] expected = new double[3][];
        for (int t = 0; t < 3; t++) {
            double[] g = gradient(w[0], w[1]);
            double[] next = new double[2];
            for (int k = 0; k < 2; k++) {
                double gk = Math.max(-clip, Math.min(clip, g[k]));
                next[k] = w[k] * (1 - 0.01 * wd) - 0.01 * gk;
            }
            w = next;
            expected[t] = w;
        }
        assertSteps(expected, run(Sgd.builder().optMomentum(0f).optWeightDecay(0.5f).optClipGradient(3f).build(),
                0.01f));
    }

    @Test
    void rmsProp() {
        double alpha = 0.99;
        double eps = 1e-8;
        double[] w = {1, 1};
        double[] s = {0, 0};
        double[][] expected = new double[3][];
        for (int t = 0; t < 3; t++) {
            double[] g = gradient(w[0], w[1]);
            double[] next = new double[2];
            for (int k = 0; k < 2; k++) {
                s[k] = alpha * s[k] + (1 - alpha) * g[k] * g[k];
                next[k] = w[k] - 0.1 * g[k] / (Math.sqrt(s[k]) + eps);
            }
            w = next;
            expected[t] = w;
        }
        assertSteps(expected, run(RmsProp.builder().build(), 0.1f));
    }

    @Test
    void rmsPropWithMomentum() {
        double alpha = 0.9;
        double eps = 1e-8;
        double mom = 0.8;
        double[] w = {1, 1};
        double[] s = {0, 0};
        double[] v = {0, 0};
        double[][] expected = new double[3][];
        for (int t = 0; t < 3; t++) {
            double[] g = gradient(w[0], w[1]);
            double[] next = new double[2];
            for (int k = 0; k < 2; k++) {
                s[k] = alpha * s[k] + (1 - alpha) * g[k] * g[k];
                v[k] = mom * v[k] + g[k] / (Math.sqrt(s[k]) + eps);
                next[k] = w[k] - 0.1 * v[k];
            }
            w = next;
            expected[t] = w;
        }
        assertSteps(expected, run(RmsProp.builder().optAlpha(0.9f).optMomentum(0.8f).build(), 0.1f));
    }

    @Test
    void adam() {
        double b1 = 0.9;
        double b2 = 0.99;
        double eps = 1e-5;
        double[] w = {1, 1};
        double[] m = {0, 0};
        double[] v = {0, 0};
        double[][] expected = new double[3][];
        for (int t = 1; t <= 3; t++) {
            double[] g = gradient(w[0], w[1]);
            double[] next = new double[2];
            for (int k = 0; k < 2; k++) {
                m[k] = b1 * m[k] + (1 - b1) * g[k];
                v[k] = b2 * v[k] + (1 - b2) * g[k] * g[k];
                double step = 0.5 * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
                next[k] = w[k] - step * m[k] / (Math.sqrt(v[k]) + eps);
            }
            w = next;
            expected[t - 1] = w;
        }
        assertSteps(expected, run(Adam.builder().build(), 0.5f));
    }

    @Test
    void resetStateForgetsMomentum() {
        Sgd sgd = Sgd.builder().optMomentum(0.9f).build();
        double[][] first = run(sgd, 0.01f);
        sgd.resetState();
        double[][] again = run(sgd, 0.01f);
        assertSteps(first, again);
    }
}
