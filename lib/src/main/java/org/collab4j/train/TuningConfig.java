package org.collab4j.train;

import org.collab4j.train.objective.Bpr;
import org.collab4j.train.objective.Ease;
import org.collab4j.train.objective.Ials;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.Softmax;
import org.collab4j.train.objective.Warp;

import java.util.Locale;

/**
 * One configuration {@link CollabTuner} tries: an objective with its own settings (iALS's α0 and λ, the softmax's
 * negatives, WARP's draws, BPR's sampling), the number of factors and, for the objectives trained by gradient
 * steps, the peak learning rate of a one-cycle fit and AdamW's weight decay; or EASE with one λ and one input
 * ({@link Ease#of}), solved in closed form (no factors, learning rate, weight decay or epochs). The epochs are the
 * trial's.
 *
 * @param objective the objective, carrying its own settings
 * @param factors factors per user and item
 * @param learningRate the peak learning rate (unused by iALS)
 * @param weightDecay AdamW's decoupled weight decay (unused by iALS, whose λ is in the objective)
 */
public record TuningConfig(Objective objective, int factors, float learningRate, float weightDecay) {

    /**
     * Returns whether the objective is solved by iALS sweeps rather than gradient steps.
     *
     * @return {@code true} for {@link Ials}
     */
    public boolean isIals() {
        return objective instanceof Ials;
    }

    /**
     * Returns whether the objective is EASE, solved in closed form by {@code EaseTrainer} rather than by a learner.
     *
     * @return {@code true} for {@link Ease}
     */
    public boolean isEase() {
        return objective instanceof Ease;
    }

    /**
     * This configuration with another weight decay.
     *
     * @param wd the weight decay
     * @return the configuration
     */
    public TuningConfig withWeightDecay(float wd) {
        return new TuningConfig(objective, factors, learningRate, wd);
    }

    /**
     * Shows the settings, e.g. {@code ials factors=128 alpha0=0.3 lambda=0.01} or {@code bpr factors=64 lr=0.01
     * wd=0.03 sampling=uniform} or {@code ease lambda=400 input=positives}.
     *
     * @return the settings
     */
    @Override
    public String toString() {
        if (objective instanceof Ease ease) {
            return "ease lambda=" + g(ease.lambdas().get(0)) + " input=" + ease.inputs().get(0);
        }
        StringBuilder s = new StringBuilder(objective.name()).append(" factors=").append(factors);
        if (objective instanceof Ials ials) {
            s.append(" alpha0=").append(g(ials.unobservedWeight())).append(" lambda=")
                    .append(g(ials.regularization()));
            return s.toString();
        }
        s.append(" lr=").append(g(learningRate)).append(" wd=").append(g(weightDecay));
        if (objective instanceof Bpr bpr) {
            s.append(" sampling=").append(bpr.sampling().name().toLowerCase(Locale.ROOT));
        } else if (objective instanceof Softmax softmax) {
            s.append(" negatives=").append(softmax.negatives()).append(" sampling=")
                    .append(softmax.sampling().name().toLowerCase(Locale.ROOT));
        } else if (objective instanceof Warp warp) {
            s.append(" maxTrials=").append(warp.maxTrials());
        }
        return s.toString();
    }

    private static String g(float v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
