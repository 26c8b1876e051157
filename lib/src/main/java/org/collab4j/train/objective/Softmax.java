package org.collab4j.train.objective;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

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
 * <p>The device form concatenates the positive's logit with the negatives' and takes PyTorch's {@code log_softmax}
 * through {@link JniUtils} (DJL's own op would first ask the fresh logits for their shape, a native call).
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

    @Override
    public DeviceForm deviceForm(NDManager manager, int negatives) {
        long[] sizes = {1, negatives};
        return (positive, negativeLogits, weights) -> {
            PtNDArray logits = (PtNDArray) NDArrays.concat(new NDList(positive, negativeLogits), 1);
            PtNDArray logSoftmax = JniUtils.logSoftmax(logits, 1, DataType.FLOAT32);
            return JniUtils.split(logSoftmax, sizes, 1).get(0).neg().mul(weights).mean();
        };
    }
}
