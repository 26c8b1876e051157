package org.collab4j.train.optimizer;

import ai.djl.training.optimizer.Optimizer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A DJL {@link Optimizer} whose learning rate and momentum are set from outside before each step, the way
 * fast.ai's schedules drive its optimizers, and whose weight decay can leave chosen parameters out.
 *
 * <p>Not thread-safe: one optimizer belongs to one training loop.
 */
public abstract class CollabOptimizer extends Optimizer {

    private final float weightDecay;
    private final Set<String> noDecay = ConcurrentHashMap.newKeySet();
    private float learningRate;
    private float momentum;

    /**
     * Creates an optimizer.
     *
     * @param builder the builder with the settings
     */
    protected CollabOptimizer(BaseBuilder<?> builder) {
        super(builder);
        this.weightDecay = builder.weightDecay;
        this.learningRate = builder.learningRate;
        this.momentum = builder.momentum;
    }

    /**
     * Returns the learning rate the next step uses.
     *
     * @return the learning rate
     */
    public float getLearningRate() {
        return learningRate;
    }

    /**
     * Sets the learning rate for the following steps.
     *
     * @param learningRate the learning rate, finite and non-negative
     */
    public void setLearningRate(float learningRate) {
        if (!(learningRate >= 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /**
     * Returns the momentum the next step uses (β1 for Adam).
     *
     * @return the momentum
     */
    public float getMomentum() {
        return momentum;
    }

    /**
     * Sets the momentum for the following steps (β1 for Adam).
     *
     * @param momentum the momentum, in {@code [0, 1)}
     */
    public void setMomentum(float momentum) {
        if (!(momentum >= 0f && momentum < 1f)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
    }

    /**
     * Returns the weight decay applied to every parameter not excluded.
     *
     * @return the weight decay
     */
    @Override
    public float getWeightDecay() {
        return weightDecay;
    }

    /**
     * Leaves a parameter out of weight decay (fast.ai does this for the biases of linear layers).
     *
     * @param parameterId the parameter's id ({@link ai.djl.nn.Parameter#getId()})
     */
    public void excludeFromWeightDecay(String parameterId) {
        noDecay.add(parameterId);
    }

    /**
     * Returns the weight decay for one parameter: 0 if it was excluded, else {@link #getWeightDecay()}.
     *
     * @param parameterId the parameter's id
     * @return the weight decay to apply
     */
    protected float weightDecayFor(String parameterId) {
        return noDecay.contains(parameterId) ? 0f : weightDecay;
    }

    /**
     * Settings every {@link CollabOptimizer} shares.
     *
     * @param <T> the concrete builder type
     */
    public abstract static class BaseBuilder<T extends BaseBuilder<T>> extends OptimizerBuilder<T> {

        float learningRate = 1e-3f;
        float momentum = 0.9f;
        float weightDecay;

        /** Creates a builder. */
        protected BaseBuilder() {}

        /**
         * Sets the initial learning rate (default 1e-3); the trainer's schedule replaces it during a fit.
         *
         * @param learningRate the learning rate, finite and non-negative
         * @return this builder
         */
        public T optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return self();
        }

        /**
         * Sets the initial momentum (β1 for Adam; default 0.9); a one-cycle schedule replaces it during a fit.
         *
         * @param momentum the momentum, in {@code [0, 1)}
         * @return this builder
         */
        public T optMomentum(float momentum) {
            this.momentum = momentum;
            return self();
        }

        /**
         * Sets the weight decay (default 0).
         *
         * @param weightDecay the weight decay, finite and non-negative
         * @return this builder
         */
        public T optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return self();
        }

        /**
         * Checks the shared settings.
         *
         * @throws IllegalArgumentException if a setting is out of range
         */
        protected void validate() {
            if (!(learningRate >= 0f) || Float.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
            }
            if (!(momentum >= 0f && momentum < 1f)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            if (!(weightDecay >= 0f) || Float.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
            }
        }
    }
}
