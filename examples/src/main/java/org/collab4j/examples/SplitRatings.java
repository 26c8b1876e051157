package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import org.collab4j.cli.RatingsFileOptions;
import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.util.AtomicFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code split-ratings}: writes a seeded train/validation split of a ratings file as two MovieLens-style CSVs
 * ({@code userId,movieId,rating,timestamp}), either over all ratings ({@link Splits#random}) or within each user
 * ({@link Splits#byUser}). Existing output files are not overwritten.
 */
@Command(name = "split-ratings", mixinStandardHelpOptions = true,
        description = "Write a seeded split of a ratings file as train and validation CSVs: a random share of all"
                + " ratings, or with --by-user a random share of each user's ratings.")
final class SplitRatings implements Callable<Integer> {

    @Option(names = "--ratings", required = true, paramLabel = "FILE", description = "the ratings to split")
    Path ratings;

    @Mixin
    RatingsFileOptions layout;

    @Option(names = "--valid-fraction", description = "the share held out (default: ${DEFAULT-VALUE})")
    double validFraction = 0.2;

    @Option(names = "--seed", description = "the seed of the shuffle (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--by-user", description = "hold out the share within each user (each keeps at least one"
            + " training rating)")
    boolean byUser;

    @Option(names = "--train-out", required = true, paramLabel = "FILE", description = "the training CSV to write")
    Path trainOut;

    @Option(names = "--valid-out", required = true, paramLabel = "FILE",
            description = "the validation CSV to write")
    Path validOut;

    @Override
    public Integer call() throws IOException {
        new RunFiles().text("--ratings", ratings).output("--train-out", trainOut).output("--valid-out", validOut)
                .check();
        for (Path out : new Path[] {trainOut, validOut}) {
            if (Files.exists(out)) {
                throw new IllegalArgumentException(out + " exists; split-ratings does not overwrite files, so"
                        + " remove it or choose another name");
            }
        }
        Ratings all = Ratings.read(ratings, layout.ratingsFormat());
        Split split = byUser ? Splits.byUser(all, validFraction, seed) : Splits.random(all, validFraction, seed);
        AtomicFiles.writeText(trainOut, out -> write(out, split.train()));
        AtomicFiles.writeText(validOut, out -> write(out, split.valid()));
        System.out.println("split " + all.size() + " ratings " + (byUser ? "within each user" : "at random")
                + " with seed " + seed + ": " + split.train().size() + " to " + trainOut + ", "
                + split.valid().size() + " to " + validOut);
        return 0;
    }

    private static void write(Writer out, Ratings part) throws IOException {
        out.write(part.hasTimestamps() ? "userId,movieId,rating,timestamp\n" : "userId,movieId,rating\n");
        for (int row = 0; row < part.size(); row++) {
            out.write(part.users().id(part.user(row)) + "," + part.items().id(part.item(row)) + ","
                    + part.rating(row));
            out.write(part.hasTimestamps() ? "," + part.timestamp(row) + "\n" : "\n");
        }
    }
}
