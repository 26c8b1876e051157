package org.collab4j.recommend;

import java.util.Locale;

/**
 * How a {@link Recommender} folds in a user (or item) that is not in the model: its embedding row is fitted to
 * the history supplied with the request while every other weight stays fixed, with no retraining. Immutable.
 *
 * <p><b>Dot models</b> ({@code EmbeddingDot}, {@code EmbeddingDotBias}): the row {@code w} (factors, and the bias
 * when the model has biases) minimises the training loss of that one row plus a Gaussian prior,
 *
 * <pre>
 * RATINGS:   Σ_j (r_j − ŷ_j(w))² / σ²  +  p · (w − μ)ᵀ Σ⁻¹ (w − μ)      ŷ = sigmoidRange(w·v_j + b_j)
 * IMPLICIT:  Σ_obs c_j (1 − s_j)²  +  α0 Σ_{every item i} s_i²  +  λ (n + α0·N) |w|²     s = w·v + b;
 *            c_j = α·r_j, n the observed items, N the other side's rows (iALS, as the ials objective trains)
 * </pre>
 *
 * <p>where {@code v_j, b_j} are the fixed rows (item factors with a 1 appended for the user bias, and the item
 * bias). The prior's mean {@code μ} and covariance {@code Σ} are those of the model's own trained rows on the same
 * side (the users with training ratings, for a user), and {@code σ²} is the model's last smoothed training loss
 * (its training MSE; 1 when the model does not record it): the fit is the posterior mode of a row drawn like the
 * trained ones, with noise like the training residuals. Nothing is tuned on held-out data; {@code p}
 * ({@link Builder#optPriorWeight}, default 1) scales the prior. With few ratings the row stays near the average
 * user, with many it follows the ratings. Without a y-range {@code RATINGS} is linear least squares, solved in
 * one step; with one, the sigmoid is kept and the same objective is minimised by Gauss–Newton steps from
 * {@code μ} (each a (k+1)×(k+1) Cholesky solve; a step that does not lower the objective is halved), at most
 * {@link Builder#optIterations} of them. Gauss–Newton rather than a fit in the logit domain because the logit fit
 * minimises another loss than training did: it stretches errors near the ends of the range (a 5-star rating in
 * (0, 5.5) becomes logit 2.4, a 4.5 only 1.5) and cannot use a rating at a bound at all.
 *
 * <p>{@code IMPLICIT} is the objective of implicit-feedback (ranking) models trained with no y-range: the history
 * holds interactions ({@code r_i} is their strength, 1 for a plain interaction), and the system is
 * {@code (α0·G + Σ_obs c_j v_j v_jᵀ + λ(n + α0·N) I) w = Σ_obs c_j (1 − b_j) v_j − α0·Σ_i b_i v_i} with the
 * Gram matrix {@code G = Σ_i v_i v_iᵀ} of every known item computed once: the exact solve of the row update that
 * {@code CollabLearner}'s iALS sweeps approximate with conjugate-gradient steps. The defaults (α = 1, so the
 * confidence is the interaction's weight; α0 = 0.2; λ = 0.01) are those of {@code Ials.DEFAULT}.
 *
 * <p><b>EmbeddingNet</b>: the row starts at the mean trained row and takes {@link Builder#optNetSteps} gradient
 * steps (with a backtracking line search, so each lowers the objective) on the {@code RATINGS} objective with a
 * diagonal prior (each factor's variance over the trained rows), through the net's forward pass.
 *
 * <p>The same applies to an item from the ratings of known users ({@link Recommender#similarItems(String,
 * RatingHistory, int, int)}), with the sides swapped.
 */
public final class FoldIn {

    /** The objective a fold-in minimises; it must be the one the model was trained with. */
    public enum Objective {
        /** Squared error on ratings, through the y-range's sigmoid when the model has one (MSE-trained models). */
        RATINGS,
        /** The weighted implicit-feedback objective of iALS (ranking models, no y-range). */
        IMPLICIT;

        /**
         * Chooses the objective for a model's training loss, as a model records it.
         *
         * @param loss {@code mse} for rating models; {@code bpr}, {@code softmax}, {@code ials} (or {@code als},
         *     {@code warp}) for ranking models; case-insensitive
         * @return {@link #RATINGS} for {@code mse}, {@link #IMPLICIT} for the ranking losses
         * @throws IllegalArgumentException for another name
         */
        public static Objective forLoss(String loss) {
            String name = loss == null ? "" : loss.trim().toLowerCase(Locale.ROOT);
            return switch (name) {
                case "mse" -> RATINGS;
                case "bpr", "softmax", "ials", "als", "warp", "ease" -> IMPLICIT;
                default -> throw new IllegalArgumentException("no fold-in objective for the training loss '" + loss
                        + "': expected mse (ratings) or bpr, softmax, ials (implicit feedback)");
            };
        }
    }

    /** The default {@link Builder#optIterations}. */
    public static final int DEFAULT_ITERATIONS = 8;
    /** The default {@link Builder#optNetSteps}. */
    public static final int DEFAULT_NET_STEPS = 40;

    private final Objective objective;
    private final double priorWeight;
    private final int iterations;
    private final int netSteps;
    private final double alpha;
    private final double unobservedWeight;
    private final double regularization;
    private final double noiseVariance;

    private FoldIn(Builder b) {
        objective = b.objective;
        priorWeight = b.priorWeight;
        iterations = b.iterations;
        netSteps = b.netSteps;
        alpha = b.alpha;
        unobservedWeight = b.unobservedWeight;
        regularization = b.regularization;
        noiseVariance = b.noiseVariance;
    }

    /**
     * Returns a builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the objective, or {@code null} when the recommender chooses it from the model.
     *
     * @return the objective or {@code null}
     */
    public Objective objective() {
        return objective;
    }

    /**
     * Returns the multiple of the prior's precision ({@code RATINGS}).
     *
     * @return the weight
     */
    public double priorWeight() {
        return priorWeight;
    }

    /**
     * Returns the most Gauss–Newton steps of a {@code RATINGS} fold-in with a y-range.
     *
     * @return the iterations
     */
    public int iterations() {
        return iterations;
    }

    /**
     * Returns the gradient steps of an {@code EmbeddingNet} fold-in.
     *
     * @return the steps
     */
    public int netSteps() {
        return netSteps;
    }

    /**
     * Returns α of the {@code IMPLICIT} confidence {@code α·r}.
     *
     * @return α
     */
    public double alpha() {
        return alpha;
    }

    /**
     * Returns the weight of an unobserved item in the {@code IMPLICIT} objective.
     *
     * @return the weight
     */
    public double unobservedWeight() {
        return unobservedWeight;
    }

    /**
     * Returns λ of the {@code IMPLICIT} objective.
     *
     * @return λ
     */
    public double regularization() {
        return regularization;
    }

    /**
     * Returns the noise variance σ² of the {@code RATINGS} objective, or {@code NaN} for the model's training loss.
     *
     * @return σ² or {@code NaN}
     */
    public double noiseVariance() {
        return noiseVariance;
    }

    /**
     * Returns the settings, e.g. {@code FoldIn(objective=model's, prior=1.0, iterations=8, ...)}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "FoldIn(objective=" + (objective == null ? "model's" : objective) + ", prior=" + priorWeight
                + ", iterations=" + iterations + ", netSteps=" + netSteps + ", alpha=" + alpha + ", unobserved="
                + unobservedWeight + ", lambda=" + regularization + ", noise="
                + (Double.isNaN(noiseVariance) ? "training loss" : noiseVariance) + ")";
    }

    /** Builds a {@link FoldIn}. */
    public static final class Builder {

        private Objective objective;
        private double priorWeight = 1;
        private int iterations = DEFAULT_ITERATIONS;
        private int netSteps = DEFAULT_NET_STEPS;
        // Ials.DEFAULT (org.collab4j.train.objective; not referenced, so that serving needs no training class).
        private double alpha = 1;
        private double unobservedWeight = 0.2;
        private double regularization = 0.01;
        private double noiseVariance = Double.NaN;

        Builder() {}

        /**
         * Forces the objective (default: the model's, {@link Objective#RATINGS} for every model Collab4J trains
         * with MSE).
         *
         * @param objective the objective, or {@code null} for the model's
         * @return this builder
         */
        public Builder optObjective(Objective objective) {
            this.objective = objective;
            return this;
        }

        /**
         * Scales the prior of a {@code RATINGS} fold-in (default 1: the trained rows' own spread). Larger keeps a
         * folded-in row closer to the average row.
         *
         * @param weight a finite number &gt; 0
         * @return this builder
         */
        public Builder optPriorWeight(double weight) {
            this.priorWeight = weight;
            return this;
        }

        /**
         * Sets the most Gauss–Newton steps of a {@code RATINGS} fold-in through a y-range (default
         * {@value #DEFAULT_ITERATIONS}; it stops earlier once a step moves no weight by more than 1e-5).
         *
         * @param iterations at least 1
         * @return this builder
         */
        public Builder optIterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /**
         * Sets the gradient steps of an {@code EmbeddingNet} fold-in (default {@value #DEFAULT_NET_STEPS}).
         *
         * @param steps at least 1
         * @return this builder
         */
        public Builder optNetSteps(int steps) {
            this.netSteps = steps;
            return this;
        }

        /**
         * Sets the {@code IMPLICIT} weights: an observed item with strength {@code r} has confidence {@code α·r},
         * every item (observed or not) weighs {@code unobservedWeight} toward a score of 0, and λ scales the ridge
         * {@code λ(n + unobservedWeight·N)} (defaults 1, 0.2 and 0.01: {@code Ials.DEFAULT}'s, so a model
         * trained by iALS with the defaults folds in under its own objective). They should match the model's
         * training objective.
         *
         * @param alpha α, finite and &ge; 0
         * @param unobservedWeight finite and &gt; 0
         * @param regularization λ, finite and &ge; 0
         * @return this builder
         */
        public Builder optImplicitWeights(double alpha, double unobservedWeight, double regularization) {
            this.alpha = alpha;
            this.unobservedWeight = unobservedWeight;
            this.regularization = regularization;
            return this;
        }

        /**
         * Sets the noise variance σ² of a {@code RATINGS} fold-in (default: the model's last smoothed training
         * loss, 1 when the model has none).
         *
         * @param variance a finite number &gt; 0
         * @return this builder
         */
        public Builder optNoiseVariance(double variance) {
            this.noiseVariance = variance;
            return this;
        }

        /**
         * Builds the settings.
         *
         * @return the settings
         * @throws IllegalArgumentException if a value is out of range
         */
        public FoldIn build() {
            require(priorWeight > 0 && Double.isFinite(priorWeight), "the prior weight must be finite and > 0, got "
                    + priorWeight);
            require(iterations >= 1, "iterations must be at least 1, got " + iterations);
            require(netSteps >= 1, "net steps must be at least 1, got " + netSteps);
            require(alpha >= 0 && Double.isFinite(alpha), "alpha must be finite and >= 0, got " + alpha);
            require(unobservedWeight > 0 && Double.isFinite(unobservedWeight),
                    "the unobserved weight must be finite and > 0, got " + unobservedWeight);
            require(regularization >= 0 && Double.isFinite(regularization),
                    "the regularization must be finite and >= 0, got " + regularization);
            require(Double.isNaN(noiseVariance) || noiseVariance > 0 && Double.isFinite(noiseVariance),
                    "the noise variance must be finite and > 0, got " + noiseVariance);
            return new FoldIn(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
