package org.collab4j.train;

import ai.djl.nn.Parameter;

import org.collab4j.kernel.Kernel;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.YRange;
import org.collab4j.train.optimizer.CollabOptimizer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.List;

/**
 * The training step of {@link EmbeddingDot} and {@link EmbeddingDotBias} written in plain Java over {@code float[]}
 * copies of their tables, for the CPU: the same forward, mean squared error and gradients as the block's DJL
 * forward and PyTorch's autograd, and the optimizer's {@link CollabOptimizer#updateHost host update}, without the
 * hundred-odd native calls a DJL step costs whatever its size. The forward is {@link Kernel}'s, the one the
 * {@code Recommender} serves with.
 *
 * <pre>
 * x = U[u] · I[i] (+ b_u[u] + b_i[i]);  pred = sigmoid(x)·(high - low) + low  (pred = x without a y-range)
 * loss = mean((pred - r)²);  ∂loss/∂x = 2·(pred - r)/B · sigmoid(x)·(1 - sigmoid(x))·(high - low)
 * </pre>
 *
 * <p>Gradients are summed per distinct row (a row can occur several times in a batch). In touched-row mode only
 * those rows are updated, each first catching up the steps it missed ({@link CollabOptimizer#updateHostRows}), and
 * every row is caught up before the tables are written back, so that touched rows train the weights dense updates
 * would; in dense mode every row of every table is updated every step, as {@link CollabOptimizer#update}.
 *
 * <p>The block's {@link Parameter}s stay the weights everyone else reads: {@link #load} copies them in,
 * {@link #store} writes the copies back. Not thread-safe.
 */
final class HostDotStep {

    private final CollabOptimizer optimizer;
    private final ForkJoinPool pool;
    private final boolean touchedRows;
    private final Parameter userFactors;
    private final Parameter itemFactors;
    private final Parameter userBias;
    private final Parameter itemBias;
    private final YRange yRange;
    private final int factors;
    private final int[] users;
    private final int[] items;
    private final float[] ratings;
    private final RowBatcher userRows;
    private final RowBatcher itemRows;
    private final int[] userSlot;
    private final int[] itemSlot;
    // Gradients: per slot of the batch's distinct rows in touched-row mode, per table row in dense mode.
    private final float[] userFactorGrad;
    private final float[] itemFactorGrad;
    private final float[] userBiasGrad;
    private final float[] itemBiasGrad;
    // Direct buffers that hold the tables for DJL between epochs: factors and bias of users, then of items.
    private final ByteBuffer[] storage = new ByteBuffer[4];
    private float[] uf;
    private float[] itf;
    private float[] ub;
    private float[] ib;

    /**
     * Prepares the step; call {@link #load} before the first batch.
     *
     * @param block an {@link EmbeddingDot} or {@link EmbeddingDotBias}, initialised
     * @param optimizer an optimizer whose {@link CollabOptimizer#supportsHostUpdates()} is true
     * @param touchedRows whether to update only the rows each batch uses
     * @param users the user index of every training rating
     * @param items the item index of every training rating
     * @param ratings every training rating
     * @param batchSize the largest batch
     * @param threads the threads the optimizer update may use, the calling thread included
     */
    HostDotStep(CollabBlock block, CollabOptimizer optimizer, boolean touchedRows, int[] users, int[] items,
            float[] ratings, int batchSize, int threads) {
        if (!supports(block)) {
            throw new IllegalArgumentException("the host step trains EmbeddingDot and EmbeddingDotBias, not "
                    + block.getClass().getSimpleName());
        }
        this.optimizer = optimizer;
        this.touchedRows = touchedRows;
        // The calling thread takes a block of every split update: the pool needs one thread fewer.
        pool = threads > 1 ? new ForkJoinPool(threads - 1) : null;
        List<Parameter> userTables = block.getUserTables();
        List<Parameter> itemTables = block.getItemTables();
        // Tables in the order the blocks add them: factors, then (EmbeddingDotBias) the bias.
        userFactors = userTables.get(0);
        itemFactors = itemTables.get(0);
        userBias = userTables.size() > 1 ? userTables.get(1) : null;
        itemBias = itemTables.size() > 1 ? itemTables.get(1) : null;
        yRange = block.getYRange();
        factors = Math.toIntExact(userFactors.getArray().getShape().get(1));
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        int numUsers = block.getNumUsers();
        int numItems = block.getNumItems();
        userRows = new RowBatcher(numUsers);
        itemRows = new RowBatcher(numItems);
        int batch = Math.min(batchSize, users.length);
        userSlot = new int[batch];
        itemSlot = new int[batch];
        int userGradRows = touchedRows ? Math.min(batch, numUsers) : numUsers;
        int itemGradRows = touchedRows ? Math.min(batch, numItems) : numItems;
        userFactorGrad = new float[userGradRows * factors];
        itemFactorGrad = new float[itemGradRows * factors];
        userBiasGrad = userBias != null ? new float[userGradRows] : null;
        itemBiasGrad = itemBias != null ? new float[itemGradRows] : null;
    }

    /**
     * Returns whether a block is one the host step trains.
     *
     * @param block the block
     * @return {@code true} for {@link EmbeddingDot} and {@link EmbeddingDotBias}
     */
    static boolean supports(CollabBlock block) {
        // Exact classes: a subclass may override the forward, which the host step would silently ignore.
        return block.getClass() == EmbeddingDot.class || block.getClass() == EmbeddingDotBias.class;
    }

    /** Copies the block's weights into the host arrays. */
    void load() {
        uf = userFactors.getArray().toFloatArray();
        itf = itemFactors.getArray().toFloatArray();
        ub = userBias != null ? userBias.getArray().toFloatArray() : null;
        ib = itemBias != null ? itemBias.getArray().toFloatArray() : null;
    }

    /**
     * Catches every row up on the steps it missed (touched-row mode), then writes the host arrays back into the
     * block's weights, through one direct buffer per table that becomes the table's storage and is reused by every
     * later write.
     *
     * <p>On the CPU, DJL's {@code NDArray.set} makes a direct buffer the tensor's storage; given a {@code float[]},
     * it allocates a new direct buffer every time, and the old ones are freed only when the garbage collector
     * happens to run. The host step makes so little garbage that the collector seldom does: writing back each
     * epoch that way grew resident memory by a table's size per epoch (+16 % over 50 epochs on ml-latest-small).
     */
    void store() {
        if (touchedRows) {
            optimizer.catchUpHostRows(userFactors.getId(), uf, factors);
            optimizer.catchUpHostRows(itemFactors.getId(), itf, factors);
            if (userBias != null) {
                optimizer.catchUpHostRows(userBias.getId(), ub, 1);
                optimizer.catchUpHostRows(itemBias.getId(), ib, 1);
            }
        }
        write(userFactors, uf, 0);
        write(itemFactors, itf, 1);
        if (userBias != null) {
            write(userBias, ub, 2);
            write(itemBias, ib, 3);
        }
    }

    private void write(Parameter parameter, float[] values, int table) {
        ByteBuffer buffer = storage[table];
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder());
            storage[table] = buffer;
        }
        buffer.asFloatBuffer().put(values);
        // The same buffer again is no allocation: it re-points the tensor at it, in case something else (a
        // restore) gave the tensor other storage in between.
        parameter.getArray().set(buffer);
    }

    /**
     * One step on ratings {@code permutation[from .. to)}.
     *
     * @return the batch's mean squared error before the update
     */
    float trainBatch(long[] permutation, int from, int to) {
        int size = to - from;
        userRows.start();
        itemRows.start();
        for (int k = 0; k < size; k++) {
            int row = (int) permutation[from + k];
            userSlot[k] = userRows.slot(users[row]);
            itemSlot[k] = itemRows.slot(items[row]);
        }
        int userCount = userRows.count();
        int itemCount = itemRows.count();
        int[] userIndex = userRows.rows();
        int[] itemIndex = itemRows.rows();
        if (touchedRows) {
            // The forward pass must see the rows as dense updates would have left them.
            optimizer.catchUpHostRows(userFactors.getId(), uf, factors, userIndex, userCount);
            optimizer.catchUpHostRows(itemFactors.getId(), itf, factors, itemIndex, itemCount);
            if (userBias != null) {
                optimizer.catchUpHostRows(userBias.getId(), ub, 1, userIndex, userCount);
                optimizer.catchUpHostRows(itemBias.getId(), ib, 1, itemIndex, itemCount);
            }
            Arrays.fill(userFactorGrad, 0, userCount * factors, 0f);
            Arrays.fill(itemFactorGrad, 0, itemCount * factors, 0f);
            if (userBias != null) {
                Arrays.fill(userBiasGrad, 0, userCount, 0f);
                Arrays.fill(itemBiasGrad, 0, itemCount, 0f);
            }
        }
        float range = yRange != null ? yRange.high() - yRange.low() : 1f;
        float scale = 2f / size;
        double sumSquares = 0;
        for (int k = 0; k < size; k++) {
            int u = userIndex[userSlot[k]];
            int i = itemIndex[itemSlot[k]];
            int uo = u * factors;
            int io = i * factors;
            float x = Kernel.dot(uf, uo, itf, io, factors);
            if (userBias != null) {
                x = Kernel.withBiases(x, ub[u], ib[i]);
            }
            float prediction;
            float slope;
            if (yRange != null) {
                float s = Kernel.sigmoid(x);
                prediction = Kernel.toRange(s, yRange.low(), yRange.high());
                slope = s * (1 - s) * range;
            } else {
                prediction = x;
                slope = 1f;
            }
            float error = prediction - ratings[(int) permutation[from + k]];
            sumSquares += (double) error * error;
            float d = scale * error * slope;
            int ug = touchedRows ? userSlot[k] : u;
            int ig = touchedRows ? itemSlot[k] : i;
            int ugo = ug * factors;
            int igo = ig * factors;
            for (int c = 0; c < factors; c++) {
                userFactorGrad[ugo + c] += d * itf[io + c];
                itemFactorGrad[igo + c] += d * uf[uo + c];
            }
            if (userBias != null) {
                userBiasGrad[ug] += d;
                itemBiasGrad[ig] += d;
            }
        }
        if (touchedRows) {
            optimizer.updateHostRows(userFactors.getId(), uf, factors, userIndex, userCount, userFactorGrad, pool);
            optimizer.updateHostRows(itemFactors.getId(), itf, factors, itemIndex, itemCount, itemFactorGrad, pool);
            if (userBias != null) {
                optimizer.updateHostRows(userBias.getId(), ub, 1, userIndex, userCount, userBiasGrad);
                optimizer.updateHostRows(itemBias.getId(), ib, 1, itemIndex, itemCount, itemBiasGrad);
            }
        } else {
            optimizer.updateHost(userFactors.getId(), uf, userFactorGrad, pool);
            optimizer.updateHost(itemFactors.getId(), itf, itemFactorGrad, pool);
            if (userBias != null) {
                optimizer.updateHost(userBias.getId(), ub, userBiasGrad);
                optimizer.updateHost(itemBias.getId(), ib, itemBiasGrad);
            }
            // Only the batch's rows hold gradient: clear those, not the whole tables.
            clearRows(userFactorGrad, userBiasGrad, userIndex, userCount);
            clearRows(itemFactorGrad, itemBiasGrad, itemIndex, itemCount);
        }
        return (float) (sumSquares / size);
    }

    private void clearRows(float[] factorGrad, float[] biasGrad, int[] rows, int count) {
        for (int s = 0; s < count; s++) {
            int row = rows[s];
            Arrays.fill(factorGrad, row * factors, (row + 1) * factors, 0f);
            if (biasGrad != null) {
                biasGrad[row] = 0f;
            }
        }
    }

    /** Stops the update threads, if any. */
    void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
