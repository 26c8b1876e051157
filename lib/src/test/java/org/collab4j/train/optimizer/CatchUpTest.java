package org.collab4j.train.optimizer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Touched-row host updates that catch rows up on the steps they missed, against dense host updates of the same
 * weights with a zero gradient for the rows a step did not touch: after {@link CollabOptimizer#catchUpHostRows}
 * the two tables must agree, whatever the gaps, the schedule of learning rate and momentum, and the log's restarts.
 */
class CatchUpTest {

    private static final int ROWS = 40;
    private static final int COLUMNS = 3;

    /**
     * Runs {@code steps} steps with a varying learning rate and momentum, each touching a random few rows (some rows
     * every step, some almost never), once dense and once touched-row; returns the largest difference of the final
     * weights relative to the largest weight, and the same for a lazy update (no catch-up) as a yardstick.
     */
    private static double[] run(Supplier<CollabOptimizer> make, int steps, int logSteps) {
        Random random = new Random(11);
        float[] dense = new float[ROWS * COLUMNS];
        for (int k = 0; k < dense.length; k++) {
            dense[k] = (float) random.nextGaussian();
        }
        float[] touched = dense.clone();
        float[] lazy = dense.clone();
        CollabOptimizer denseOptimizer = make.get();
        CollabOptimizer touchedOptimizer = make.get();
        CollabOptimizer lazyOptimizer = make.get();
        float[] fullGrad = new float[dense.length];
        int[] rows = new int[ROWS];
        float[] rowGrad = new float[ROWS * COLUMNS];
        for (int t = 0; t < steps; t++) {
            float lr = (float) (0.01 + 0.04 * Math.sin(Math.PI * t / steps));
            float momentum = (float) (0.95 - 0.1 * Math.sin(Math.PI * t / steps));
            for (CollabOptimizer o : new CollabOptimizer[] {denseOptimizer, touchedOptimizer, lazyOptimizer}) {
                o.setLearningRate(lr);
                o.setMomentum(momentum);
            }
            Arrays.fill(fullGrad, 0f);
            int count = 0;
            for (int r = 0; r < ROWS; r++) {
                // Row r is touched with probability 1/(r+1): row 0 always, row 39 once in about 40 steps.
                if (random.nextInt(r + 1) == 0) {
                    rows[count] = r;
                    for (int c = 0; c < COLUMNS; c++) {
                        float g = (float) (random.nextGaussian() * 0.3);
                        rowGrad[count * COLUMNS + c] = g;
                        fullGrad[r * COLUMNS + c] = g;
                    }
                    count++;
                }
            }
            denseOptimizer.updateHost("w", dense, fullGrad);
            touchedOptimizer.updateHostRows("w", touched, COLUMNS, rows, count, rowGrad, null, logSteps);
            lazyOptimizer.updateHostRows("w", lazy, COLUMNS, rows, count, rowGrad, null, 0);
        }
        touchedOptimizer.catchUpHostRows("w", touched, COLUMNS);
        double scale = 0;
        for (float v : dense) {
            scale = Math.max(scale, Math.abs(v));
        }
        return new double[] {maxDifference(dense, touched) / scale, maxDifference(dense, lazy) / scale};
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int k = 0; k < a.length; k++) {
            max = Math.max(max, Math.abs(a[k] - b[k]));
        }
        return max;
    }

    private static void assertCatchesUp(Supplier<CollabOptimizer> make, double tolerance) {
        for (int logSteps : new int[] {CollabOptimizer.CATCH_UP_STEPS, 50}) {
            double[] differences = run(make, 600, logSteps);
            assertTrue(differences[0] < tolerance, make.get() + ", log of " + logSteps + " steps: touched rows differ"
                    + " from dense by " + differences[0] + " of the largest weight");
            // Without the catch-up the difference must be large, or the test proves nothing.
            assertTrue(differences[1] > 100 * tolerance, make.get() + ": lazy updates differ by only "
                    + differences[1]);
        }
    }

    @Test
    void sgdWithMomentumAndDecayCatchesUpExactly() {
        assertCatchesUp(() -> Sgd.builder().optMomentum(0.9f).optWeightDecay(0.1f).build(), 1e-5);
    }

    @Test
    void sgdWithoutMomentumCatchesUpItsDecay() {
        assertCatchesUp(() -> Sgd.builder().optWeightDecay(0.5f).build(), 1e-5);
    }

    @Test
    void rmsPropWithMomentumCatchesUpExactly() {
        assertCatchesUp(() -> RmsProp.builder().optMomentum(0.9f).optWeightDecay(0.1f).build(), 1e-5);
    }

    @Test
    void adamWithATinyEpsilonCatchesUpExactly() {
        assertCatchesUp(() -> Adam.builder().optWeightDecay(0.1f).optEpsilon(1e-12f).build(), 1e-5);
    }

    @Test
    void adamWithItsDefaultEpsilonCatchesUpClosely() {
        // Gradients here are about 0.3, so √v stays far above ε = 1e-5 while the first moment matters.
        assertCatchesUp(() -> Adam.builder().optWeightDecay(0.1f).build(), 1e-4);
    }
}
