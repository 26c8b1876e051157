package org.collab4j.train;

import org.collab4j.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes per-epoch metrics ({@link CollabLearner#history()}) for spreadsheets and plots. */
public final class History {

    private History() {}

    /**
     * Writes the rows as CSV ({@code epoch,train_loss,valid_loss,valid_rmse,seconds}; empty cells for missing
     * validation), through a temporary file moved into place. The epoch column counts rows across all fits
     * (1, 2, 3, …), unlike {@link EpochResult#epoch()}, which restarts at each fit.
     *
     * @param rows the epoch rows
     * @param file the CSV file
     * @throws IOException if it cannot be written
     */
    public static void writeCsv(List<EpochResult> rows, Path file) throws IOException {
        AtomicFiles.writeText(file, w -> {
            w.write("epoch,train_loss,valid_loss,valid_rmse,seconds\n");
            int epoch = 0;
            for (EpochResult r : rows) {
                w.write(String.format(Locale.ROOT, "%d,%.6f,%s,%s,%.3f%n", ++epoch, r.trainLoss(),
                        cell(r.validLoss()), cell(r.validRmse()), r.seconds()));
            }
        });
    }

    private static String cell(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6f", value);
    }
}
