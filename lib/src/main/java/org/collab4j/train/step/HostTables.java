package org.collab4j.train.step;

import ai.djl.nn.Parameter;

import org.collab4j.model.CollabBlock;
import org.collab4j.util.NDArrays;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The tables of a dot block ({@code EmbeddingDot}, {@code EmbeddingDotBias}) as {@code float[]} copies in the Java
 * heap, for the engines that train in plain Java (the host engine, the ALS engine): user and item factors, and the
 * bias tables where the block has them and the objective trains them.
 *
 * <p>The block's {@link Parameter}s stay the weights everyone else reads: {@link #load} copies them in,
 * {@link #store} writes the copies back, through one direct buffer per table that becomes the table's storage and
 * is reused by every later write. On the CPU, DJL's {@code NDArray.set} makes a direct buffer the tensor's storage;
 * given a {@code float[]}, it allocates a new direct buffer every time, and the old ones are freed only when the
 * garbage collector happens to run. The host engine makes so little garbage that the collector seldom does:
 * writing back each epoch that way grew resident memory by a table's size per epoch (+16 % over 50 epochs on
 * ml-latest-small).
 *
 * <p>Part of the learner's machinery: public so that {@code CollabLearner} (package {@code org.collab4j.train}) can
 * build and run it, as DJL's engine classes are public; not an API of its own.
 */
public final class HostTables {

    private final Parameter userFactors;
    private final Parameter itemFactors;
    private final Parameter userBias;
    private final Parameter itemBias;
    private final int factors;
    // Factors and bias of users, then of items.
    private final ByteBuffer[] storage = new ByteBuffer[4];
    float[] uf;
    float[] itf;
    float[] ub;
    float[] ib;

    /**
     * Takes the block's tables (in the order the blocks add them: factors, then the bias).
     *
     * @param block an {@code EmbeddingDot} or {@code EmbeddingDotBias}
     * @param userBias whether to copy (and train) the user bias: a ranking objective leaves it out, since a
     *     user's bias cannot change that user's ranking
     */
    public HostTables(CollabBlock block, boolean userBias) {
        userFactors = block.getUserTables().get(0);
        itemFactors = block.getItemTables().get(0);
        this.userBias = userBias && block.getUserTables().size() > 1 ? block.getUserTables().get(1) : null;
        itemBias = block.getItemTables().size() > 1 ? block.getItemTables().get(1) : null;
        factors = Math.toIntExact(userFactors.getArray().getShape().get(1));
    }

    /** @return the factors per row */
    public int factors() {
        return factors;
    }

    /** @return the user factors, {@code users × factors}, row-major, as {@link #load} left them (not a copy) */
    public float[] userFactorValues() {
        return uf;
    }

    /** @return the item factors, {@code items × factors}, row-major (not a copy) */
    public float[] itemFactorValues() {
        return itf;
    }

    Parameter userFactors() {
        return userFactors;
    }

    Parameter itemFactors() {
        return itemFactors;
    }

    /** @return the user bias parameter, or {@code null} if not copied */
    Parameter userBias() {
        return userBias;
    }

    /** @return the item bias parameter, or {@code null} if the block has none */
    Parameter itemBias() {
        return itemBias;
    }

    /** Copies the block's weights into the host arrays. */
    public void load() {
        uf = NDArrays.toFloatArray(userFactors.getArray());
        itf = NDArrays.toFloatArray(itemFactors.getArray());
        ub = userBias != null ? NDArrays.toFloatArray(userBias.getArray()) : null;
        ib = itemBias != null ? NDArrays.toFloatArray(itemBias.getArray()) : null;
    }

    /** Writes the host arrays back into the block's weights. */
    public void store() {
        write(userFactors, uf, 0);
        write(itemFactors, itf, 1);
        if (userBias != null) {
            write(userBias, ub, 2);
        }
        if (itemBias != null) {
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
}
