package org.collab4j.train.step;

import org.collab4j.train.optimizer.HostSplit;

import java.util.Arrays;

/**
 * The host engine's chain rule from scores into the batch's rows, summed over the engine's threads. Each scored
 * pair of a user and an item contributes, with {@code d = ∂loss/∂s_ui},
 *
 * <pre>
 * ∂loss/∂U[u] += d · I[i];   ∂loss/∂I[i] += d · U[u];   ∂loss/∂b_u += d;   ∂loss/∂b_i += d
 * </pre>
 *
 * <p>The engine {@link #add adds} pairs in the order it meets them; {@link #flush} sums them into the gradients of
 * the rows. A counting sort gives every user slot, and every item slot, its pairs in the order they were added,
 * and the slots are split over the threads in blocks of about the same number of pairs: each gradient value is
 * summed on one thread, from its row's first pair to its last, so it is the same sequence of float additions as
 * one thread adding pair after pair, and the gradients are the same bit for bit on any number of threads. A batch
 * too small to be worth splitting ({@link HostSplit#blocks}) is summed on the calling thread.
 *
 * <p>The gradients are per slot of the batch's distinct rows in touched-row mode, per table row in dense mode; the
 * engine zeroes them before the first pair of a batch. Pairs added after a flush go on adding to the same
 * gradients (the listwise engine flushes when the pairs of a batch exceed the capacity), in the same order.
 */
final class PairGradients {

    private final int factors;
    private final boolean bySlot;
    private final float[] userFactorGrad;
    private final float[] itemFactorGrad;
    private final float[] userBiasGrad;
    private final float[] itemBiasGrad;
    // The pairs since the last flush, in the order added.
    private final int[] pairUser;
    private final int[] pairItem;
    private final float[] pairD;
    private int size;
    // The counting sort: slot s's pairs are byUser[userStart[s] .. userStart[s + 1]), in the order added.
    private final int[] byUser;
    private final int[] byItem;
    private int[] userStart = new int[1];
    private int[] itemStart = new int[1];
    private int[] cursor = new int[0];

    /**
     * @param capacity the most pairs between two flushes
     * @param factors the factors per row
     * @param bySlot whether the gradients are per slot (touched rows) or per table row (dense)
     * @param userFactorGrad the user factors' gradient, row-major
     * @param itemFactorGrad the item factors' gradient, row-major
     * @param userBiasGrad the user bias's gradient, or {@code null} where it is not trained
     * @param itemBiasGrad the item bias's gradient, or {@code null} where the model has none
     */
    PairGradients(int capacity, int factors, boolean bySlot, float[] userFactorGrad, float[] itemFactorGrad,
            float[] userBiasGrad, float[] itemBiasGrad) {
        this.factors = factors;
        this.bySlot = bySlot;
        this.userFactorGrad = userFactorGrad;
        this.itemFactorGrad = itemFactorGrad;
        this.userBiasGrad = userBiasGrad;
        this.itemBiasGrad = itemBiasGrad;
        pairUser = new int[capacity];
        pairItem = new int[capacity];
        pairD = new float[capacity];
        byUser = new int[capacity];
        byItem = new int[capacity];
    }

    /** The most pairs between two flushes. */
    int capacity() {
        return pairD.length;
    }

    /** The pairs added since the last flush. */
    int size() {
        return size;
    }

    /**
     * Adds a scored pair.
     *
     * @param userSlot the user's slot among the batch's rows
     * @param itemSlot the item's slot among the batch's rows
     * @param d the derivative of the loss by the pair's score
     * @throws ArrayIndexOutOfBoundsException if {@link #capacity()} pairs wait for a flush
     */
    void add(int userSlot, int itemSlot, float d) {
        pairUser[size] = userSlot;
        pairItem[size] = itemSlot;
        pairD[size] = d;
        size++;
    }

    /**
     * Adds the pairs since the last flush into the gradients and forgets them.
     *
     * @param split the threads to share the sums with, or {@code null}
     * @param uf the user factors the scores read
     * @param itf the item factors the scores read
     * @param userRows the batch's distinct users, by slot
     * @param userCount how many there are
     * @param itemRows the batch's distinct items, by slot
     * @param itemCount how many there are
     */
    void flush(HostSplit split, float[] uf, float[] itf, int[] userRows, int userCount, int[] itemRows,
            int itemCount) {
        if (size == 0) {
            return;
        }
        userStart = sortBySlot(pairUser, userCount, userStart, byUser);
        itemStart = sortBySlot(pairItem, itemCount, itemStart, byItem);
        // Tasks 0 .. userCount - 1 are the user slots, then the item slots; each pair is work on either side. Slots
        // past the last block's end have no pairs.
        int blocks = HostSplit.blocks(split, 2L * size * factors);
        if (blocks == 1) {
            for (int s = 0; s < userCount; s++) {
                sumUser(s, userRows, itemRows, itf);
            }
            for (int s = 0; s < itemCount; s++) {
                sumItem(s, userRows, itemRows, uf);
            }
            size = 0;
            return;
        }
        split.run(blocks, b -> {
            int from = firstTask(2L * size * b / blocks, userCount, itemCount);
            int to = firstTask(2L * size * (b + 1) / blocks, userCount, itemCount);
            for (int t = from; t < to; t++) {
                if (t < userCount) {
                    sumUser(t, userRows, itemRows, itf);
                } else {
                    sumItem(t - userCount, userRows, itemRows, uf);
                }
            }
        });
        size = 0;
    }

    /** The first task whose pairs start at or after {@code pair} of the users' pairs followed by the items'. */
    private int firstTask(long pair, int userCount, int itemCount) {
        if (pair <= size) {
            return firstSlot(userStart, userCount, (int) pair);
        }
        return userCount + firstSlot(itemStart, itemCount, (int) (pair - size));
    }

    /** The smallest slot {@code s ≤ count} with {@code start[s] ≥ pair} ({@code start[count]} is the pair count). */
    private static int firstSlot(int[] start, int count, int pair) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (start[mid] >= pair) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** A stable counting sort of the pairs by their slot on one side; returns the slots' starts. */
    private int[] sortBySlot(int[] slotOf, int slots, int[] start, int[] order) {
        if (start.length < slots + 1) {
            start = new int[Math.max(slots + 1, 2 * start.length)];
        }
        if (cursor.length < slots) {
            cursor = new int[Math.max(slots, 2 * cursor.length)];
        }
        Arrays.fill(start, 0, slots + 1, 0);
        for (int e = 0; e < size; e++) {
            start[slotOf[e] + 1]++;
        }
        for (int s = 0; s < slots; s++) {
            start[s + 1] += start[s];
        }
        System.arraycopy(start, 0, cursor, 0, slots);
        for (int e = 0; e < size; e++) {
            order[cursor[slotOf[e]]++] = e;
        }
        return start;
    }

    /** User slot {@code s}'s gradient: {@code d · I[i]} over its pairs, in the order added. */
    private void sumUser(int s, int[] userRows, int[] itemRows, float[] itf) {
        int g = bySlot ? s : userRows[s];
        int go = g * factors;
        for (int p = userStart[s]; p < userStart[s + 1]; p++) {
            int e = byUser[p];
            float d = pairD[e];
            int io = itemRows[pairItem[e]] * factors;
            for (int c = 0; c < factors; c++) {
                userFactorGrad[go + c] += d * itf[io + c];
            }
            if (userBiasGrad != null) {
                userBiasGrad[g] += d;
            }
        }
    }

    /** Item slot {@code s}'s gradient: {@code d · U[u]} over its pairs, in the order added. */
    private void sumItem(int s, int[] userRows, int[] itemRows, float[] uf) {
        int g = bySlot ? s : itemRows[s];
        int go = g * factors;
        for (int p = itemStart[s]; p < itemStart[s + 1]; p++) {
            int e = byItem[p];
            float d = pairD[e];
            int uo = userRows[pairUser[e]] * factors;
            for (int c = 0; c < factors; c++) {
                itemFactorGrad[go + c] += d * uf[uo + c];
            }
            if (itemBiasGrad != null) {
                itemBiasGrad[g] += d;
            }
        }
    }
}
