package org.collab4j.train.objective;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;

/**
 * Bayesian personalised ranking (Rendle et al. 2009) with one sampled negative per positive:
 *
 * <pre>
 * loss = mean over positives of  w · softplus(s_uj − s_ui) = −w · log σ(s_ui − s_uj)
 * ∂loss/∂s_ui = −w·σ(s_uj − s_ui)/B = −∂loss/∂s_uj
 * </pre>
 *
 * where {@code w} is the positive's weight. The first draw is always taken ({@link #trials()} is 1). The device form
 * is the same formula over arrays: {@code mean(w · softplus(s_uj − s_ui))}.
 *
 * @param sampling how negatives are drawn
 */
public record Bpr(NegativeSampling sampling) implements PairwiseObjective {

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

    @Override
    public int trials() {
        return 1;
    }

    @Override
    public boolean accepts(float positive, float negative) {
        return true;
    }

    @Override
    public double hostLoss(float[] positive, float[] negative, int[] trial, float[] weights, int size, int items,
            float[] dPositive) {
        double sum = 0;
        for (int k = 0; k < size; k++) {
            float w = weights[k];
            double x = positive[k] - negative[k];
            // softplus(−x), and its derivative −σ(−x), computed without overflow.
            sum += w * (x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x)));
            dPositive[k] = (float) (-w / (1 + Math.exp(x)) / size);
        }
        return sum / size;
    }

    @Override
    public DeviceForm deviceForm(NDManager manager, int items) {
        // One candidate per positive: (B, 1), as the positive's score.
        return (positive, candidates, weights) -> Activation.softPlus(candidates.sub(positive)).mul(weights).mean();
    }
}
