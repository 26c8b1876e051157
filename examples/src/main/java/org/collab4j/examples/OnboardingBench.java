package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.RankingEvaluation;
import org.collab4j.recommend.RatingHistory;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.ScoredId;
import org.collab4j.recommend.UnknownIdPolicy;
import org.collab4j.train.CollabLearner;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code onboarding-bench}: issue 27's onboarding simulation (docs/benchmarks.md, "Cold start and onboarding").
 * A seeded share of the users of one ratings file is held out; a model is trained on the others; each held-out user
 * is asked {@code --questions} items per round, answers with their own rating of each (or does not know it, when
 * they have none), and after each round is folded in from the answers and recommended the top 10 (the items asked
 * left out), scored against their ratings of the items not asked (relevant: 4 or more). The questions come from
 * {@code Recommender.onboarding} or, the baseline, are the most rated items not yet asked.
 */
@Command(name = "onboarding-bench", mixinStandardHelpOptions = true,
        description = "Simulate onboarding: users held out of a ratings file, asked items round after round (the"
                + " library's onboarding questions against the most popular items not yet asked), answered with"
                + " their own ratings, folded in; prints NDCG@10 over their other ratings after each round.")
final class OnboardingBench implements Callable<Integer> {

    static final float RELEVANT = 4f;
    private static final int K = 10;

    @Option(names = "--ratings", required = true, paramLabel = "FILE", description = "the ratings (MovieLens CSV),"
            + " e.g. a split's train.csv: nothing else is read")
    Path ratings;

    @Option(names = "--seed", split = ",", description = "seeds of the held-out users, one run each, averaged"
            + " (default: ${DEFAULT-VALUE})")
    long[] seeds = {27};

    @Option(names = "--users", description = "share of users held out (default: ${DEFAULT-VALUE})")
    double userShare = 0.2;

    @Option(names = "--rounds", description = "rounds of questions (default: ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--questions", description = "items asked per round (default: ${DEFAULT-VALUE})")
    int questions = 10;

    @Option(names = "--epochs", description = "epochs of the default rating model (default: ${DEFAULT-VALUE})")
    int epochs = 5;

    @Option(names = "--lr", description = "its peak learning rate (default: ${DEFAULT-VALUE})")
    float lr = 5e-3f;

    @Option(names = "--models", split = ",", description = "rating (the default rating model) and/or ranking"
            + " (train --implicit --positive-threshold 4's iALS model, answers weighted as it weighs rows)"
            + " (default: ${DEFAULT-VALUE})")
    List<String> models = List.of("rating", "ranking");

    private static final String[] STRATEGIES = {"onboarding", "most popular"};

    @Override
    public Integer call() throws Exception {
        if (!(userShare > 0 && userShare < 1) || rounds < 1 || questions < 1 || seeds.length == 0) {
            throw new CliException("--users must lie strictly between 0 and 1, --rounds and --questions be at least"
                    + " 1, and --seed name a seed; e.g. --users 0.2 --rounds 3 --questions 10 --seed 27");
        }
        for (String m : models) {
            if (!m.equals("rating") && !m.equals("ranking")) {
                throw new CliException("--models takes rating and/or ranking, got " + m);
            }
        }
        new RunFiles().text("--ratings", ratings).check();
        Ratings all = Ratings.read(ratings, RatingsFormat.MOVIELENS_CSV);
        // [model][strategy][round]: NDCG@10 and answers per user, averaged over the seeds.
        double[][][] ndcg = new double[models.size()][2][rounds + 1];
        double[][][] answered = new double[models.size()][2][rounds + 1];
        for (long seed : seeds) {
            for (int m = 0; m < models.size(); m++) {
                double[][][] run = run(all, seed, models.get(m));
                for (int s = 0; s < 2; s++) {
                    for (int r = 0; r <= rounds; r++) {
                        ndcg[m][s][r] += run[0][s][r] / seeds.length;
                        answered[m][s][r] += run[1][s][r] / seeds.length;
                    }
                }
            }
        }
        System.out.println(String.format(Locale.ROOT, "onboarding: %d round%s of %d questions; NDCG@%d of the"
                + " fold-in's top %d over each held-out user's ratings not asked (relevant: rating >= %.0f; asked items"
                + " left out of the top %d), mean of %d seed%s; (n ans) = answers per user so far", rounds,
                rounds == 1 ? "" : "s", questions, K, K, RELEVANT, K, seeds.length, seeds.length == 1 ? "" : "s"));
        for (int m = 0; m < models.size(); m++) {
            System.out.println(models.get(m) + " model:");
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-14s %12s", "questions",
                    "no answers"));
            for (int r = 1; r <= rounds; r++) {
                header.append(String.format(Locale.ROOT, " %20s", "after round " + r));
            }
            System.out.println(header);
            for (int s = 0; s < 2; s++) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-14s %12.4f", STRATEGIES[s],
                        ndcg[m][s][0]));
                for (int r = 1; r <= rounds; r++) {
                    line.append(String.format(Locale.ROOT, " %8.4f (%5.1f ans)", ndcg[m][s][r], answered[m][s][r]));
                }
                System.out.println(line);
            }
            System.out.println(String.format(Locale.ROOT, "  onboarding / most popular after round %d: %.3f", rounds,
                    ndcg[m][0][rounds] / ndcg[m][1][rounds]));
        }
        return 0;
    }

    /** One seed, one model: {@code [0 NDCG | 1 answers][strategy][round]}. */
    private double[][][] run(Ratings all, long seed, String kind) {
        List<String> users = new ArrayList<>(all.users().ids());
        Collections.sort(users);
        Collections.shuffle(users, new Random(seed));
        Set<String> heldOut = new HashSet<>(users.subList(0, (int) Math.round(users.size() * userShare)));
        Ratings.Builder rest = Ratings.builder();
        Map<String, Map<String, Float>> pools = new LinkedHashMap<>();
        for (int row = 0; row < all.size(); row++) {
            String user = all.users().id(all.user(row));
            String item = all.items().id(all.item(row));
            if (heldOut.contains(user)) {
                pools.computeIfAbsent(user, u -> new LinkedHashMap<>()).put(item, all.rating(row));
            } else {
                rest.add(user, item, all.rating(row));
            }
        }
        Ratings train = rest.build();
        TrainedModel model = kind.equals("rating") ? fitRating(train) : fitRanking(train);
        Recommender recommender = Recommender.builder().setModel(model).optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN)
                .build();
        List<String> popular = popular(train);
        System.out.println(String.format(Locale.ROOT, "seed %d, %s model: %d of %d users held out (%d ratings);"
                + " the model trained on %d ratings of the others", seed, kind, pools.size(), users.size(),
                pools.values().stream().mapToInt(Map::size).sum(), train.size()));
        List<String> ids = new ArrayList<>(pools.keySet());
        Collections.sort(ids);
        double[][][] result = new double[2][2][rounds + 1];
        long nanos = 0;
        int calls = 0;
        for (int strategy = 0; strategy < 2; strategy++) {
            List<List<List<String>>> lists = new ArrayList<>();
            List<List<Set<String>>> relevant = new ArrayList<>();
            for (int r = 0; r <= rounds; r++) {
                lists.add(new ArrayList<>());
                relevant.add(new ArrayList<>());
            }
            for (String user : ids) {
                Map<String, Float> pool = pools.get(user);
                RatingHistory.Builder answers = RatingHistory.builder();
                int answered = 0;
                Set<String> asked = new HashSet<>();
                List<String> skipped = new ArrayList<>();
                for (int r = 0; r <= rounds; r++) {
                    if (r > 0) {
                        long start = System.nanoTime();
                        List<String> ask = strategy == 0
                                ? recommender.onboarding(answers.build(), skipped, questions).stream()
                                        .map(ScoredId::id).toList()
                                : popular.stream().filter(id -> !asked.contains(id)).limit(questions).toList();
                        if (strategy == 0) {
                            nanos += System.nanoTime() - start;
                            calls++;
                        }
                        for (String id : ask) {
                            asked.add(id);
                            Float rating = pool.get(id);
                            if (rating != null) {
                                answers.add(id, answer(kind, rating));
                                answered++;
                            } else {
                                skipped.add(id);
                            }
                        }
                    }
                    Set<String> rel = new HashSet<>();
                    for (Map.Entry<String, Float> e : pool.entrySet()) {
                        if (e.getValue() >= RELEVANT && !asked.contains(e.getKey())) {
                            rel.add(e.getKey());
                        }
                    }
                    // Items asked are not recommended: the user has seen them, answered or not.
                    lists.get(r).add(recommender.recommend(user, answers.build(), K + asked.size()).stream()
                            .map(ScoredId::id).filter(id -> !asked.contains(id)).limit(K).toList());
                    relevant.get(r).add(rel);
                    result[1][strategy][r] += (double) answered / ids.size();
                }
            }
            for (int r = 0; r <= rounds; r++) {
                result[0][strategy][r] = RankingEvaluation.compute(K, lists.get(r), relevant.get(r),
                        model.items().size()).ndcg();
            }
        }
        System.out.println(String.format(Locale.ROOT, "  onboarding: %.1f ms per call of %d questions (wall time,"
                + " mean of %d calls over %d items, %d factors)", nanos / 1e6 / Math.max(1, calls), questions, calls,
                model.items().size(), model.getConfig().userFactors()));
        return result;
    }

    /** A rating as the model's fold-in takes it: itself, or the ranking model's weight of such a row. */
    private static float answer(String kind, float rating) {
        return kind.equals("rating") ? rating : rating >= RELEVANT ? 1 : ImplicitData.DEFAULT_BELOW_THRESHOLD_WEIGHT;
    }

    private TrainedModel fitRating(Ratings train) {
        try (CollabLearner learner = CollabLearner.builder().setTrainData(train).optOutput(null)
                .optProgressBar(false).build()) {
            learner.fitOneCycle(epochs, lr);
            return learner.fittedModel();
        }
    }

    /** {@code train --implicit --positive-threshold 4}'s model, trained on every row (no validation data). */
    private static TrainedModel fitRanking(Ratings train) {
        ImplicitData weights = ImplicitData.of(RELEVANT, ImplicitData.DEFAULT_BELOW_THRESHOLD_WEIGHT);
        TrainingOptions defaults = new TrainingOptions();
        try (CollabLearner learner = defaults.rankingLearner(weights.weighTraining(train), null,
                ImplicitData.objective(null), option -> false, null)) {
            defaults.fitRanking(learner, option -> false);
            return learner.fittedModel();
        }
    }

    /** The items of {@code train} by number of ratings, most first, ties by id. */
    private static List<String> popular(Ratings train) {
        Map<String, Integer> counts = new HashMap<>();
        for (int row = 0; row < train.size(); row++) {
            counts.merge(train.items().id(train.item(row)), 1, Integer::sum);
        }
        List<String> ids = new ArrayList<>(counts.keySet());
        ids.sort(Comparator.<String>comparingInt(id -> -counts.get(id)).thenComparing(Comparator.naturalOrder()));
        return ids;
    }
}
