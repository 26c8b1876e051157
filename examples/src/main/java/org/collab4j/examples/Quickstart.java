package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import org.collab4j.data.MovieLens;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.recommend.Titles;
import org.collab4j.train.CollabLearner;
import org.collab4j.recommend.Evaluation;
import org.collab4j.train.PredictedRating;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code quickstart}: MovieLens small, EmbeddingDotBias, the epoch table and predictions for a random sample of
 * validation ratings ({@link CollabLearner#samplePredictions}, fast.ai's {@code show_results}).
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Train EmbeddingDotBias on MovieLens latest-small (from --data, the cache, or a download)"
                + " and show a random sample of validation ratings beside their predictions.")
final class Quickstart implements Callable<Integer> {

    @Option(names = "--data", description = "a directory holding MovieLens' ratings.csv (and movies.csv);"
            + " default: the cached dataset, downloaded from GroupLens if missing")
    Path data;

    @Option(names = "--show", description = "how many validation ratings to show, drawn at random with the seed"
            + " (default: ${DEFAULT-VALUE})")
    int show = 10;

    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() throws IOException {
        training.validate();
        if (data != null) {
            new RunFiles().folder("--data", data, "ratings.csv", "movies.csv").text("--data", data.resolve(
                    "ratings.csv")).check();
        }
        Path dir = data != null ? data : download();
        Ratings ratings = Ratings.read(dir.resolve("ratings.csv"), RatingsFormat.MOVIELENS_CSV);
        Split split = Splits.random(ratings, 0.2, training.seed);
        System.out.println("MovieLens from " + dir + ": " + ratings);
        try (CollabLearner learner = training.learner(split)) {
            System.out.println(learner);
            training.fit(learner);
            Evaluation eval = learner.evaluate(split.valid());
            System.out.println("\nvalidation: " + eval);
            Path movies = dir.resolve("movies.csv");
            showPredictions(learner, split.valid(), (Files.exists(movies) && !Files.isDirectory(movies)) ? Titles.read(movies) : Titles.NONE);
        }
        return 0;
    }

    /** The cached dataset, downloaded if missing; a failure says so and offers --data. */
    private static Path download() throws IOException {
        try {
            return MovieLens.builder().build().prepare();
        } catch (MovieLens.DownloadException e) {
            throw new CliException("cannot download MovieLens latest-small from " + e.url() + " into "
                    + e.file() + ": " + e.reason() + "; pass --data DIR, a folder holding ml-latest-small's"
                    + " ratings.csv (and movies.csv) from https://grouplens.org/datasets/movielens/", e);
        }
    }

    private void showPredictions(CollabLearner learner, Ratings valid, Titles titles) {
        System.out.println(String.format(Locale.ROOT, "%n%-6s %-50s %6s %9s", "user", "movie", "rating",
                "predicted"));
        for (PredictedRating row : learner.samplePredictions(valid, show, training.seed)) {
            String title = titles.get(row.item());
            System.out.println(String.format(Locale.ROOT, "%-6s %-50.50s %6.1f %9.2f", row.user(),
                    title != null ? title : row.item(), row.actual(), row.predicted()));
        }
    }
}
