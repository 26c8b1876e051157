package org.collab4j.bench.librec;

import net.librec.common.LibrecException;
import net.librec.conf.Configuration;
import net.librec.data.model.TextDataModel;
import net.librec.math.algorithm.Randoms;
import net.librec.recommender.AbstractRecommender;
import net.librec.recommender.RecommenderContext;
import net.librec.recommender.cf.ItemKNNRecommender;
import net.librec.recommender.cf.ranking.BPRRecommender;
import net.librec.recommender.cf.ranking.EALSRecommender;
import net.librec.recommender.cf.ranking.WRMFRecommender;
import net.librec.recommender.item.RecommendedItem;
import net.librec.similarity.AbstractRecommenderSimilarity;
import net.librec.similarity.BinaryCosineSimilarity;
import net.librec.similarity.CosineSimilarity;
import net.librec.similarity.JaccardSimilarity;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Trains LibRec 2.0.0 ranking recommenders on a ratings CSV and writes each one's top-N as a CSV with header
 * {@code user,item,rank,score} (rank 1 = best, original ids, every training item of the user left out, whatever
 * its rating), the format Collab4J's {@code score-topn} reads.
 *
 * <pre>
 * LibRecPeers --train FILE --out DIR [-k 10] [--threshold 4] [--seed 1] [--tune] SPEC...
 * SPEC = algorithm[:param=value,param=value,...]     algorithm: bpr, wrmf, eals, itemknn
 * </pre>
 *
 * <p>Only training ratings of at least {@code --threshold} are given to LibRec, as positives of value 1; every
 * training rating, positive or not, is left out of the user's list. Parameters: {@code factors}, {@code iter},
 * {@code lr}, {@code reg} (user and item), {@code alpha} (WRMF/EALS weight coefficient), {@code judge},
 * {@code overall}, {@code ratio} (EALS), {@code knn}, {@code sim} ({@code bcos}, {@code cos}, {@code jaccard}), or
 * any LibRec key with a dot in it. A parameter not given takes LibRec's own default.
 *
 * <p>Without {@code --tune} each SPEC writes {@code DIR/librec-ALGORITHM.csv}. With {@code --tune} a value may
 * be a {@code |}-separated list; every point of the grid is trained and written to
 * {@code DIR/librec-ALGORITHM_param-value_param-value.csv}, to be scored on an inner validation split.
 */
public final class LibRecPeers {

    private static final Map<String, Supplier<AbstractRecommender>> ALGORITHMS = Map.of(
            "bpr", BPRRecommender::new,
            "wrmf", WRMFRecommender::new,
            "eals", EALSRecommender::new,
            "itemknn", ItemKNNRecommender::new);

    /** Short parameter names and the LibRec keys they set. */
    private static final Map<String, List<String>> KEYS = Map.of(
            "factors", List.of("rec.factor.number"),
            "iter", List.of("rec.iterator.maximum"),
            "lr", List.of("rec.iterator.learnrate"),
            "reg", List.of("rec.user.regularization", "rec.item.regularization"),
            "alpha", List.of("rec.wrmf.weight.coefficient"),
            "judge", List.of("rec.eals.wrmf.judge"),
            "overall", List.of("rec.eals.overall"),
            "ratio", List.of("rec.eals.ratio"),
            "knn", List.of("rec.neighbors.knn.number"));

    /**
     * LibRec's defaults for every key a SPEC can set (LibRec 2.0.0's sources): the configuration is shared by the
     * runs of one data set, so each run sets them all and no value leaks from one run into the next.
     */
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("rec.factor.number", "10"),
            Map.entry("rec.iterator.maximum", "100"),
            Map.entry("rec.iterator.learnrate", "0.01"),
            Map.entry("rec.user.regularization", "0.01"),
            Map.entry("rec.item.regularization", "0.01"),
            Map.entry("rec.wrmf.weight.coefficient", "4.0"),
            Map.entry("rec.eals.wrmf.judge", "1"),
            Map.entry("rec.eals.overall", "128.0"),
            Map.entry("rec.eals.ratio", "0.4"),
            Map.entry("rec.neighbors.knn.number", "50"));

    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private LibRecPeers() {}

    /**
     * Runs the command line above; exits with 2 and one line on stderr for bad input.
     *
     * @param args the command line
     * @throws Exception if LibRec fails
     */
    public static void main(String[] args) throws Exception {
        // LibRec logs every file read and job step through commons-logging (java.util.logging here).
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
        try {
            run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void run(String[] args) throws IOException, LibrecException {
        Path train = null;
        Path out = null;
        int k = 10;
        float threshold = 4;
        long seed = 1;
        boolean tune = false;
        List<String> specs = new ArrayList<>();
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--train" -> train = Path.of(value(args, ++a, "--train"));
                case "--out" -> out = Path.of(value(args, ++a, "--out"));
                case "-k" -> k = Integer.parseInt(value(args, ++a, "-k"));
                case "--threshold" -> threshold = Float.parseFloat(value(args, ++a, "--threshold"));
                case "--seed" -> seed = Long.parseLong(value(args, ++a, "--seed"));
                case "--tune" -> tune = true;
                default -> {
                    if (args[a].startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + args[a] + "; see the class Javadoc");
                    }
                    specs.add(args[a]);
                }
            }
        }
        if (train == null || out == null || specs.isEmpty()) {
            throw new IllegalArgumentException("usage: LibRecPeers --train FILE --out DIR [-k 10] [--threshold 4]"
                    + " [--seed 1] [--tune] SPEC...  (SPEC e.g. wrmf:factors=50,iter=20,reg=10,alpha=1)");
        }
        if (k < 1) {
            throw new IllegalArgumentException("-k must be at least 1, got " + k);
        }
        List<Run> runs = new ArrayList<>();
        for (String spec : specs) {
            runs.addAll(expand(spec, tune));
        }
        Training data = Training.read(train, threshold);
        System.out.printf(Locale.ROOT, "%s: %d users, %d ratings, %d positives (rating >= %s) given to LibRec%n",
                train, data.trainingItems.size(), data.ratings, data.positives, threshold);
        new Peers(data, out, k, seed).train(runs);
    }

    private static String value(String[] args, int a, String option) {
        if (a >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[a];
    }

    /** One algorithm with every LibRec key it sets, and the name of its output. */
    record Run(String algorithm, Map<String, String> keys, String similarity, String label) {}

    /** Expands {@code algorithm:param=v1|v2,...} into its grid points, in the order the values are given. */
    static List<Run> expand(String spec, boolean tune) {
        int colon = spec.indexOf(':');
        String algorithm = (colon < 0 ? spec : spec.substring(0, colon)).toLowerCase(Locale.ROOT);
        if (!ALGORITHMS.containsKey(algorithm)) {
            throw new IllegalArgumentException("unknown algorithm '" + algorithm + "' in " + spec
                    + "; use one of " + new java.util.TreeSet<>(ALGORITHMS.keySet()));
        }
        List<Map<String, String>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        if (colon >= 0 && colon < spec.length() - 1) {
            for (String pair : spec.substring(colon + 1).split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw new IllegalArgumentException("'" + pair + "' in " + spec + " is not param=value");
                }
                String param = pair.substring(0, eq);
                if (!KEYS.containsKey(param) && !param.equals("sim") && !param.contains(".")) {
                    throw new IllegalArgumentException("unknown parameter '" + param + "' in " + spec
                            + "; use one of " + new java.util.TreeSet<>(KEYS.keySet()) + ", sim or a LibRec key");
                }
                String[] values = pair.substring(eq + 1).split("\\|");
                if (values.length > 1 && !tune) {
                    throw new IllegalArgumentException("'" + pair + "' lists several values; add --tune to train"
                            + " every point of the grid");
                }
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> point : points) {
                    for (String v : values) {
                        Map<String, String> p = new LinkedHashMap<>(point);
                        p.put(param, v);
                        next.add(p);
                    }
                }
                points = next;
            }
        }
        List<Run> runs = new ArrayList<>();
        for (Map<String, String> point : points) {
            Map<String, String> keys = new LinkedHashMap<>(DEFAULTS);
            String similarity = "bcos";
            StringBuilder label = new StringBuilder("librec-").append(algorithm);
            for (Map.Entry<String, String> e : point.entrySet()) {
                if (e.getKey().equals("sim")) {
                    similarity = e.getValue();
                } else {
                    for (String key : KEYS.getOrDefault(e.getKey(), List.of(e.getKey()))) {
                        keys.put(key, e.getValue());
                    }
                }
                if (tune) {
                    label.append('_').append(e.getKey()).append('-').append(e.getValue());
                }
            }
            runs.add(new Run(algorithm, keys, similarity, label.toString()));
        }
        return runs;
    }

    /** The training file: each user's training items (all ratings) and the positives handed to LibRec. */
    static final class Training {
        final Map<String, Set<String>> trainingItems = new LinkedHashMap<>();
        final Map<String, Set<String>> positiveItems = new LinkedHashMap<>();
        int ratings;
        int positives;

        static Training read(Path file, float threshold) throws IOException {
            Training t = new Training();
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                long number = 0;
                while ((line = in.readLine()) != null) {
                    number++;
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] f = line.split(",", -1);
                    if (f.length < 3) {
                        throw new IllegalArgumentException(file + ":" + number + ": expected user,item,rating,...,"
                                + " got " + f.length + " field(s)");
                    }
                    float rating;
                    try {
                        rating = Float.parseFloat(f[2].trim());
                    } catch (NumberFormatException e) {
                        if (number == 1) {
                            continue; // the header
                        }
                        throw new IllegalArgumentException(file + ":" + number + ": field 3 (rating) '" + f[2]
                                + "' is not a number; fix or remove the line");
                    }
                    String user = f[0].trim();
                    String item = f[1].trim();
                    if (user.isEmpty() || item.isEmpty() || user.contains(" ") || item.contains(" ")) {
                        throw new IllegalArgumentException(file + ":" + number + ": user and item ids must be"
                                + " non-empty and without spaces (LibRec splits on spaces)");
                    }
                    t.ratings++;
                    t.trainingItems.computeIfAbsent(user, u -> new HashSet<>()).add(item);
                    if (rating >= threshold && t.positiveItems.computeIfAbsent(user, u -> new HashSet<>()).add(item)) {
                        t.positives++;
                    }
                }
            }
            if (t.positives == 0) {
                throw new IllegalArgumentException(file + ": no rating is at least " + threshold
                        + ", so LibRec would get no positives; lower --threshold");
            }
            return t;
        }

        /** The most training items any user has that LibRec does not know as theirs. */
        int maxNonPositives() {
            int max = 0;
            for (Map.Entry<String, Set<String>> e : trainingItems.entrySet()) {
                max = Math.max(max, e.getValue().size() - positiveItems.getOrDefault(e.getKey(), Set.of()).size());
            }
            return max;
        }
    }

    /** Trains runs on one LibRec data model built once from the positives. */
    static final class Peers {
        private final Training data;
        private final Path out;
        private final int k;
        private final long seed;
        private final Configuration conf = new Configuration();
        private final TextDataModel model;
        private final Map<String, AbstractRecommenderSimilarity> similarities = new HashMap<>();

        Peers(Training data, Path out, int k, long seed) throws IOException, LibrecException {
            this.data = data;
            this.out = out;
            this.k = k;
            this.seed = seed;
            Path dir = Files.createTempDirectory("librec-peers-");
            dir.toFile().deleteOnExit();
            Path positives = dir.resolve("positives.txt");
            Path probe = dir.resolve("probe.txt");
            try (BufferedWriter w = Files.newBufferedWriter(positives, StandardCharsets.UTF_8)) {
                for (Map.Entry<String, Set<String>> e : data.positiveItems.entrySet()) {
                    for (String item : e.getValue()) {
                        w.write(e.getKey() + " " + item + " 1\n");
                    }
                }
            }
            // LibRec's text model needs a test file. Its "given test set" splitter moves the training entries that
            // the test file also holds into the test matrix; this one holds a known user and item that are not
            // a pair of the positives, so every positive stays in training and no id is added.
            Files.writeString(probe, probePair() + " 1\n", StandardCharsets.UTF_8);
            positives.toFile().deleteOnExit();
            probe.toFile().deleteOnExit();
            conf.set("dfs.data.dir", dir.toString());
            conf.set("data.input.path", "positives.txt probe.txt");
            conf.set("data.column.format", "UIR");
            conf.set("data.model.format", "text");
            conf.set("data.model.splitter", "testset");
            conf.set("data.testset.path", "probe.txt");
            conf.set("rec.recommender.isranking", "true");
            conf.set("rec.recommender.verbose", "false");
            conf.set("rec.recommender.similarity.key", "item");
            // LibRec leaves out only the positives it was given; asking for k more than the most other training
            // items any user has lets the writer drop those and still keep k.
            conf.setInt("rec.recommender.ranking.topn", k + data.maxNonPositives());
            model = new TextDataModel(conf);
            model.buildDataModel();
        }

        /** A known user and item that are not a pair of the positives. */
        private String probePair() {
            String user = data.positiveItems.keySet().iterator().next();
            Set<String> mine = data.positiveItems.get(user);
            for (Set<String> items : data.positiveItems.values()) {
                for (String item : items) {
                    if (!mine.contains(item)) {
                        return user + " " + item;
                    }
                }
            }
            throw new IllegalArgumentException("every user has the same positives; LibRec has nothing to rank");
        }

        void train(List<Run> runs) throws IOException, LibrecException {
            for (Run run : runs) {
                run.keys().forEach(conf::set);
                RecommenderContext context = new RecommenderContext(conf, model);
                if (run.algorithm().equals("itemknn")) {
                    context.setSimilarity(similarity(run.similarity()));
                }
                AbstractRecommender recommender = ALGORITHMS.get(run.algorithm()).get();
                recommender.setContext(context);
                Randoms.seed(seed);
                long start = System.nanoTime();
                long cpu = CPU.getCurrentThreadCpuTime();
                recommender.recommend(context);
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpuSeconds = (CPU.getCurrentThreadCpuTime() - cpu) / 1e9;
                Path file = out.resolve(run.label() + ".csv");
                int users = write(file, recommender.getRecommendedList());
                // CPU time beside wall time: on a shared machine the wall time also measures the neighbours.
                System.out.printf(Locale.ROOT, "%-60s %7.1f s (CPU %7.1f s)  %d users -> %s%n", run.label(),
                        seconds, cpuSeconds, users, file);
            }
        }

        private AbstractRecommenderSimilarity similarity(String name) {
            return similarities.computeIfAbsent(name, n -> {
                AbstractRecommenderSimilarity s = switch (n) {
                    case "bcos" -> new BinaryCosineSimilarity();
                    case "cos" -> new CosineSimilarity();
                    case "jaccard" -> new JaccardSimilarity();
                    default -> throw new IllegalArgumentException("unknown similarity '" + n
                            + "'; use bcos, cos or jaccard");
                };
                long start = System.nanoTime();
                long cpu = CPU.getCurrentThreadCpuTime();
                s.buildSimilarityMatrix(model);
                System.out.printf(Locale.ROOT, "item similarity %s built in %.1f s (CPU %.1f s)%n", n,
                        (System.nanoTime() - start) / 1e9, (CPU.getCurrentThreadCpuTime() - cpu) / 1e9);
                return s;
            });
        }

        /** Writes each user's top k without their training items; returns the number of users written. */
        private int write(Path file, List<RecommendedItem> list) throws IOException {
            if (list == null) {
                throw new IllegalStateException("LibRec recommended nothing");
            }
            Map<String, List<RecommendedItem>> byUser = new LinkedHashMap<>();
            for (RecommendedItem r : list) {
                byUser.computeIfAbsent(r.getUserId(), u -> new ArrayList<>()).add(r);
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            try {
                try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    w.write("user,item,rank,score\n");
                    for (String user : data.trainingItems.keySet()) {
                        List<RecommendedItem> ranked = byUser.getOrDefault(user, new ArrayList<>());
                        ranked.sort(Comparator.comparingDouble(RecommendedItem::getValue).reversed()
                                .thenComparing(RecommendedItem::getItemId));
                        Set<String> seen = data.trainingItems.get(user);
                        int rank = 0;
                        for (RecommendedItem r : ranked) {
                            if (rank == k) {
                                break;
                            }
                            if (!seen.contains(r.getItemId())) {
                                w.write(user + "," + r.getItemId() + "," + (++rank) + ","
                                        + String.format(Locale.ROOT, "%.6g", r.getValue()) + "\n");
                            }
                        }
                    }
                }
                try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } finally {
                Files.deleteIfExists(tmp);
            }
            return byUser.size();
        }
    }
}
