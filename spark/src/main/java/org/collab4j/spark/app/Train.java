package org.collab4j.spark.app;

import org.apache.spark.sql.SparkSession;
import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.YRange;
import org.collab4j.spark.SparkRatings;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.recommend.Evaluation;
import org.collab4j.train.TrainingDivergedException;
import org.collab4j.train.optimizer.Adam;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    /** The models {@code --model} offers: the two whose scoring runs on the executors as dot products. */
    enum ModelKind {
        dot, dotbias
    }

    @Mixin
    SparkOptions sparkOptions;

    @Option(names = "--ratings", required = true, paramLabel = "PATH", description = "a file or folder of part"
            + " files, on any file system Spark reads")
    String ratings;

    @Option(names = "--format", description = "csv (with a header line) or parquet (default: ${DEFAULT-VALUE})")
    String format = "csv";

    @Option(names = "--valid", paramLabel = "PATH", description = "separate validation ratings in the same format")
    String valid;

    @Option(names = "--valid-fraction", description = "share of --ratings held out at random when there is no"
            + " --valid (default: ${DEFAULT-VALUE})")
    double validFraction = 0.2;

    @Option(names = "--user-col", description = "the user id column (default: ${DEFAULT-VALUE})")
    String userCol = "userId";

    @Option(names = "--item-col", description = "the item id column (default: ${DEFAULT-VALUE})")
    String itemCol = "movieId";

    @Option(names = "--rating-col", description = "the rating column (default: ${DEFAULT-VALUE})")
    String ratingCol = "rating";

    @Option(names = "--model", description = "dot or dotbias (default: ${DEFAULT-VALUE})")
    ModelKind modelKind = ModelKind.dotbias;

    @Option(names = "--epochs", description = "one-cycle epochs (default: ${DEFAULT-VALUE})")
    int epochs = 5;

    @Option(names = "--lr", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    float lr = 5e-3f;

    @Option(names = "--wd", description = "AdamW weight decay (default: ${DEFAULT-VALUE})")
    float wd = 0.1f;

    @Option(names = "--bs", description = "batch size (default: ${DEFAULT-VALUE})")
    int batchSize = CollabLearnerBuilder.DEFAULT_BATCH_SIZE;

    @Option(names = "--factors", description = "factors per user and item (default: ${DEFAULT-VALUE})")
    int factors = 50;

    @Option(names = "--y-range", split = ",", description = "LOW,HIGH: the range predictions are squashed into"
            + " (default: 0,5.5)")
    float[] yRange = {0f, 5.5f};

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--save", required = true, paramLabel = "M", description = "the model file to write (one"
            + " file, written atomically)")
    Path save;

    @Override
    public Integer call() throws IOException {
        validate();
        SparkRatings reader = SparkRatings.builder().setUserCol(userCol).setItemCol(itemCol).setRatingCol(ratingCol)
                .build();
        SparkSession spark = sparkOptions.session("collab4j train");
        Split split;
        try {
            Ratings all = reader.collect(SparkRatings.read(spark, ratings, format));
            split = valid != null
                    ? Splits.combine(all, reader.collect(SparkRatings.read(spark, valid, format)))
                    : Splits.random(all, validFraction, seed);
        } finally {
            spark.stop();
        }
        System.out.println("train " + split.train().size() + " ratings, valid " + split.valid().size()
                + " ratings, " + split.train().users().size() + " users, " + split.train().items().size() + " items");
        YRange range = new YRange(yRange[0], yRange[1]);
        CollabBlock.BaseBuilder<?> block = modelKind == ModelKind.dot
                ? EmbeddingDot.builder().optFactors(factors).optYRange(range)
                : EmbeddingDotBias.builder().optFactors(factors).optYRange(range);
        try (CollabLearner learner = CollabLearner.builder()
                .setData(split)
                .optModel(block)
                .optOptimizer(Adam.builder().optWeightDecay(wd).build())
                .optBatchSize(batchSize)
                .optSeed(seed)
                .build()) {
            System.out.println(learner);
            try {
                learner.fitOneCycle(epochs, lr);
            } catch (TrainingDivergedException e) {
                throw new TrainingDivergedException(e.getMessage() + " Nothing was saved to " + save + ".");
            }
            Evaluation eval = learner.evaluate(split.valid());
            learner.fittedModel().save(save);
            System.out.println("saved the model to " + save);
            System.out.println(String.format(Locale.ROOT, "RMSE %.6f MAE %.6f", eval.rmse(), eval.mae()));
        }
        return 0;
    }

    private void validate() {
        require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        require(lr > 0 && Float.isFinite(lr), "--lr must be a number > 0, got " + lr);
        require(wd >= 0 && Float.isFinite(wd), "--wd must be a number >= 0, got " + wd);
        require(batchSize >= 1, "--bs must be at least 1, got " + batchSize);
        require(factors >= 1, "--factors must be at least 1, got " + factors);
        require(yRange.length == 2 && yRange[0] < yRange[1], "--y-range takes two numbers LOW,HIGH with LOW < HIGH,"
                + " e.g. 0,5.5");
        require(valid != null || validFraction > 0 && validFraction < 1, "--valid-fraction must be strictly between"
                + " 0 and 1, got " + validFraction);
        String fmt = format.toLowerCase(Locale.ROOT);
        require(fmt.equals("csv") || fmt.equals("parquet"), "--format must be csv or parquet, got " + format);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
