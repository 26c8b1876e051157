package org.collab4j.spark.app;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.ScoredId;
import org.collab4j.spark.SparkRecommender;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code verify-topn}: checks a {@code recommend-all} output folder against the single-JVM {@link Recommender}
 * (no Spark): the same users, and for each the same items in the same order with the same scores.
 */
@Command(name = "verify-topn", mixinStandardHelpOptions = true,
        description = "Compare the csv part files of recommend-all with Recommender.recommend in this JVM (no"
                + " Spark) for every known user: same items, same order, same scores. Prints 'IDENTICAL ...' or"
                + " the first differences (exit 1).")
final class VerifyTopN implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "M", description = "the model file")
    Path model;

    @Option(names = "-k", required = true, paramLabel = "K", description = "items per user, as given to"
            + " recommend-all")
    int k;

    @Option(names = "--spark-out", required = true, paramLabel = "DIR", description = "recommend-all's csv folder")
    Path sparkOut;

    /** One row of a top-N table. */
    private record Entry(String item, int rank, float score) {}

    @Override
    public Integer call() throws IOException {
        TrainedModel trained = SparkRecommender.loadModel(model);
        Map<String, List<Entry>> spark = read(sparkOut);
        Recommender recommender = Recommender.of(trained);
        List<String> problems = new ArrayList<>();
        int[] users = {0};
        long[] rows = {0};
        recommender.recommendAll(k, 256, batch -> batch.forEach(user -> {
            users[0]++;
            List<Entry> got = spark.remove(user.userId());
            List<ScoredId> want = user.items();
            rows[0] += want.size();
            if (got == null) {
                problems.add("user " + user.userId() + " is missing from " + sparkOut);
                return;
            }
            got.sort(java.util.Comparator.comparingInt(Entry::rank));
            if (got.size() != want.size()) {
                problems.add("user " + user.userId() + ": " + got.size() + " rows, expected " + want.size());
                return;
            }
            for (int n = 0; n < want.size(); n++) {
                Entry e = got.get(n);
                if (e.rank() != n + 1 || !e.item().equals(want.get(n).id())
                        || Float.floatToIntBits(e.score()) != Float.floatToIntBits(want.get(n).score())) {
                    problems.add("user " + user.userId() + " rank " + (n + 1) + ": spark " + e + ", single JVM "
                            + want.get(n).id() + " " + want.get(n).score());
                    return;
                }
            }
        }));
        for (String extra : spark.keySet()) {
            problems.add("user " + extra + " is in " + sparkOut + " but is not a known user of the model");
        }
        if (problems.isEmpty()) {
            System.out.println("IDENTICAL " + users[0] + " users, " + rows[0] + " rows: same items, same order, same"
                    + " scores");
            return 0;
        }
        System.out.println("DIFFERENT in " + problems.size() + " users; the first:");
        problems.stream().limit(10).forEach(System.out::println);
        return 1;
    }

    private static Map<String, List<Entry>> read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--spark-out " + dir + " is not a folder written by recommend-all");
        }
        Map<String, List<Entry>> table = new HashMap<>();
        int files = 0;
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, "part-*.csv")) {
            for (Path part : parts) {
                files++;
                try (Reader in = Files.newBufferedReader(part, StandardCharsets.UTF_8);
                        CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                                .parse(in)) {
                    if (!csv.getHeaderNames().equals(List.of("user", "item", "rank", "score"))) {
                        throw new IllegalArgumentException(part + " has the header " + csv.getHeaderNames()
                                + ", not user,item,rank,score");
                    }
                    for (CSVRecord r : csv) {
                        table.computeIfAbsent(r.get(0), u -> new ArrayList<>())
                                .add(new Entry(r.get(1), Integer.parseInt(r.get(2)), Float.parseFloat(r.get(3))));
                    }
                }
            }
        }
        if (files == 0) {
            throw new IllegalArgumentException(dir + " has no part-*.csv files");
        }
        return table;
    }
}
