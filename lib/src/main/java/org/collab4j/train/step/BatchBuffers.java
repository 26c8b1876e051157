package org.collab4j.train.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Direct buffers, reused by every batch, that the batch's index and rating arrays are made from. On the CPU
 * PyTorch uses a direct buffer's memory as is (no copy), and a buffer allocated per batch would be freed only
 * when the Java GC runs, which let RSS climb for many epochs.
 */
final class BatchBuffers {
    final ByteBuffer users;
    final ByteBuffer items;
    final ByteBuffer userInverse;
    final ByteBuffer itemInverse;
    final ByteBuffer ratings;

    BatchBuffers(int batchSize) {
        users = allocate(batchSize, Long.BYTES);
        items = allocate(batchSize, Long.BYTES);
        userInverse = allocate(batchSize, Long.BYTES);
        itemInverse = allocate(batchSize, Long.BYTES);
        ratings = allocate(batchSize, Float.BYTES);
    }

    private static ByteBuffer allocate(int count, int bytes) {
        return ByteBuffer.allocateDirect(count * bytes).order(ByteOrder.nativeOrder());
    }

    NDArray array(NDManager manager, ByteBuffer buffer, int count) {
        return manager.create(buffer.slice(0, count * Long.BYTES).order(ByteOrder.nativeOrder()),
                new Shape(count), DataType.INT64);
    }

    NDArray floats(NDManager manager, ByteBuffer buffer, int count) {
        return manager.create(buffer.slice(0, count * Float.BYTES).order(ByteOrder.nativeOrder()),
                new Shape(count), DataType.FLOAT32);
    }
}
