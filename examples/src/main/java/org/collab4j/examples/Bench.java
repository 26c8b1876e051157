package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.data.SyntheticRatings;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.train.EpochResult;
import org.collab4j.recommend.Evaluation;
import org.collab4j.train.FitListener;
import org.collab4j.train.step.StepChoice;
import org.collab4j.train.step.StepKind;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bench}: training speed and memory, in the same line format as the PyTorch reference
 * ({@code ../shared/bench/run-pytorch-reference.sh}) so that {@code bench/speed.sh} can put both side by side.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time training epochs on a split (--split DIR with train.csv and valid.csv) or on generated"
                + " ratings (--synthetic USERS,ITEMS,RATINGS). Prints a CONFIG line, an EPOCH json line per epoch"
                + " (train_s, valid_rmse, ms_per_batch, ratings_per_s, rss_mb) and a RESULT line (s_per_epoch,"
                + " rmse, peak_rss_mb from VmHWM, seconds to reach --target-rmse).")
final class Bench implements Callable<Integer> {

    @Option(names = "--split", description = "a folder with train.csv and valid.csv (MovieLens csv)")
    Path split;

    @Option(names = "--synthetic", split = ",", paramLabel = "USERS,ITEMS,RATINGS",
            description = "generate ratings instead (SyntheticRatings: Zipf popularity, 10 true factors)")
    int[] synthetic;

    @Option(names = "--valid-fraction", description = "with --synthetic: share held out for validation"
            + " (default: ${DEFAULT-VALUE}; 0 = none)")
    double validFraction = 0;

    @Option(names = "--dense", description = "update whole tables every step instead of the touched rows")
    boolean dense;

    @Option(names = "--auto-updates", description = "let the learner choose dense or touched-row updates (its"
            + " default rule) instead of touched rows; --dense still forces dense")
    boolean autoUpdates;

    @Option(names = "--djl-step", description = "train with the DJL step even where the plain-Java host step"
            + " (the default for dot models on the CPU) would run, to compare")
    boolean djlStep;

    @Option(names = "--step", paramLabel = "auto|device|dense|touched|host", description = "the training step"
            + " (default: the options above, else the learner's planner); with a step named, --dense and"
            + " --auto-updates apply to the host step only, --touched-rows to the device step")
    String step;

    @Option(names = "--touched-rows", description = "with --step device: update only the rows each batch touches,"
            + " the index work on the device (the planner's choice on a GPU for very large tables)")
    boolean touchedRows;

    @Option(names = "--host-threads", description = "threads for the host step's work (default: the"
            + " learner's, the number of processors up to 4)")
    Integer hostThreads;

    @Option(names = "--no-guard", description = "turn the divergence guard (a weight copy per epoch) off")
    boolean noGuard;

    @Option(names = "--target-rmse", description = "report the training seconds until the validation RMSE first"
            + " reaches this (default: ${DEFAULT-VALUE})")
    double targetRmse = 0.85;

    @Mixin
    TrainingOptions training;

    @Override
    public Integer call() throws IOException {
        if ((split == null) == (synthetic == null)) {
            throw new IllegalArgumentException("give exactly one of --split DIR and --synthetic USERS,ITEMS,RATINGS");
        }
        new RunFiles().folder("--split", split, "train.csv", "valid.csv").check();
        long t0 = System.nanoTime();
        Split data;
        if (split != null) {
            data = Splits.combine(Ratings.read(split.resolve("train.csv"), RatingsFormat.MOVIELENS_CSV),
                    Ratings.read(split.resolve("valid.csv"), RatingsFormat.MOVIELENS_CSV));
        } else {
            if (synthetic.length != 3) {
                throw new IllegalArgumentException("--synthetic takes USERS,ITEMS,RATINGS");
            }
            Ratings all = SyntheticRatings.builder().setUsers(synthetic[0]).setItems(synthetic[1])
                    .setRatings(synthetic[2]).optSeed(training.seed).build().generate();
            data = validFraction > 0 ? Splits.random(all, validFraction, training.seed)
                    : new Split(all, all.select(new int[0]));
        }
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        Ratings valid = data.valid() != null && data.valid().size() > 0 ? data.valid() : null;
        int batches = Math.max(1, data.train().size() / training.batchSize);
        CollabLearnerBuilder builder = CollabLearner.builder()
                .setTrainData(data.train())
                .optModel(training.block(data.train()))
                .optOptimizer(training.optimizer(data.train().size()))
                .optBatchSize(training.batchSize)
                .optDecayBiases(training.decayBiases(false))
                .optSeed(training.seed)
                .optDivergenceGuard(!noGuard)
                .optOutput(null)
                .optProgressBar(false);
        builder.optTrainingStep(stepChoice());
        NativeCallCounter counter = NativeCallCounter.find();
        counter.start();
        if (hostThreads != null) {
            builder.optHostThreads(hostThreads);
        }
        double[] total = {0, Double.NaN, Double.NaN};
        builder.addListeners(new FitListener() {
            @Override
            public boolean onEpochEnd(CollabLearner learner, EpochResult row) {
                // The epoch's seconds cover training only: validation runs here, after the clock stopped.
                total[0] += row.seconds();
                double rmse = Double.NaN;
                if (valid != null) {
                    Evaluation eval = learner.evaluate(valid);
                    rmse = eval.rmse();
                    if (Double.isNaN(total[1]) && rmse <= targetRmse) {
                        total[1] = total[0];
                    }
                }
                total[2] = rmse;
                double[] perStep = counter.perStep(row.epoch() == 1);
                System.out.println(String.format(Locale.ROOT, "EPOCH {\"epoch\": %d, \"train_s\": %.4f,"
                                + " \"ms_per_batch\": %.4f, \"ratings_per_s\": %.0f, \"train_loss\": %.5f,"
                                + " \"valid_rmse\": %s, \"rss_mb\": %.1f, \"native_calls_per_step\": %s,"
                                + " \"syncs_per_step\": %s, \"max_syncs_in_a_step\": %s}",
                        row.epoch(), row.seconds(), row.seconds() * 1e3 / batches,
                        batches * (double) training.batchSize / row.seconds(), row.trainLoss(), json(rmse),
                        memoryMb("VmRSS"), json(perStep[0]), json(perStep[1]), json(perStep[2])));
                System.out.flush();
                return false;
            }
        });
        try (CollabLearner learner = builder.build()) {
            System.out.println(String.format(Locale.ROOT, "CONFIG {\"peer\": \"collab4j\", \"model\": \"%s\","
                            + " \"optimizer\": \"%s\", \"bs\": %d, \"epochs\": %d, \"lr_max\": %s, \"factors\": %d,"
                            + " \"step\": \"%s\", \"sparse\": %s, \"host_step\": %s, \"native_call_counter\": %s, \"n_users\": %d, \"n_items\": %d, \"n_train\": %d, \"n_valid\": %d,"
                            + " \"load_s\": %.2f, \"threads\": \"%s\", \"device\": \"%s\"}",
                    training.block.cliName(), learner.getOptimizer(), training.batchSize, training.epochs, training.lr,
                    training.factors, learner.getStepPlan().name(), learner.usesSparseUpdates(), learner.usesHostStep(),
                    counter.installed(), data.train().users().size(), data.train().items().size(),
                    data.train().size(), valid == null ? 0 : valid.size(), loadSeconds,
                    System.getProperty("ai.djl.pytorch.num_threads") + "/"
                            + System.getProperty("ai.djl.pytorch.num_interop_threads"),
                    learner.getDevice().device()));
            training.fit(learner);
        }
        System.out.println(String.format(Locale.ROOT, "RESULT {\"s_per_epoch\": %.4f, \"rmse\": %s,"
                        + " \"s_to_target\": %s, \"target_rmse\": %s, \"peak_rss_mb\": %.1f}",
                total[0] / training.epochs, json(total[2]), json(total[1]), targetRmse, memoryMb("VmHWM")));
        return 0;
    }

    /**
     * The step options mapped onto the learner's one step knob: {@code --step} names the step; {@code --dense},
     * {@code --auto-updates} (neither: touched rows) its updates where it can do either (the host step, and with
     * no step named the planner's); {@code --touched-rows} the device step's; {@code --djl-step} limits the planner
     * to DJL's own steps.
     */
    private StepChoice stepChoice() {
        StepKind kind = step != null ? StepKind.parse(step) : StepKind.AUTO;
        if (kind != StepKind.AUTO) {
            if (djlStep) {
                throw new IllegalArgumentException("--djl-step and --step both choose the step: use --step");
            }
            if (touchedRows && kind != StepKind.DEVICE) {
                throw new IllegalArgumentException("--touched-rows applies to --step device only");
            }
            StepChoice choice = StepChoice.of(kind);
            if (kind == StepKind.HOST && (dense || !autoUpdates)) {
                return choice.touchedRows(!dense);
            }
            return kind == StepKind.DEVICE && touchedRows ? choice.touchedRows(true) : choice;
        }
        if (touchedRows) {
            throw new IllegalArgumentException("--touched-rows applies to --step device only");
        }
        StepChoice choice = djlStep ? StepChoice.DJL : StepChoice.AUTO;
        return dense || !autoUpdates ? choice.touchedRows(!dense) : choice;
    }

    /**
     * The native-call counter of lib's tests ({@code org.collab4j.agent.NativeCalls}) when the JVM runs with
     * {@code -javaagent:lib/target/native-call-counter/native-call-counter-agent.jar}; read by reflection, since the
     * agent is test code and not part of the library.
     */
    private static final class NativeCallCounter {
        private final Class<?> calls;

        private NativeCallCounter(Class<?> calls) {
            this.calls = calls;
        }

        static NativeCallCounter find() {
            try {
                Class<?> c = Class.forName("org.collab4j.agent.NativeCalls", true,
                        ClassLoader.getSystemClassLoader());
                return new NativeCallCounter((boolean) c.getMethod("installed").invoke(null) ? c : null);
            } catch (ReflectiveOperationException | LinkageError e) {
                return new NativeCallCounter(null);
            }
        }

        boolean installed() {
            return calls != null;
        }

        /** Starts recording training steps (the agent records none until told). */
        void start() {
            if (calls != null) {
                try {
                    calls.getMethod("reset").invoke(null);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("the native-call counter does not answer: " + e, e);
                }
            }
        }

        /**
         * Native calls and synchronising calls per training step since the last call, and the most synchronising
         * calls in one step; the first step of the run (it creates the optimizer state) left out. NaN without the
         * agent.
         */
        double[] perStep(boolean first) {
            if (calls == null) {
                return new double[] {Double.NaN, Double.NaN, Double.NaN};
            }
            try {
                List<?> steps = (List<?>) calls.getMethod("steps").invoke(null);
                calls.getMethod("reset").invoke(null);
                long sumCalls = 0;
                long sumSyncs = 0;
                long maxSyncs = 0;
                int n = 0;
                for (int k = first ? 1 : 0; k < steps.size(); k++) {
                    Object step = steps.get(k);
                    long c = (long) step.getClass().getMethod("calls").invoke(step);
                    long s = (long) step.getClass().getMethod("syncs").invoke(step);
                    sumCalls += c;
                    sumSyncs += s;
                    maxSyncs = Math.max(maxSyncs, s);
                    n++;
                }
                return n == 0 ? new double[] {Double.NaN, Double.NaN, Double.NaN}
                        : new double[] {sumCalls / (double) n, sumSyncs / (double) n, maxSyncs};
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the native-call counter does not answer: " + e, e);
            }
        }
    }

    private static String json(double value) {
        return Double.isNaN(value) ? "null" : String.format(Locale.ROOT, "%.5f", value);
    }

    /** A line of /proc/self/status in MB (VmRSS: now; VmHWM: the peak), or NaN where there is no /proc. */
    static double memoryMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: no figure.
        }
        return Double.NaN;
    }
}
