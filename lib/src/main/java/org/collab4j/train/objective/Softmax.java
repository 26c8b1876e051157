package org.collab4j.train.objective;

/**
 * Softmax cross-entropy of each positive against negatives shared by the batch (sampled, with the log-Q
 * correction that the engine applies to sampled logits), or against every item when {@code negatives} is at least
 * the number of items:
 *
 * <pre>
 * loss = mean over positives of −w · log softmax(logits)[positive]
 * ∂loss/∂logit_n = w/B · (p_n − [n = positive]),   p = softmax(logits)
 * </pre>
 *
 * @param negatives negatives per batch, at least 1
 * @param sampling how negatives are drawn
 */
public record Softmax(int negatives, NegativeSampling sampling) implements ListwiseObjective {

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

    @Override
    public double hostLoss(float[] logits, int count, float weight, int size, float[] dLogits) {
        float max = Float.NEGATIVE_INFINITY;
        for (int n = 0; n < count; n++) {
            max = Math.max(max, logits[n]);
        }
        double z = 0;
        for (int n = 0; n < count; n++) {
            z += Math.exp(logits[n] - max);
        }
        double logZ = max + Math.log(z);
        float scale = weight / (float) size;
        dLogits[0] = scale * (float) (Math.exp(logits[0] - logZ) - 1);
        for (int n = 1; n < count; n++) {
            dLogits[n] = logits[n] == Float.NEGATIVE_INFINITY ? 0f : scale * (float) Math.exp(logits[n] - logZ);
        }
        return weight * (logZ - logits[0]);
    }
}
