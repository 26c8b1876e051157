package org.collab4j.examples;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.collab4j.data.MovieLens;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.Evaluation;
import org.collab4j.util.InputFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code quickstart}: MovieLens small, EmbeddingDotBias, the epoch table and a few predictions. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Train EmbeddingDotBias on MovieLens latest-small (from --data, the cache, or a download)"
                + " and show a few predictions beside the true ratings.")
final class Quickstart implements Callable<Integer> {

    @Option(names = "--data", description = "a directory holding MovieLens' ratings.csv (and movies.csv);"
            + " default: the cached dataset, downloaded from GroupLens if missing")
    Path data;

    @Option(names = "--show", description = "how many validation ratings to show (default: ${DEFAULT-VALUE})")
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
            showPredictions(learner, split.valid(), titles(dir.resolve("movies.csv")));
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

    private void showPredictions(CollabLearner learner, Ratings valid, Map<String, String> titles) {
        System.out.println(String.format(Locale.ROOT, "%n%-6s %-50s %6s %9s", "user", "movie", "rating",
                "predicted"));
        for (int row = 0; row < Math.min(show, valid.size()); row++) {
            String user = valid.users().id(valid.user(row));
            String item = valid.items().id(valid.item(row));
            String title = titles.getOrDefault(item, item);
            System.out.println(String.format(Locale.ROOT, "%-6s %-50.50s %6.1f %9.2f", user, title,
                    valid.rating(row), learner.predict(user, item)));
        }
    }

    private static Map<String, String> titles(Path moviesCsv) throws IOException {
        Map<String, String> titles = new HashMap<>();
        if (!Files.isRegularFile(moviesCsv)) {
            return titles;
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        try (Reader reader = new InputStreamReader(InputFiles.openText(moviesCsv), StandardCharsets.UTF_8)) {
            for (CSVRecord record : format.parse(reader)) {
                titles.put(record.get("movieId"), record.get("title"));
            }
        }
        return titles;
    }
}
