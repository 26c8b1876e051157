package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import org.collab4j.cli.RatingsFileOptions;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.recommend.RankingEvaluation;
import org.collab4j.util.AtomicFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code score-topn}: scores top-N CSVs from any system under one protocol, so that Collab4J and its peers are
 * measured by the same arithmetic ({@link RankingEvaluation}).
 *
 * <p>The protocol: a held-out rating of at least {@code --threshold} makes the item relevant to its user; every
 * item the user has in the training file is dropped from the system's list before the list is cut to {@code k};
 * the metrics are averaged over the users with at least one relevant held-out item, and such a user without a list
 * in the file scores 0. Catalogue coverage is the share of the training file's distinct items that appear in the
 * scored users' top-k.
 */
@Command(name = "score-topn", mixinStandardHelpOptions = true,
        description = "Score top-N CSVs (user,item,rank,score) against held-out ratings with one protocol:"
                + " relevant = held-out rating >= --threshold, each user's training items dropped before the cut"
                + " to k, averaged over users with a relevant held-out item (no list scores 0).")
final class ScoreTopN implements Callable<Integer> {

    @Option(names = "--train", required = true, paramLabel = "FILE",
            description = "the training ratings the systems learned from (their items are excluded)")
    Path train;

    @Option(names = "--test", required = true, paramLabel = "FILE", description = "the held-out ratings")
    Path test;

    @Option(names = "--topn", required = true, paramLabel = "FILE",
            description = "a top-N CSV to score; repeat for several systems (the file name is the system's name)")
    List<Path> topn;

    @Mixin
    RatingsFileOptions layout;

    @Option(names = "-k", description = "the cut-off (default: ${DEFAULT-VALUE})")
    int k = 10;

    @Option(names = "--threshold", description = "the held-out rating from which an item is relevant (default:"
            + " ${DEFAULT-VALUE})")
    float threshold = 4f;

    @Option(names = "--csv", paramLabel = "FILE", description = "also write the table as CSV")
    Path csv;

    /** One system's scores. */
    record Row(String system, RankingEvaluation metrics, int usersWithoutList, long droppedTrainingItems) {}

    @Override
    public Integer call() throws IOException {
        if (k < 1) {
            throw new IllegalArgumentException("-k must be at least 1, got " + k);
        }
        RunFiles files = new RunFiles().text("--train", train).text("--test", test);
        for (Path file : topn) {
            files.text("--topn", file);
        }
        files.output("--csv", csv).check();
        RatingsFormat ratingsFormat = layout.ratingsFormat();
        Ratings trainRatings = Ratings.read(train, ratingsFormat);
        Ratings testRatings = Ratings.read(test, ratingsFormat);
        Map<String, Set<String>> seen = itemsByUser(trainRatings, Float.NEGATIVE_INFINITY);
        Map<String, Set<String>> relevant = itemsByUser(testRatings, threshold);
        if (relevant.isEmpty()) {
            throw new IllegalArgumentException(test + ": no held-out rating is at least " + threshold
                    + ", so no user can be scored; lower --threshold");
        }
        int catalogue = trainRatings.items().size();
        System.out.println(String.format(Locale.ROOT, "train %s: %d ratings, %d users, %d items; test %s: %d"
                + " ratings, %d users with a held-out rating >= %s", train, trainRatings.size(),
                trainRatings.users().size(), catalogue, test, testRatings.size(), relevant.size(), threshold));
        List<Row> rows = new ArrayList<>();
        for (Path file : topn) {
            rows.add(score(file, seen, relevant, catalogue));
        }
        System.out.print(table(rows, k));
        if (csv != null) {
            AtomicFiles.writeText(csv, out -> out.write(csvTable(rows)));
            System.out.println("wrote " + csv);
        }
        return 0;
    }

    /** Scores one file under the protocol. */
    Row score(Path file, Map<String, Set<String>> seen, Map<String, Set<String>> relevant, int catalogue)
            throws IOException {
        Map<String, List<String>> lists = TopNFiles.read(file);
        long dropped = 0;
        for (Map.Entry<String, List<String>> e : lists.entrySet()) {
            Set<String> mine = seen.getOrDefault(e.getKey(), Set.of());
            dropped += e.getValue().stream().filter(mine::contains).count();
        }
        List<List<String>> recommended = new ArrayList<>();
        List<Set<String>> relevantSets = new ArrayList<>();
        int withoutList = 0;
        for (Map.Entry<String, Set<String>> user : relevant.entrySet()) {
            List<String> list = lists.get(user.getKey());
            if (list == null) {
                withoutList++;
                list = List.of();
            }
            Set<String> mine = seen.getOrDefault(user.getKey(), Set.of());
            recommended.add(list.stream().filter(item -> !mine.contains(item)).limit(k).toList());
            relevantSets.add(user.getValue());
        }
        return new Row(systemName(file), RankingEvaluation.compute(k, recommended, relevantSets, catalogue),
                withoutList, dropped);
    }

    /** The file name without its last extension. */
    static String systemName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Each user's items with a rating of at least {@code min}, users in file order. */
    static Map<String, Set<String>> itemsByUser(Ratings ratings, float min) {
        Map<String, Set<String>> items = new LinkedHashMap<>();
        for (int row = 0; row < ratings.size(); row++) {
            if (ratings.rating(row) >= min) {
                items.computeIfAbsent(ratings.users().id(ratings.user(row)), u -> new HashSet<>())
                        .add(ratings.items().id(ratings.item(row)));
            }
        }
        return items;
    }

    static String table(List<Row> rows, int k) {
        int width = Math.max(6, rows.stream().mapToInt(r -> r.system().length()).max().orElse(0));
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-" + width + "s %8s %8s %18s %15s %8s %8s %9s %6s %8s %8s%n",
                "system", "NDCG@" + k, "P@" + k, "cappedRecall@" + k, "recall@" + k, "HR@" + k,
                "MAP@" + k, "coverage", "users", "no-list", "dropped"));
        for (Row r : rows) {
            RankingEvaluation m = r.metrics();
            s.append(String.format(Locale.ROOT, "%-" + width + "s %8.4f %8.4f %18.4f %15.4f %8.4f %8.4f %9.4f %6d"
                    + " %8d %8d%n", r.system(), m.ndcg(), m.precision(), m.cappedRecall(), m.recall(),
                    m.hitRate(), m.map(), m.coverage(), m.users(), r.usersWithoutList(), r.droppedTrainingItems()));
        }
        s.append("cappedRecall@k = hits / min(k, relevant); recall@k = hits / relevant; users = users with a"
                + " relevant held-out item (no-list of them had no list); dropped = training items removed from"
                + " the lists\n");
        return s.toString();
    }

    static String csvTable(List<Row> rows) {
        StringBuilder s = new StringBuilder("system,k,ndcg,precision,recall_hits_over_min_k_relevant,"
                + "recall_hits_over_relevant,hit_rate,map,coverage,users,users_without_list,dropped_training_items\n");
        for (Row r : rows) {
            RankingEvaluation m = r.metrics();
            s.append(String.format(Locale.ROOT, "%s,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%d,%d,%d%n",
                    r.system(), m.k(), m.ndcg(), m.precision(), m.cappedRecall(), m.recall(), m.hitRate(), m.map(),
                    m.coverage(), m.users(), r.usersWithoutList(), r.droppedTrainingItems()));
        }
        return s.toString();
    }
}
