package org.collab4j.train;

/**
 * What {@link CollabLearner}'s one epoch loop reports to the fit or the LR finder that runs it; by default nothing
 * stops it.
 */
interface LoopListener {

    /** At the start of an epoch, counted from 1. */
    default void onEpochStart(int epoch) {}

    /** A batch's loss, in order; {@code step} counts from 0 over the whole run. Returns whether to stop. */
    boolean onLoss(long step, int batch, float loss);

    /** When a loss is not finite and the divergence guard is on, before the loop throws. */
    default void onDiverged() {}

    /** After the step wrote its weights back. Returns whether to stop. */
    default boolean onEpochEnd(int epoch, double seconds) {
        return false;
    }
}
