package org.collab4j.spark.app;

import org.apache.spark.sql.SparkSession;
import org.collab4j.cli.RunFiles;
import org.collab4j.cli.TrainDataOptions;
import org.collab4j.cli.TrainingOptions;
import org.collab4j.data.Ratings;
import org.collab4j.data.ReadOptions;
import org.collab4j.data.Split;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.BlockKind;
import org.collab4j.model.YRange;
import org.collab4j.recommend.Evaluation;
import org.collab4j.spark.SparkRatings;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.TrainingDivergedException;
import org.collab4j.util.InputFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code train}: ratings from a Spark table, streamed to the driver, trained there, saved to one file. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Read ratings with Spark (csv with a header, or parquet), stream them to the driver as"
                + " primitive arrays, train there (GPU if it has one, else CPU) and save the model. The last line is"
                + " 'RMSE <value> MAE <value>' on the validation ratings.")
final class Train implements Callable<Integer> {

    @Mixin
    SparkOptions sparkOptions;

    @Option(names = "--ratings", required = true, paramLabel = "PATH", description = "a file or folder of part"
            + " files, on any file system Spark reads")
    String ratings;

    @Option(names = "--format", description = "csv (with a header line) or parquet (default: ${DEFAULT-VALUE})")
    String format = "csv";

    @Option(names = "--valid", paramLabel = "PATH", description = "separate validation ratings in the same format")
    String valid;

    @Option(names = "--user-col", description = "the user id column (default: ${DEFAULT-VALUE})")
    String userCol = "userId";

    @Option(names = "--item-col", description = "the item id column (default: ${DEFAULT-VALUE})")
    String itemCol = "movieId";

    @Option(names = "--rating-col", description = "the rating column (default: ${DEFAULT-VALUE})")
    String ratingCol = "rating";

    @Option(names = "--save", required = true, paramLabel = "M", description = "the model file to write (one"
            + " file, written atomically). Without --valid the figures measure a fit on the rows --valid-fraction"
            + " does not hold out, and the model saved is a refit on every row with the same settings and epochs"
            + " (--no-refit keeps the first fit); it knows each user's items in --ratings either way")
    Path save;

    @Option(names = "--no-refit", description = "without --valid: save the measured fit (trained on the rows not"
            + " held out) instead of refitting on every row")
    boolean noRefit;

    /** {@code --valid-fraction}, {@code --duplicates}, {@code --strict-range}: as the examples' {@code train}. */
    @Mixin
    TrainDataOptions data;

    /** {@code --block dot|dotbias} (or {@code --model}), {@code --epochs}, {@code --lr}, ...: as the examples'. */
    @Mixin
    TrainingOptions training;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        validate();
        // Before Spark starts: the same checks as the examples' command line (an output is never an input).
        new RunFiles().table("--ratings", AppMessages.local(ratings)).table("--valid", AppMessages.local(valid))
                .output("--save", save).check();
        SparkRatings reader = SparkRatings.builder().setUserCol(userCol).setItemCol(itemCol).setRatingCol(ratingCol)
                .build();
        YRange range = training.range();
        ReadOptions readOptions = data.readOptions(range);
        SparkSession spark = sparkOptions.session("collab4j train");
        Split split;
        Ratings all;
        try {
            all = read(reader, spark, "--ratings", ratings, readOptions);
            Ratings validRatings = valid != null ? read(reader, spark, "--valid", valid, readOptions) : null;
            training.checkRatings(all, ratings);
            TrainDataOptions.warnOutside(all, ratings, range, System.err);
            if (validRatings != null) {
                training.checkRatings(validRatings, valid);
                TrainDataOptions.warnOutside(validRatings, valid, range, System.err);
            }
            split = data.split(all, validRatings, training.seed);
        } finally {
            spark.stop();
        }
        System.out.println("train " + split.train().size() + " ratings, valid " + split.valid().size()
                + " ratings, " + split.train().users().size() + " users, " + split.train().items().size() + " items");
        Evaluation eval;
        TrainedModel model;
        try (CollabLearner learner = training.learner(split)) {
            System.out.println(learner);
            try {
                training.fit(learner);
            } catch (TrainingDivergedException e) {
                throw new TrainingDivergedException(e.getMessage() + " Nothing was saved to " + save + ".");
            }
            eval = learner.evaluate(split.valid());
            model = refits() ? null : learner.fittedModel();
        }
        if (refits()) {
            model = refit(all);
        }
        // The model knows every row of --ratings, held-out ones included: recommend-all leaves them out.
        model.withRatedItems(all).save(save);
        System.out.println("saved the model to " + save);
        System.out.println(String.format(Locale.ROOT, "RMSE %.6f MAE %.6f", eval.rmse(), eval.mae()));
        return 0;
    }

    /** Whether the model saved is refit on every row: without --valid, unless --no-refit. */
    private boolean refits() {
        return valid == null && !noRefit;
    }

    /** The same learner on every row of {@code all}, trained as the first: the model served learns from all. */
    private TrainedModel refit(Ratings all) {
        System.out.println("refitting on all " + all.size() + " ratings of " + ratings + " with the same settings and"
                + " epochs; the figures measure the first fit, the model saved is the refit (--no-refit keeps the"
                + " first)");
        try (CollabLearner learner = training.learner(all, null, null)) {
            System.out.println(learner);
            try {
                training.fit(learner);
            } catch (TrainingDivergedException e) {
                throw new TrainingDivergedException(e.getMessage() + " Nothing was saved to " + save + ".");
            }
            return learner.fittedModel();
        }
    }

    /** Reads one table, with column problems in the app's words. */
    private Ratings read(SparkRatings reader, SparkSession spark, String option, String path, ReadOptions options)
            throws IOException {
        // A pipe or FIFO (/dev/stdin, <(...)) is read once into a temporary file that Spark can list and split;
        // messages still name it as given.
        Path local = AppMessages.local(path);
        Path copy = local != null && InputFiles.isStream(local) ? InputFiles.copyToTemporary(local,
                "collab4j-spark-") : null;
        try {
            return reader.source(spark, copy != null ? copy.toString() : path, format).read(options);
        } catch (SparkRatings.ColumnException e) {
            throw AppMessages.of(e, option, path);
        } catch (IllegalArgumentException e) {
            throw AppMessages.readOptions(e, option, path);
        } finally {
            if (copy != null) {
                java.nio.file.Files.deleteIfExists(copy);
            }
        }
    }

    /**
     * The checks before Spark starts: the shared options' own, the split's, and the two that are the app's: its
     * blocks are the ones whose scoring runs on the executors as dot products, and its formats Spark's.
     */
    private void validate() {
        training.validate();
        data.validate(valid != null);
        data.requireRangeForStrict(training.range());
        if (training.block == BlockKind.EMBEDDING_NET) {
            String name = TrainingOptions.blockOptionName(spec.commandLine().getParseResult());
            throw new IllegalArgumentException(name + " net is not served by this app (its top-N on the executors"
                    + " scores dot products): use " + name + " dot or dotbias");
        }
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("csv") && !fmt.equals("parquet")) {
            throw new IllegalArgumentException("--format must be csv or parquet, got " + format);
        }
    }
}
