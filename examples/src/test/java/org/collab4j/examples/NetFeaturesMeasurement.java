package org.collab4j.examples;

import org.collab4j.data.FeatureTable;
import org.collab4j.data.IdMap;
import org.collab4j.data.MovieLensFeatures;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.UnknownIdPolicy;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.step.StepChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Not a check: the measurement of docs/training.md, "EmbeddingNet's side columns" (issue 27 item 2). Trains
 * {@code train --block net}'s defaults (50 factors, hidden [10], 5 epochs one-cycle at 5e-3, bs 64) on an inner
 * split, without item features (the planner's step, then DJL's dense step, which the net with features uses) and
 * with movies.csv's (genres, year, decade), for several seeds, and prints the validation RMSE (the learner's, as
 * {@code train --valid} prints it) and the RMSE on the validation ratings of items without training ratings: served
 * from their features, against the plain net's FALLBACK. Skipped without {@code -Dcollab4j.netfeat=DIR}, a folder
 * holding {@code rate-train.csv}/{@code rate-valid.csv} ({@code split-ratings --seed 1} of S1's train.csv);
 * {@code -Dcollab4j.netfeat.movies=DIR} is movies.csv's folder, {@code -Dcollab4j.netfeat.seeds=1,2,3} the seeds and
 * {@code -Dcollab4j.netfeat.variants=plain,plain-dense,features} the models.
 *
 * <pre>
 * mvn -B -o -DcpuOnly -pl lib,cli,examples -am test -Dtest=NetFeaturesMeasurement -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dcollab4j.netfeat=/tmp/tab -Dcollab4j.netfeat.movies=/work/shared/data/ml-latest-small
 * </pre>
 */
@EnabledIfSystemProperty(named = "collab4j.netfeat", matches = ".+")
class NetFeaturesMeasurement {

    @Test
    void netRmseWithAndWithoutItemFeatures() throws IOException {
        Path dir = Path.of(System.getProperty("collab4j.netfeat"));
        Path movies = Path.of(System.getProperty("collab4j.netfeat.movies", "/work/shared/data/ml-latest-small"));
        FeatureTable genres = MovieLensFeatures.movies(movies.resolve("movies.csv"));
        Ratings trainOnly = Ratings.read(dir.resolve("rate-train.csv"), RatingsFormat.MOVIELENS_CSV);
        Split split = Splits.combine(trainOnly, Ratings.read(dir.resolve("rate-valid.csv"),
                RatingsFormat.MOVIELENS_CSV));
        for (String seed : System.getProperty("collab4j.netfeat.seeds", "1,2,3").split(",")) {
            long s = Long.parseLong(seed);
            for (String variant : System.getProperty("collab4j.netfeat.variants", "plain,plain-dense,features")
                    .split(",")) {
                long t0 = System.nanoTime();
                try (CollabLearner learner = CollabLearner.builder().setData(split)
                        .optModel(EmbeddingNet.builder().optFactors(50))
                        .optItemFeatures(variant.equals("features") ? genres : null)
                        .optTrainingStep(variant.equals("plain-dense") ? StepChoice.DENSE : StepChoice.AUTO)
                        .optOutput(null).optProgressBar(false).optSeed(s).build()) {
                    learner.fitOneCycle(5, 5e-3f);
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double rmse = learner.evaluate(split.valid()).rmse();
                    TrainedModel model = learner.fittedModel();
                    Recommender served = variant.equals("features")
                            ? Recommender.builder().setModel(model).optItemFeatures(genres).build()
                            : Recommender.builder().setModel(model).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK)
                                    .build();
                    double[] cold = rmse(served, split.valid(), trainOnly.users(), trainOnly.items(), true);
                    double[] warm = rmse(served, split.valid(), trainOnly.users(), trainOnly.items(), false);
                    System.out.println(String.format(Locale.ROOT, "RESULT seed %d %-12s valid RMSE %.4f; warm pairs"
                            + " (%d) %.4f; %d ratings of items without training ratings: RMSE %.4f (%s); %.1f s", s,
                            variant, rmse, (long) warm[1], warm[0], (long) cold[1], cold[0],
                            variant.equals("features") ? "from features" : "FALLBACK", seconds));
                }
            }
        }
    }

    /**
     * RMSE over the ratings whose user trained and whose item did not ({@code cold}) or did, and their count.
     */
    private static double[] rmse(Recommender served, Ratings valid, IdMap trainedUsers, IdMap trainedItems,
            boolean cold) {
        double sum = 0;
        long n = 0;
        for (int k = 0; k < valid.size(); k++) {
            String user = valid.users().id(valid.user(k));
            String item = valid.items().id(valid.item(k));
            if (trainedUsers.indexOf(user) < 0 || (trainedItems.indexOf(item) >= 0) == cold) {
                continue;
            }
            double e = served.predict(user, item) - valid.rating(k);
            sum += e * e;
            n++;
        }
        return new double[] {Math.sqrt(sum / Math.max(1, n)), n};
    }
}
