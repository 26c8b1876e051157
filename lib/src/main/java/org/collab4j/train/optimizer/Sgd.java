package org.collab4j.train.optimizer;

import ai.djl.ndarray.NDArray;

/**
 * Stochastic gradient descent with (heavy-ball) momentum, as {@code torch.optim.SGD} without dampening:
 *
 * <pre>
 * v = momentum·v + g
 * w = w - lr·v          (w = w - lr·g when momentum is 0)
 * </pre>
 *
 * <p>Weight decay defaults to decoupled like every Collab4J optimizer; classic SGD uses L2
 * ({@code optDecoupledWeightDecay(false)}). DJL's fused SGD step puts the learning rate inside the velocity,
 * which changes the update whenever a schedule moves the learning rate, so this one is written out.
 */
public class Sgd extends CollabOptimizer {

    Sgd(Builder builder) {
        super(builder);
    }

    /**
     * Returns a builder; with its defaults it builds SGD with momentum 0.9 and no weight decay.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    protected boolean step(String parameterId, int t, NDArray weight, NDArray grad, float lr) {
        float momentum = getMomentum();
        if (momentum == 0f) {
            weight.subi(grad.mul(lr));
        } else {
            NDArray velocity = state(parameterId, "velocity", weight);
            velocity.muli(momentum).addi(grad);
            weight.subi(velocity.mul(lr));
        }
        return false;
    }

    /** {@inheritDoc} */
    @Override
    protected boolean stepOnDevice(String parameterId, int t, NDArray weight, NDArray grad, float lr,
            DeviceScalars scalars) {
        float momentum = getMomentum();
        if (momentum == 0f) {
            weight.subi(grad.mul(scalars.of(lr)));
        } else {
            NDArray velocity = state(parameterId, "velocity", weight);
            velocity.muli(scalars.of(momentum)).addi(grad);
            weight.subi(velocity.mul(scalars.of(lr)));
        }
        return false;
    }

    /** {@inheritDoc} */
    @Override
    protected void stepScalarValues(float lr, float momentum, FloatConsumer out) {
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
        float momentum = getMomentum();
        if (momentum == 0f) {
            return (weight, offset, grad, gradOffset, length, keep) -> {
                for (int j = 0; j < length; j++) {
                    weight[offset + j] = weight[offset + j] * keep - grad[gradOffset + j] * lr;
                }
            };
        }
        float[] velocity = hostState(parameterId, "velocity", size);
        return (weight, offset, grad, gradOffset, length, keep) -> {
            for (int j = 0; j < length; j++) {
                int w = offset + j;
                velocity[w] = velocity[w] * momentum + grad[gradOffset + j];
                weight[w] = weight[w] * keep - velocity[w] * lr;
            }
        };
    }

    /**
     * {@inheritDoc}
     *
     * <p>With a zero gradient a step shrinks the velocity by the momentum and moves the weight by {@code lr} times
     * the shrunk velocity; without momentum it does not move the weight.
     */
    @Override
    protected Coast coast(int t, float lr) {
        return new Coast(lr, getMomentum());
    }

    /** {@inheritDoc} */
    @Override
    protected HostCoaster hostCoaster(String parameterId, int size) {
        float[] velocity = getMomentum() == 0f ? null : hostState(parameterId, "velocity", size);
        return (weight, offset, length, decay, move, logShrink, steps) -> {
            float shrink = (float) Math.exp(logShrink);
            for (int j = 0; j < length; j++) {
                int w = offset + j;
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
        return "SGD(momentum=" + getMomentum() + ", " + describeShared() + ")";
    }

    /** Builds an {@link Sgd}. */
    public static final class Builder extends BaseBuilder<Builder> {

        Builder() {}

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
        public Sgd build() {
            validate();
            return new Sgd(this);
        }
    }
}
