package org.collab4j.train.als;

import org.collab4j.kernel.Csr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The iALS solver as it was before issue 28's layout work (commit c663a4a), kept unchanged in the tests as the
 * reference that {@link ImplicitAlsSolver} must agree with, and as the "before" of {@link AlsSweepBench}: rows
 * longer than one 1,024-interaction chunk were gathered factor-major again at every conjugate-gradient step, one
 * interaction at a time, and the objective took a pass of its own over the interactions.
 */
final class PreviousAlsSolver {

    private final int factors;
    private final float unobservedWeight;
    private final float regularization;
    private final int cgSteps;
    private final Interactions byUser;
    private final Interactions byItem;
    private final ForkJoinPool pool;
    private final int threads;
    /** The two tables during a sweep, one array per row (see {@link RowSolver} for why). */
    private final float[][] userRows;
    private final float[][] itemRows;
    /** The Gram matrix of {@link #itemRows} as the last sweep left them, or null. */
    private double[][] lastItemGram;

    /** Interactions per factor-major chunk in {@link RowSolver#interactionDots}. */
    private static final int CHUNK = 1024;
    /** The shortest chunk worth copying factor-major. */
    private static final int GATHER_FROM = 16;
    /** Rows per unit of work handed to a thread. */
    private static final int ROWS_PER_BLOCK = 64;
    /** Rows per partial Gram matrix. */
    private static final int GRAM_BLOCK = 1024;

    /**
     * One side's interactions grouped by row ({@link Csr}, the library's one CSR builder), with each entry's
     * confidence and target laid out in the same order.
     */
    private record Interactions(int rows, int[] offsets, int[] columns, float[] confidence, float[] target) {

        static Interactions of(int rows, int[] rowOf, int[] columnOf, float[] confidence, float[] target) {
            Csr csr = Csr.of(rows, rowOf, columnOf);
            return new Interactions(rows, csr.offsets(), csr.columns(), csr.gather(confidence), csr.gather(target));
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
    PreviousAlsSolver(int users, int items, int[] userOf, int[] itemOf, float[] confidence, float[] target,
            int factors, float unobservedWeight, float regularization, int cgSteps, int threads) {
        this.factors = factors;
        this.unobservedWeight = unobservedWeight;
        this.regularization = regularization;
        this.cgSteps = cgSteps;
        byUser = Interactions.of(users, userOf, itemOf, confidence, target);
        byItem = Interactions.of(items, itemOf, userOf, confidence, target);
        this.threads = Math.max(1, threads);
        pool = this.threads > 1 ? new ForkJoinPool(this.threads - 1) : null;
        userRows = new float[users][factors];
        itemRows = new float[items][factors];
    }

    /**
     * One sweep: users with the items fixed, then items with the users fixed.
     *
     * @param userFactors the user table, {@code users × k}, row-major; updated in place
     * @param itemFactors the item table, {@code items × k}; updated in place
     * @return the objective after the sweep, divided by the number of interactions
     */
    double sweep(float[] userFactors, float[] itemFactors) {
        // The last sweep's objective took the Gram matrix of the item table it left: reused while the table is
        // that one, bit for bit.
        double[][] itemGram = lastItemGram != null && equalsRows(itemFactors, itemRows) ? lastItemGram : null;
        toRows(userFactors, userRows);
        toRows(itemFactors, itemRows);
        solveAll(byUser, userRows, itemRows, itemGram != null ? itemGram : gram(itemRows));
        double[][] userGram = gram(userRows);
        solveAll(byItem, itemRows, userRows, userGram);
        fromRows(userRows, userFactors);
        fromRows(itemRows, itemFactors);
        lastItemGram = gram(itemRows);
        return objective(userFactors, itemFactors, userGram, lastItemGram);
    }

    /** Solves every user with the items fixed (half a sweep). */
    void solveUsers(float[] userFactors, float[] itemFactors) {
        toRows(userFactors, userRows);
        toRows(itemFactors, itemRows);
        solveAll(byUser, userRows, itemRows, gram(itemRows));
        fromRows(userRows, userFactors);
        lastItemGram = null;
    }

    /** The objective, with the Gram matrices of the two tables as they are. */
    private double objective(float[] userFactors, float[] itemFactors, double[][] gx, double[][] gy) {
        int k = factors;
        int users = byUser.rows();
        int blocks = (users + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
        double[] observedByBlock = new double[blocks];
        inBlocks(blocks, () -> b -> {
            for (int u = b * ROWS_PER_BLOCK; u < Math.min(users, (b + 1) * ROWS_PER_BLOCK); u++) {
                observedByBlock[b] += observedLoss(u, userFactors, itemFactors);
            }
        });
        double observed = 0;
        for (double o : observedByBlock) {
            observed += o;
        }
        double rowNorms = 0;
        for (int u = 0; u < users; u++) {
            rowNorms += (byUser.offsets()[u + 1] - byUser.offsets()[u] + unobservedWeight * byItem.rows())
                    * squaredNorm(userFactors, u * k, k);
        }
        for (int i = 0; i < byItem.rows(); i++) {
            rowNorms += (byItem.offsets()[i + 1] - byItem.offsets()[i] + unobservedWeight * byUser.rows())
                    * squaredNorm(itemFactors, i * k, k);
        }
        // Σ_all (x·y)² = trace(XᵀX · YᵀY) = Σ (XᵀX ∘ YᵀY).
        double all = 0;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                all += gx[a][b] * gy[a][b];
            }
        }
        long n = Math.max(1, byUser.columns().length);
        return (observed + unobservedWeight * all + regularization * rowNorms) / n;
    }

    /** {@code Σ c·(t − x·y)²} over one user's interactions, the dot products in double. */
    private double observedLoss(int u, float[] userFactors, float[] itemFactors) {
        int k = factors;
        int uo = u * k;
        double loss = 0;
        for (int e = byUser.offsets()[u]; e < byUser.offsets()[u + 1]; e++) {
            double d = byUser.target()[e] - dotInDouble(userFactors, uo, itemFactors, byUser.columns()[e] * k);
            loss += byUser.confidence()[e] * d * d;
        }
        return loss;
    }

    /** {@code a[ao ..]·b[bo ..]} over {@code k} values in double, with four partial sums (as {@link #dot4}). */
    private double dotInDouble(float[] a, int ao, float[] b, int bo) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int c = 0;
        for (; c + 3 < factors; c += 4) {
            s0 += a[ao + c] * b[bo + c];
            s1 += a[ao + c + 1] * b[bo + c + 1];
            s2 += a[ao + c + 2] * b[bo + c + 2];
            s3 += a[ao + c + 3] * b[bo + c + 3];
        }
        for (; c < factors; c++) {
            s0 += a[ao + c] * b[bo + c];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double squaredNorm(float[] table, int offset, int k) {
        double s = 0;
        for (int c = 0; c < k; c++) {
            s += (double) table[offset + c] * table[offset + c];
        }
        return s;
    }

    private void toRows(float[] table, float[][] rows) {
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(table, r * factors, rows[r], 0, factors);
        }
    }

    private boolean equalsRows(float[] table, float[][] rows) {
        int k = factors;
        for (int r = 0; r < rows.length; r++) {
            if (!Arrays.equals(table, r * k, r * k + k, rows[r], 0, k)) {
                return false;
            }
        }
        return true;
    }

    private void fromRows(float[][] rows, float[] table) {
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, table, r * factors, factors);
        }
    }

    /**
     * {@code BᵀB} of a table, {@code k × k}, in double: each row is widened to double once, so the inner loop
     * multiplies and adds doubles only, which the JIT vectorises (it does not vectorise the widening).
     */
    private double[][] gram(float[][] table) {
        int k = factors;
        // Fixed blocks of rows, each summed on its own and the blocks added in order: the same sums for any
        // number of threads.
        int blocks = (table.length + GRAM_BLOCK - 1) / GRAM_BLOCK;
        double[][][] partial = new double[blocks][][];
        inBlocks(blocks, () -> {
            double[] row = new double[k];
            return b -> {
                partial[b] = new double[k][k];
                for (int r = b * GRAM_BLOCK; r < Math.min(table.length, (b + 1) * GRAM_BLOCK); r++) {
                    addOuterProduct(table[r], row, partial[b]);
                }
            };
        });
        double[][] g = new double[k][k];
        for (double[][] p : partial) {
            for (int a = 0; a < k; a++) {
                addMultiple(g[a], 1, p[a], a, k);
            }
        }
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < a; b++) {
                g[a][b] = g[b][a];
            }
        }
        return g;
    }

    /** {@code g += r·rᵀ} on and above the diagonal; {@code row} is room for {@code r} widened. */
    private void addOuterProduct(float[] r, double[] row, double[][] g) {
        int k = factors;
        for (int c = 0; c < k; c++) {
            row[c] = r[c];
        }
        for (int a = 0; a < k; a++) {
            if (row[a] != 0) {
                addMultiple(g[a], row[a], row, a, k);
            }
        }
    }

    /** {@code out[from .. to) += s · y[from .. to)}. */
    private static void addMultiple(double[] out, double s, double[] y, int from, int to) {
        for (int b = from; b < to; b++) {
            out[b] += s * y[b];
        }
    }

    private void solveAll(Interactions rows, float[][] solve, float[][] fixed, double[][] fixedGram) {
        int k = factors;
        float[][] gram = new float[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                gram[a][b] = (float) (unobservedWeight * fixedGram[a][b]);
            }
        }
        float allPairs = unobservedWeight * fixed.length;
        int n = rows.rows();
        inBlocks((n + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK, () -> {
            RowSolver solver = new RowSolver(rows, solve, fixed, gram, allPairs);
            return b -> solver.solve(b * ROWS_PER_BLOCK, Math.min(n, (b + 1) * ROWS_PER_BLOCK));
        });
    }

    /**
     * Runs {@code block(b)} for every {@code b < blocks} on the calling thread and the pool's. Blocks are taken in
     * turn by whichever thread is free: they differ in cost, and on a busy machine one thread may be descheduled
     * for a while, which a fixed share each would leave the others waiting for. Each thread gets its own
     * {@code block} from {@code perThread} (its work space). Results must not depend on which thread ran a block.
     */
    private void inBlocks(int blocks, Supplier<IntConsumer> perThread) {
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            IntConsumer block = perThread.get();
            for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement()) {
                block.accept(b);
            }
        };
        List<ForkJoinTask<?>> helpers = new ArrayList<>();
        for (int t = 1; t < Math.min(threads, blocks) && pool != null; t++) {
            helpers.add(pool.submit(work));
        }
        work.run();
        helpers.forEach(ForkJoinTask::join);
    }

    /**
     * One thread's work space for conjugate gradient on rows.
     *
     * <p>The loops are shaped for the JIT's vectoriser, which (in Java 17) vectorises a loop only when it has no
     * float reduction and its arrays are all indexed by the loop counter alone ({@code out[c] += s * y[c]}, not
     * {@code out[c] += s * table[offset + c]}, which stays scalar): so the tables are held as one array per row
     * during a sweep, a product with a matrix is a sum of multiples of its rows, and a row's dot products with
     * its interactions' rows are taken over a factor-major copy of those rows.
     */
    private final class RowSolver {
        private final Interactions rows;
        private final float[][] solve;
        private final float[][] fixed;
        private final float[][] gram;
        private final float allPairs;
        private final float[] r = new float[factors];
        private final float[] p = new float[factors];
        private final float[] ap = new float[factors];
        /** The fixed rows of interactions {@code gatheredFrom .. gatheredTo}, factor-major. */
        private final float[][] gathered = new float[factors][CHUNK];
        private int gatheredFrom = -1;
        private int gatheredTo = -1;
        /** The dot products of a vector with the fixed rows of a chunk of interactions. */
        private final float[] dots = new float[CHUNK];

        RowSolver(Interactions rows, float[][] solve, float[][] fixed, float[][] gram, float allPairs) {
            this.rows = rows;
            this.solve = solve;
            this.fixed = fixed;
            this.gram = gram;
            this.allPairs = allPairs;
        }

        void solve(int from, int to) {
            for (int row = from; row < to; row++) {
                solveRow(row);
            }
        }

        /** One row: a method of its own, so that the JIT compiles it after a few rows (as the small loops below). */
        private void solveRow(int row) {
            int k = factors;
            int start = rows.offsets()[row];
            int end = rows.offsets()[row + 1];
            float[] x = solve[row];
            if (start == end) {
                // No interactions: the objective's minimum for this row is 0.
                Arrays.fill(x, 0f);
                return;
            }
            float lambda = regularization * ((end - start) + allPairs);
            // r = b − A·x = Σ c·(t − y·x)·y − (α0·G + λ·I)·x: one pass over the interactions for both sums.
            gramProduct(x, r, lambda);
            for (int c = 0; c < k; c++) {
                r[c] = -r[c];
            }
            for (int chunk = start; chunk < end; chunk += CHUNK) {
                int chunkEnd = Math.min(end, chunk + CHUNK);
                interactionDots(chunk, chunkEnd, x);
                for (int e = chunk; e < chunkEnd; e++) {
                    float w = rows.confidence()[e] * (rows.target()[e] - dots[e - chunk]);
                    addMultiple(r, w, fixed[rows.columns()[e]], k);
                }
            }
            System.arraycopy(r, 0, p, 0, k);
            double rr = dot(r, r);
            for (int step = 0; step < cgSteps && rr > 1e-20; step++) {
                multiply(start, end, p, ap, lambda);
                double pap = dot(p, ap);
                if (!(pap > 0)) {
                    break;
                }
                float alpha = (float) (rr / pap);
                addMultiple(x, alpha, p, k);
                addMultiple(r, -alpha, ap, k);
                double next = dot(r, r);
                float beta = (float) (next / rr);
                for (int c = 0; c < k; c++) {
                    p[c] = r[c] + beta * p[c];
                }
                rr = next;
            }
        }

        /** {@code out = (α0·G + Σ c·y·yᵀ + λ·I) · v}. */
        private void multiply(int start, int end, float[] v, float[] out, float lambda) {
            gramProduct(v, out, lambda);
            for (int chunk = start; chunk < end; chunk += CHUNK) {
                int chunkEnd = Math.min(end, chunk + CHUNK);
                interactionDots(chunk, chunkEnd, v);
                for (int e = chunk; e < chunkEnd; e++) {
                    addMultiple(out, rows.confidence()[e] * dots[e - chunk], fixed[rows.columns()[e]], factors);
                }
            }
        }

        /**
         * {@code out = (α0·G + λ·I) · v}, the {@code k²} part of every product. {@code G} is symmetric, so
         * {@code G·v} is {@code Σ_f v[f]·G[f]}; four rows per pass read and write {@code out} a quarter as often,
         * and every {@code out[c]} still sees its additions in the order of {@code f}.
         */
        private void gramProduct(float[] v, float[] out, float lambda) {
            int k = factors;
            for (int c = 0; c < k; c++) {
                out[c] = lambda * v[c];
            }
            int f = 0;
            for (; f + 3 < k; f += 4) {
                addMultiples(out, v[f], gram[f], v[f + 1], gram[f + 1], v[f + 2], gram[f + 2], v[f + 3], gram[f + 3],
                        k);
            }
            for (; f < k; f++) {
                addMultiple(out, v[f], gram[f], k);
            }
        }

        /**
         * {@code dots[e − from] = fixed row of e · v} for the interactions {@code from .. to}. A short chunk takes
         * one dot product per interaction; a longer one is first copied factor-major (once for all the products
         * of its row: the chunk stays gathered while the row is solved) and then summed as multiples of its
         * factor rows, vectorised. Which way a chunk goes depends on its length only, so not on the threads.
         */
        private void interactionDots(int from, int to, float[] v) {
            int k = factors;
            int n = to - from;
            if (n < GATHER_FROM) {
                for (int e = from; e < to; e++) {
                    dots[e - from] = dot4(fixed[rows.columns()[e]], 0, v, 0, k);
                }
                return;
            }
            if (from != gatheredFrom || to != gatheredTo) {
                for (int e = from; e < to; e++) {
                    setColumn(gathered, e - from, fixed[rows.columns()[e]], k);
                }
                gatheredFrom = from;
                gatheredTo = to;
            }
            Arrays.fill(dots, 0, n, 0f);
            int f = 0;
            for (; f + 3 < k; f += 4) {
                addMultiples(dots, v[f], gathered[f], v[f + 1], gathered[f + 1], v[f + 2], gathered[f + 2], v[f + 3],
                        gathered[f + 3], n);
            }
            for (; f < k; f++) {
                addMultiple(dots, v[f], gathered[f], n);
            }
        }

        private double dot(float[] a, float[] b) {
            return dot4(a, 0, b, 0, factors);
        }

    }

    // The innermost loops are small methods of their own: called thousands of times in the first sweep, they are
    // compiled after a few rows, where one loop over all the rows would run interpreted until its own turn.

    /**
     * {@code out[0 .. n) += s · y[0 .. n)}. Public for the ranking probe's column-wise scoring.
     *
     * @param out the sums
     * @param s the multiple
     * @param y the values
     * @param n how many
     */
    public static void addMultiple(float[] out, float s, float[] y, int n) {
        for (int c = 0; c < n; c++) {
            out[c] += s * y[c];
        }
    }

    /**
     * {@code out[0 .. n) += s0·y0 + s1·y1 + s2·y2 + s3·y3}, added in that order: four multiples per pass read and
     * write {@code out} a quarter as often as four passes. Public for the ranking probe's column-wise scoring.
     *
     * @param out the sums
     * @param s0 the first multiple
     * @param y0 the first values
     * @param s1 the second multiple
     * @param y1 the second values
     * @param s2 the third multiple
     * @param y2 the third values
     * @param s3 the fourth multiple
     * @param y3 the fourth values
     * @param n how many
     */
    public static void addMultiples(float[] out, float s0, float[] y0, float s1, float[] y1, float s2, float[] y2,
            float s3, float[] y3, int n) {
        for (int c = 0; c < n; c++) {
            out[c] = out[c] + s0 * y0[c] + s1 * y1[c] + s2 * y2[c] + s3 * y3[c];
        }
    }

    /** {@code columns[f][j] = y[f]} for {@code f < k}. */
    private static void setColumn(float[][] columns, int j, float[] y, int k) {
        for (int f = 0; f < k; f++) {
            columns[f][j] = y[f];
        }
    }

    /**
     * {@code a[ao..ao+n) · b[bo..bo+n)} with four partial sums: the JIT does not reorder a float reduction, and
     * four independent chains keep the multipliers busy (the order is fixed, so results do not vary). The
     * solver's own inner loop only: scores use {@link org.collab4j.kernel.Kernel#dot}.
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
