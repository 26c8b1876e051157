package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.EpochResult;
import org.collab4j.train.FitListener;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code soak}: a long run that watches the process's resident memory (VmRSS): many epochs of training, then a
 * million predictions, with the growth after a warm-up.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "Train for many epochs and make many predictions, printing the resident memory (VmRSS from"
                + " /proc/self/status, Linux) along the way and its growth after the warm-up. Exits 1 if it grew"
                + " more than --max-growth.")
final class Soak implements Callable<Integer> {

    @Option(names = "--ratings", required = true, description = "a MovieLens ratings.csv")
    Path ratings;

    @Option(names = "--epochs", description = "epochs of training (default: ${DEFAULT-VALUE})")
    int epochs = 50;

    @Option(names = "--warmup", description = "epochs before the reference reading (default: ${DEFAULT-VALUE})")
    int warmup = 5;

    @Option(names = "--bs", description = "batch size (default: ${DEFAULT-VALUE})")
    int batchSize = 256;

    @Option(names = "--lr", description = "learning rate, constant (default: ${DEFAULT-VALUE})")
    float lr = 1e-3f;

    @Option(names = "--predictions", description = "predictions after training (default: ${DEFAULT-VALUE})")
    int predictions = 1_000_000;

    @Option(names = "--max-growth", description = "allowed RSS growth after the warm-up, in percent"
            + " (default: ${DEFAULT-VALUE})")
    double maxGrowth = 10;

    @Override
    public Integer call() throws IOException {
        if (epochs <= warmup || warmup < 1 || predictions < 1) {
            throw new IllegalArgumentException("--epochs must exceed --warmup (at least 1), and --predictions must"
                    + " be at least 1");
        }
        new RunFiles().text("--ratings", ratings).check();
        long start = System.nanoTime();
        Ratings all = Ratings.read(ratings, RatingsFormat.MOVIELENS_CSV);
        Split split = Splits.random(all, 0.2, 42);
        System.out.println(String.format(Locale.ROOT, "soak: %s, %d epochs (bs %d, lr %g), then %,d predictions;"
                + " RSS %d MiB at the start", all, epochs, batchSize, lr, predictions, rssKib() / 1024));
        List<Long> epochRss = new ArrayList<>();
        boolean ok;
        try (CollabLearner learner = CollabLearner.builder()
                .setData(split)
                .optModel(EmbeddingDotBias.builder())
                .optBatchSize(batchSize)
                .optOutput(null)
                .optProgressBar(false)
                .addListeners(new FitListener() {
                    @Override
                    public boolean onEpochEnd(CollabLearner l, EpochResult row) {
                        long rss = rssKib();
                        epochRss.add(rss);
                        System.out.println(String.format(Locale.ROOT, "epoch %3d  valid RMSE %.4f  %5.2f s  RSS %7.1f"
                                + " MiB  %s", row.epoch(), row.validRmse(), row.seconds(), rss / 1024.0, heap()));
                        return false;
                    }
                })
                .build()) {
            learner.fit(epochs, lr);
            long reference = epochRss.get(warmup - 1);
            long last = epochRss.get(epochRss.size() - 1);
            long peak = epochRss.subList(warmup - 1, epochRss.size()).stream().mapToLong(Long::longValue).max()
                    .orElseThrow();
            ok = report("training", "epoch " + warmup, reference, last, peak);

            Recommender recommender = learner.recommender();
            int[] users = split.valid().userIndices();
            int[] items = split.valid().itemIndices();
            List<String> userIds = split.valid().users().ids();
            List<String> itemIds = split.valid().items().ids();
            int step = Math.max(1, predictions / 10);
            long predictionStart = 0;
            long predictionPeak = 0;
            double sum = 0;
            long t0 = System.nanoTime();
            for (int n = 0; n < predictions; n++) {
                int row = n % users.length;
                String user = userIds.get(users[row]);
                String item = itemIds.get(items[row]);
                if (recommender.knowsUser(user) && recommender.knowsItem(item)) {
                    sum += recommender.predict(user, item);
                }
                if ((n + 1) % step == 0) {
                    long rss = rssKib();
                    if (n + 1 == step) {
                        predictionStart = rss; // after the first tenth: the JIT and the heap have warmed up
                    }
                    predictionPeak = Math.max(predictionPeak, rss);
                    System.out.println(String.format(Locale.ROOT, "%,10d predictions  RSS %7.1f MiB  %s", n + 1,
                            rss / 1024.0, heap()));
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.println(String.format(Locale.ROOT, "%,d predictions in %.2f s (%.2f µs each; mean %.4f)",
                    predictions, seconds, seconds * 1e6 / predictions, sum / predictions));
            ok &= report("predictions", "the first tenth", predictionStart, rssKib(), predictionPeak);
        }
        System.out.println(String.format(Locale.ROOT, "soak %s in %.0f s", ok ? "passed" : "FAILED",
                (System.nanoTime() - start) / 1e9));
        return ok ? 0 : 1;
    }

    private boolean report(String phase, String after, long reference, long last, long peak) {
        double growth = 100.0 * (last - reference) / reference;
        double peakGrowth = 100.0 * (peak - reference) / reference;
        boolean ok = peakGrowth <= maxGrowth;
        System.out.println(String.format(Locale.ROOT, "%s: RSS %.1f MiB after %s, %.1f MiB at the end (%+.1f %%),"
                + " peak %.1f MiB (%+.1f %%): %s", phase, reference / 1024.0, after, last / 1024.0, growth,
                peak / 1024.0, peakGrowth, ok ? "within " + maxGrowth + " %" : "MORE than " + maxGrowth + " %"));
        return ok;
    }

    /** The Java heap's committed size (part of the RSS once touched; the JVM grows it as it sees fit). */
    private static String heap() {
        Runtime runtime = Runtime.getRuntime();
        return String.format(Locale.ROOT, "(Java heap committed %.1f MiB, max %.0f MiB)",
                runtime.totalMemory() / 1048576.0, runtime.maxMemory() / 1048576.0);
    }

    /** The resident set size of this process, from {@code /proc/self/status}; 0 where there is none. */
    static long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux: no figure.
        }
        return 0;
    }
}
