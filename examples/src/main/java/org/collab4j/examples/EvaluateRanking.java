package org.collab4j.examples;

import org.collab4j.cli.RatingsFileOptions;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.RankingEvaluation;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.Evaluation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code evaluate-ranking}: RMSE and top-k metrics ({@link RankingEvaluation}) of a saved model on held-out data. */
@Command(name = "evaluate-ranking", mixinStandardHelpOptions = true,
        description = "Measure a saved model on held-out ratings: RMSE, and precision, recall (hits/relevant and"
                + " hits/min(k,relevant)), NDCG, HR and MAP at k with catalogue coverage for top-k recommendations"
                + " (held-out ratings >= --threshold are relevant).")
final class EvaluateRanking implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "--ratings", required = true, paramLabel = "FILE",
            description = "the held-out ratings, e.g. valid.csv")
    Path ratings;

    @Mixin
    RatingsFileOptions layout;

    @Option(names = "-k", description = "the cut-off (default: ${DEFAULT-VALUE})")
    int k = 10;

    @Option(names = "--threshold", description = "the rating from which a held-out item is relevant"
            + " (default: ${DEFAULT-VALUE})")
    float threshold = 4f;

    @Option(names = "--popularity", description = "also score the baseline that recommends the most-rated"
            + " training items each user has not rated, for context")
    boolean popularity;

    @Override
    public Integer call() throws IOException {
        if (k < 1 || !Float.isFinite(threshold)) {
            throw new CliException("-k must be at least 1 and --threshold a finite rating, got " + k + " and "
                    + threshold + "; e.g. -k 10 --threshold 4");
        }
        RatingsFormat heldOutFormat = layout.ratingsFormat();
        model.files().text("--ratings", ratings).check();
        Recommender recommender = model.recommender();
        Ratings heldOut = Ratings.read(ratings, heldOutFormat);
        System.out.println(recommender);
        Evaluation eval = recommender.evaluate(heldOut);
        if (eval.count() == 0) {
            throw new CliException("none of the " + heldOut.size() + " ratings in --ratings " + ratings + " has a"
                    + " user and an item the model was trained on; check that the file comes from the model's"
                    + " dataset, or pass --unknown FALLBACK to score them from the global mean and biases");
        }
        if (eval.count() < heldOut.size()) {
            System.err.println("warning: " + (heldOut.size() - eval.count()) + " of " + heldOut.size() + " ratings in"
                    + " --ratings " + ratings + " have a user or an item the model was not trained on; they are left"
                    + " out (--unknown FALLBACK scores them)");
        }
        System.out.println(String.format(Locale.ROOT, "RMSE %.4f MAE %.4f on %d of %d held-out ratings"
                + " (unknown ids: %s)", eval.rmse(), eval.mae(), eval.count(), heldOut.size(),
                recommender.getUnknownIdPolicy()));
        long start = System.nanoTime();
        RankingEvaluation ranking = recommender.evaluateRanking(heldOut, k, threshold);
        System.out.println(String.format(Locale.ROOT, "%s, relevant: rating >= %s (%.0f ms)", ranking, threshold,
                (System.nanoTime() - start) / 1e6));
        if (popularity) {
            System.out.println("popularity baseline: " + popularity(recommender, heldOut));
        }
        return 0;
    }

    /** The same users and relevant items as Recommender.evaluateRanking, ranked by training popularity. */
    private RankingEvaluation popularity(Recommender recommender, Ratings heldOut) {
        TrainedModel model = recommender.getModel();
        List<String> items = model.items().ids().stream().filter(recommender::knowsItem)
                .sorted(Comparator.comparingInt(recommender::ratingCount).reversed()).toList();
        Map<String, Set<String>> relevant = new LinkedHashMap<>();
        for (int row = 0; row < heldOut.size(); row++) {
            String user = heldOut.users().id(heldOut.user(row));
            if (heldOut.rating(row) >= threshold && recommender.knowsUser(user)) {
                relevant.computeIfAbsent(user, u -> new HashSet<>()).add(heldOut.items().id(heldOut.item(row)));
            }
        }
        List<List<String>> lists = new ArrayList<>();
        for (String user : relevant.keySet()) {
            Set<String> rated = new HashSet<>();
            for (int i : model.ratedItems(model.users().indexOf(user))) {
                rated.add(model.items().id(i));
            }
            lists.add(items.stream().filter(i -> !rated.contains(i)).limit(k).toList());
        }
        return RankingEvaluation.compute(k, lists, new ArrayList<>(relevant.values()), items.size());
    }
}
