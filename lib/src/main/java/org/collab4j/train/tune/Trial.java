package org.collab4j.train.tune;

/**
 * One run of a configuration in a search: trained from scratch for {@code epochs} and measured on the inner
 * validation data.
 *
 * @param number the trial's number, from 1, in the order trials ran
 * @param rung the rung, from 1 (the fewest epochs) up
 * @param config the configuration
 * @param epochs the epochs (or sweeps) it trained (fewer than its rung's when stopped)
 * @param bestEpochs the epochs at which its metric was measured: {@code epochs}, or fewer where the trainer
 *     reports every epoch's figure and an epoch count is a prefix of a longer run (iALS sweeps)
 * @param metric the inner validation figure at {@code bestEpochs}; {@code NaN} when the trial failed (diverged)
 * @param seconds the wall-clock seconds it took
 * @param stopped whether the budget stopped it before its last epoch (its metric is then {@code NaN})
 * @param <C> the type of a configuration
 */
public record Trial<C>(int number, int rung, C config, int epochs, int bestEpochs, double metric,
        double seconds, boolean stopped) {

    /**
     * Returns whether the trial gave a figure.
     *
     * @return {@code false} when it failed or was stopped
     */
    public boolean succeeded() {
        return !Double.isNaN(metric);
    }
}
