package org.collab4j.train;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a fit when the validation figure ({@link EpochResult#watched()}: the validation loss, or NDCG@k for a
 * ranking objective) has not improved by at least {@code minDelta} for {@code patience} epochs. Needs validation
 * data.
 */
public final class EarlyStopping implements FitListener {

    private static final Logger logger = LoggerFactory.getLogger(EarlyStopping.class);

    private final int patience;
    private final double minDelta;
    private double best;
    private int waited;

    /**
     * Creates the listener.
     *
     * @param patience epochs without improvement to tolerate, at least 1
     * @param minDelta the smallest decrease of the validation loss that counts as an improvement, {@code >= 0}
     */
    public EarlyStopping(int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be at least 1 epoch, got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("minDelta must be >= 0, got " + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    @Override
    public void onFitStart(CollabLearner learner, int epochs) {
        if (learner.getValidData() == null) {
            throw new IllegalStateException("EarlyStopping watches the validation loss: give the learner"
                    + " validation data (setData(split) or optValidData)");
        }
        best = Double.POSITIVE_INFINITY;
        waited = 0;
    }

    @Override
    public boolean onEpochEnd(CollabLearner learner, EpochResult result) {
        if (result.watched() < best - minDelta) {
            best = result.watched();
            waited = 0;
            return false;
        }
        if (++waited >= patience) {
            logger.info("Early stopping after epoch {}: no validation improvement in {} epochs (best {})",
                    result.epoch(), patience, best);
            return true;
        }
        return false;
    }
}
