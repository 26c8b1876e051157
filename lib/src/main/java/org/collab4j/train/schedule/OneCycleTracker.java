package org.collab4j.train.schedule;

import ai.djl.training.tracker.Tracker;

/**
 * fast.ai's one-cycle shape: a cosine from a start value to a peak over the first part of training, then a
 * cosine from the peak to an end value. Steps count from 0; steps past the end return the end value.
 *
 * <p>For the learning rate ({@link #learningRate}): {@code maxLr/25 → maxLr → maxLr/1e5}, peak at 25 % of the
 * steps. For the momentum ({@link #momentum}): {@code 0.95 → 0.85 → 0.95}, so momentum is low while the
 * learning rate is high.
 */
public final class OneCycleTracker implements Tracker {

    private final int totalSteps;
    private final float start;
    private final float peak;
    private final float end;
    private final float pctStart;

    OneCycleTracker(Builder builder) {
        totalSteps = builder.totalSteps;
        start = builder.start;
        peak = builder.peak;
        end = builder.end;
        pctStart = builder.pctStart;
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
     * The one-cycle learning rate of fast.ai: {@code maxLr/25 → maxLr → maxLr/1e5}, peak at 25 %.
     *
     * @param maxLr the peak learning rate
     * @param totalSteps the number of optimizer steps in the fit
     * @return the tracker
     */
    public static OneCycleTracker learningRate(float maxLr, int totalSteps) {
        return builder().setTotalSteps(totalSteps).setValues(maxLr / 25f, maxLr, maxLr / 1e5f).build();
    }

    /**
     * The one-cycle momentum (β1 for Adam) of fast.ai: {@code 0.95 → 0.85 → 0.95}, turning at 25 %.
     *
     * @param totalSteps the number of optimizer steps in the fit
     * @return the tracker
     */
    public static OneCycleTracker momentum(int totalSteps) {
        return builder().setTotalSteps(totalSteps).setValues(0.95f, 0.85f, 0.95f).build();
    }

    /** {@inheritDoc} */
    @Override
    public float getNewValue(int numUpdate) {
        float pos = Math.min(1f, Math.max(0f, (float) numUpdate / totalSteps));
        if (pos < pctStart) {
            return cosine(start, peak, pos / pctStart);
        }
        return cosine(peak, end, (pos - pctStart) / (1 - pctStart));
    }

    /** fast.ai's {@code sched_cos}: from {@code a} at 0 to {@code b} at 1 along half a cosine. */
    static float cosine(float a, float b, float pos) {
        return (float) (a + (1 + Math.cos(Math.PI * (1 - pos))) * (b - a) / 2);
    }

    @Override
    public String toString() {
        return "OneCycle(" + start + " -> " + peak + " -> " + end + ", pctStart=" + pctStart + ", steps=" + totalSteps
                + ")";
    }

    /** Builds a {@link OneCycleTracker}. */
    public static final class Builder {

        int totalSteps;
        float start = Float.NaN;
        float peak = Float.NaN;
        float end = Float.NaN;
        float pctStart = 0.25f;

        Builder() {}

        /**
         * Sets the number of steps of the whole cycle (required).
         *
         * @param totalSteps the number of steps, at least 1
         * @return this builder
         */
        public Builder setTotalSteps(int totalSteps) {
            this.totalSteps = totalSteps;
            return this;
        }

        /**
         * Sets the value at the start, at the turn and at the end (required).
         *
         * @param start the value at step 0
         * @param peak the value at the turn
         * @param end the value at the last step
         * @return this builder
         */
        public Builder setValues(float start, float peak, float end) {
            this.start = start;
            this.peak = peak;
            this.end = end;
            return this;
        }

        /**
         * Sets where the turn is, as a fraction of the steps (default 0.25).
         *
         * @param pctStart the fraction, in {@code (0, 1)}
         * @return this builder
         */
        public Builder optPctStart(float pctStart) {
            this.pctStart = pctStart;
            return this;
        }

        /**
         * Builds the tracker.
         *
         * @return the tracker
         * @throws IllegalArgumentException if a setting is missing or out of range
         */
        public OneCycleTracker build() {
            if (totalSteps < 1) {
                throw new IllegalArgumentException("totalSteps must be at least 1, got " + totalSteps);
            }
            if (!Float.isFinite(start) || !Float.isFinite(peak) || !Float.isFinite(end)) {
                throw new IllegalArgumentException("call setValues(start, peak, end) with finite values");
            }
            if (!(pctStart > 0f && pctStart < 1f)) {
                throw new IllegalArgumentException("pctStart must be in (0, 1), got " + pctStart);
            }
            return new OneCycleTracker(this);
        }
    }
}
