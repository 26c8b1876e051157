package org.collab4j.train.als;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The iALS solver against a straightforward conjugate gradient in double over explicit {@code k × k} matrices, on
 * data whose rows take every path of the solver: no interactions, a few (one dot product each), many (copied
 * factor-major) and more than one chunk of them; and the same factors for any thread count.
 */
class ImplicitAlsSolverTest {

    private static final int USERS = 200;
    private static final int ITEMS = 3000;
    /** Not a multiple of four: the solver's four-at-a-time loops have a remainder. */
    private static final int K = 10;
    private static final float ALPHA0 = 0.2f;
    private static final float LAMBDA = 0.01f;
    private static final int STEPS = 3;

    /** user, item, confidence per interaction; user 0 has 2,100 items (three chunks), the last user none. */
    private record Data(int[] user, int[] item, float[] confidence, float[] target) {}

    private static Data data() {
        Random random = new Random(11);
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < 2100; i++) {
            pairs.add(new int[] {0, i});
        }
        for (int u = 1; u < USERS - 1; u++) {
            // Items 0..19 have every one of these users (long item rows); the rest a few each.
            java.util.Set<Integer> items = new java.util.TreeSet<>();
            for (int i = 0; i < 20; i++) {
                items.add(i);
            }
            int extra = random.nextInt(u % 3 == 0 ? 40 : 4);
            while (items.size() < 20 + extra) {
                items.add(20 + random.nextInt(ITEMS - 20));
            }
            if (u % 5 == 0) {
                items.removeIf(i -> i < 20); // rows of fewer than 16 interactions
                items.add(20 + u);
            }
            for (int i : items) {
                pairs.add(new int[] {u, i});
            }
        }
        int n = pairs.size();
        Data d = new Data(new int[n], new int[n], new float[n], new float[n]);
        for (int e = 0; e < n; e++) {
            d.user[e] = pairs.get(e)[0];
            d.item[e] = pairs.get(e)[1];
            d.confidence[e] = 0.5f + 2.5f * random.nextFloat();
            d.target[e] = 1f;
        }
        return d;
    }

    private static float[] gaussian(int n, Random random) {
        float[] t = new float[n];
        for (int j = 0; j < n; j++) {
            t[j] = (float) random.nextGaussian() * 0.3f;
        }
        return t;
    }

    @Test
    void aSweepIsConjugateGradientOnEachRowsSystem() {
        Data d = data();
        Random init = new Random(2);
        float[] x = gaussian(USERS * K, init);
        float[] y = gaussian(ITEMS * K, init);
        double[] rx = toDouble(x);
        double[] ry = toDouble(y);
        ImplicitAlsSolver solver = new ImplicitAlsSolver(USERS, ITEMS, d.user, d.item, d.confidence, d.target, K,
                ALPHA0, LAMBDA, STEPS, 1);
        for (int sweep = 0; sweep < 2; sweep++) {
            solver.sweep(x, y);
            referenceHalfSweep(rx, ry, USERS, ITEMS, d.user, d.item, d);
            referenceHalfSweep(ry, rx, ITEMS, USERS, d.item, d.user, d);
            assertClose(rx, x, "users after sweep " + (sweep + 1));
            assertClose(ry, y, "items after sweep " + (sweep + 1));
        }
        solver.close();
        for (int c = 0; c < K; c++) {
            assertEquals(0f, x[(USERS - 1) * K + c], "a user without interactions");
        }
    }

    private static void assertClose(double[] expected, float[] actual, String what) {
        double largest = 0;
        double worst = 0;
        for (int j = 0; j < expected.length; j++) {
            largest = Math.max(largest, Math.abs(expected[j]));
            worst = Math.max(worst, Math.abs(expected[j] - actual[j]));
        }
        assertTrue(largest > 0.01, what + ": the test needs factors that are not all 0");
        assertTrue(worst <= 1e-5 * Math.max(1, largest), what + ": off by " + worst + " (largest " + largest + ")");
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            d[j] = a[j];
        }
        return d;
    }

    /**
     * Solves every row of {@code solve} with {@code fixed} fixed: {@code STEPS} steps of plain conjugate gradient
     * from the current row on {@code (α0·FᵀF + Σ c·f·fᵀ + λ·(n + α0·|F|)·I) x = Σ c·t·f}, everything in double.
     */
    private static void referenceHalfSweep(double[] solve, double[] fixed, int rows, int fixedRows, int[] rowOf,
            int[] colOf, Data d) {
        double[][] g = new double[K][K];
        for (int f = 0; f < fixedRows; f++) {
            for (int a = 0; a < K; a++) {
                for (int b = 0; b < K; b++) {
                    g[a][b] += fixed[f * K + a] * fixed[f * K + b];
                }
            }
        }
        for (int row = 0; row < rows; row++) {
            double[][] m = new double[K][K];
            double[] rhs = new double[K];
            int n = 0;
            for (int e = 0; e < rowOf.length; e++) {
                if (rowOf[e] != row) {
                    continue;
                }
                n++;
                int fo = colOf[e] * K;
                for (int a = 0; a < K; a++) {
                    rhs[a] += d.confidence[e] * d.target[e] * fixed[fo + a];
                    for (int b = 0; b < K; b++) {
                        m[a][b] += d.confidence[e] * fixed[fo + a] * fixed[fo + b];
                    }
                }
            }
            if (n == 0) {
                java.util.Arrays.fill(solve, row * K, row * K + K, 0);
                continue;
            }
            for (int a = 0; a < K; a++) {
                for (int b = 0; b < K; b++) {
                    m[a][b] += ALPHA0 * g[a][b];
                }
                m[a][a] += LAMBDA * (n + ALPHA0 * fixedRows);
            }
            double[] x = java.util.Arrays.copyOfRange(solve, row * K, row * K + K);
            double[] r = rhs.clone();
            double[] mx = times(m, x);
            for (int a = 0; a < K; a++) {
                r[a] -= mx[a];
            }
            double[] p = r.clone();
            double rr = dot(r, r);
            for (int step = 0; step < STEPS && rr > 1e-20; step++) {
                double[] mp = times(m, p);
                double alpha = rr / dot(p, mp);
                for (int a = 0; a < K; a++) {
                    x[a] += alpha * p[a];
                    r[a] -= alpha * mp[a];
                }
                double next = dot(r, r);
                for (int a = 0; a < K; a++) {
                    p[a] = r[a] + next / rr * p[a];
                }
                rr = next;
            }
            System.arraycopy(x, 0, solve, row * K, K);
        }
    }

    private static double[] times(double[][] m, double[] v) {
        double[] out = new double[K];
        for (int a = 0; a < K; a++) {
            out[a] = dot(m[a], v);
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    /**
     * Adding each pass's fixed rows from the row-major copy instead of the table (issue 28) adds the same values in
     * the same order: the same factors and objective bit for bit as {@link FirstLayoutAlsSolver}, with the long
     * rows kept and copied again at each step.
     */
    @Test
    void theSameFactorsBitForBitAsTheFirstLayout() {
        Data d = data();
        for (int heldChunks : new int[] {1, ImplicitAlsSolver.DEFAULT_HELD_CHUNKS}) {
            Random init = new Random(5);
            float[] x = gaussian(USERS * K, init);
            float[] y = gaussian(ITEMS * K, init);
            float[] xf = x.clone();
            float[] yf = y.clone();
            ImplicitAlsSolver solver = new ImplicitAlsSolver(USERS, ITEMS, d.user, d.item, d.confidence, d.target,
                    K, ALPHA0, LAMBDA, STEPS, 2, heldChunks);
            FirstLayoutAlsSolver first = new FirstLayoutAlsSolver(USERS, ITEMS, d.user, d.item, d.confidence,
                    d.target, K, ALPHA0, LAMBDA, STEPS, 2, heldChunks);
            for (int sweep = 1; sweep <= 3; sweep++) {
                double objective = solver.sweep(x, y);
                double firstObjective = first.sweep(xf, yf);
                assertArrayEquals(xf, x, 0f, heldChunks + " chunks held, users after sweep " + sweep);
                assertArrayEquals(yf, y, 0f, heldChunks + " chunks held, items after sweep " + sweep);
                assertEquals(firstObjective, objective, 0.0, heldChunks + " chunks held, objective after " + sweep);
            }
            solver.close();
            first.close();
        }
    }

    @Test
    void anyThreadCountGivesTheSameFactors() {
        Data d = data();
        float[][] users = new float[3][];
        float[][] items = new float[3][];
        double[] objective = new double[3];
        for (int threads = 1; threads <= 3; threads++) {
            Random init = new Random(1);
            float[] x = gaussian(USERS * K, init);
            float[] y = gaussian(ITEMS * K, init);
            ImplicitAlsSolver solver = new ImplicitAlsSolver(USERS, ITEMS, d.user, d.item, d.confidence, d.target,
                    K, ALPHA0, LAMBDA, STEPS, threads);
            solver.sweep(x, y);
            objective[threads - 1] = solver.sweep(x, y);
            solver.close();
            users[threads - 1] = x;
            items[threads - 1] = y;
        }
        for (int t = 1; t < 3; t++) {
            assertArrayEquals(users[0], users[t], 0f, (t + 1) + " threads, users");
            assertArrayEquals(items[0], items[t], 0f, (t + 1) + " threads, items");
            assertEquals(objective[0], objective[t], 0.0, (t + 1) + " threads, objective");
        }
    }

    @Test
    void aTableChangedBetweenSweepsIsNotSolvedWithTheOldGram() {
        Data d = data();
        Random init = new Random(4);
        float[] x = gaussian(USERS * K, init);
        float[] y = gaussian(ITEMS * K, init);
        float[] changed = gaussian(ITEMS * K, init);
        ImplicitAlsSolver solver = new ImplicitAlsSolver(USERS, ITEMS, d.user, d.item, d.confidence, d.target, K,
                ALPHA0, LAMBDA, STEPS, 1);
        solver.sweep(x, y);
        float[] x2 = x.clone();
        float[] y2 = changed.clone();
        solver.sweep(x2, y2);
        solver.close();
        // A fresh solver has no Gram matrix to reuse: the same start must give the same factors.
        ImplicitAlsSolver fresh = new ImplicitAlsSolver(USERS, ITEMS, d.user, d.item, d.confidence, d.target, K,
                ALPHA0, LAMBDA, STEPS, 1);
        float[] x3 = x.clone();
        float[] y3 = changed.clone();
        fresh.sweep(x3, y3);
        fresh.close();
        assertArrayEquals(x3, x2, 0f);
        assertArrayEquals(y3, y2, 0f);
    }

    /** Moved from RankingObjectiveTest with the solver. */
    @Test
    void conjugateGradientReachesTheClosedFormSolution() {
        // One user with items 0 and 1 (confidence 1 and 2), items fixed; many CG steps reach the exact solution
        // of (α0·YᵀY + Σ c·y·yᵀ + λ·(n + α0·|I|)·I) x = Σ c·y.
        float[] y = {1f, 0f, 0f, 1f, 1f, 1f};
        float a0 = 0.5f;
        float lambda = 0.1f;
        ImplicitAlsSolver solver = new ImplicitAlsSolver(1, 3, new int[] {0, 0}, new int[] {0, 1},
                new float[] {1f, 2f}, new float[] {1f, 1f}, 2, a0, lambda, 50, 1);
        float[] x = {0f, 0f};
        float[] items = y.clone();
        solver.sweep(x, items);
        solver.close();
        // YᵀY = [[2, 1], [1, 2]]; Σ c y yᵀ = [[1, 0], [0, 2]]; λ·(2 + 0.5·3) = 0.35.
        double m00 = a0 * 2 + 1 + 0.35;
        double m01 = a0 * 1;
        double m11 = a0 * 2 + 2 + 0.35;
        double b0 = 1;
        double b1 = 2;
        double det = m00 * m11 - m01 * m01;
        // The user sweep's result: the item sweep afterwards does not change x.
        ImplicitAlsSolver userOnly = new ImplicitAlsSolver(1, 3, new int[] {0, 0}, new int[] {0, 1},
                new float[] {1f, 2f}, new float[] {1f, 1f}, 2, a0, lambda, 50, 1);
        float[] x2 = {0f, 0f};
        userOnly.solveUsers(x2, y.clone());
        userOnly.close();
        assertArrayEquals(new float[] {(float) ((m11 * b0 - m01 * b1) / det), (float) ((m00 * b1 - m01 * b0) / det)},
                x2, 1e-5f);
    }
}
