package org.collab4j.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A ranking objective over lists: each positive against negatives the batch shares ({@link #negatives()} of them
 * drawn per batch, or the whole catalogue). The engine computes, per positive, its logits — the positive's score
 * first, then every shared negative's, each less the sampling correction the engine's sampler implies, and
 * {@code −∞} where a negative must not count against this positive (the positive itself) — and the objective the
 * loss and its derivative with respect to each logit.
 */
public interface ListwiseObjective extends SampledObjective {

    /**
     * Returns the negatives a batch shares.
     *
     * @return at least 1; at least the number of items means the whole catalogue, without a sampling correction
     */
    int negatives();

    /**
     * The host form for one positive: its loss term and the derivative of the batch's mean loss with respect to
     * each of its logits.
     *
     * @param logits {@code logits[0]} the positive's, {@code logits[1 .. count)} the negatives', {@code −∞} for
     *     masked ones
     * @param count the logits used
     * @param weight the positive's weight
     * @param size the positives in the batch (the mean's divisor)
     * @param dLogits receives {@code ∂(batch mean)/∂logit} in {@code [0, count)}; 0 for masked logits
     * @return the positive's loss term (not divided by {@code size})
     */
    double hostLoss(float[] logits, int count, float weight, int size, float[] dLogits);

    /**
     * The device form, with whatever constants it needs made once on the training device.
     *
     * @param manager the manager that owns the constants, on the training device
     * @param negatives the negatives each positive's logits hold (the shared negatives, or every item)
     * @return the form
     */
    DeviceForm deviceForm(NDManager manager, int negatives);

    /** A listwise objective's device form, bound to its constants. */
    @FunctionalInterface
    interface DeviceForm {

        /**
         * The batch's mean loss as an array that autograd differentiates.
         *
         * @param positive every positive's logit, {@code (B, 1)}
         * @param negatives the negatives' logits for each positive, masked to {@code −∞}, {@code (B, negatives)}
         * @param weights every positive's weight, {@code (B, 1)}
         * @return the mean loss, a scalar array
         */
        NDArray loss(NDArray positive, NDArray negatives, NDArray weights);
    }
}
