package org.collab4j.train;

import java.util.Locale;

/**
 * Thrown when the training loss becomes NaN or infinite. The learner has already put back the weights from the
 * start of the epoch in which it happened, so the model is still usable; lower the learning rate and fit again.
 */
public class TrainingDivergedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     */
    public TrainingDivergedException(String message) {
        super(message);
    }

    /**
     * The exception of a loss that became non-finite in the learner's epoch loop.
     *
     * @param restored whether the weights from the start of the epoch were put back and the optimizer state reset
     */
    static TrainingDivergedException at(float loss, int epoch, int batch, float lr, boolean restored) {
        String kept = restored
                ? "The weights from the start of epoch " + epoch + " have been put back and the optimizer state"
                        + " reset, so the model is usable."
                : "The divergence guard is off, so the weights are now unusable.";
        return new TrainingDivergedException(String.format(Locale.ROOT,
                "Training diverged: the loss became %s at epoch %d, batch %d, with learning rate %.3g. %s Lower the"
                        + " learning rate (1e-3 to 1e-2 suits most data; the LR finder suggests one).",
                loss, epoch, batch, lr, kept));
    }
}
