package org.collab4j.examples;

import org.collab4j.cli.CliException;
import org.collab4j.cli.RatingsFileOptions;
import org.collab4j.cli.RunFiles;
import org.collab4j.data.Ratings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code read-ratings}: reads a ratings file as {@code train} does and prints its size and the read time, the
 * figure {@code bench/scale.sh} reports; with {@code --repeat} the read is timed again in the same JVM (warm).
 */
@Command(name = "read-ratings", mixinStandardHelpOptions = true,
        description = "Read a ratings file and print its rows, users, items and the read time.")
final class ReadRatings implements Callable<Integer> {

    @Option(names = "--ratings", required = true, paramLabel = "FILE", description = "the ratings file")
    Path ratings;

    @Mixin
    RatingsFileOptions layout;

    @Option(names = "--repeat", description = "reads to time (default: ${DEFAULT-VALUE})")
    int repeat = 1;

    @Override
    public Integer call() throws IOException {
        if (repeat < 1) {
            throw new CliException("--repeat must be at least 1, got " + repeat);
        }
        if (repeat > 1 && !java.nio.file.Files.isRegularFile(ratings)) {
            throw new CliException("--repeat " + repeat + " reads --ratings " + ratings + " " + repeat + " times, and"
                    + " a pipe can be read once: give a regular file, or leave --repeat out");
        }
        new RunFiles().text("--ratings", ratings).check();
        for (int run = 1; run <= repeat; run++) {
            long t0 = System.nanoTime();
            Ratings read = Ratings.read(ratings, layout.ratingsFormat());
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "read %d ratings of %d items by %d users%s in %.2f s (%.2f M rows/s)%n",
                    read.size(), read.items().size(), read.users().size(),
                    read.hasTimestamps() ? " with timestamps" : "", seconds, read.size() / seconds / 1e6);
        }
        return 0;
    }
}
