package org.collab4j.train;

import ai.djl.training.tracker.Tracker;

import org.collab4j.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * fast.ai's learning-rate finder (Leslie Smith's range test): train a few hundred batches while the learning
 * rate grows exponentially from tiny to huge, record the smoothed loss, stop once it has clearly diverged, then
 * put the weights back as they were.
 *
 * <pre>{@code
 * LrFinder.Result found = LrFinder.builder().build().find(learner);
 * learner.fitOneCycle(5, found.suggestedLearningRate());
 * }</pre>
 *
 * <p>The suggestion is fast.ai's {@code valley} (its default since fastai 2.4): along the longest stretch over
 * which the smoothed loss keeps falling, the point halfway through its middle third. fast.ai's older rule, a
 * tenth of the rate at the lowest loss, is {@link Result#minLossLearningRate()}{@code / 10}.
 */
public final class LrFinder {


    private final float startLr;
    private final float endLr;
    private final int steps;
    private final float divergeFactor;

    private LrFinder(Builder builder) {
        startLr = builder.startLr;
        endLr = builder.endLr;
        steps = builder.steps;
        divergeFactor = builder.divergeFactor;
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
     * Runs the sweep on a learner, then restores its weights and resets its optimizer state.
     *
     * @param learner the learner
     * @return the curve and the suggestion
     */
    public Result find(CollabLearner learner) {
        WeightsSnapshot before = learner.snapshotWeights();
        float momentum = learner.getOptimizer().getMomentum();
        double ratio = Math.log(endLr / startLr);
        Tracker lr = step -> (float) (startLr * Math.exp(ratio * step / (steps - 1)));
        List<Point> points = new ArrayList<>();
        SmoothedLoss smoothing = new SmoothedLoss();
        double[] best = {Double.POSITIVE_INFINITY};
        try {
            learner.trainSteps(lr, steps, loss -> {
                int k = points.size();
                double smoothed = smoothing.add(loss, k);
                points.add(new Point(lr.getNewValue(k), loss, smoothed));
                best[0] = Math.min(best[0], smoothed);
                return !Double.isFinite(smoothed) || k > 10 && smoothed > divergeFactor * best[0];
            });
        } finally {
            learner.restoreWeights(before);
            learner.getOptimizer().resetState();
            learner.getOptimizer().setMomentum(momentum);
        }
        return new Result(points);
    }

    /**
     * One step of the sweep.
     *
     * @param learningRate the learning rate of the step
     * @param loss the batch's loss
     * @param smoothedLoss the debiased exponential moving average of the losses so far (β 0.98)
     */
    public record Point(double learningRate, double loss, double smoothedLoss) {}

    /** The curve of a sweep and the learning rate it suggests. */
    public static final class Result {

        private final List<Point> points;

        Result(List<Point> points) {
            if (points.isEmpty()) {
                throw new IllegalStateException("the LR finder took no step");
            }
            this.points = Collections.unmodifiableList(points);
        }

        /**
         * Returns every step of the sweep, in order.
         *
         * @return the points
         */
        public List<Point> points() {
            return points;
        }

        /**
         * Returns the learning rate at which the smoothed loss was lowest.
         *
         * @return the learning rate of the minimum
         */
        public double minLossLearningRate() {
            Point best = points.get(0);
            for (Point p : points) {
                if (p.smoothedLoss() < best.smoothedLoss()) {
                    best = p;
                }
            }
            return best.learningRate();
        }

        /**
         * Returns the suggested (maximum) learning rate, fast.ai's {@code valley}: find the longest sequence of
         * steps over which the smoothed loss keeps decreasing, and take the point halfway through its middle
         * third.
         *
         * @return the suggestion
         */
        public float suggestedLearningRate() {
            int n = points.size();
            int[] length = new int[n];
            int maxEnd = 0;
            for (int i = 0; i < n; i++) {
                length[i] = 1;
                for (int j = 0; j < i; j++) {
                    if (points.get(i).smoothedLoss() < points.get(j).smoothedLoss() && length[i] < length[j] + 1) {
                        length[i] = length[j] + 1;
                    }
                }
                if (length[i] > length[maxEnd]) {
                    maxEnd = i;
                }
            }
            int maxStart = maxEnd - length[maxEnd];
            double sections = (maxEnd - maxStart) / 3.0;
            int index = Math.max(0, Math.min(n - 1, maxStart + (int) sections + (int) (sections / 2)));
            return (float) points.get(index).learningRate();
        }

        /**
         * Writes the curve as CSV ({@code lr,loss,smoothed_loss}), through a temporary file moved into place.
         *
         * @param file the CSV file
         * @throws IOException if it cannot be written
         */
        public void writeCsv(Path file) throws IOException {
            AtomicFiles.writeText(file, w -> {
                w.write("lr,loss,smoothed_loss\n");
                for (Point p : points) {
                    w.write(String.format(Locale.ROOT, "%.6g,%.6g,%.6g%n", p.learningRate(), p.loss(),
                            p.smoothedLoss()));
                }
            });
        }
    }

    /** Builds an {@link LrFinder}. */
    public static final class Builder {

        float startLr = 1e-7f;
        float endLr = 10f;
        int steps = 100;
        float divergeFactor = 4f;

        Builder() {}

        /**
         * Sets the learning-rate range of the sweep (default 1e-7 to 10).
         *
         * @param start the first learning rate, positive
         * @param end the last learning rate, greater than {@code start}
         * @return this builder
         */
        public Builder optRange(float start, float end) {
            this.startLr = start;
            this.endLr = end;
            return this;
        }

        /**
         * Sets the number of steps (batches) of the sweep (default 100).
         *
         * @param steps the number of steps, at least 10
         * @return this builder
         */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        /**
         * Sets when the sweep stops: once the smoothed loss exceeds this multiple of its minimum (default 4).
         *
         * @param factor the factor, greater than 1
         * @return this builder
         */
        public Builder optDivergeFactor(float factor) {
            this.divergeFactor = factor;
            return this;
        }

        /**
         * Builds the finder.
         *
         * @return the finder
         * @throws IllegalArgumentException if a setting is out of range
         */
        public LrFinder build() {
            if (!(startLr > 0f) || !(endLr > startLr) || Float.isInfinite(endLr)) {
                throw new IllegalArgumentException("the LR range must satisfy 0 < start < end, got " + startLr
                        + " to " + endLr);
            }
            if (steps < 10) {
                throw new IllegalArgumentException("the sweep needs at least 10 steps, got " + steps);
            }
            if (!(divergeFactor > 1f)) {
                throw new IllegalArgumentException("divergeFactor must be > 1, got " + divergeFactor);
            }
            return new LrFinder(this);
        }
    }
}
