package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import org.collab4j.data.FeatureTable;
import org.collab4j.data.MovieLensFeatures;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.RankingEvaluation;
import org.collab4j.recommend.RatingHistory;
import org.collab4j.recommend.RecommendOptions;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.ScoredId;
import org.collab4j.recommend.UnknownIdPolicy;
import org.collab4j.train.CollabLearner;
import org.collab4j.util.AtomicFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * {@code cold-start-bench}: the harness of issue 27's item and user cold-start benchmarks (docs/benchmarks.md,
 * "Cold start and onboarding"). Items: a seeded share of the training file's items is removed from training
 * entirely; each user ranks those items only (relevant: a test rating of 4 or more among them), by the content
 * baseline, by reference models trained with the items' interactions, and by any saved model or top-N CSV given.
 * Users: a seeded share of the users is held out of training and folded in from 0, 1, 3 and 10 of their training
 * ratings, scored on their test ratings.
 */
@Command(name = "cold-start-bench", mixinStandardHelpOptions = true,
        description = "Cold-start benchmarks: rank held-out items (removed from training) with the content baseline,"
                + " reference models trained with them, saved models (--model) and top-N files (--topn); fold in"
                + " held-out users from 0, 1, 3 and 10 ratings.")
final class ColdStartBench implements Callable<Integer> {

    private static final int K = 10;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "training ratings (MovieLens CSV)")
    Path train;

    @Option(names = "--test", required = true, paramLabel = "FILE", description = "test ratings: used only to score")
    Path test;

    @Option(names = "--seed", description = "seed of the cold items, the held-out users and their history order"
            + " (default: ${DEFAULT-VALUE})")
    long seed = 27;

    @Option(names = "--items", description = "share of the training file's items made cold (default:"
            + " ${DEFAULT-VALUE}); 0 skips the item part")
    double itemShare = 0.2;

    @Option(names = "--users", description = "share of the training file's users held out (default:"
            + " ${DEFAULT-VALUE}); 0 skips the user part")
    double userShare = 0.2;

    @Option(names = "--movies", paramLabel = "FILE", description = "MovieLens movies.csv: genres for the content"
            + " baseline")
    Path movies;

    @Option(names = "--tags", paramLabel = "FILE", description = "MovieLens tags.csv: tags for the content baseline")
    Path tags;

    @Option(names = "--tag-min-count", description = "the fewest movies a tag needs (default: ${DEFAULT-VALUE})")
    int tagMinCount = MovieLensFeatures.DEFAULT_TAG_MIN_COUNT;

    @Option(names = "--content", split = ",", description = "content-baseline profiles: liked (items rated >= 4,"
            + " 1 each) and/or centered (rating minus the user's mean) (default: ${DEFAULT-VALUE})")
    List<String> content = List.of("liked", "centered");

    @Option(names = "--models", split = ",", description = "reference models trained on the whole training file"
            + " (items) or without the held-out users (users): rating and/or ranking, or none (default: ${DEFAULT-VALUE})")
    List<String> models = List.of("rating", "ranking");

    @Option(names = "--model", paramLabel = "NAME=FILE", description = "also rank the cold items with a saved model"
            + " (e.g. one trained on --out-dir's warm-train.csv)")
    Map<String, Path> savedModels = new LinkedHashMap<>();

    @Option(names = "--topn", paramLabel = "NAME=FILE", description = "also score a top-N CSV (user,item,rank,score,"
            + " e.g. recommend --all -k 10000 --out): each user's list cut to the cold items they did not rate in"
            + " --train, then to 10")
    Map<String, Path> topn = new LinkedHashMap<>();

    @Option(names = "--out-dir", paramLabel = "DIR", description = "write warm-train.csv (--train without the cold"
            + " items' rows) and cold-items.csv there, for training a hybrid model on the same split")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        if (!(itemShare >= 0 && itemShare < 1) || !(userShare >= 0 && userShare < 1)) {
            throw new CliException("--items and --users must lie in [0, 1), e.g. 0.2, got " + itemShare + " and "
                    + userShare);
        }
        if (models.equals(List.of("none"))) {
            models = List.of();
        }
        for (String m : models) {
            if (!m.equals("rating") && !m.equals("ranking")) {
                throw new CliException("--models takes rating and/or ranking, or none, got " + m);
            }
        }
        RunFiles files = new RunFiles().text("--train", train).text("--test", test).text("--movies", movies)
                .text("--tags", tags);
        for (Map.Entry<String, Path> e : topn.entrySet()) {
            files.text("--topn " + e.getKey(), e.getValue());
        }
        files.check();
        Ratings trainData = Ratings.read(train, RatingsFormat.MOVIELENS_CSV);
        Ratings testData = Ratings.read(test, RatingsFormat.MOVIELENS_CSV);
        if (itemShare > 0) {
            items(trainData, testData);
        }
        if (userShare > 0) {
            users(trainData, testData);
        }
        return 0;
    }

    private void items(Ratings trainData, Ratings testData) throws IOException {
        List<String> ids = new ArrayList<>(trainData.items().ids());
        Collections.sort(ids);
        Collections.shuffle(ids, new Random(seed));
        List<String> coldList = new ArrayList<>(ids.subList(0, (int) Math.round(ids.size() * itemShare)));
        Collections.sort(coldList);
        Set<String> cold = new HashSet<>(coldList);
        Ratings warm = subset(trainData, (u, i) -> !cold.contains(i));
        Map<String, Set<String>> rated = byUser(trainData, 0);
        Map<String, Set<String>> relevant = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> e : byUser(testData, OnboardingBench.RELEVANT).entrySet()) {
            Set<String> rel = new HashSet<>(e.getValue());
            rel.retainAll(cold);
            if (!rel.isEmpty() && rated.containsKey(e.getKey())) {
                relevant.put(e.getKey(), rel);
            }
        }
        int testRows = 0;
        for (int row = 0; row < testData.size(); row++) {
            testRows += cold.contains(testData.items().id(testData.item(row))) ? 1 : 0;
        }
        System.out.println(String.format(Locale.ROOT, "item cold start (seed %d): %d of %d training items cold;"
                + " %d training ratings remain (%d removed); %d test ratings of cold items; %d users with a relevant"
                + " one (rating >= %.0f); each ranks the cold items it did not rate in %s", seed, cold.size(),
                ids.size(), warm.size(), trainData.size() - warm.size(), testRows, relevant.size(),
                OnboardingBench.RELEVANT, train.getFileName()));
        if (outDir != null) {
            Files.createDirectories(outDir);
            write(outDir.resolve("warm-train.csv"), warm);
            AtomicFiles.writeText(outDir.resolve("cold-items.csv"), w -> {
                w.write("movieId\n");
                for (String id : coldList) {
                    w.write(id + "\n");
                }
            });
            System.out.println("wrote " + outDir.resolve("warm-train.csv") + " and " + outDir.resolve(
                    "cold-items.csv"));
        }
        List<String> users = new ArrayList<>(relevant.keySet());
        if (movies != null || tags != null) {
            FeatureTable features = features();
            for (String name : content) {
                ContentBaseline.Weighting w = switch (name) {
                    case "liked" -> ContentBaseline.Weighting.LIKED;
                    case "centered" -> ContentBaseline.Weighting.CENTERED;
                    default -> throw new CliException("--content takes liked and/or centered, got " + name);
                };
                ContentBaseline baseline = new ContentBaseline(features, ColdStartBench::tasteFeature, warm, w,
                        OnboardingBench.RELEVANT);
                List<List<String>> lists = new ArrayList<>();
                for (String user : users) {
                    List<String> candidates = new ArrayList<>(coldList);
                    candidates.removeAll(rated.get(user));
                    Map<String, Double> score = new HashMap<>();
                    for (String item : candidates) {
                        score.put(item, baseline.score(user, item));
                    }
                    // Ties (the same genres) in the cold list's (id) order: a stable sort.
                    candidates.sort(Comparator.comparingDouble(item -> -score.get(item)));
                    lists.add(candidates.subList(0, Math.min(K, candidates.size())));
                }
                row("content baseline, " + w.name().toLowerCase(Locale.ROOT) + " profile (" + featureFiles() + ")",
                        lists, users, relevant, cold.size());
            }
        }
        for (String kind : models) {
            TrainedModel model = kind.equals("rating") ? fit(trainData) : fitRanking(trainData);
            row(kind + " model trained with the cold items' interactions", restricted(Recommender.of(model), users,
                    coldList, rated), users, relevant, cold.size());
        }
        for (Map.Entry<String, Path> e : savedModels.entrySet()) {
            Recommender r = Recommender.builder().setModel(TrainedModel.load(e.getValue()))
                    .optUnknownIdPolicy(UnknownIdPolicy.FALLBACK).build();
            List<String> known = coldList.stream().filter(r::knowsItem).toList();
            if (known.isEmpty()) {
                System.out.println(String.format(Locale.ROOT, "  %-58s knows none of the cold items", e.getKey()));
                continue;
            }
            List<List<String>> lists = restricted(r, users, known, rated);
            for (int u = 0; u < users.size(); u++) {
                List<String> list = new ArrayList<>(lists.get(u));
                list.removeAll(rated.get(users.get(u)));
                lists.set(u, list);
            }
            row(e.getKey() + " (" + e.getValue().getFileName() + ")", lists, users, relevant, cold.size());
        }
        for (Map.Entry<String, Path> e : topn.entrySet()) {
            Map<String, List<String>> read = readTopN(e.getValue());
            List<List<String>> lists = new ArrayList<>();
            for (String user : users) {
                lists.add(read.getOrDefault(user, List.of()).stream()
                        .filter(item -> cold.contains(item) && !rated.get(user).contains(item)).limit(K).toList());
            }
            row(e.getKey() + " (" + e.getValue().getFileName() + ")", lists, users, relevant, cold.size());
        }
    }

    /**
     * Each user's best {@code K + extra} among {@code candidates}, the model's training items left out (enough for
     * a top 10 once the caller removes up to {@code extra} more).
     */
    private static List<List<String>> restricted(Recommender r, List<String> users, List<String> candidates,
            Map<String, Set<String>> extra) {
        RecommendOptions options = RecommendOptions.builder().optCandidates(candidates).build();
        List<List<String>> lists = new ArrayList<>();
        for (String user : users) {
            lists.add(r.knowsUser(user) ? r.recommend(user, K + extra.get(user).size(), options).stream()
                    .map(ScoredId::id).toList() : List.of());
        }
        return lists;
    }

    private void users(Ratings trainData, Ratings testData) {
        List<String> ids = new ArrayList<>(trainData.users().ids());
        Collections.sort(ids);
        Collections.shuffle(ids, new Random(seed));
        Set<String> held = new HashSet<>(ids.subList(0, (int) Math.round(ids.size() * userShare)));
        Ratings rest = subset(trainData, (u, i) -> !held.contains(u));
        // Each held-out user's training rows in a seeded order: the first n are the history.
        Random random = new Random(seed + 1);
        Map<String, List<String>> order = new LinkedHashMap<>();
        Map<String, Map<String, Float>> values = new HashMap<>();
        List<String> heldSorted = ids.subList(0, held.size()).stream().sorted().toList();
        for (int row = 0; row < trainData.size(); row++) {
            String u = trainData.users().id(trainData.user(row));
            if (held.contains(u)) {
                values.computeIfAbsent(u, x -> new HashMap<>()).put(trainData.items().id(trainData.item(row)),
                        trainData.rating(row));
            }
        }
        for (String u : heldSorted) {
            List<String> items = new ArrayList<>(values.get(u).keySet());
            Collections.sort(items);
            Collections.shuffle(items, random);
            order.put(u, items);
        }
        Map<String, Set<String>> relevant = new LinkedHashMap<>();
        Map<String, Set<String>> testRelevant = byUser(testData, OnboardingBench.RELEVANT);
        for (String u : heldSorted) {
            if (testRelevant.containsKey(u)) {
                relevant.put(u, testRelevant.get(u));
            }
        }
        List<String> users = new ArrayList<>(relevant.keySet());
        System.out.println(String.format(Locale.ROOT, "user cold start (seed %d): %d of %d users held out of"
                + " training (%d training ratings remain); %d of them have a relevant test rating; history = the"
                + " first n of their %s ratings in a seeded order; all their %s items left out of the top 10",
                seed, held.size(), ids.size(), rest.size(), users.size(), train.getFileName(), train.getFileName()));
        List<List<String>> popular = new ArrayList<>();
        List<String> byCount = popular(rest);
        for (String u : users) {
            popular.add(byCount.stream().filter(i -> !values.get(u).containsKey(i)).limit(K).toList());
        }
        row("most popular (no history)", popular, users, relevant, rest.items().size());
        System.out.println("  from user features only: not measured here (this data has no user features)");
        for (String kind : models) {
            TrainedModel model = kind.equals("rating") ? fit(rest) : fitRanking(rest);
            Recommender r = Recommender.builder().setModel(model).optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN)
                    .build();
            for (int n : new int[] {1, 3, 10}) {
                List<List<String>> lists = new ArrayList<>();
                for (String u : users) {
                    RatingHistory.Builder h = RatingHistory.builder();
                    List<String> items = order.get(u);
                    for (String item : items.subList(0, Math.min(n, items.size()))) {
                        float rating = values.get(u).get(item);
                        h.add(item, kind.equals("rating") ? rating : rating >= OnboardingBench.RELEVANT ? 1
                                : ImplicitData.DEFAULT_BELOW_THRESHOLD_WEIGHT);
                    }
                    lists.add(r.recommend(u, h.build(), K + values.get(u).size()).stream().map(ScoredId::id)
                            .filter(i -> !values.get(u).containsKey(i)).limit(K).toList());
                }
                row(kind + " model, " + n + " history rating" + (n == 1 ? "" : "s") + " folded in", lists, users,
                        relevant, model.items().size());
            }
        }
    }

    /** Genres and tags, not the pooled rare tags, year or decade: what a taste is made of. */
    private static boolean tasteFeature(String name) {
        return (name.startsWith("genre=") || name.startsWith("tag=")) && !name.endsWith("=<other>");
    }

    private String featureFiles() {
        return movies == null ? "tags" : tags == null ? "genres" : "genres + tags";
    }

    private FeatureTable features() throws IOException {
        FeatureTable table = movies != null ? MovieLensFeatures.movies(movies) : null;
        if (tags != null) {
            FeatureTable t = MovieLensFeatures.tags(tags, tagMinCount);
            table = table == null ? t : table.join(t);
        }
        return table;
    }

    private static void row(String name, List<List<String>> lists, List<String> users,
            Map<String, Set<String>> relevant, int catalogue) {
        List<Set<String>> rel = new ArrayList<>();
        for (String u : users) {
            rel.add(relevant.get(u));
        }
        RankingEvaluation e = RankingEvaluation.compute(K, lists, rel, catalogue);
        System.out.println(String.format(Locale.ROOT, "  %-58s NDCG@10 %.4f  P@10 %.4f  recall@10 %.4f  (%d users)",
                name, e.ndcg(), e.precision(), e.recall(), e.users()));
    }

    /** Each user's items rated at least {@code threshold} (0: every item). */
    private static Map<String, Set<String>> byUser(Ratings ratings, float threshold) {
        Map<String, Set<String>> result = new LinkedHashMap<>();
        for (int row = 0; row < ratings.size(); row++) {
            if (ratings.rating(row) >= threshold) {
                result.computeIfAbsent(ratings.users().id(ratings.user(row)), u -> new HashSet<>())
                        .add(ratings.items().id(ratings.item(row)));
            }
        }
        return result;
    }

    private interface RowFilter {
        boolean keep(String user, String item);
    }

    private static Ratings subset(Ratings ratings, RowFilter keep) {
        Ratings.Builder b = Ratings.builder();
        for (int row = 0; row < ratings.size(); row++) {
            String u = ratings.users().id(ratings.user(row));
            String i = ratings.items().id(ratings.item(row));
            if (keep.keep(u, i)) {
                b.add(u, i, ratings.rating(row));
            }
        }
        return b.build();
    }

    private static void write(Path file, Ratings ratings) throws IOException {
        AtomicFiles.writeText(file, w -> {
            w.write("userId,movieId,rating,timestamp\n");
            for (int row = 0; row < ratings.size(); row++) {
                w.write(ratings.users().id(ratings.user(row)) + "," + ratings.items().id(ratings.item(row)) + ","
                        + ratings.rating(row) + ",0\n");
            }
        });
    }

    /** A top-N CSV's lists by user, in rank order. */
    private static Map<String, List<String>> readTopN(Path file) throws IOException {
        Map<String, List<String>> lists = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null || !header.equals("user,item,rank,score")) {
                throw new CliException(file + " is not a top-N CSV: its first line must be user,item,rank,score"
                        + " (as recommend --all --out writes it)");
            }
            String line;
            int n = 1;
            while ((line = in.readLine()) != null) {
                n++;
                String[] f = line.split(",", -1);
                if (f.length != 4) {
                    throw new CliException(file + ", line " + n + ": expected user,item,rank,score, got '" + line
                            + "'");
                }
                lists.computeIfAbsent(f[0], u -> new ArrayList<>()).add(f[1]);
            }
        }
        return lists;
    }

    private static TrainedModel fit(Ratings data) {
        try (CollabLearner learner = CollabLearner.builder().setTrainData(data).optOutput(null)
                .optProgressBar(false).build()) {
            learner.fitOneCycle(5, 5e-3f);
            return learner.fittedModel();
        }
    }

    private static TrainedModel fitRanking(Ratings data) {
        ImplicitData weights = ImplicitData.of(OnboardingBench.RELEVANT, ImplicitData.DEFAULT_BELOW_THRESHOLD_WEIGHT);
        TrainingOptions defaults = new TrainingOptions();
        try (CollabLearner learner = defaults.rankingLearner(weights.weighTraining(data), null,
                ImplicitData.objective(null), option -> false, null)) {
            defaults.fitRanking(learner, option -> false);
            return learner.fittedModel();
        }
    }

    private static List<String> popular(Ratings data) {
        Map<String, Integer> counts = new HashMap<>();
        for (int row = 0; row < data.size(); row++) {
            counts.merge(data.items().id(data.item(row)), 1, Integer::sum);
        }
        List<String> ids = new ArrayList<>(counts.keySet());
        ids.sort(Comparator.<String>comparingInt(id -> -counts.get(id)).thenComparing(Comparator.naturalOrder()));
        return ids;
    }
}
