package org.collab4j.spark.app;

import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.collab4j.io.TrainedModel;
import org.collab4j.spark.SparkRecommender;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code recommend-all}: top-k for every known user, computed on the executors, written as part files. */
@Command(name = "recommend-all", mixinStandardHelpOptions = true,
        description = "Top-k items for every known user of a model, computed on the Spark executors. Writes DIR"
                + " as Spark writes a table: part files (csv: each with the header user,item,rank,score; rank 1 ="
                + " best; original ids) and _SUCCESS once the job has committed. With --item-features FILE, items the"
                + " model has not seen are served from their features (a model trained with --item-features).")
final class RecommendAll implements Callable<Integer> {

    @Mixin
    SparkOptions sparkOptions;

    @Option(names = "--model", required = true, paramLabel = "M", description = "the model file (read on the"
            + " driver)")
    Path model;

    @Option(names = "-k", required = true, paramLabel = "K", description = "items per user")
    int k;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the folder to write; it must not"
            + " exist yet (nothing is overwritten)")
    String out;

    @Option(names = "--format", description = "csv or parquet (default: ${DEFAULT-VALUE})")
    String format = "csv";

    @Option(names = "--partitions", description = "tasks to split the users into (default: Spark's default"
            + " parallelism)")
    Integer partitions;

    @Option(names = "--block-size", description = "users a task scores at once (default: ${DEFAULT-VALUE})")
    int blockSize = SparkRecommender.DEFAULT_BLOCK_SIZE;

    /** {@code --item-features}: items the model has not seen, served from their features with the item side. */
    @Mixin
    org.collab4j.cli.FeatureOptions features;

    @Override
    public Integer call() throws IOException {
        if (k < 1) {
            throw new IllegalArgumentException("-k must be at least 1, got " + k);
        }
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!fmt.equals("csv") && !fmt.equals("parquet")) {
            throw new IllegalArgumentException("--format must be csv or parquet, got " + format);
        }
        features.validate();
        if (!features.userFiles.isEmpty()) {
            throw new IllegalArgumentException("recommend-all serves the model's users: --user-features does not"
                    + " apply (new items with --item-features do)");
        }
        TrainedModel trained = SparkRecommender.loadModel(model);
        org.collab4j.data.FeatureTable items = features.forServing().itemFeatures().orElse(null);
        SparkSession spark = sparkOptions.session("collab4j recommend-all");
        try {
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(out);
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(target)) {
                throw new IllegalArgumentException("--out " + out + " already exists; choose a new folder (nothing"
                        + " is overwritten)");
            }
            SparkRecommender.Builder builder = SparkRecommender.builder().setModel(trained).optBlockSize(blockSize)
                    .optItemFeatures(items);
            if (partitions != null) {
                builder.optNumPartitions(partitions);
            }
            SparkRecommender recommender = builder.build(spark);
            long start = System.nanoTime();
            Dataset<Row> table = recommender.topNTable(recommender.recommendForAllUsers(k));
            if (fmt.equals("csv")) {
                table.write().option("header", "true").csv(out);
            } else {
                table.write().parquet(out);
            }
            System.out.printf(Locale.ROOT, "wrote top-%d for the known users of %s to %s (%s, %d partitions) in"
                    + " %.1f s%n", k, model, out, fmt, recommender.getNumPartitions(),
                    (System.nanoTime() - start) / 1e9);
        } finally {
            spark.stop();
        }
        return 0;
    }
}
