package org.collab4j.examples;

import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.recommend.RankingEvaluation;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.Evaluation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code evaluate-ranking}: RMSE and top-k metrics of a saved model on held-out ratings. */
@Command(name = "evaluate-ranking", mixinStandardHelpOptions = true,
        description = "Measure a saved model on held-out ratings: RMSE, and precision, recall and NDCG at k with"
                + " catalogue coverage for top-k recommendations (held-out ratings >= --threshold are relevant).")
final class EvaluateRanking implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--ratings", required = true, paramLabel = "FILE",
            description = "the held-out ratings, e.g. valid.csv")
    Path ratings;

    @Option(names = "--format", description = "csv, tsv or dat, as for train (default: ${DEFAULT-VALUE})")
    String format = "csv";

    @Option(names = "-k", description = "the cut-off (default: ${DEFAULT-VALUE})")
    int k = 10;

    @Option(names = "--threshold", description = "the rating from which a held-out item is relevant"
            + " (default: ${DEFAULT-VALUE})")
    float threshold = 4f;

    @Override
    public Integer call() throws IOException {
        Recommender recommender = model.recommender();
        Ratings heldOut = Ratings.read(ratings, RatingsFormat.forName(format));
        System.out.println(recommender);
        Evaluation eval = recommender.evaluate(heldOut);
        System.out.println(String.format(Locale.ROOT, "RMSE %.4f MAE %.4f on %d of %d held-out ratings"
                + " (unknown ids: %s)", eval.rmse(), eval.mae(), eval.count(), heldOut.size(),
                recommender.getUnknownIdPolicy()));
        long start = System.nanoTime();
        RankingEvaluation ranking = recommender.evaluateRanking(heldOut, k, threshold);
        System.out.println(String.format(Locale.ROOT, "%s, relevant: rating >= %s (%.0f ms)", ranking, threshold,
                (System.nanoTime() - start) / 1e6));
        return 0;
    }
}
