package org.collab4j.examples;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.collab4j.data.MovieLens;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.train.CollabLearner;
import org.collab4j.recommend.Evaluation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
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
        Path dir = data != null ? data : MovieLens.builder().build().prepare();
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
        try (Reader reader = Files.newBufferedReader(moviesCsv, StandardCharsets.UTF_8)) {
            for (CSVRecord record : format.parse(reader)) {
                titles.put(record.get("movieId"), record.get("title"));
            }
        }
        return titles;
    }
}
