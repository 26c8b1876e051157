package org.collab4j.train;

import ai.djl.util.Progress;

import java.io.PrintStream;

/**
 * A one-line progress bar that is erased when it ends, so that only the epoch table stays on the screen. (DJL's
 * {@code ProgressBar} leaves a finished bar behind, one per epoch, between the table's rows.)
 */
final class ProgressLine implements Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private String message = "";
    private long max = 1;
    private long progress;
    private int shown = -1;

    ProgressLine(PrintStream out) {
        this.out = out;
    }

    @Override
    public void reset(String message, long max, String trailingMessage) {
        this.message = message;
        this.max = Math.max(1, max);
        this.progress = 0;
        this.shown = -1;
    }

    @Override
    public void start(long initialProgress) {
        update(initialProgress);
    }

    @Override
    public void end() {
        out.print('\r' + " ".repeat(message.length() + WIDTH + 40) + '\r');
        out.flush();
    }

    @Override
    public void increment(long increment) {
        update(progress + increment);
    }

    @Override
    public void update(long progress, String additionalMessage) {
        this.progress = progress;
        int percent = (int) Math.min(100, progress * 100 / max);
        if (percent == shown) {
            return;
        }
        shown = percent;
        int filled = percent * WIDTH / 100;
        out.print('\r' + message + " |" + "█".repeat(filled) + " ".repeat(WIDTH - filled) + "| " + percent + "% "
                + (additionalMessage == null ? "" : additionalMessage));
        out.flush();
    }
}
