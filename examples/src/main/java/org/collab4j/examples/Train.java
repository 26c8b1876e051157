package org.collab4j.examples;

import org.collab4j.data.DuplicatePolicy;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.YRange;
import org.collab4j.train.CollabLearner;
import org.collab4j.plot.Charts;
import org.collab4j.train.Evaluation;
import org.collab4j.train.History;
import org.collab4j.train.TrainingDivergedException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code train}: any ratings file in, a trained model's validation errors out. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on a ratings file and print its validation errors. The last line is"
                + " 'RMSE <value> MAE <value>'.")
final class Train implements Callable<Integer> {

    @Option(names = "--ratings", required = true, description = "the ratings file")
    Path ratings;

    @Option(names = "--valid", description = "a separate validation file in the same format")
    Path valid;

    @Option(names = "--valid-fraction",
            description = "share of --ratings held out at random when there is no --valid (default: ${DEFAULT-VALUE})")
    double validFraction = 0.2;

    @Option(names = "--format", description = "csv (MovieLens ratings.csv), tsv (ML-100k u.data) or dat"
            + " (ML-1M/10M ratings.dat) (default: ${DEFAULT-VALUE})")
    String format = "csv";

    @Option(names = "--sep", description = "a custom delimiter; columns are user, item, rating")
    String separator;

    @Option(names = "--no-header", description = "with --sep: the file has no header line")
    boolean noHeader;

    @Option(names = "--history", description = "a folder to write history.csv and losses.png into")
    Path history;

    @Option(names = "--save", paramLabel = "FILE", description = "save the trained model to FILE (one file,"
            + " written atomically; load it with recommend, similar, explain or TrainedModel.load)")
    Path save;

    @Option(names = "--init-model", paramLabel = "FILE", description = "continue training from a model saved by"
            + " 'train --save' (a warm start): its block, weights and ids are kept, new users and items in the data"
            + " get new rows; --model, --factors, --y-range and --dropout are then the saved model's. The optimizer"
            + " state starts fresh: a short, lower-rate schedule (e.g. --epochs 2) usually suffices")
    Path initModel;

    @Option(names = "--duplicates", paramLabel = "POLICY", description = "a user who rated an item more than once:"
            + " KEEP_ALL (every line is a rating), KEEP_LAST, MEAN or ERROR (default: ${DEFAULT-VALUE})")
    DuplicatePolicy duplicates = DuplicatePolicy.KEEP_ALL;

    @Option(names = "--strict-range", description = "refuse ratings outside --y-range (an error naming the line);"
            + " without it they are a warning")
    boolean strictRange;

    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() throws IOException {
        training.validate();
        if (valid == null && !(validFraction > 0 && validFraction < 1)) {
            throw new IllegalArgumentException("--valid-fraction must be strictly between 0 and 1, e.g. 0.2, got "
                    + validFraction);
        }
        RatingsFormat.Builder formatBuilder = separator != null
                ? RatingsFormat.builder().setDelimiter(separator).optHeader(!noHeader)
                : RatingsFormat.forName(format).toBuilder();
        formatBuilder.optDuplicates(duplicates);
        TrainedModel init = initModel != null ? TrainedModel.load(initModel) : null;
        YRange range = init != null ? init.getConfig().yRange() : training.range();
        if (init != null) {
            System.out.println("continuing from " + initModel + ": " + init);
        }
        if (strictRange && range != null) {
            formatBuilder.optRatingRange(range.low(), range.high());
        }
        RatingsFormat fmt = formatBuilder.build();
        Ratings all = Ratings.read(ratings, fmt);
        warnOutside(all, ratings, range);
        Ratings validRatings = null;
        if (valid != null) {
            validRatings = Ratings.read(valid, fmt);
            warnOutside(validRatings, valid, range);
        }
        Split split = validRatings != null
                ? Splits.combine(all, validRatings)
                : Splits.random(all, validFraction, training.seed);
        System.out.println("train " + split.train().size() + " ratings, valid " + split.valid().size()
                + " ratings, " + split.train().users().size() + " users, " + split.train().items().size()
                + " items");
        try (CollabLearner learner = training.learner(split, init)) {
            System.out.println(learner);
            try {
                training.fit(learner);
            } catch (TrainingDivergedException e) {
                throw new TrainingDivergedException(e.getMessage()
                        + (save != null ? " Nothing was saved to " + save + "." : ""));
            }
            if (history != null) {
                History.writeCsv(learner.history(), history.resolve("history.csv"));
                Charts.savePng(Charts.lossCurves(learner.history()), history.resolve("losses.png"));
                System.out.println("history: " + history.toAbsolutePath().resolve("history.csv") + ", "
                        + history.toAbsolutePath().resolve("losses.png"));
            }
            Evaluation eval = learner.evaluate(learner.getValidData());
            if (save != null) {
                TrainedModel.of(learner).save(save);
                System.out.println("saved the model to " + save);
            }
            System.out.println(String.format(Locale.ROOT, "RMSE %.6f MAE %.6f", eval.rmse(), eval.mae()));
        }
        return 0;
    }

    /** Warns on stderr about ratings the model's y-range cannot reach (an error with --strict-range instead). */
    private static void warnOutside(Ratings ratings, Path file, YRange range) {
        if (range == null) {
            return;
        }
        int outside = 0;
        for (float r : ratings.ratingValues()) {
            if (r < range.low() || r > range.high()) {
                outside++;
            }
        }
        if (outside > 0) {
            System.err.println("warning: " + outside + " of " + ratings.size() + " ratings in " + file + " lie"
                    + " outside the y-range [" + range.low() + ", " + range.high() + "] (they span "
                    + ratings.minRating() + " to " + ratings.maxRating() + "): the model can never predict them."
                    + " Widen --y-range, or pass --strict-range to refuse such files.");
        }
    }
}
