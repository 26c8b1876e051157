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
 * {@link ImplicitAlsSolver} as issue 28's first layout work left it (commit 6c6867c): each conjugate-gradient pass
 * added its interactions' fixed rows from the table itself, touched tile by tile. Kept unchanged in the tests as the
 * "before" of {@link AlsSweepBench}, and as a reference the solver must agree with bit for bit.
 */
final class FirstLayoutAlsSolver {

    private final int factors;
    private final float unobservedWeight;
    private final float regularization;
    private final int cgSteps;
    private final Interactions byUser;
    private final Interactions byItem;
    private final ForkJoinPool pool;
    private final int threads;
    private final int heldChunks;
    /** The two tables during a sweep, one array per row (see {@link RowSolver} for why). */
    private final float[][] userRows;
    private final float[][] itemRows;
    /** The wall seconds of the last sweep's two halves, users and items (for the benchmark). */
    double[] lastHalfSeconds = {0, 0};
    /** The Gram matrix of {@link #itemRows} as the last sweep left them, or null. */
    private double[][] lastItemGram;

    /** Interactions per factor-major chunk in {@link RowSolver#interactionDots}. */
    static final int CHUNK = 1024;
    /** The chunks of one row kept factor-major for all its steps, by default: 16 MB per thread at k = 64. */
    static final int DEFAULT_HELD_CHUNKS = 64;
    /** The shortest chunk worth copying factor-major. */
    private static final int GATHER_FROM = 16;
    /** Fixed rows touched ahead of their copy. */
    private static final int TILE = 32;
    /** The most rows per unit of work handed to a thread. */
    static final int ROWS_PER_BLOCK = 64;
    /** The interactions after which a unit of work ends. */
    static final int BLOCK_INTERACTIONS = 16384;
    /** Rows per partial Gram matrix. */
    private static final int GRAM_BLOCK = 1024;

    /**
     * One side's interactions grouped by row ({@link Csr}, the library's one CSR builder), with each entry's
     * confidence and target laid out in the same order.
     */
    private record Interactions(int rows, int[] offsets, int[] columns, float[] confidence, float[] target,
            int[] blocks) {

        static Interactions of(int rows, int[] rowOf, int[] columnOf, float[] confidence, float[] target) {
            Csr csr = Csr.of(rows, rowOf, columnOf);
            return new Interactions(rows, csr.offsets(), csr.columns(), csr.gather(confidence), csr.gather(target),
                    blocks(rows, csr.offsets()));
        }

        /**
         * The first row of every unit of work, and {@code rows} last: a block ends after {@link #ROWS_PER_BLOCK}
         * rows or once it holds {@link #BLOCK_INTERACTIONS} interactions, so that one thread does not take 64 of
         * the most popular items while the others wait.
         */
        private static int[] blocks(int rows, int[] offsets) {
            int[] starts = new int[rows + 1];
            int blocks = 0;
            int first = 0;
            for (int r = 0; r < rows; r++) {
                if (r + 1 - first == ROWS_PER_BLOCK || offsets[r + 1] - offsets[first] >= BLOCK_INTERACTIONS) {
                    starts[blocks++] = first;
                    first = r + 1;
                }
            }
            if (first < rows || rows == 0) {
                starts[blocks++] = first;
            }
            starts[blocks] = rows;
            return Arrays.copyOf(starts, blocks + 1);
        }

        int blockCount() {
            return blocks.length - 1;
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
    FirstLayoutAlsSolver(int users, int items, int[] userOf, int[] itemOf, float[] confidence, float[] target,
            int factors, float unobservedWeight, float regularization, int cgSteps, int threads) {
        this(users, items, userOf, itemOf, confidence, target, factors, unobservedWeight, regularization, cgSteps,
                threads, DEFAULT_HELD_CHUNKS);
    }

    /** As above, with the chunks of a row kept for all its steps given (tests take the path of longer rows). */
    FirstLayoutAlsSolver(int users, int items, int[] userOf, int[] itemOf, float[] confidence, float[] target,
            int factors, float unobservedWeight, float regularization, int cgSteps, int threads, int heldChunks) {
        if (heldChunks < 1) {
            throw new IllegalArgumentException("heldChunks must be at least 1, got " + heldChunks);
        }
        this.heldChunks = heldChunks;
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
        long t0 = System.nanoTime();
        solveAll(byUser, userRows, itemRows, itemGram != null ? itemGram : gram(itemRows), null);
        long t1 = System.nanoTime();
        double[][] userGram = gram(userRows);
        // The objective's observed part, summed while the items are solved (the users are final by then), per block
        // and the blocks added in order: the same sum for any number of threads.
        double[] observedByBlock = new double[byItem.blockCount()];
        long t2 = System.nanoTime();
        solveAll(byItem, itemRows, userRows, userGram, observedByBlock);
        long t3 = System.nanoTime();
        lastHalfSeconds = new double[] {(t1 - t0) / 1e9, (t3 - t2) / 1e9};
        fromRows(userRows, userFactors);
        fromRows(itemRows, itemFactors);
        lastItemGram = gram(itemRows);
        double observed = 0;
        for (double o : observedByBlock) {
            observed += o;
        }
        return objective(observed, userFactors, itemFactors, userGram, lastItemGram);
    }

    /** Solves every user with the items fixed (half a sweep). */
    void solveUsers(float[] userFactors, float[] itemFactors) {
        toRows(userFactors, userRows);
        toRows(itemFactors, itemRows);
        solveAll(byUser, userRows, itemRows, gram(itemRows), null);
        fromRows(userRows, userFactors);
        lastItemGram = null;
    }

    /** The objective, with its observed part and the Gram matrices of the two tables as they are. */
    private double objective(double observed, float[] userFactors, float[] itemFactors, double[][] gx,
            double[][] gy) {
        int k = factors;
        int users = byUser.rows();
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

    /**
     * Solves every row of {@code solve} with {@code fixed} fixed; with {@code observedByBlock}, also sums
     * {@code Σ c·(t − x·y)²} over each block's interactions with the rows as solved.
     */
    private void solveAll(Interactions rows, float[][] solve, float[][] fixed, double[][] fixedGram,
            double[] observedByBlock) {
        int k = factors;
        float[][] gram = new float[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                gram[a][b] = (float) (unobservedWeight * fixedGram[a][b]);
            }
        }
        float allPairs = unobservedWeight * fixed.length;
        int[] blocks = rows.blocks();
        inBlocks(rows.blockCount(), () -> {
            RowSolver solver = new RowSolver(rows, solve, fixed, gram, allPairs);
            return b -> {
                double observed = solver.solve(blocks[b], blocks[b + 1], observedByBlock != null);
                if (observedByBlock != null) {
                    observedByBlock[b] = observed;
                }
            };
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
     * its interactions' rows are taken over a factor-major copy of those rows, one array per factor and chunk.
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
        /**
         * The fixed rows of chunk {@code c} of the row being solved, factor-major, for {@code c < heldChunks}; the
         * last slot takes every later chunk in turn. Allocated as rows need them.
         */
        private final float[][][] held = new float[heldChunks + 1][][];
        /** The chunks of the row being solved that {@link #held} holds: {@code 0 .. heldCount}. */
        private int heldCount;
        /** The dot products of a vector with the fixed rows of a chunk of interactions. */
        private final float[] dots = new float[CHUNK];
        /** The multiples of a chunk's fixed rows that a pass adds up. */
        private final float[] weights = new float[CHUNK];
        /** What the touching loads read: kept, so that the JIT does not drop them. */
        private float touched;

        RowSolver(Interactions rows, float[][] solve, float[][] fixed, float[][] gram, float allPairs) {
            this.rows = rows;
            this.solve = solve;
            this.fixed = fixed;
            this.gram = gram;
            this.allPairs = allPairs;
        }

        /** Solves rows {@code from .. to}; returns their {@code Σ c·(t − x·y)²} if asked, else 0. */
        double solve(int from, int to, boolean observed) {
            double loss = 0;
            for (int row = from; row < to; row++) {
                solveRow(row);
                if (observed) {
                    loss += observedLoss(row);
                }
            }
            return loss;
        }

        /** One row: a method of its own, so that the JIT compiles it after a few rows (as the small loops below). */
        private void solveRow(int row) {
            int k = factors;
            int start = rows.offsets()[row];
            int end = rows.offsets()[row + 1];
            float[] x = solve[row];
            heldCount = 0;
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
            for (int chunk = start, index = 0; chunk < end; chunk += CHUNK, index++) {
                int chunkEnd = Math.min(end, chunk + CHUNK);
                interactionDots(index, chunk, chunkEnd, x);
                float[] confidence = rows.confidence();
                float[] target = rows.target();
                for (int e = chunk; e < chunkEnd; e++) {
                    weights[e - chunk] = confidence[e] * (target[e] - dots[e - chunk]);
                }
                addRows(chunk, chunkEnd, r);
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

        /** {@code Σ c·(t − x·y)²} over a row's interactions with the row as solved, in double. */
        private double observedLoss(int row) {
            int start = rows.offsets()[row];
            int end = rows.offsets()[row + 1];
            double loss = 0;
            for (int chunk = start, index = 0; chunk < end; chunk += CHUNK, index++) {
                int chunkEnd = Math.min(end, chunk + CHUNK);
                interactionDots(index, chunk, chunkEnd, solve[row]);
                for (int e = chunk; e < chunkEnd; e++) {
                    double d = rows.target()[e] - dots[e - chunk];
                    loss += rows.confidence()[e] * d * d;
                }
            }
            return loss;
        }

        /** {@code out = (α0·G + Σ c·y·yᵀ + λ·I) · v}. */
        private void multiply(int start, int end, float[] v, float[] out, float lambda) {
            gramProduct(v, out, lambda);
            for (int chunk = start, index = 0; chunk < end; chunk += CHUNK, index++) {
                int chunkEnd = Math.min(end, chunk + CHUNK);
                interactionDots(index, chunk, chunkEnd, v);
                float[] confidence = rows.confidence();
                for (int e = chunk; e < chunkEnd; e++) {
                    weights[e - chunk] = confidence[e] * dots[e - chunk];
                }
                addRows(chunk, chunkEnd, out);
            }
        }

        /**
         * {@code out += Σ weights[e − from] · fixed row of e} over the interactions {@code from .. to}, in the order
         * of {@code e}: four rows per pass ({@link #addMultiples} adds them in that order too), tile by tile, each
         * tile's rows touched first as in {@link #gather} (a long row's fixed rows have left the cache since it was
         * gathered).
         */
        private void addRows(int from, int to, float[] out) {
            int k = factors;
            int[] columns = rows.columns();
            float sum = 0;
            for (int tile = from; tile < to; tile += TILE) {
                int tileEnd = Math.min(to, tile + TILE);
                sum += touch(columns, tile, tileEnd);
                int e = tile;
                for (; e + 3 < tileEnd; e += 4) {
                    int j = e - from;
                    addMultiples(out, weights[j], fixed[columns[e]], weights[j + 1], fixed[columns[e + 1]],
                            weights[j + 2], fixed[columns[e + 2]], weights[j + 3], fixed[columns[e + 3]], k);
                }
                for (; e < tileEnd; e++) {
                    addMultiple(out, weights[e - from], fixed[columns[e]], k);
                }
            }
            touched += sum;
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
         * {@code dots[e − from] = fixed row of e · v} for the interactions {@code from .. to}, chunk {@code index}
         * of the row being solved. A short chunk takes one dot product per interaction; a longer one is copied
         * factor-major (once for all the products of its row while it is one of the first {@code heldChunks}) and
         * summed as multiples of its factor rows, vectorised. Which way a chunk goes depends on its length only,
         * and the copy holds the same values whenever it is made, so the result depends on neither the threads nor
         * {@code heldChunks}.
         */
        private void interactionDots(int index, int from, int to, float[] v) {
            int k = factors;
            int n = to - from;
            if (n < GATHER_FROM) {
                for (int e = from; e < to; e++) {
                    dots[e - from] = dot4(fixed[rows.columns()[e]], 0, v, 0, k);
                }
                return;
            }
            int slot = Math.min(index, heldChunks);
            if (held[slot] == null) {
                held[slot] = new float[k][CHUNK];
            }
            float[][] gathered = held[slot];
            if (slot == heldChunks || index >= heldCount) {
                gather(from, to, gathered);
                if (slot < heldChunks) {
                    heldCount = index + 1;
                }
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

        /**
         * {@code gathered[f][e − from] = fixed row of e [f]}. Tile by tile: first one load from every cache line
         * of the tile's rows, which the processor runs side by side (a row's 64 strided stores would hold the
         * next row's loads back), then the copy, eight rows at a time, from the cache.
         */
        private void gather(int from, int to, float[][] gathered) {
            int k = factors;
            int[] columns = rows.columns();
            float sum = 0;
            for (int tile = from; tile < to; tile += TILE) {
                int tileEnd = Math.min(to, tile + TILE);
                sum += touch(columns, tile, tileEnd);
                int e = tile;
                for (; e + 7 < tileEnd; e += 8) {
                    setColumns(gathered, e - from, fixed[columns[e]], fixed[columns[e + 1]], fixed[columns[e + 2]],
                            fixed[columns[e + 3]], fixed[columns[e + 4]], fixed[columns[e + 5]],
                            fixed[columns[e + 6]], fixed[columns[e + 7]], k);
                }
                for (; e < tileEnd; e++) {
                    setColumn(gathered, e - from, fixed[columns[e]], k);
                }
            }
            touched += sum;
        }

        /**
         * One load from every cache line of the fixed rows of interactions {@code from .. to} (a row's values are
         * 64 bytes apart at most): independent loads, which the processor keeps many of in flight at once.
         */
        private float touch(int[] columns, int from, int to) {
            int k = factors;
            float sum = 0;
            for (int e = from; e < to; e++) {
                float[] y = fixed[columns[e]];
                for (int c = 0; c < k; c += 16) {
                    sum += y[c];
                }
                sum += y[k - 1];
            }
            return sum;
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

    /** {@code columns[f][j + i] = y_i[f]} for {@code f < k} and {@code i < 8}: eight stores to a line at a time. */
    private static void setColumns(float[][] columns, int j, float[] y0, float[] y1, float[] y2, float[] y3,
            float[] y4, float[] y5, float[] y6, float[] y7, int k) {
        for (int f = 0; f < k; f++) {
            float[] column = columns[f];
            column[j] = y0[f];
            column[j + 1] = y1[f];
            column[j + 2] = y2[f];
            column[j + 3] = y3[f];
            column[j + 4] = y4[f];
            column[j + 5] = y5[f];
            column[j + 6] = y6[f];
            column[j + 7] = y7[f];
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
