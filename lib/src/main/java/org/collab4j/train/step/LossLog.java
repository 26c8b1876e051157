package org.collab4j.train.step;

import java.util.Arrays;

/**
 * The losses a host-side engine has computed since the loop last took them.
 *
 * <p>Part of the learner's machinery (the ALS engine keeps one too); not an API of its own.
 */
public final class LossLog {
    private float[] values = new float[64];
    private int count;

    /**
     * Keeps a batch's loss.
     *
     * @param loss the loss
     */
    public void add(float loss) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = loss;
    }

    /**
     * Returns the losses kept since the last call, in order, and forgets them.
     *
     * @return the losses
     */
    public float[] take() {
        float[] result = Arrays.copyOf(values, count);
        count = 0;
        return result;
    }
}
