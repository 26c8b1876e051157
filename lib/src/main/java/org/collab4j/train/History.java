package org.collab4j.train;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".history-", ".csv");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                w.write("epoch,train_loss,valid_loss,valid_rmse,seconds\n");
                int epoch = 0;
                for (EpochResult r : rows) {
                    w.write(String.format(Locale.ROOT, "%d,%.6f,%s,%s,%.3f%n", ++epoch, r.trainLoss(),
                            cell(r.validLoss()), cell(r.validRmse()), r.seconds()));
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String cell(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6f", value);
    }
}
