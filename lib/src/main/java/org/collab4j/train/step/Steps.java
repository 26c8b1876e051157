package org.collab4j.train.step;

/** Small helpers the training steps share. */
final class Steps {

    private Steps() {}

    static long[] toLongs(int[] values) {
        long[] result = new long[values.length];
        for (int k = 0; k < values.length; k++) {
            result[k] = values[k];
        }
        return result;
    }
}
