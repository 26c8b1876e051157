package org.collab4j.train.optimizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Adam (AdamW with the default decoupled weight decay), with β1 taken from {@link #getMomentum()} at every step
 * so that a schedule can move it.
 *
 * <pre>
 * m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²
 * w = w - lr·√(1-β2^t)/(1-β1^t) · m / (√v + ε)
 * </pre>
 *
 * <p>The step is DJL's fused native Adam update, one call per parameter. Defaults are fast.ai's: β2 0.99, ε 1e-5.
 */
public class Adam extends CollabOptimizer {

    private final float beta2;
    private final float epsilon;

    Adam(Builder builder) {
        super(builder);
        beta2 = builder.beta2;
        epsilon = builder.epsilon;
    }

    /**
     * Returns a builder; with its defaults it builds AdamW without weight decay, β2 0.99, ε 1e-5.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected boolean step(String parameterId, int t, NDArray weight, NDArray grad, float lr) {
        float beta1 = getMomentum();
        double biasCorrection = Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        NDArray mean = state(parameterId, "mean", weight);
        NDArray variance = state(parameterId, "variance", weight);
        // Weight decay and clipping were applied by CollabOptimizer: pass none to the fused op.
        weight.getNDArrayInternal()
                .adamUpdate(new NDList(weight, grad, mean, variance), new NDList(weight), lr,
                        (float) (lr * biasCorrection), 0f, rescaleGrad, -1f, beta1, beta2, epsilon, false, false);
        // DJL's PtNDArrayEx.adamUpdate zeroes the weight's gradient after the native step (checked: the dense
        // results are bit-identical with an extra zeroing).
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The same fused op as {@link #step}: it takes its numbers as arguments, so no scalar array is needed.
     */
    @Override
    protected boolean stepOnDevice(String parameterId, int t, NDArray weight, NDArray grad, float lr,
            DeviceScalars scalars) {
        return step(parameterId, t, weight, grad, lr);
    }

    /**
     * {@inheritDoc}
     *
     * @return {@code true}
     */
    @Override
    public boolean supportsDeviceUpdates() {
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The arithmetic of DJL's fused op as {@link #step} calls it, element by element.
     */
    @Override
    protected HostStep hostStep(String parameterId, int t, int size, float lr) {
        float beta1 = getMomentum();
        double biasCorrection = Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        float lrCorrected = (float) (lr * biasCorrection);
        float[] mean = hostState(parameterId, "mean", size);
        float[] variance = hostState(parameterId, "variance", size);
        // Kept only where rows are caught up (hostCoaster made it): the direction the missed steps move along.
        float[] direction = hostStateIfPresent(parameterId, "direction");
        float oneMinusBeta1 = 1 - beta1;
        float oneMinusBeta2 = 1 - beta2;
        if (direction != null) {
            return (weight, offset, grad, gradOffset, length, keep) -> {
                for (int j = 0; j < length; j++) {
                    int w = offset + j;
                    float g = grad[gradOffset + j];
                    float m = mean[w] * beta1 + oneMinusBeta1 * g;
                    float v = variance[w] * beta2 + oneMinusBeta2 * g * g;
                    mean[w] = m;
                    variance[w] = v;
                    float d = m / ((float) Math.sqrt(v) + epsilon);
                    direction[w] = d;
                    weight[w] = weight[w] * keep - d * lrCorrected;
                }
            };
        }
        return (weight, offset, grad, gradOffset, length, keep) -> {
            for (int j = 0; j < length; j++) {
                int w = offset + j;
                float g = grad[gradOffset + j];
                float m = mean[w] * beta1 + oneMinusBeta1 * g;
                float v = variance[w] * beta2 + oneMinusBeta2 * g * g;
                mean[w] = m;
                variance[w] = v;
                weight[w] = weight[w] * keep - m * lrCorrected / ((float) Math.sqrt(v) + epsilon);
            }
        };
    }

    /**
     * {@inheritDoc}
     *
     * <p>With a zero gradient a step shrinks {@code m} by β1 and {@code v} by β2 and moves the weight by
     * {@code lr·√(1-β2^t)/(1-β1^t) · m/(√v + ε)}: the direction {@code m/√v} shrinks by {@code β1/√β2} per step (ε
     * left out, which is close while {@code √v} is well above ε; the first moment shrinks far faster than
     * {@code √v}, so the steps that move a row much are those right after its last update).
     */
    @Override
    protected Coast coast(int t, float lr) {
        float beta1 = getMomentum();
        double biasCorrection = Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        return new Coast(lr * biasCorrection, beta1 / Math.sqrt(beta2));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The direction {@code m/(√v + ε)} is kept as host state (one more value per weight), written by the step
     * that computes it, so that catching a row up costs no square root: the missed steps shrink it by
     * {@code β1/√β2} each, as ε is left out.
     */
    @Override
    protected HostCoaster hostCoaster(String parameterId, int size) {
        float[] mean = hostState(parameterId, "mean", size);
        float[] variance = hostState(parameterId, "variance", size);
        float[] direction = hostState(parameterId, "direction", size);
        double logBeta2 = Math.log(beta2);
        return (weight, offset, length, decay, move, logShrink, steps) -> {
            double varianceShrink = Math.exp(steps * logBeta2);
            double directionShrink = Math.exp(logShrink);
            float varianceFactor = (float) varianceShrink;
            float meanFactor = (float) (directionShrink * Math.sqrt(varianceShrink));
            float directionFactor = (float) directionShrink;
            for (int j = 0; j < length; j++) {
                int w = offset + j;
                weight[w] = weight[w] * decay - move * direction[w];
                mean[w] *= meanFactor;
                variance[w] *= varianceFactor;
                direction[w] *= directionFactor;
            }
        };
    }

    /**
     * {@inheritDoc}
     *
     * @return {@code true}
     */
    @Override
    public boolean supportsHostUpdates() {
        return true;
    }

    @Override
    public String toString() {
        return (isDecoupledWeightDecay() ? "AdamW" : "Adam") + "(beta2=" + beta2 + ", eps=" + epsilon + ", "
                + describeShared() + ")";
    }

    /** Builds an {@link Adam}. */
    public static final class Builder extends BaseBuilder<Builder> {

        float beta2 = 0.99f;
        float epsilon = 1e-5f;

        Builder() {}

        /**
         * Sets β1, the decay of the first moment (default 0.9; a one-cycle fit moves it 0.95 → 0.85 → 0.95).
         *
         * @param beta1 β1, in {@code [0, 1)}
         * @return this builder
         */
        public Builder optBeta1(float beta1) {
            return optMomentum(beta1);
        }

        /**
         * Sets β2, the decay of the second moment (default 0.99, fast.ai's choice).
         *
         * @param beta2 β2, in {@code [0, 1)}
         * @return this builder
         */
        public Builder optBeta2(float beta2) {
            this.beta2 = beta2;
            return this;
        }

        /**
         * Sets ε, added to √v (default 1e-5, fast.ai's choice).
         *
         * @param epsilon ε, positive
         * @return this builder
         */
        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the optimizer.
         *
         * @return the optimizer
         * @throws IllegalArgumentException if a setting is out of range
         */
        public Adam build() {
            validate();
            if (!(beta2 >= 0f && beta2 < 1f)) {
                throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
            }
            if (!(epsilon > 0f)) {
                throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
            }
            return new Adam(this);
        }
    }
}
