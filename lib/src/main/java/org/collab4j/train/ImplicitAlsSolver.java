package org.collab4j.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Alternating least squares for implicit feedback (Hu, Koren and Volinsky 2008, in the form of Rendle et al.,
 * "Revisiting the Performance of iALS on Item Recommendation Benchmarks", 2022), in plain Java over
 * {@code float[]} factor tables.
 *
 * <p>It minimises, over user factors {@code x_u} and item factors {@code y_i} ({@code k} each),
 * <pre>
 * Σ_(u,i) observed  c_ui · (t_ui − x_u·y_i)²   +   α0 · Σ_all (u,i)  (x_u·y_i)²
 *   + λ · Σ_u (n_u + α0·|I|) · |x_u|²   +   λ · Σ_i (n_i + α0·|U|) · |y_i|²
 * </pre>
 * where {@code c} is an interaction's confidence, {@code t} its target (1 for a positive), {@code α0} the weight
 * of every pair (observed or not) being 0, and the regularisation of a row grows with the number of terms it
 * appears in ({@code n_u} observed items, {@code α0·|I|} for the all-pairs term).
 *
 * <p>A sweep solves every user with the items fixed, then every item with the users fixed. Each row's
 * {@code k × k} system {@code (α0·YᵀY + Σ c·y·yᵀ + λ_u·I) x = Σ c·t·y} is solved approximately by a few steps of
 * conjugate gradient started from the current row (as the {@code implicit} library does): the Gram matrix
 * {@code YᵀY} is shared by all rows, so a row costs {@code steps · (k² + 2k·n_u)} instead of the
 * {@code n_u·k² + k³/3} of a direct solve. Rows are independent and split over threads in fixed blocks; the
 * result does not depend on the thread count.
 */
final class ImplicitAlsSolver {

    private final int factors;
    private final float unobservedWeight;
    private final float regularization;
    private final int cgSteps;
    private final Csr byUser;
    private final Csr byItem;
    private final ForkJoinPool pool;
    private final int threads;

    /** Rows of a sparse matrix: for row {@code r}, entries {@code offsets[r] .. offsets[r+1]}. */
    record Csr(int rows, int[] offsets, int[] columns, float[] confidence, float[] target) {

        static Csr of(int rows, int[] rowOf, int[] columnOf, float[] confidence, float[] target) {
            int[] offsets = new int[rows + 1];
            for (int r : rowOf) {
                offsets[r + 1]++;
            }
            for (int r = 0; r < rows; r++) {
                offsets[r + 1] += offsets[r];
            }
            int[] fill = offsets.clone();
            int n = rowOf.length;
            int[] columns = new int[n];
            float[] c = new float[n];
            float[] t = new float[n];
            for (int e = 0; e < n; e++) {
                int at = fill[rowOf[e]]++;
                columns[at] = columnOf[e];
                c[at] = confidence[e];
                t[at] = target[e];
            }
            return new Csr(rows, offsets, columns, c, t);
        }
    }

    /**
     * Prepares the solver for some interactions.
     *
     * @param users the number of users
     * @param items the number of items
     * @param userOf the user of every interaction
     * @param itemOf the item of every interaction
     * @param confidence the confidence of every interaction, positive
     * @param target the target of every interaction (1 for a positive)
     * @param factors the factors per row
     * @param unobservedWeight α0, non-negative
     * @param regularization λ, non-negative
     * @param cgSteps conjugate-gradient steps per row and sweep, at least 1
     * @param threads threads to use, the calling thread included
     */
    ImplicitAlsSolver(int users, int items, int[] userOf, int[] itemOf, float[] confidence, float[] target,
            int factors, float unobservedWeight, float regularization, int cgSteps, int threads) {
        this.factors = factors;
        this.unobservedWeight = unobservedWeight;
        this.regularization = regularization;
        this.cgSteps = cgSteps;
        byUser = Csr.of(users, userOf, itemOf, confidence, target);
        byItem = Csr.of(items, itemOf, userOf, confidence, target);
        this.threads = Math.max(1, threads);
        pool = this.threads > 1 ? new ForkJoinPool(this.threads - 1) : null;
    }

    /**
     * One sweep: users with the items fixed, then items with the users fixed.
     *
     * @param userFactors the user table, {@code users × k}, row-major; updated in place
     * @param itemFactors the item table, {@code items × k}; updated in place
     * @return the objective after the sweep, divided by the number of interactions
     */
    double sweep(float[] userFactors, float[] itemFactors) {
        solveAll(byUser, userFactors, itemFactors, byItem.rows());
        solveAll(byItem, itemFactors, userFactors, byUser.rows());
        return objective(userFactors, itemFactors);
    }

    /** Solves every user with the items fixed (half a sweep). */
    void solveUsers(float[] userFactors, float[] itemFactors) {
        solveAll(byUser, userFactors, itemFactors, byItem.rows());
    }

    /** The objective for the current tables, divided by the number of interactions. */
    double objective(float[] userFactors, float[] itemFactors) {
        int k = factors;
        double observed = 0;
        double rowNorms = 0;
        for (int u = 0; u < byUser.rows(); u++) {
            int uo = u * k;
            for (int e = byUser.offsets()[u]; e < byUser.offsets()[u + 1]; e++) {
                int io = byUser.columns()[e] * k;
                double s = 0;
                for (int c = 0; c < k; c++) {
                    s += userFactors[uo + c] * itemFactors[io + c];
                }
                double d = byUser.target()[e] - s;
                observed += byUser.confidence()[e] * d * d;
            }
            rowNorms += (byUser.offsets()[u + 1] - byUser.offsets()[u] + unobservedWeight * byItem.rows())
                    * squaredNorm(userFactors, uo, k);
        }
        for (int i = 0; i < byItem.rows(); i++) {
            rowNorms += (byItem.offsets()[i + 1] - byItem.offsets()[i] + unobservedWeight * byUser.rows())
                    * squaredNorm(itemFactors, i * k, k);
        }
        // Σ_all (x·y)² = trace(XᵀX · YᵀY) = Σ (XᵀX ∘ YᵀY).
        double[] gx = gram(userFactors, byUser.rows());
        double[] gy = gram(itemFactors, byItem.rows());
        double all = 0;
        for (int a = 0; a < gx.length; a++) {
            all += gx[a] * gy[a];
        }
        long n = Math.max(1, byUser.columns().length);
        return (observed + unobservedWeight * all + regularization * rowNorms) / n;
    }

    private static double squaredNorm(float[] table, int offset, int k) {
        double s = 0;
        for (int c = 0; c < k; c++) {
            s += (double) table[offset + c] * table[offset + c];
        }
        return s;
    }

    /** {@code BᵀB} of a row-major table, {@code k × k}, in double. */
    private double[] gram(float[] table, int rows) {
        int k = factors;
        double[] g = new double[k * k];
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            for (int a = 0; a < k; a++) {
                double va = table[o + a];
                if (va == 0) {
                    continue;
                }
                int ga = a * k;
                for (int b = a; b < k; b++) {
                    g[ga + b] += va * table[o + b];
                }
            }
        }
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < a; b++) {
                g[a * k + b] = g[b * k + a];
            }
        }
        return g;
    }

    private void solveAll(Csr rows, float[] solve, float[] fixed, int fixedRows) {
        double[] g = gram(fixed, fixedRows);
        float[] gram = new float[g.length];
        for (int a = 0; a < g.length; a++) {
            gram[a] = (float) (unobservedWeight * g[a]);
        }
        float allPairs = unobservedWeight * fixedRows;
        int n = rows.rows();
        int blocks = Math.min(threads, Math.max(1, n / 64));
        if (blocks <= 1 || pool == null) {
            new RowSolver(rows, solve, fixed, gram, allPairs).solve(0, n);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>();
        for (int b = 1; b < blocks; b++) {
            int from = (int) ((long) n * b / blocks);
            int to = (int) ((long) n * (b + 1) / blocks);
            tasks.add(pool.submit(() -> new RowSolver(rows, solve, fixed, gram, allPairs).solve(from, to)));
        }
        new RowSolver(rows, solve, fixed, gram, allPairs).solve(0, (int) ((long) n / blocks));
        tasks.forEach(ForkJoinTask::join);
    }

    /** One thread's work space for conjugate gradient on rows. */
    private final class RowSolver {
        private final Csr rows;
        private final float[] solve;
        private final float[] fixed;
        private final float[] gram;
        private final float allPairs;
        private final float[] r = new float[factors];
        private final float[] p = new float[factors];
        private final float[] ap = new float[factors];

        RowSolver(Csr rows, float[] solve, float[] fixed, float[] gram, float allPairs) {
            this.rows = rows;
            this.solve = solve;
            this.fixed = fixed;
            this.gram = gram;
            this.allPairs = allPairs;
        }

        void solve(int from, int to) {
            int k = factors;
            for (int row = from; row < to; row++) {
                int start = rows.offsets()[row];
                int end = rows.offsets()[row + 1];
                int xo = row * k;
                if (start == end) {
                    // No interactions: the objective's minimum for this row is 0.
                    java.util.Arrays.fill(solve, xo, xo + k, 0f);
                    continue;
                }
                float lambda = regularization * ((end - start) + allPairs);
                // r = b − A·x
                multiply(start, end, solve, xo, r, lambda);
                for (int c = 0; c < k; c++) {
                    r[c] = -r[c];
                }
                for (int e = start; e < end; e++) {
                    float w = rows.confidence()[e] * rows.target()[e];
                    int yo = rows.columns()[e] * k;
                    for (int c = 0; c < k; c++) {
                        r[c] += w * fixed[yo + c];
                    }
                }
                System.arraycopy(r, 0, p, 0, k);
                double rr = dot(r, r);
                for (int step = 0; step < cgSteps && rr > 1e-20; step++) {
                    multiply(start, end, p, 0, ap, lambda);
                    double pap = dot(p, ap);
                    if (!(pap > 0)) {
                        break;
                    }
                    float alpha = (float) (rr / pap);
                    for (int c = 0; c < k; c++) {
                        solve[xo + c] += alpha * p[c];
                        r[c] -= alpha * ap[c];
                    }
                    double next = dot(r, r);
                    float beta = (float) (next / rr);
                    for (int c = 0; c < k; c++) {
                        p[c] = r[c] + beta * p[c];
                    }
                    rr = next;
                }
            }
        }

        /** {@code out = (α0·G + Σ c·y·yᵀ + λ·I) · v[vo .. vo+k)}. */
        private void multiply(int start, int end, float[] v, int vo, float[] out, float lambda) {
            int k = factors;
            for (int a = 0; a < k; a++) {
                out[a] = lambda * v[vo + a] + dot4(gram, a * k, v, vo, k);
            }
            for (int e = start; e < end; e++) {
                int yo = rows.columns()[e] * k;
                float s = rows.confidence()[e] * dot4(fixed, yo, v, vo, k);
                for (int c = 0; c < k; c++) {
                    out[c] += s * fixed[yo + c];
                }
            }
        }

        private double dot(float[] a, float[] b) {
            return dot4(a, 0, b, 0, factors);
        }

    }

    /**
     * {@code a[ao..ao+n) · b[bo..bo+n)} with four partial sums: the JIT does not reorder a float reduction, and
     * four independent chains keep the multipliers busy (the order is fixed, so results do not vary).
     */
    static float dot4(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int c = 0;
        for (; c + 3 < n; c += 4) {
            s0 += a[ao + c] * b[bo + c];
            s1 += a[ao + c + 1] * b[bo + c + 1];
            s2 += a[ao + c + 2] * b[bo + c + 2];
            s3 += a[ao + c + 3] * b[bo + c + 3];
        }
        for (; c < n; c++) {
            s0 += a[ao + c] * b[bo + c];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Stops the threads, if any. */
    void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
