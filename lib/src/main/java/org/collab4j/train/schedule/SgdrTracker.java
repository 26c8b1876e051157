package org.collab4j.train.schedule;

import ai.djl.training.tracker.Tracker;

/**
 * SGDR, cosine annealing with warm restarts (Loshchilov &amp; Hutter, 2017), as fast.ai's {@code cycle_len} and
 * {@code cycle_mult}: within each cycle the value falls from the maximum to the minimum along half a cosine, then
 * jumps back to the maximum; each cycle is {@code cycleMult} times as long as the one before. Steps count from 0.
 */
public final class SgdrTracker implements Tracker {

    private final float max;
    private final float min;
    private final int firstCycle;
    private final int cycleMult;

    SgdrTracker(Builder builder) {
        max = builder.max;
        min = builder.min;
        firstCycle = builder.firstCycle;
        cycleMult = builder.cycleMult;
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the total number of steps of a number of cycles.
     *
     * @param cycles the number of cycles
     * @param firstCycle the length of the first cycle
     * @param cycleMult the growth of each cycle
     * @return the total length
     */
    public static long totalSteps(int cycles, int firstCycle, int cycleMult) {
        long total = 0;
        long length = firstCycle;
        for (int c = 0; c < cycles; c++) {
            total += length;
            length *= cycleMult;
        }
        return total;
    }

    /** {@inheritDoc} */
    @Override
    public float getNewValue(int numUpdate) {
        long start = 0;
        long length = firstCycle;
        while (numUpdate >= start + length) {
            start += length;
            length *= cycleMult;
        }
        float pos = (float) (numUpdate - start) / length;
        return OneCycleTracker.cosine(max, min, pos);
    }

    @Override
    public String toString() {
        return "SGDR(" + max + " -> " + min + ", first cycle " + firstCycle + " steps, x" + cycleMult + ")";
    }

    /** Builds an {@link SgdrTracker}. */
    public static final class Builder {

        float max = Float.NaN;
        float min;
        int firstCycle;
        int cycleMult = 1;

        Builder() {}

        /**
         * Sets the value at the start of every cycle (required).
         *
         * @param max the maximum, finite and positive
         * @return this builder
         */
        public Builder setMaxValue(float max) {
            this.max = max;
            return this;
        }

        /**
         * Sets the value each cycle anneals towards (default 0).
         *
         * @param min the minimum, finite, at most the maximum
         * @return this builder
         */
        public Builder optMinValue(float min) {
            this.min = min;
            return this;
        }

        /**
         * Sets the length of the first cycle in steps (required).
         *
         * @param steps the length, at least 1
         * @return this builder
         */
        public Builder setCycleSteps(int steps) {
            this.firstCycle = steps;
            return this;
        }

        /**
         * Sets how many times longer each cycle is than the one before (default 1).
         *
         * @param cycleMult the factor, at least 1
         * @return this builder
         */
        public Builder optCycleMult(int cycleMult) {
            this.cycleMult = cycleMult;
            return this;
        }

        /**
         * Builds the tracker.
         *
         * @return the tracker
         * @throws IllegalArgumentException if a setting is missing or out of range
         */
        public SgdrTracker build() {
            if (!(max > 0) || Float.isInfinite(max)) {
                throw new IllegalArgumentException("call setMaxValue with a finite value > 0, got " + max);
            }
            if (!Float.isFinite(min) || min > max) {
                throw new IllegalArgumentException("min must be finite and at most max, got " + min);
            }
            if (firstCycle < 1) {
                throw new IllegalArgumentException("cycle length must be at least 1 step, got " + firstCycle);
            }
            if (cycleMult < 1) {
                throw new IllegalArgumentException("cycleMult must be at least 1, got " + cycleMult);
            }
            return new SgdrTracker(this);
        }
    }
}
