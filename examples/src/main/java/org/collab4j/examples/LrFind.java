package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.plot.Charts;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.LrFinder;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lr-find}: the LR finder's curve (CSV and PNG) and its suggested learning rate. */
@Command(name = "lr-find", mixinStandardHelpOptions = true,
        description = "Run the learning-rate finder, write its curve as CSV and PNG, print the suggested rate."
                + " With --fit, then train with the suggestion as the (peak) learning rate.")
final class LrFind implements Callable<Integer> {

    @Option(names = "--ratings", required = true, description = "the ratings file (MovieLens csv)")
    Path ratings;

    @Option(names = "--valid", description = "a separate validation file")
    Path valid;

    @Option(names = "--out", description = "folder for lr-find.csv and lr-find.png (default: ${DEFAULT-VALUE})")
    Path out = Path.of("collab4j-output");

    @Option(names = "--fit", description = "train with the suggested learning rate afterwards")
    boolean fit;

    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() throws IOException {
        training.validate();
        new RunFiles().text("--ratings", ratings).text("--valid", valid)
                .outputs("--out", out, "lr-find.csv", "lr-find.png").check();
        Ratings all = Ratings.read(ratings, RatingsFormat.MOVIELENS_CSV);
        training.checkRatings(all, ratings.toString());
        Split split = valid != null
                ? Splits.combine(all, Ratings.read(valid, RatingsFormat.MOVIELENS_CSV))
                : Splits.random(all, 0.2, training.seed);
        try (CollabLearner learner = training.learner(split)) {
            LrFinder.Result result = LrFinder.builder().optSteps(200).build().find(learner);
            Path csv = out.resolve("lr-find.csv");
            Path png = out.resolve("lr-find.png");
            result.writeCsv(csv);
            Charts.savePng(Charts.lrFinder(result), png);
            System.out.println("curve: " + csv.toAbsolutePath() + ", plot: " + png.toAbsolutePath());
            System.out.println(String.format(Locale.ROOT, "lowest loss at lr %.3g; suggested lr %.3g",
                    result.minLossLearningRate(), result.suggestedLearningRate()));
            if (fit) {
                training.lr = result.suggestedLearningRate();
                training.fit(learner);
                System.out.println(learner.evaluate(split.valid()));
            }
        }
        return 0;
    }
}
