package org.collab4j.train.objective;

import java.util.List;
import java.util.Locale;

/**
 * EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019): the item-item model
 * {@code B = I − P·diag(1/diag(P))}, {@code P = (XᵀX + λI)⁻¹}, {@code diag(B) = 0}, solved in closed form by
 * {@code org.collab4j.train.ease.EaseTrainer} (not by a {@code CollabLearner}); the objective carries its settings
 * only. With more than one candidate ({@code λ} values × inputs) the trainer chooses one on an inner per-user split
 * of its training data, then refits on all of it.
 *
 * @param lambdas the candidate λ (L2 weight of {@code B}), each finite and {@code > 0}
 * @param inputs the candidate encodings of the interactions as {@code X}
 */
public record Ease(List<Float> lambdas, List<Input> inputs) implements Objective {

    /** How the weighted interactions a trainer is given become {@code X}. */
    public enum Input {
        /** {@code x = 1} for the rows of weight at least 1 (a {@code --positive-threshold}'s positives) only. */
        POSITIVES,
        /** {@code x = 1} for every row, below-threshold rows included. */
        ALL,
        /** {@code x} = the row's weight (1 for positives, {@code --below-threshold-weight} below). */
        WEIGHTS;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The reference's λ grid (../shared/bench/ease_reference.py), a factor of 2 apart. */
    public static final List<Float> DEFAULT_LAMBDAS = List.of(50f, 100f, 200f, 400f, 800f, 1600f, 3200f);

    /** Every λ of {@link #DEFAULT_LAMBDAS} with every input, chosen on the inner split. */
    public static final Ease DEFAULT = new Ease(DEFAULT_LAMBDAS, List.of(Input.values()));

    /**
     * Checks and copies the candidates.
     *
     * @param lambdas the candidate λ
     * @param inputs the candidate inputs
     */
    public Ease {
        if (lambdas == null || lambdas.isEmpty() || inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("EASE needs at least one λ and one input");
        }
        for (Float lambda : lambdas) {
            if (lambda == null || !(lambda > 0) || Float.isInfinite(lambda)) {
                throw new IllegalArgumentException("EASE's λ must be finite and > 0, got " + lambda);
            }
        }
        lambdas = List.copyOf(lambdas);
        inputs = List.copyOf(inputs);
    }

    /**
     * One setting, nothing to choose.
     *
     * @param lambda λ
     * @param input the input
     * @return the objective
     */
    public static Ease of(float lambda, Input input) {
        return new Ease(List.of(lambda), List.of(input));
    }

    /** @return whether there is more than one candidate, so that the trainer chooses on an inner split */
    public boolean chooses() {
        return lambdas.size() * inputs.size() > 1;
    }

    @Override
    public String name() {
        return "ease";
    }
}
