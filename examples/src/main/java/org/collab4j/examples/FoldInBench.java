package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.FoldIn;
import org.collab4j.recommend.RankingEvaluation;
import org.collab4j.recommend.RatingHistory;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.UnknownIdPolicy;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.recommend.Evaluation;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;

/**
 * {@code fold-in-bench}: the user-held-out protocol for fold-in and the warm-start comparison of issue 14, on a
 * split's train.csv and valid.csv (docs/benchmarks.md, "Fold-in and warm start").
 */
@Command(name = "fold-in-bench", mixinStandardHelpOptions = true,
        description = "Measure fold-in (users held out of training, folded in from half their ratings, tested on"
                + " the other half, against a model retrained with that half) and warm start (continuing a saved"
                + " model after 10 %% newer ratings, against a full retrain).")
final class FoldInBench implements Callable<Integer> {

    @Option(names = "--split", required = true, paramLabel = "DIR", description = "a folder with train.csv and"
            + " valid.csv (e.g. ../shared/bench/splits/ml-latest-small-80-20)")
    Path split;

    @Option(names = "--seed", description = "seed of the held-out users and of their halves (default:"
            + " ${DEFAULT-VALUE})")
    long seed = 14;

    @Option(names = "--users", description = "share of users held out (default: ${DEFAULT-VALUE})")
    double userShare = 0.1;

    @Option(names = "--epochs", description = "epochs of the default model (default: ${DEFAULT-VALUE})")
    int epochs = 5;

    @Option(names = "--lr", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    float lr = 5e-3f;

    @Option(names = "--warm-lr", split = ",", description = "peak learning rates of the warm starts (default:"
            + " ${DEFAULT-VALUE})")
    float[] warmLr = {1e-3f};

    @Option(names = "--warm-epochs", description = "warm starts of 1 to this many epochs (default:"
            + " ${DEFAULT-VALUE})")
    int warmEpochs = 3;

    @Option(names = "--warm-data", split = ",", description = "what the warm starts train on: new (the newer ratings"
            + " only) and/or all (default: ${DEFAULT-VALUE})")
    List<String> warmData = List.of("new", "all");

    @Option(names = "--warm-init", split = ",", description = "how the warm starts' new users and items start:"
            + " foldin (folded into the old model, the learner's default) and/or random (default:"
            + " ${DEFAULT-VALUE})")
    List<String> warmInit = List.of("foldin");

    @Option(names = "--warm-schedule", split = ",", description = "the warm starts' schedule: onecycle and/or"
            + " constant (default: ${DEFAULT-VALUE})")
    List<String> warmSchedule = List.of("onecycle");

    @Option(names = "--inner", paramLabel = "FRACTION", description = "warm start on an inner split of train.csv"
            + " instead: this random share of its rows (seeded by --seed) plays valid.csv, the rest train.csv;"
            + " for choosing warm-start settings without the test rows")
    Double inner;

    @Option(names = "--models", split = ",", description = "the fold-in part's models: rating (the default rating"
            + " model) and/or ranking (train --implicit --positive-threshold 4's) (default: ${DEFAULT-VALUE})")
    List<String> models = List.of("rating");

    @Option(names = "--warm-models", split = ",", description = "the warm-start part's models: rating and/or"
            + " ranking (iALS, sweeps from the old model) (default: ${DEFAULT-VALUE})")
    List<String> warmModels = List.of("rating");

    @Option(names = "--skip-warm", description = "only the fold-in part")
    boolean skipWarm;

    @Option(names = "--skip-fold-in", description = "only the warm-start part")
    boolean skipFoldIn;

    @Option(names = "--prior", split = ",", description = "prior weights to report besides the default 1"
            + " (fold-in quality for each)")
    double[] priors = {};

    @Override
    public Integer call() throws IOException {
        allowed("--warm-init", warmInit, "foldin", "random");
        allowed("--warm-schedule", warmSchedule, "onecycle", "constant");
        allowed("--warm-data", warmData, "new", "all");
        allowed("--models", models, "rating", "ranking");
        allowed("--warm-models", warmModels, "rating", "ranking");
        if (inner != null && !(inner > 0 && inner < 1)) {
            throw new IllegalArgumentException("--inner must be strictly between 0 and 1, e.g. 0.2, got " + inner);
        }
        new RunFiles().folder("--split", split, "train.csv", "valid.csv").check();
        Ratings train = Ratings.read(split.resolve("train.csv"), RatingsFormat.MOVIELENS_CSV);
        Ratings valid = Ratings.read(split.resolve("valid.csv"), RatingsFormat.MOVIELENS_CSV);
        if (!skipFoldIn) {
            foldIn(train, valid);
        }
        if (!skipWarm) {
            if (inner != null) {
                Split split = Splits.random(train, inner, seed);
                System.out.println(String.format(Locale.ROOT, "inner split of %s (seed %d): %d training ratings,"
                        + " %d inner validation ratings; valid.csv is not used", split(), seed, split.train().size(),
                        split.valid().size()));
                warmStart(split.train(), split.valid());
            } else {
                warmStart(train, valid);
            }
        }
        return 0;
    }

    private static void allowed(String option, List<String> given, String... names) {
        for (String g : given) {
            if (!List.of(names).contains(g)) {
                throw new IllegalArgumentException(option + " takes " + String.join(" and/or ", names) + ", got "
                        + g);
            }
        }
    }

    private Path split() {
        return split.resolve("train.csv");
    }

    private void foldIn(Ratings train, Ratings valid) {
        // Held-out users: a seeded share of the users of train ∪ valid.
        List<String> ids = new ArrayList<>(train.users().ids());
        for (String id : valid.users().ids()) {
            if (!train.users().contains(id)) {
                ids.add(id);
            }
        }
        Collections.shuffle(ids, new Random(seed));
        Set<String> heldOut = new HashSet<>(ids.subList(0, (int) Math.round(ids.size() * userShare)));
        // Their ratings (train and valid), each user's shuffled with the seed and cut in half.
        Ratings.Builder history = Ratings.builder();
        Ratings.Builder test = Ratings.builder();
        Ratings.Builder historyAsTrain = Ratings.builder();
        List<String> held = ids.subList(0, heldOut.size()).stream().sorted().toList();
        Random random = new Random(seed + 1);
        for (String user : held) {
            List<float[]> rows = new ArrayList<>();
            List<String> items = new ArrayList<>();
            collect(train, user, items, rows);
            collect(valid, user, items, rows);
            List<Integer> order = new ArrayList<>();
            for (int n = 0; n < items.size(); n++) {
                order.add(n);
            }
            Collections.shuffle(order, random);
            int half = order.size() / 2;
            for (int n = 0; n < order.size(); n++) {
                int row = order.get(n);
                (n < half ? history : test).add(user, items.get(row), rows.get(row)[0]);
            }
        }
        Ratings histories = history.build();
        Ratings tests = test.build();
        Ratings rest = subset(train, row -> !heldOut.contains(train.users().id(train.user(row))));
        Ratings restValid = subset(valid, row -> !heldOut.contains(valid.users().id(valid.user(row))));
        System.out.println(String.format(Locale.ROOT, "fold-in: %d of %d users held out (seed %d): %d history"
                + " ratings, %d test ratings; the others: %d training ratings, %d validation ratings",
                held.size(), ids.size(), seed, histories.size(), tests.size(), rest.size(), restValid.size()));

        for (String kind : models) {
            switch (kind) {
                case "rating" -> ratingFoldIn(rest, restValid, histories, tests);
                case "ranking" -> rankingFoldIn(rest, restValid, histories, tests);
                default -> throw new IllegalArgumentException("--models takes rating and/or ranking, got " + kind);
            }
        }
    }

    /** The protocol for the default rating model. */
    private void ratingFoldIn(Ratings rest, Ratings restValid, Ratings histories, Ratings tests) {
        System.out.println("default rating model (EmbeddingDotBias, MSE):");
        // A: trained without the held-out users; they are folded in from their history half.
        TrainedModel a = fit(rest, restValid, null);
        Recommender foldIn = Recommender.builder().setModel(a).optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN).build();
        Recommender fallback = Recommender.builder().setModel(a).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK)
                .build();
        // B: retrained with the history halves in the training data.
        Ratings withHistory = concat(rest, histories);
        TrainedModel b = fit(withHistory, restValid, null);
        Recommender retrained = Recommender.builder().setModel(b).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK)
                .build();

        RankingEvaluation rFold = foldIn.evaluateRanking(tests, histories, 10, 4f);
        RankingEvaluation rFallback = fallback.evaluateRanking(tests, histories, 10, 4f);
        RankingEvaluation rRetrained = retrained.evaluateRanking(tests, 10, 4f);
        Evaluation eFold = foldIn.evaluate(tests, histories);
        Evaluation eFallback = fallback.evaluate(tests, histories);
        Evaluation eRetrained = retrained.evaluate(tests);
        System.out.println("held-out users, test half (relevant: rating >= 4; history items left out):");
        row("folded in (A + history)", rFold, eFold);
        row("retrained (history in training, B)", rRetrained, eRetrained);
        row("A, FALLBACK (bias ranking)", rFallback, eFallback);
        System.out.println(String.format(Locale.ROOT, "NDCG@10 ratio folded-in / retrained: %.3f; RMSE folded-in"
                + " %.4f vs retrained %.4f", rFold.ndcg() / rRetrained.ndcg(), eFold.rmse(), eRetrained.rmse()));
        for (double p : priors) {
            Recommender r = Recommender.builder().setModel(a).optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN)
                    .optFoldIn(FoldIn.builder().optPriorWeight(p).build()).build();
            row(String.format(Locale.ROOT, "folded in, prior weight %.2f", p), r.evaluateRanking(tests, histories,
                    10, 4f), r.evaluate(tests, histories));
        }
        time(foldIn, histories);
    }

    /**
     * The protocol for the default ranking model, as {@code train --implicit --positive-threshold 4} trains it:
     * training rows (the history halves too) weighted as that command weighs them, the held-out users folded in
     * from their weighted history halves under the model's own objective, and most-popular beside them.
     */
    private void rankingFoldIn(Ratings rest, Ratings restValid, Ratings histories, Ratings tests) {
        ImplicitData weights = ImplicitData.of(RELEVANT, ImplicitData.DEFAULT_BELOW_THRESHOLD_WEIGHT);
        System.out.println(String.format(Locale.ROOT, "default ranking model (train --implicit"
                + " --positive-threshold %.0f: iALS, EmbeddingDot, %d factors, %d sweeps; rows below the threshold"
                + " weigh %.1f):", RELEVANT, CollabLearnerBuilder.DEFAULT_RANKING_FACTORS,
                TrainingOptions.DEFAULT_ALS_SWEEPS, ImplicitData.DEFAULT_BELOW_THRESHOLD_WEIGHT));
        Ratings weightedHistories = weights.weighTraining(histories);
        long t0 = System.nanoTime();
        TrainedModel a = fitRanking(weights, rest, restValid);
        double aSeconds = (System.nanoTime() - t0) / 1e9;
        TrainedModel b = fitRanking(weights, concat(rest, histories), restValid);
        Recommender foldIn = Recommender.builder().setModel(a).optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN).build();
        Recommender retrained = Recommender.of(b);
        RankingEvaluation rFold = foldIn.evaluateRanking(tests, weightedHistories, 10, RELEVANT);
        RankingEvaluation rRetrained = retrained.evaluateRanking(tests, 10, RELEVANT);
        RankingEvaluation rPopular = mostPopular(rest, histories, tests, 10);
        System.out.println(String.format(Locale.ROOT, "held-out users, test half (relevant: rating >= %.0f; history"
                + " items left out; fold-in objective %s; A trained in %.1f s):", RELEVANT,
                foldIn.getFoldInObjective(), aSeconds));
        row("folded in (A + history)", rFold);
        row("retrained (history in training, B)", rRetrained);
        row("most popular (A's training data)", rPopular);
        System.out.println(String.format(Locale.ROOT, "NDCG@10 ratio folded-in / retrained: %.3f; folded-in /"
                + " most popular: %.2f", rFold.ndcg() / rRetrained.ndcg(), rFold.ndcg() / rPopular.ndcg()));
        time(foldIn, weightedHistories);
    }

    private static final float RELEVANT = 4f;

    private static TrainedModel fitRanking(ImplicitData weights, Ratings trainData, Ratings validData) {
        Split split = weights.apply(Splits.combine(trainData, validData.reindex(trainData.users(),
                trainData.items())), Path.of("train"), Path.of("valid"));
        TrainingOptions defaults = new TrainingOptions();
        try (CollabLearner learner = defaults.rankingLearner(split, ImplicitData.objective(null), option -> false,
                null)) {
            defaults.fitRanking(learner, option -> false);
            return learner.fittedModel();
        }
    }

    /**
     * Most-popular for the held-out users: the items of {@code train} by their number of rows (ties by id), each
     * user's history items left out.
     */
    private static RankingEvaluation mostPopular(Ratings train, Ratings histories, Ratings tests, int k) {
        int[] counts = new int[train.items().size()];
        for (int row = 0; row < train.size(); row++) {
            counts[train.item(row)]++;
        }
        List<String> byCount = new ArrayList<>(train.items().ids());
        byCount.sort(java.util.Comparator.<String>comparingInt(id -> -counts[train.items().indexOf(id)])
                .thenComparing(java.util.Comparator.naturalOrder()));
        List<List<String>> recommended = new ArrayList<>();
        List<Set<String>> relevant = new ArrayList<>();
        for (String user : tests.users().ids()) {
            Set<String> rel = new HashSet<>();
            int u = tests.users().indexOf(user);
            for (int row = 0; row < tests.size(); row++) {
                if (tests.user(row) == u && tests.rating(row) >= RELEVANT) {
                    rel.add(tests.items().id(tests.item(row)));
                }
            }
            if (rel.isEmpty()) {
                continue;
            }
            Set<String> seen = new HashSet<>();
            int h = histories.users().indexOf(user);
            for (int row = 0; row < histories.size() && h >= 0; row++) {
                if (histories.user(row) == h) {
                    seen.add(histories.items().id(histories.item(row)));
                }
            }
            recommended.add(byCount.stream().filter(id -> !seen.contains(id)).limit(k).toList());
            relevant.add(rel);
        }
        return RankingEvaluation.compute(k, recommended, relevant, counts.length);
    }

    private static void row(String name, RankingEvaluation r) {
        System.out.println(String.format(Locale.ROOT, "  %-38s NDCG@10 %.4f  P@10 %.4f  recall@10 %.4f  (%d users)",
                name, r.ndcg(), r.precision(), r.recall(), r.users()));
    }

    private static void row(String name, RankingEvaluation r, Evaluation e) {
        System.out.println(String.format(Locale.ROOT, "  %-38s NDCG@10 %.4f  P@10 %.4f  recall@10 %.4f  (%d users)"
                + "  RMSE %.4f (%d ratings)", name, r.ndcg(), r.precision(), r.recall(), r.users(), e.rmse(),
                e.count()));
    }

    /** Fold-in time per user: every held-out user's history, repeated, CPU time of this thread. */
    private static void time(Recommender recommender, Ratings histories) {
        List<RatingHistory> list = new ArrayList<>();
        List<RatingHistory.Builder> builders = new ArrayList<>();
        for (int u = 0; u < histories.users().size(); u++) {
            builders.add(RatingHistory.builder());
        }
        for (int row = 0; row < histories.size(); row++) {
            builders.get(histories.user(row)).add(histories.items().id(histories.item(row)),
                    histories.rating(row));
        }
        long ratings = 0;
        for (RatingHistory.Builder b : builders) {
            RatingHistory h = b.build();
            list.add(h);
            ratings += h.size();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        double bestRecommend = Double.MAX_VALUE;
        float sink = 0;
        for (int repeat = 0; repeat < 20; repeat++) {
            long cpu = threads.getCurrentThreadCpuTime();
            for (RatingHistory h : list) {
                sink += recommender.foldInUser(h)[0];
            }
            best = Math.min(best, (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / list.size());
            cpu = threads.getCurrentThreadCpuTime();
            for (int n = 0; n < list.size(); n++) {
                sink += recommender.recommend("held-out-" + n, list.get(n), 10).get(0).score();
            }
            bestRecommend = Math.min(bestRecommend, (threads.getCurrentThreadCpuTime() - cpu) / 1e3 / list.size());
        }
        System.out.println(String.format(Locale.ROOT, "fold-in time: %.0f us per user (CPU, best of 20 passes over"
                + " %d users, %.0f history ratings each on average, %d factors); fold-in + top-10 over %d items:"
                + " %.0f us per user (checksum %.3f)", best, list.size(), (double) ratings / list.size(),
                recommender.getModel().getConfig().userFactors(), recommender.getModel().items().size(),
                bestRecommend, sink));
    }

    private void warmStart(Ratings train, Ratings valid) {
        // The newest 10 % of the training ratings arrive later: new users and items among them.
        Split byTime = Splits.byTime(train, 0.1);
        Ratings old = subset(byTime.train(), row -> true);
        Ratings all = subset(train, row -> true);
        Ratings newer = subset(byTime.valid(), row -> true);
        int newUsers = 0;
        int newItems = 0;
        for (String id : newer.users().ids()) {
            newUsers += old.users().contains(id) ? 0 : 1;
        }
        for (String id : newer.items().ids()) {
            newItems += old.items().contains(id) ? 0 : 1;
        }
        System.out.println(String.format(Locale.ROOT, "warm start: %d old ratings, %d newer (%d new users, %d new"
                + " items among them)", old.size(), newer.size(), newUsers, newItems));
        if (warmModels.contains("ranking")) {
            rankingWarmStart(old, all, valid);
        }
        if (!warmModels.contains("rating")) {
            return;
        }
        long t0 = System.nanoTime();
        TrainedModel saved = fit(old, null, null);
        double savedSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        TrainedModel full = fit(all, null, null);
        double fullSeconds = (System.nanoTime() - t1) / 1e9;
        Evaluation fullEval = evaluate(full, valid);
        Evaluation savedEval = evaluate(saved, valid);
        System.out.println(String.format(Locale.ROOT, "  old model (%d epochs on the old ratings, %.1f s): valid"
                + " RMSE %.4f (%d rows)", epochs, savedSeconds, savedEval.rmse(), savedEval.count()));
        System.out.println(String.format(Locale.ROOT, "  full retrain (%d epochs on all, %.1f s): valid RMSE %.4f"
                + " (%d rows)", epochs, fullSeconds, fullEval.rmse(), fullEval.count()));
        for (String init : warmInit) {
            boolean foldIn = switch (init) {
                case "foldin" -> true;
                case "random" -> false;
                default -> throw new IllegalArgumentException("--warm-init takes foldin and/or random, got " + init);
            };
            if (foldIn) {
                // No fit at all: the old model with the new rows folded in.
                Evaluation eval = evaluate(warm(all, saved, true, 0, 0f, "onecycle"), valid, full);
                System.out.println(String.format(Locale.ROOT, "  old model + new rows folded in, no training:"
                        + " valid RMSE %.4f (%d rows), %+.4f vs the full retrain", eval.rmse(), eval.count(),
                        eval.rmse() - fullEval.rmse()));
            }
            for (String schedule : warmSchedule) {
                for (String data : warmData) {
                    for (float rate : warmLr) {
                        for (int e = 1; e <= warmEpochs; e++) {
                            long t = System.nanoTime();
                            TrainedModel warm = warm(data.equals("new") ? newer : all, saved, foldIn, e, rate,
                                    schedule);
                            // Scored with the full retrain's known ids: the same rows for every model.
                            Evaluation eval = evaluate(warm, valid, full);
                            System.out.println(String.format(Locale.ROOT, "  warm start (%s new rows, %s), %d"
                                    + " epoch%s on %s ratings, lr %.0e (%.1f s): valid RMSE %.4f (%d rows), %+.4f"
                                    + " vs the full retrain", init, schedule, e, e == 1 ? "" : "s", data, rate,
                                    (System.nanoTime() - t) / 1e9, eval.rmse(), eval.count(),
                                    eval.rmse() - fullEval.rmse()));
                        }
                    }
                }
            }
        }
    }

    /**
     * The warm start of the default ranking model (iALS, as {@code train --implicit --positive-threshold 4}):
     * the old model's 10 sweeps on the old ratings, then 1 to {@code --warm-epochs} sweeps from it on all of them,
     * against 10 sweeps from scratch; NDCG@10 on valid.csv (relevant: rating &ge; 4) for the users the full
     * retrain knows.
     */
    private void rankingWarmStart(Ratings old, Ratings all, Ratings valid) {
        ImplicitData weights = ImplicitData.of(RELEVANT, ImplicitData.DEFAULT_BELOW_THRESHOLD_WEIGHT);
        Ratings oldWeighted = weights.weighTraining(old);
        Ratings allWeighted = weights.weighTraining(all);
        TrainingOptions defaults = new TrainingOptions();
        long t0 = System.nanoTime();
        TrainedModel saved = sweeps(defaults, oldWeighted, null, true, TrainingOptions.DEFAULT_ALS_SWEEPS);
        double savedSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        TrainedModel full = sweeps(defaults, allWeighted, null, true, TrainingOptions.DEFAULT_ALS_SWEEPS);
        double fullSeconds = (System.nanoTime() - t1) / 1e9;
        Recommender known = Recommender.of(full);
        Ratings scored = subset(valid, row -> known.knowsUser(valid.users().id(valid.user(row))));
        RankingEvaluation fullEval = Recommender.of(full).evaluateRanking(scored, 10, RELEVANT);
        System.out.println(String.format(Locale.ROOT, "ranking model (iALS, train --implicit --positive-threshold"
                + " %.0f): old model %d sweeps on the old ratings (%.1f s); full retrain %d sweeps on all (%.1f s):"
                + " NDCG@10 %.4f, recall@10 %.4f (%d users)", RELEVANT, TrainingOptions.DEFAULT_ALS_SWEEPS,
                savedSeconds, TrainingOptions.DEFAULT_ALS_SWEEPS, fullSeconds, fullEval.ndcg(), fullEval.recall(),
                fullEval.users()));
        for (String init : warmInit) {
            for (int e = 1; e <= warmEpochs; e++) {
                long t = System.nanoTime();
                TrainedModel warm = sweeps(defaults, allWeighted, saved, init.equals("foldin"), e);
                RankingEvaluation eval = Recommender.builder().setModel(warm)
                        .optUnknownIdPolicy(UnknownIdPolicy.FALLBACK).build().evaluateRanking(scored, 10, RELEVANT);
                System.out.println(String.format(Locale.ROOT, "  warm start (%s new rows), %d sweep%s on all"
                        + " ratings (%.1f s): NDCG@10 %.4f, recall@10 %.4f, %.3f x the full retrain's NDCG", init, e,
                        e == 1 ? "" : "s", (System.nanoTime() - t) / 1e9, eval.ndcg(), eval.recall(),
                        eval.ndcg() / fullEval.ndcg()));
            }
        }
    }

    /** iALS sweeps as {@code train --implicit} runs them, from scratch or from {@code init}. */
    private static TrainedModel sweeps(TrainingOptions defaults, Ratings data, TrainedModel init, boolean foldIn,
            int count) {
        CollabLearnerBuilder builder = CollabLearner.builder().setTrainData(data).optOutput(null)
                .optProgressBar(false).optObjective(ImplicitData.objective(null)).optSeed(defaults.seed);
        builder = init != null ? builder.optInitModel(init).optFoldInNewRows(foldIn)
                : builder.optModel(org.collab4j.model.EmbeddingDot.builder()
                        .optFactors(CollabLearnerBuilder.DEFAULT_RANKING_FACTORS).optYRange(null));
        try (CollabLearner learner = builder.build()) {
            learner.fitAls(count);
            return learner.fittedModel();
        }
    }

    /** A warm start from {@code init}: {@code epochs} of the schedule (none for 0) on {@code data}. */
    private static TrainedModel warm(Ratings data, TrainedModel init, boolean foldIn, int epochs, float rate,
            String schedule) {
        try (CollabLearner learner = CollabLearner.builder().optOutput(null).optProgressBar(false).setTrainData(data)
                .optInitModel(init).optFoldInNewRows(foldIn).build()) {
            if (epochs > 0) {
                switch (schedule) {
                    case "onecycle" -> learner.fitOneCycle(epochs, rate);
                    case "constant" -> learner.fit(epochs, rate);
                    default -> throw new IllegalArgumentException("--warm-schedule takes onecycle and/or constant,"
                            + " got " + schedule);
                }
            }
            return learner.fittedModel();
        }
    }

    private static Evaluation evaluate(TrainedModel model, Ratings valid) {
        return Recommender.of(model).evaluate(valid);
    }

    /** The rows of {@code valid} whose user and item {@code reference} knows, scored by {@code model}. */
    private static Evaluation evaluate(TrainedModel model, Ratings valid, TrainedModel reference) {
        Recommender known = Recommender.of(reference);
        Recommender r = Recommender.builder().setModel(model).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK).build();
        return r.evaluate(subset(valid, row -> known.knowsUser(valid.users().id(valid.user(row)))
                && known.knowsItem(valid.items().id(valid.item(row)))));
    }

    private TrainedModel fit(Ratings trainData, Ratings validData, TrainedModel init) {
        return fit(trainData, validData, init, epochs, lr);
    }

    private TrainedModel fit(Ratings trainData, Ratings validData, TrainedModel init, int fitEpochs, float rate) {
        CollabLearnerBuilder builder = CollabLearner.builder().optOutput(null).optProgressBar(false);
        if (validData != null) {
            Split s = Splits.combine(trainData, validData.reindex(trainData.users(), trainData.items()));
            builder.setData(s);
        } else {
            builder.setTrainData(trainData);
        }
        if (init != null) {
            builder.optInitModel(init);
        }
        try (CollabLearner learner = builder.build()) {
            learner.fitOneCycle(fitEpochs, rate);
            return learner.fittedModel();
        }
    }

    private static void collect(Ratings ratings, String user, List<String> items, List<float[]> values) {
        int u = ratings.users().indexOf(user);
        if (u < 0) {
            return;
        }
        for (int row = 0; row < ratings.size(); row++) {
            if (ratings.user(row) == u) {
                items.add(ratings.items().id(ratings.item(row)));
                values.add(new float[] {ratings.rating(row)});
            }
        }
    }

    /** The rows that pass, in new id maps holding only their ids (so no id without ratings gets a row). */
    private static Ratings subset(Ratings ratings, IntPredicate keep) {
        Ratings.Builder builder = Ratings.builder();
        for (int row = 0; row < ratings.size(); row++) {
            if (keep.test(row)) {
                builder.add(ratings.users().id(ratings.user(row)), ratings.items().id(ratings.item(row)),
                        ratings.rating(row));
            }
        }
        return builder.build();
    }

    private static Ratings concat(Ratings a, Ratings b) {
        Ratings.Builder builder = Ratings.builder();
        for (Ratings r : List.of(a, b)) {
            for (int row = 0; row < r.size(); row++) {
                builder.add(r.users().id(r.user(row)), r.items().id(r.item(row)), r.rating(row));
            }
        }
        return builder.build();
    }
}
