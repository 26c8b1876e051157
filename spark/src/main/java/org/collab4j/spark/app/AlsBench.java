package org.collab4j.spark.app;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.collab4j.spark.SparkRatings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code als-bench}: Spark MLlib ALS's time per iteration on a ratings file, implicit and explicit, the figure
 * {@code bench/scale.sh} sets beside Collab4J's iALS sweep. Each mode is fitted twice, with 1 and with
 * {@code --iterations} iterations, and the time per iteration is the difference over the extra iterations, so that
 * the fit's set-up (blocking the ratings, the first shuffle) is not counted as iteration time. The ratings are read
 * and cached once, and one untimed fit of one iteration warms the JVM up, before any timing. Prints one
 * {@code RESULT} line per figure.
 */
@Command(name = "als-bench", mixinStandardHelpOptions = true,
        description = "Time Spark ALS (implicit and explicit) per iteration on a MovieLens csv. Prints RESULT lines.")
final class AlsBench implements Callable<Integer> {

    @Mixin
    SparkOptions sparkOptions;

    @Option(names = "--ratings", required = true, paramLabel = "CSV",
            description = "a MovieLens csv (userId,movieId,rating,...) with integer ids")
    String ratings;

    @Option(names = "--rank", description = "ALS rank (default: ${DEFAULT-VALUE})")
    int rank = 64;

    @Option(names = "--iterations", description = "iterations of the longer fit, at least 2 (default:"
            + " ${DEFAULT-VALUE})")
    int iterations = 3;

    @Option(names = "--reg", description = "ALS regularisation (default: ${DEFAULT-VALUE})")
    double reg = 0.1;

    @Option(names = "--modes", split = ",", paramLabel = "implicit|explicit",
            description = "which ALS to time (default: implicit,explicit)")
    String[] modes = {"implicit", "explicit"};

    @Override
    public Integer call() {
        if (iterations < 2) {
            throw new IllegalArgumentException("--iterations must be at least 2, got " + iterations);
        }
        SparkSession spark = sparkOptions.session("collab4j als-bench");
        try {
            long t0 = System.nanoTime();
            Dataset<Row> frame = SparkRatings.read(spark, ratings, "csv")
                    .select(col("userId").cast("int").as("user"), col("movieId").cast("int").as("item"),
                            col("rating").cast("float").as("rating"))
                    .cache();
            long rows = frame.count();
            result("spark read+cache %d rows: %.1f s (partitions %d)", rows, seconds(t0),
                    frame.rdd().getNumPartitions());
            t0 = System.nanoTime();
            fit(frame, true, 1);
            result("spark ALS warm-up (implicit, maxIter=1, not counted): %.1f s", seconds(t0));
            for (String mode : modes) {
                boolean implicit = switch (mode.toLowerCase(Locale.ROOT)) {
                    case "implicit" -> true;
                    case "explicit" -> false;
                    default -> throw new IllegalArgumentException("unknown mode '" + mode + "': use implicit or"
                            + " explicit");
                };
                double one = fit(frame, implicit, 1);
                double many = fit(frame, implicit, iterations);
                result("spark ALS %s rank=%d: fit maxIter=1 %.1f s, maxIter=%d %.1f s; per iteration %.2f s"
                        + " (fit/maxIter %.2f s)", mode, rank, one, iterations, many, (many - one) / (iterations - 1),
                        many / iterations);
            }
        } finally {
            spark.stop();
        }
        return 0;
    }

    private double fit(Dataset<Row> frame, boolean implicit, int maxIter) {
        ALS als = new ALS().setRank(rank).setMaxIter(maxIter).setRegParam(reg).setImplicitPrefs(implicit).setSeed(1)
                .setUserCol("user").setItemCol("item").setRatingCol("rating");
        long t0 = System.nanoTime();
        // fit materialises both factor tables (ALS counts them before returning), so the time is the whole fit.
        als.fit(frame);
        return seconds(t0);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void result(String format, Object... args) {
        System.out.println("RESULT " + String.format(Locale.ROOT, format, args));
    }
}
