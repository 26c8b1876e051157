package org.collab4j.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A ranking objective over pairs: each positive {@code (u, i)} against one negative {@code j} drawn for it. The
 * engine draws up to {@link #trials()} negatives for a positive, one at a time, and stops at the first that
 * {@link #accepts}; the loss then depends on the two scores and on the number of draws that took (none accepted:
 * no term, no gradient).
 *
 * <p>Every pairwise loss here depends on {@code s_ui} and {@code s_uj} through their difference only, so
 * {@code ∂loss/∂s_uj = −∂loss/∂s_ui}: the host form returns the latter.
 *
 * <p>On the device the engine cannot stop drawing at the first accepted negative without reading the scores back
 * to the host: it draws {@link #trials()} candidates per positive at once, scores them all, and the
 * {@linkplain #deviceForm device form} picks the accepted one with array operations.
 */
public interface PairwiseObjective extends SampledObjective {

    /**
     * Returns the most negatives drawn for one positive.
     *
     * @return at least 1
     */
    int trials();

    /**
     * Returns whether a drawn negative is the one the positive's term takes.
     *
     * @param positive the positive's score {@code s_ui}
     * @param negative the drawn negative's score {@code s_uj}
     * @return {@code true} to stop drawing and take this negative
     */
    boolean accepts(float positive, float negative);

    /**
     * The host form: the mean loss of a batch of pairs and its derivative with respect to each positive's score.
     *
     * @param positive {@code s_ui} of every positive of the batch
     * @param negative {@code s_uj} of the negative taken for it (any value where {@code trial} is 0)
     * @param trial the draw that took it, from 1; 0 where no draw was accepted
     * @param weights every positive's weight (its value in the training data)
     * @param size the positives in the batch
     * @param items the number of items (the catalogue the negatives come from)
     * @param dPositive receives {@code ∂loss/∂s_ui}, {@code loss} being the batch mean; {@code ∂loss/∂s_uj} is its
     *     negation; 0 where {@code trial} is 0
     * @return the batch's mean loss
     */
    double hostLoss(float[] positive, float[] negative, int[] trial, float[] weights, int size, int items,
            float[] dPositive);

    /**
     * The device form, with whatever constants it needs made once on the training device (no host-device copy in
     * a step).
     *
     * @param manager the manager that owns the constants, on the training device
     * @param items the number of items
     * @return the form
     */
    DeviceForm deviceForm(NDManager manager, int items);

    /** A pairwise objective's device form, bound to its constants. */
    @FunctionalInterface
    interface DeviceForm {

        /**
         * The batch's mean loss as an array that autograd differentiates.
         *
         * @param positive {@code s_ui} of every positive, {@code (B, 1)}
         * @param candidates {@code s_uj} of the {@link #trials()} negatives drawn for each positive, in draw
         *     order, {@code (B, trials)}
         * @param weights every positive's weight, {@code (B, 1)}
         * @return the mean loss, a scalar array
         */
        NDArray loss(NDArray positive, NDArray candidates, NDArray weights);
    }
}
