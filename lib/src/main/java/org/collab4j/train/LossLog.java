package org.collab4j.train;

import java.util.Arrays;

/** The losses a host-side step has computed since the loop last took them. */
final class LossLog {
    private float[] values = new float[64];
    private int count;

    void add(float loss) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = loss;
    }

    float[] take() {
        float[] result = Arrays.copyOf(values, count);
        count = 0;
        return result;
    }
}
