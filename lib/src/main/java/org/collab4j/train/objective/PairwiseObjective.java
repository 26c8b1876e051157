package org.collab4j.train.objective;

/**
 * A ranking objective over pairs: each positive {@code (u, i)} against one negative {@code j} drawn for it. The
 * engine draws up to {@link #trials()} negatives for a positive, one at a time, and stops at the first that
 * {@link #accepts}; the loss then depends on the two scores and on the number of draws that took (none accepted:
 * no term, no gradient).
 *
 * <p>Every pairwise loss here depends on {@code s_ui} and {@code s_uj} through their difference only, so
 * {@code ∂loss/∂s_uj = −∂loss/∂s_ui}: the host form returns the latter.
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
}
