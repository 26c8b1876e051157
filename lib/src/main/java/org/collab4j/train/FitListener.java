package org.collab4j.train;

/**
 * Hooks into {@link CollabLearner}'s fits: early stopping, keeping the best weights, logging. Every method has
 * an empty default.
 */
public interface FitListener {

    /**
     * Called before the first epoch of a fit.
     *
     * @param learner the learner
     * @param epochs the number of epochs the fit asks for
     */
    default void onFitStart(CollabLearner learner, int epochs) {}

    /**
     * Called after each epoch, once its validation metrics are known.
     *
     * @param learner the learner
     * @param result the epoch's row of the table
     * @return {@code true} to end the fit after this epoch
     */
    default boolean onEpochEnd(CollabLearner learner, EpochResult result) {
        return false;
    }

    /**
     * Called when a fit ends, normally or stopped early (not when it throws).
     *
     * @param learner the learner
     */
    default void onFitEnd(CollabLearner learner) {}
}
