package org.collab4j.train.optimizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam, with weight decay either decoupled (AdamW, the default, as fast.ai and {@code torch.optim.AdamW}) or
 * added to the gradient as L2, and with β1 taken from {@link #getMomentum()} at every step so that a schedule can
 * move it.
 *
 * <pre>
 * m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²
 * w = w - lr·wd·w                                  (decoupled)   or   g = g + wd·w before the moments (L2)
 * w = w - lr·√(1-β2^t)/(1-β1^t) · m / (√v + ε)
 * </pre>
 *
 * <p>The update is DJL's fused native Adam step, one call per parameter.
 */
public class Adam extends CollabOptimizer {

    private final float beta2;
    private final float epsilon;
    private final boolean decoupled;
    private final Map<String, NDArray> means = new ConcurrentHashMap<>();
    private final Map<String, NDArray> variances = new ConcurrentHashMap<>();

    Adam(Builder builder) {
        super(builder);
        beta2 = builder.beta2;
        epsilon = builder.epsilon;
        decoupled = builder.decoupled;
    }

    /**
     * Returns a builder for AdamW: decoupled weight decay, β2 0.99, ε 1e-5 (fast.ai's defaults).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns whether weight decay is decoupled (AdamW) rather than L2 in the gradient.
     *
     * @return {@code true} for AdamW
     */
    public boolean isDecoupled() {
        return decoupled;
    }

    /** {@inheritDoc} */
    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = updateCount(parameterId);
        float lr = getLearningRate();
        float beta1 = getMomentum();
        double biasCorrection = Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t));
        NDArray mean = state(means, parameterId, weight);
        NDArray variance = state(variances, parameterId, weight);
        weight.getNDArrayInternal()
                .adamUpdate(
                        new NDList(weight, grad, mean, variance),
                        new NDList(weight),
                        lr,
                        (float) (lr * biasCorrection),
                        weightDecayFor(parameterId),
                        rescaleGrad,
                        clipGrad,
                        beta1,
                        beta2,
                        epsilon,
                        false,
                        decoupled);
    }

    private static NDArray state(Map<String, NDArray> states, String id, NDArray weight) {
        NDArray state = states.get(id);
        if (state == null) {
            state = weight.zerosLike();
            // Optimizer state lives as long as the weight, not as long as the batch that created it.
            NDScope.unregister(state);
            state.attach(weight.getManager());
            states.put(id, state);
        }
        return state;
    }

    @Override
    public String toString() {
        return (decoupled ? "AdamW" : "Adam") + "(beta2=" + beta2 + ", eps=" + epsilon + ", wd=" + getWeightDecay()
                + ")";
    }

    /** Builds an {@link Adam}. */
    public static final class Builder extends BaseBuilder<Builder> {

        float beta2 = 0.99f;
        float epsilon = 1e-5f;
        boolean decoupled = true;

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

        /**
         * Chooses decoupled weight decay ({@code true}, AdamW, the default) or L2 added to the gradient.
         *
         * @param decoupled whether weight decay is decoupled
         * @return this builder
         */
        public Builder optDecoupledWeightDecay(boolean decoupled) {
            this.decoupled = decoupled;
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
