package org.collab4j.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What a fit shows while it runs, as fast.ai's {@code ProgressCallback} and the smoothed loss of its
 * {@code Recorder}: the epoch table ({@link EpochTable}) and, within an epoch, a progress bar with the loss so far.
 *
 * <p>The train loss is an exponentially weighted mean of the batch losses ({@link SmoothedLoss}: weight 0.98 on the
 * past), debiased as fast.ai's {@code SmoothenValue}, over the whole fit; an epoch's row shows it as the epoch ends.
 */
final class FitProgress {

    private final PrintStream out;
    private final ProgressLine bar;
    private final boolean withValid;
    private final int rankingK;
    private final int epochs;
    private final int batches;
    private final SmoothedLoss smoothing = new SmoothedLoss();
    private double smoothed;

    /**
     * Starts a fit's display and prints the table's header.
     *
     * @param out where the table goes, or {@code null} for nowhere (then no bar either)
     * @param progressBar whether to show the bar
     * @param withValid whether the table has validation columns
     * @param rankingK the cut-off of the ranking columns, or 0 for none
     * @param epochs the fit's epochs
     * @param batches the batches of an epoch
     */
    FitProgress(PrintStream out, boolean progressBar, boolean withValid, int rankingK, int epochs, int batches) {
        this.out = out;
        this.bar = progressBar && out != null ? new ProgressLine(out) : null;
        this.withValid = withValid;
        this.rankingK = rankingK;
        this.epochs = epochs;
        this.batches = batches;
        if (out != null) {
            out.println(EpochTable.header(withValid, rankingK));
        }
    }

    /**
     * Returns how often the loop should read the loss: every {@code lossEvery} batches when set, else about a
     * hundred times an epoch while a bar shows, else once an epoch.
     */
    int lossCadence(int lossEvery) {
        return lossEvery > 0 ? lossEvery : bar != null ? Math.max(1, batches / 100) : batches;
    }

    void startEpoch(int epoch) {
        smoothed = Double.NaN;
        if (bar != null) {
            bar.reset("epoch " + epoch + "/" + epochs, batches, null);
        }
    }

    /** Takes a batch's loss; {@code step} counts the losses of the fit from 0. */
    void loss(long step, int batch, float loss) {
        smoothed = smoothing.add(loss, step);
        if (bar != null) {
            bar.update(batch + 1, String.format(Locale.ROOT, "loss %.4f", smoothed));
        }
    }

    /** Ends the epoch's bar (at the end of the epoch, or when training diverged). */
    void endBar() {
        if (bar != null) {
            bar.end();
        }
    }

    /** The smoothed train loss after the last loss taken in this epoch, {@code NaN} before any. */
    double smoothedLoss() {
        return smoothed;
    }

    /** Prints an epoch's row. */
    void row(EpochResult row) {
        if (out != null) {
            out.println(EpochTable.row(row, withValid, rankingK));
        }
    }
}
