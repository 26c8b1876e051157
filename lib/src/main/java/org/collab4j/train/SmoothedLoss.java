package org.collab4j.train;

/**
 * fast.ai's smoothed loss: the exponential moving average of the losses with β 0.98, debiased by {@code 1 − β^n}
 * after {@code n} losses. The epoch table's progress bar ({@link FitProgress}) and the LR finder ({@link LrFinder})
 * both show it.
 */
final class SmoothedLoss {

    private static final double BETA = 0.98;

    private double average;

    /**
     * Takes the next loss.
     *
     * @param loss the loss
     * @param count how many losses were taken before this one
     * @return the smoothed loss after it
     */
    double add(double loss, long count) {
        average = BETA * average + (1 - BETA) * loss;
        return average / (1 - Math.pow(BETA, count + 1));
    }
}
