package org.collab4j.train;

/**
 * One row of the epoch table.
 *
 * @param epoch the epoch number within its fit, from 1
 * @param trainLoss fast.ai's smoothed training loss (exponential moving average of the batch loss, β = 0.98,
 *     debiased) at the end of the epoch; for iALS the objective after the sweep, divided by the interactions
 * @param validLoss the validation MSE, or {@code NaN} without validation data or for a ranking objective
 * @param validRmse the validation RMSE, or {@code NaN} without validation data or for a ranking objective
 * @param seconds the wall-clock seconds the epoch took, validation included
 * @param validNdcg NDCG@k on (a sample of) the validation users for a ranking objective, else {@code NaN}
 * @param validRecall recall@k, hits / min(k, relevant), on the same users, else {@code NaN}
 */
public record EpochResult(int epoch, double trainLoss, double validLoss, double validRmse, double seconds,
        double validNdcg, double validRecall) {

    /**
     * A row without ranking figures.
     *
     * @param epoch the epoch number within its fit, from 1
     * @param trainLoss the smoothed training loss
     * @param validLoss the validation MSE, or {@code NaN}
     * @param validRmse the validation RMSE, or {@code NaN}
     * @param seconds the wall-clock seconds the epoch took
     */
    public EpochResult(int epoch, double trainLoss, double validLoss, double validRmse, double seconds) {
        this(epoch, trainLoss, validLoss, validRmse, seconds, Double.NaN, Double.NaN);
    }

    /**
     * The validation figure that {@link EarlyStopping} and {@link BestWeights} watch, lower is better: the
     * validation loss, or −NDCG@k when the row has ranking figures.
     *
     * @return the figure, {@code NaN} without validation data
     */
    public double watched() {
        return Double.isNaN(validNdcg) ? validLoss : -validNdcg;
    }
}
