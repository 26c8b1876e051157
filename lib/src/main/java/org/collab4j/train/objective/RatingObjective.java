package org.collab4j.train.objective;

import ai.djl.ndarray.NDArray;

import org.collab4j.model.YRange;

/**
 * An objective over ratings: each example's score against its target, one term per example ({@link Mse}). The
 * rating engines train it on any block (the device engine) or on the dot blocks in plain Java (the host engine).
 */
public interface RatingObjective extends Objective {

    /**
     * The host form: the mean loss of a batch and its derivative with respect to each example's raw score.
     *
     * @param scores the raw scores {@code x} the engine computed (dot product plus biases), before any y-range
     * @param targets the examples' ratings
     * @param size how many entries of {@code scores} and {@code targets} the batch has
     * @param range the block's y-range, or {@code null}: with one, the prediction is {@code sigmoidRange(x)}, as
     *     the block's forward computes it
     * @param dScores receives {@code ∂loss/∂x} of every example, {@code loss} being the batch mean
     * @return the batch's mean loss
     */
    double hostLoss(float[] scores, float[] targets, int size, YRange range, float[] dScores);

    /**
     * The device form: the batch's mean loss as an array that autograd differentiates. The predictions are the
     * block's forward output, its y-range (if any) applied there.
     *
     * @param predictions the block's predictions, {@code (B)}
     * @param targets the ratings, {@code (B)}
     * @return the mean loss, a scalar array on the predictions' device
     */
    NDArray deviceLoss(NDArray predictions, NDArray targets);
}
