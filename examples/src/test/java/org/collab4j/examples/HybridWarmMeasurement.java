package org.collab4j.examples;

import org.collab4j.data.FeatureTable;
import org.collab4j.data.MovieLensFeatures;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.YRange;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.train.objective.Objective;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Not a check: the measurement of docs/training.md, "Side features" (issue 27, "warm accuracy kept"). Trains each
 * objective with the command line's defaults on an inner split, without and then with MovieLens's item features
 * (movies.csv's genres, year and decade; then also tags.csv's tags), in one JVM, and prints NDCG@10 (ranking) or
 * RMSE (ratings) and the training seconds of each. Skipped without {@code -Dcollab4j.hybrid=DIR}, a folder holding
 * {@code rank-train.csv}/{@code rank-valid.csv} ({@code split-ratings --by-user --seed 1} of S1's train.csv) and
 * {@code rate-train.csv}/{@code rate-valid.csv} ({@code split-ratings --seed 1}); {@code -Dcollab4j.hybrid.movies=DIR}
 * is the folder of movies.csv and tags.csv, {@code -Dcollab4j.hybrid.losses=mse,ials,bpr,softmax,warp} chooses the
 * objectives, {@code -Dcollab4j.hybrid.reps=3} the interleaved repetitions whose least time (wall-clock and the JVM's CPU time) is reported, and
 * {@code -Dcollab4j.hybrid.step=auto|host|device} the training step of the gradient objectives (default auto).
 *
 * <pre>
 * mvn -B -o -DcpuOnly -pl lib,examples -am test -Dtest=HybridWarmMeasurement -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dcollab4j.hybrid=/tmp/hyb -Dcollab4j.hybrid.movies=/work/shared/data/ml-latest-small
 * </pre>
 */
@EnabledIfSystemProperty(named = "collab4j.hybrid", matches = ".+")
class HybridWarmMeasurement {

    private static final org.collab4j.train.step.StepChoice STEP = switch (System.getProperty(
            "collab4j.hybrid.step", "auto")) {
        case "host" -> org.collab4j.train.step.StepChoice.HOST;
        case "device" -> org.collab4j.train.step.StepChoice.DEVICE;
        default -> org.collab4j.train.step.StepChoice.AUTO;
    };

    @Test
    void warmAccuracyWithAndWithoutItemFeatures() throws IOException {
        Path dir = Path.of(System.getProperty("collab4j.hybrid"));
        Path movies = Path.of(System.getProperty("collab4j.hybrid.movies", "/work/shared/data/ml-latest-small"));
        FeatureTable genres = MovieLensFeatures.movies(movies.resolve("movies.csv"));
        FeatureTable tagged = genres.join(MovieLensFeatures.tags(movies.resolve("tags.csv"),
                MovieLensFeatures.DEFAULT_TAG_MIN_COUNT));
        System.out.println("FEATURES " + genres + "; " + tagged);
        String[] losses = System.getProperty("collab4j.hybrid.losses", "mse,ials,bpr,softmax,warp").split(",");
        // Warm-up (engine start, JIT), not reported: the first run's seconds would count them.
        rmse(dir, genres);
        int reps = Integer.getInteger("collab4j.hybrid.reps", 3);
        for (String loss : losses) {
            FeatureTable[] tables = {null, genres, tagged};
            String[] names = {"none", "genres+year", "genres+year+tags"};
            double[] figures = new double[tables.length];
            double[] fastest = new double[tables.length];
            double[] leastCpu = new double[tables.length];
            java.util.Arrays.fill(fastest, Double.MAX_VALUE);
            java.util.Arrays.fill(leastCpu, Double.MAX_VALUE);
            // Interleaved repetitions, the fastest of each kept: the machine is shared and noisy.
            for (int r = 0; r < reps; r++) {
                for (int t = 0; t < tables.length; t++) {
                    long t0 = System.nanoTime();
                    long c0 = cpu();
                    figures[t] = loss.equals("mse") ? rmse(dir, tables[t]) : ndcg(dir, loss, tables[t]);
                    fastest[t] = Math.min(fastest[t], (System.nanoTime() - t0) / 1e9);
                    leastCpu[t] = Math.min(leastCpu[t], (cpu() - c0) / 1e9);
                }
            }
            for (int t = 0; t < tables.length; t++) {
                System.out.println(String.format(Locale.ROOT, "RESULT %-8s %-18s %s %.4f  wall %.2f s, ratio %.2f;"
                        + " process CPU %.2f s, ratio %.2f (least of %d)", loss, names[t],
                        loss.equals("mse") ? "RMSE" : "NDCG@10", figures[t], fastest[t], fastest[t] / fastest[0],
                        leastCpu[t], leastCpu[t] / leastCpu[0], reps));
            }
        }
    }

    /** The JVM's CPU time, all threads (the machine is shared: wall-clock time counts the others' load). */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The rating model of {@code train}'s defaults: dotbias, 50 factors, 5 epochs one-cycle at 5e-3, bs 64. */
    private static double rmse(Path dir, FeatureTable features) throws IOException {
        Split split = Splits.combine(Ratings.read(dir.resolve("rate-train.csv"), RatingsFormat.MOVIELENS_CSV),
                Ratings.read(dir.resolve("rate-valid.csv"), RatingsFormat.MOVIELENS_CSV));
        try (CollabLearner learner = CollabLearner.builder().setData(split)
                .optModel(EmbeddingDotBias.builder().optFactors(50).optYRange(YRange.MOVIELENS))
                .optItemFeatures(features).optTrainingStep(STEP).optOutput(null).optProgressBar(false).optSeed(42)
                .build()) {
            learner.fitOneCycle(5, 5e-3f);
            return learner.evaluate(split.valid()).rmse();
        }
    }

    /**
     * The ranking model of {@code train --implicit --positive-threshold 4 --loss X}'s defaults: iALS 10 sweeps; the
     * sampled losses dotbias 64 factors, 20 epochs one-cycle at 1e-2, bs 1024.
     */
    private static double ndcg(Path dir, String loss, FeatureTable features) throws IOException {
        Split raw = Splits.combine(Ratings.read(dir.resolve("rank-train.csv"), RatingsFormat.MOVIELENS_CSV),
                Ratings.read(dir.resolve("rank-valid.csv"), RatingsFormat.MOVIELENS_CSV));
        Split split = ImplicitData.of(4f, ImplicitData.DEFAULT_BELOW_THRESHOLD_WEIGHT).apply(raw,
                dir.resolve("rank-train.csv"), dir.resolve("rank-valid.csv"));
        Objective objective = ImplicitData.objective(loss);
        boolean ials = loss.equals("ials");
        CollabLearnerBuilder builder = CollabLearner.builder().setData(split).optObjective(objective)
                .optModel(ials ? EmbeddingDot.builder().optFactors(64).optYRange(null)
                        : EmbeddingDotBias.builder().optFactors(64).optYRange(null))
                .optBatchSize(ials ? CollabLearnerBuilder.DEFAULT_BATCH_SIZE : 1024).optItemFeatures(features)
                .optOutput(null).optProgressBar(false).optSeed(42);
        if (!ials) {
            builder.optTrainingStep(STEP);
        }
        try (CollabLearner learner = builder.build()) {
            if (ials) {
                learner.fitAls(10);
            } else {
                learner.fitOneCycle(20, 1e-2f);
            }
            TrainedModel model = learner.fittedModel();
            return Recommender.of(model.withRatedItems(raw.train())).evaluateRanking(split.valid(), 10, 1f).ndcg();
        }
    }
}
