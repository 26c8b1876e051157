package org.collab4j.train;

/**
 * One row of the epoch table.
 *
 * @param epoch the epoch number within its fit, from 1
 * @param trainLoss fast.ai's smoothed training loss (exponential moving average of the batch MSE, β = 0.98,
 *     debiased) at the end of the epoch
 * @param validLoss the validation MSE, or {@code NaN} without validation data
 * @param validRmse the validation RMSE, or {@code NaN} without validation data
 * @param seconds the wall-clock seconds the epoch took, validation included
 */
public record EpochResult(int epoch, double trainLoss, double validLoss, double validRmse, double seconds) {}
