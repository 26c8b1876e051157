package org.collab4j.train.objective;

/**
 * What a {@code CollabLearner} trains its block for: ratings ({@link #mse()}, the default) or a ranking of items
 * from implicit feedback ({@link #ials()}, {@link #bpr()}, {@link #softmax()}, {@link #warp()}).
 *
 * <p>A ranking objective trains {@code EmbeddingDot} or {@code EmbeddingDotBias} built without a y-range
 * ({@code optYRange(null)}): its scores are raw dot products, meaningful only as an order. The training data's
 * rating column holds each interaction's weight (1 for a plain positive; see
 * {@link org.collab4j.data.Ratings}).
 *
 * <ul>
 *   <li>{@link Ials} — implicit alternating least squares over all user–item pairs, solved in closed form
 *       ({@code CollabLearner.fitAls}); the {@linkplain #defaultRanking() default ranking objective}.</li>
 *   <li>{@link Bpr} — Bayesian personalised ranking: for each positive {@code (u, i)} a sampled negative
 *       {@code j}, loss {@code −log σ(s_ui − s_uj)}.</li>
 *   <li>{@link Softmax} — the softmax cross-entropy of each positive against sampled negatives shared by the
 *       batch, with the log-Q correction for the sampling distribution, or against the whole catalogue when
 *       {@code negatives} is at least the number of items.</li>
 *   <li>{@link Warp} — LightFM's weighted approximate-rank pairwise loss: negatives drawn until one violates the
 *       margin, its hinge weighted by the log of the rank that the number of draws estimates.</li>
 * </ul>
 *
 * <p>Each objective is one class that owns its arithmetic (see the package description); {@link Objectives}
 * finds them by name.
 */
public interface Objective {

    /**
     * The objective's name, as the CLI's {@code --loss} takes it ({@link Objectives#names()}).
     *
     * @return the name
     */
    String name();

    /**
     * Returns whether the objective trains for a ranking rather than for ratings.
     *
     * @return {@code false} for {@link RatingObjective}s ({@link #mse()}), {@code true} for the others
     */
    default boolean isRanking() {
        return !(this instanceof RatingObjective);
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
     * WARP with LightFM's default of at most {@value Warp#DEFAULT_MAX_TRIALS} uniform draws per positive.
     *
     * @return the objective
     */
    static Warp warp() {
        return new Warp(Warp.DEFAULT_MAX_TRIALS);
    }

    /**
     * EASE, the item-item model solved in closed form ({@link Ease#DEFAULT}: λ and the input chosen on an inner
     * split); trained by {@code org.collab4j.train.ease.EaseTrainer}, not by a learner.
     *
     * @return the objective
     */
    static Ease ease() {
        return Ease.DEFAULT;
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
     * Parses a name as {@link #name()} gives it, with each objective's defaults: {@link Objectives#parse}.
     *
     * @param name a registered name ({@link Objectives#names()}), any case
     * @return the objective
     * @throws IllegalArgumentException for any other name, listing the registered ones
     */
    static Objective parse(String name) {
        return Objectives.parse(name);
    }
}
