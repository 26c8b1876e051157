package org.collab4j.train.step;

import java.nio.ByteBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * Finds the distinct indices of a batch on the host in O(batch): a stamp per table row says whether the row
 * already has a slot in this batch, so nothing is cleared between batches.
 */
final class RowBatcher {
    private final int[] stamp;
    private final int[] slotOf;
    private int[] distinct = new int[64];
    private int count;
    private int batch;

    RowBatcher(int rows) {
        stamp = new int[rows];
        slotOf = new int[rows];
    }

    void start() {
        batch++;
        count = 0;
    }

    int slot(int row) {
        if (stamp[row] != batch) {
            stamp[row] = batch;
            if (count == distinct.length) {
                distinct = Arrays.copyOf(distinct, count * 2);
            }
            distinct[count] = row;
            slotOf[row] = count++;
        }
        return slotOf[row];
    }

    /** The number of distinct rows in this batch. */
    int count() {
        return count;
    }

    /** The distinct rows in slot order: entry {@code s} of the first {@link #count()} is the row of slot s. */
    int[] rows() {
        return distinct;
    }

    /** Writes the distinct rows into {@code buffer} and returns how many there are. */
    int distinct(ByteBuffer buffer) {
        LongBuffer longs = buffer.clear().asLongBuffer();
        for (int s = 0; s < count; s++) {
            longs.put(s, distinct[s]);
        }
        return count;
    }
}
