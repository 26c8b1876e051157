package org.collab4j.train;

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
}
