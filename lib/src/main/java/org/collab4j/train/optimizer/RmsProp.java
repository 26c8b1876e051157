package org.collab4j.train.optimizer;

import ai.djl.ndarray.NDArray;

/**
 * RMSProp as {@code torch.optim.RMSprop} (not centered), which DJL's PyTorch engine does not implement:
 *
 * <pre>
 * s = α·s + (1-α)·g²
 * v = momentum·v + g / (√s + ε);  w = w - lr·v      (w = w - lr·g / (√s + ε) when momentum is 0)
 * </pre>
 *
 * <p>Defaults: α 0.99, ε 1e-8 (PyTorch's), momentum 0 (a one-cycle fit schedules it like Adam's β1).
 */
public class RmsProp extends CollabOptimizer {

    private final float alpha;
    private final float epsilon;

    RmsProp(Builder builder) {
        super(builder);
        alpha = builder.alpha;
        epsilon = builder.epsilon;
    }

    /**
     * Returns a builder; with its defaults it builds RMSProp with α 0.99, ε 1e-8, no momentum, no weight decay.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected boolean step(String parameterId, int t, NDArray weight, NDArray grad, float lr) {
        NDArray square = state(parameterId, "square", weight);
        square.muli(alpha).addi(grad.square().muli(1 - alpha));
        NDArray scaled = grad.div(square.sqrt().addi(epsilon));
        float momentum = getMomentum();
        if (momentum == 0f) {
            weight.subi(scaled.muli(lr));
        } else {
            NDArray velocity = state(parameterId, "velocity", weight);
            velocity.muli(momentum).addi(scaled);
            weight.subi(velocity.mul(lr));
        }
        return false;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean stepOnDevice(String parameterId, int t, NDArray weight, NDArray grad, float lr,
            DeviceScalars scalars) {
        NDArray square = state(parameterId, "square", weight);
        square.muli(scalars.of(alpha)).addi(grad.square().muli(scalars.of(1 - alpha)));
        NDArray scaled = grad.div(square.sqrt().addi(scalars.of(epsilon)));
        float momentum = getMomentum();
        if (momentum == 0f) {
            weight.subi(scaled.muli(scalars.of(lr)));
        } else {
            NDArray velocity = state(parameterId, "velocity", weight);
            velocity.muli(scalars.of(momentum)).addi(scaled);
            weight.subi(velocity.mul(scalars.of(lr)));
        }
        return false;
    }

    /** {@inheritDoc} */
    @Override
    protected void stepScalarValues(float lr, float momentum, FloatConsumer out) {
        out.accept(alpha);
        out.accept(1 - alpha);
        out.accept(epsilon);
        out.accept(lr);
        out.accept(momentum);
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

    /** {@inheritDoc} */
    @Override
    protected HostStep hostStep(String parameterId, int t, int size, float lr) {
        float[] square = hostState(parameterId, "square", size);
        float momentum = getMomentum();
        float[] velocity = momentum == 0f ? null : hostState(parameterId, "velocity", size);
        float oneMinusAlpha = 1 - alpha;
        return (weight, offset, grad, gradOffset, length, keep) -> {
            for (int j = 0; j < length; j++) {
                int w = offset + j;
                float g = grad[gradOffset + j];
                square[w] = square[w] * alpha + g * g * oneMinusAlpha;
                float scaled = g / ((float) Math.sqrt(square[w]) + epsilon);
                if (velocity == null) {
                    weight[w] = weight[w] * keep - scaled * lr;
                } else {
                    velocity[w] = velocity[w] * momentum + scaled;
                    weight[w] = weight[w] * keep - velocity[w] * lr;
                }
            }
        };
    }

    /**
     * {@inheritDoc}
     *
     * <p>With a zero gradient a step shrinks the mean square by α and, with momentum, the velocity by the momentum,
     * and moves the weight by {@code lr} times the shrunk velocity; without momentum it does not move the weight.
     */
    @Override
    protected Coast coast(int t, float lr) {
        return new Coast(lr, getMomentum());
    }

    /** {@inheritDoc} */
    @Override
    protected HostCoaster hostCoaster(String parameterId, int size) {
        float[] square = hostState(parameterId, "square", size);
        float[] velocity = getMomentum() == 0f ? null : hostState(parameterId, "velocity", size);
        return (weight, offset, length, decay, move, logShrink, steps) -> {
            float shrink = (float) Math.exp(logShrink);
            float squareFactor = (float) Math.pow(alpha, steps);
            for (int j = 0; j < length; j++) {
                int w = offset + j;
                square[w] *= squareFactor;
                if (velocity == null) {
                    weight[w] *= decay;
                } else {
                    weight[w] = weight[w] * decay - move * velocity[w];
                    velocity[w] *= shrink;
                }
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
        return "RMSProp(alpha=" + alpha + ", eps=" + epsilon + ", momentum=" + getMomentum() + ", "
                + describeShared() + ")";
    }

    /** Builds an {@link RmsProp}. */
    public static final class Builder extends BaseBuilder<Builder> {

        float alpha = 0.99f;
        float epsilon = 1e-8f;

        Builder() {
            momentum = 0f;
        }

        /**
         * Sets α, the decay of the mean square (default 0.99).
         *
         * @param alpha α, in {@code [0, 1)}
         * @return this builder
         */
        public Builder optAlpha(float alpha) {
            this.alpha = alpha;
            return this;
        }

        /**
         * Sets ε, added to the root mean square (default 1e-8).
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
        public RmsProp build() {
            validate();
            if (!(alpha >= 0f && alpha < 1f)) {
                throw new IllegalArgumentException("alpha must be in [0, 1), got " + alpha);
            }
            if (!(epsilon > 0f)) {
                throw new IllegalArgumentException("epsilon must be > 0, got " + epsilon);
            }
            return new RmsProp(this);
        }
    }
}
