package org.collab4j.train;

import java.util.Locale;

/**
 * What a {@link CollabLearner} trains its block for: ratings ({@link #mse()}, the default) or a ranking of items
 * from implicit feedback ({@link #ials()}, {@link #bpr()}, {@link #softmax()}).
 *
 * <p>A ranking objective trains {@code EmbeddingDot} or {@code EmbeddingDotBias} built without a y-range
 * ({@code optYRange(null)}): its scores are raw dot products, meaningful only as an order. The training data's
 * rating column holds each interaction's weight (1 for a plain positive; see
 * {@link org.collab4j.data.Ratings}).
 *
 * <ul>
 *   <li>{@link Ials} — implicit alternating least squares over all user–item pairs, solved in closed form
 *       ({@link CollabLearner#fitAls}); the {@linkplain #defaultRanking() default ranking objective}.</li>
 *   <li>{@link Bpr} — Bayesian personalised ranking: for each positive {@code (u, i)} a sampled negative
 *       {@code j}, loss {@code −log σ(s_ui − s_uj)}.</li>
 *   <li>{@link Softmax} — the softmax cross-entropy of each positive against sampled negatives shared by the
 *       batch, with the log-Q correction for the sampling distribution, or against the whole catalogue when
 *       {@code negatives} is at least the number of items.</li>
 * </ul>
 */
public sealed interface Objective permits Objective.Mse, Objective.Ials, Objective.Bpr, Objective.Softmax {

    /**
     * The objective's name, as the CLI's {@code --loss} takes it: {@code mse}, {@code ials}, {@code bpr} or
     * {@code softmax}.
     *
     * @return the name
     */
    String name();

    /**
     * Returns whether the objective trains for a ranking rather than for ratings.
     *
     * @return {@code true} for every objective but {@link #mse()}
     */
    default boolean isRanking() {
        return !(this instanceof Mse);
    }

    /**
     * The mean squared error of predicted ratings: fast.ai's collaborative-filtering loss.
     *
     * @return the objective
     */
    static Objective mse() {
        return new Mse();
    }

    /**
     * iALS with Collab4J's defaults ({@link Ials#DEFAULT}).
     *
     * @return the objective
     */
    static Ials ials() {
        return Ials.DEFAULT;
    }

    /**
     * BPR with one uniformly sampled negative per positive.
     *
     * @return the objective
     */
    static Bpr bpr() {
        return new Bpr(NegativeSampling.UNIFORM);
    }

    /**
     * Sampled softmax with 256 popularity-sampled negatives per batch and the log-Q correction.
     *
     * @return the objective
     */
    static Softmax softmax() {
        return new Softmax(256, NegativeSampling.POPULARITY);
    }

    /**
     * The objective a ranking model gets when none is named: {@link #ials()}.
     *
     * @return the objective
     */
    static Objective defaultRanking() {
        return ials();
    }

    /**
     * Parses a name as {@link #name()} gives it, with each objective's defaults.
     *
     * @param name {@code mse}, {@code ials}, {@code bpr} or {@code softmax} (any case)
     * @return the objective
     * @throws IllegalArgumentException for any other name
     */
    static Objective parse(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "mse":
                return mse();
            case "ials":
                return ials();
            case "bpr":
                return bpr();
            case "softmax":
                return softmax();
            default:
                throw new IllegalArgumentException("unknown loss '" + name + "': use mse, ials, bpr or softmax");
        }
    }

    /** How negatives are drawn for {@link Bpr} and {@link Softmax}. */
    enum NegativeSampling {
        /** Every item equally likely. */
        UNIFORM,
        /** Items in proportion to their number of training interactions (plus one). */
        POPULARITY
    }

    /** The mean squared error of predicted ratings. */
    record Mse() implements Objective {
        @Override
        public String name() {
            return "mse";
        }
    }

    /**
     * Implicit ALS (see {@link Objective}): minimises {@code Σ_observed c·(t − x_u·y_i)² + α0·Σ_all (x_u·y_i)²}
     * plus {@code λ·(n + α0·N)·|row|²} for each row, where {@code c} and {@code t} are an interaction's confidence
     * and target, {@code n} the row's interactions and {@code N} the size of the other side.
     *
     * @param unobservedWeight α0, the weight of every pair being 0, {@code > 0}
     * @param regularization λ, {@code >= 0}
     * @param cgSteps conjugate-gradient steps per row and sweep, at least 1
     */
    record Ials(float unobservedWeight, float regularization, int cgSteps) implements Objective {

        /**
         * α0 = 0.2, λ = 0.01, 3 conjugate-gradient steps: chosen on an inner 80/20 split of the training part of
         * ml-latest-small (docs/benchmarks.md), never on its test part.
         */
        public static final Ials DEFAULT = new Ials(0.2f, 0.01f, 3);

        /**
         * Checks the values.
         *
         * @param unobservedWeight α0
         * @param regularization λ
         * @param cgSteps steps per row
         */
        public Ials {
            if (!(unobservedWeight > 0) || Float.isInfinite(unobservedWeight)) {
                throw new IllegalArgumentException("the unobserved weight α0 must be finite and > 0, got "
                        + unobservedWeight);
            }
            if (!(regularization >= 0) || Float.isInfinite(regularization)) {
                throw new IllegalArgumentException("the regularization λ must be finite and >= 0, got "
                        + regularization);
            }
            if (cgSteps < 1) {
                throw new IllegalArgumentException("cgSteps must be at least 1, got " + cgSteps);
            }
        }

        @Override
        public String name() {
            return "ials";
        }
    }

    /**
     * Bayesian personalised ranking with one sampled negative per positive.
     *
     * @param sampling how negatives are drawn
     */
    record Bpr(NegativeSampling sampling) implements Objective {

        /**
         * Checks the values.
         *
         * @param sampling how negatives are drawn
         */
        public Bpr {
            if (sampling == null) {
                throw new NullPointerException("sampling");
            }
        }

        @Override
        public String name() {
            return "bpr";
        }
    }

    /**
     * Softmax cross-entropy against negatives shared by the batch (sampled, with the log-Q correction), or
     * against every item when {@code negatives} is at least the number of items.
     *
     * @param negatives negatives per batch, at least 1
     * @param sampling how negatives are drawn
     */
    record Softmax(int negatives, NegativeSampling sampling) implements Objective {

        /**
         * Checks the values.
         *
         * @param negatives negatives per batch
         * @param sampling how negatives are drawn
         */
        public Softmax {
            if (negatives < 1) {
                throw new IllegalArgumentException("negatives must be at least 1, got " + negatives);
            }
            if (sampling == null) {
                throw new NullPointerException("sampling");
            }
        }

        @Override
        public String name() {
            return "softmax";
        }
    }
}
