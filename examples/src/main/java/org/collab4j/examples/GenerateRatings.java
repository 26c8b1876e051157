package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import org.collab4j.data.SyntheticMovieLens;
import org.collab4j.util.AtomicFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code generate-ratings}: writes seeded synthetic ratings in the shape of a public data set as a MovieLens CSV
 * ({@code userId,movieId,rating,timestamp}), streamed and written atomically, for benchmarks at sizes no bundled data
 * set has. {@code --shape ml-25m} is {@link SyntheticMovieLens}: MovieLens-25M's users, items, popularity and rating
 * scale at any number of rows.
 */
@Command(name = "generate-ratings", mixinStandardHelpOptions = true,
        description = "Write seeded synthetic ratings shaped like MovieLens-25M (power-law user activity and item"
                + " popularity, biases and low-rank structure, half-star ratings, timestamps) as a MovieLens CSV.")
final class GenerateRatings implements Callable<Integer> {

    @Option(names = "--shape", paramLabel = "NAME", description = "the data set whose shape to follow: ml-25m"
            + " (default: ${DEFAULT-VALUE})")
    String shape = "ml-25m";

    @Option(names = "--rows", description = "ratings to write (default: ${DEFAULT-VALUE}, MovieLens-25M's)")
    long rows = SyntheticMovieLens.ML25M_ROWS;

    @Option(names = "--users", description = "users (default: MovieLens-25M's 162,541 scaled by rows / 25,000,095)")
    int users;

    @Option(names = "--items", description = "items (default: MovieLens-25M's 62,423 scaled by rows / 25,000,095)")
    int items;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the CSV to write (replaced"
            + " atomically if it exists)")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (!"ml-25m".equals(shape.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("unknown --shape '" + shape + "'; the shape known is ml-25m");
        }
        new RunFiles().output("--out", out).check();
        SyntheticMovieLens data = SyntheticMovieLens.builder().setRows(rows).optShape(users, items).optSeed(seed)
                .build();
        long t0 = System.nanoTime();
        AtomicFiles.write(out, data::writeCsv);
        System.out.printf(Locale.ROOT, "wrote %d ratings of %d items by %d users (ml-25m shape, seed %d) to %s in"
                + " %.1f s%n", data.rows(), data.items(), data.users(), seed, out, (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
