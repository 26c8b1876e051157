package org.collab4j.examples;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.model.YRange;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.train.EpochResult;
import org.collab4j.train.MemoryEstimate;
import org.collab4j.train.ModelTooLargeException;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.optimizer.RmsProp;
import org.collab4j.train.optimizer.Sgd;
import org.collab4j.util.Shown;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.Option;

/** The model and training options that {@code train} and {@code quickstart} share. */
final class TrainingOptions {

    /** The models {@code --model} offers. */
    enum ModelKind {
        dot, dotbias, net
    }

    /** The optimizers {@code --optimizer} offers. */
    enum OptimizerKind {
        adamw, adam, sgd, rmsprop
    }

    /** The schedules {@code --schedule} offers. */
    enum ScheduleKind {
        onecycle, sgdr, constant
    }

    @Option(names = "--model", description = "dot, dotbias or net (default: ${DEFAULT-VALUE})")
    ModelKind model = ModelKind.dotbias;

    @Option(names = "--epochs", description = "epochs (one-cycle, constant) (default: ${DEFAULT-VALUE})")
    int epochs = 5;

    @Option(names = "--optimizer", description = "adamw, adam (L2 weight decay), sgd (momentum 0.9) or rmsprop"
            + " (default: ${DEFAULT-VALUE})")
    OptimizerKind optimizer = OptimizerKind.adamw;

    @Option(names = "--schedule", description = "onecycle, sgdr or constant (default: ${DEFAULT-VALUE})")
    ScheduleKind schedule = ScheduleKind.onecycle;

    @Option(names = "--cycles", description = "sgdr: number of cycles (default: ${DEFAULT-VALUE})")
    int cycles = 3;

    @Option(names = "--cycle-len", description = "sgdr: epochs of the first cycle (default: ${DEFAULT-VALUE})")
    int cycleLength = 1;

    @Option(names = "--cycle-mult", description = "sgdr: growth of each cycle (default: ${DEFAULT-VALUE})")
    int cycleMult = 2;

    @Option(names = "--lr", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    float lr = 5e-3f;

    @Option(names = "--wd", description = "AdamW weight decay (default: ${DEFAULT-VALUE})")
    float wd = 0.1f;

    @Option(names = "--bs", description = "batch size (default: ${DEFAULT-VALUE})")
    int batchSize = CollabLearnerBuilder.DEFAULT_BATCH_SIZE;

    @Option(names = "--factors", description = "factors per user and item (default: ${DEFAULT-VALUE})")
    int factors = 50;

    @Option(names = "--y-range", split = ",", description = "LOW,HIGH: the range predictions are squashed into"
            + " (default: 0,5.5)")
    float[] yRange = {0f, 5.5f};

    @Option(names = "--no-bias-decay", description = "leave the user and item bias tables out of weight decay")
    boolean noBiasDecay;

    @Option(names = "--dropout", split = ",", paramLabel = "EMB,HIDDEN", description = "net: dropout of the"
            + " embeddings and after each hidden layer, each in [0, 1) (default: 0.05,0.5)")
    float[] dropout = {0.05f, 0.5f};

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 42;

    /**
     * Checks the options before any data is read, naming the option and a sensible value.
     *
     * @throws IllegalArgumentException for the first option out of range
     */
    void validate() {
        require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        require(lr > 0 && Float.isFinite(lr), "--lr must be a number > 0, got " + lr
                + " (1e-3 to 1e-2 suits most data; lr-find suggests one)");
        require(wd >= 0 && Float.isFinite(wd), "--wd must be a number >= 0, got " + wd + " (fast.ai uses 0.1)");
        require(batchSize >= 1, "--bs must be at least 1, got " + batchSize + " (64 to 8192 are typical)");
        require(factors >= 1, "--factors must be at least 1, got " + factors + " (50 is the default; 10 to 200"
                + " are typical)");
        require(cycles >= 1 && cycleLength >= 1 && cycleMult >= 1, "--cycles, --cycle-len and --cycle-mult must"
                + " each be at least 1, got " + cycles + ", " + cycleLength + " and " + cycleMult);
        require(yRange.length == 2 && Float.isFinite(yRange[0]) && Float.isFinite(yRange[1])
                && yRange[0] < yRange[1], "--y-range takes two numbers LOW,HIGH with LOW < HIGH, e.g. 0,5.5 for"
                + " 0.5-5 stars, got " + java.util.Arrays.toString(yRange));
        require(dropout.length == 2, "--dropout takes two rates EMB,HIDDEN, e.g. 0.05,0.5");
        for (float rate : dropout) {
            require(rate >= 0 && rate < 1, "--dropout rates must be in [0, 1) (0 turns dropout off), got " + rate);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    CollabBlock.BaseBuilder<?> block() {
        return switch (model) {
            case dot -> EmbeddingDot.builder().optFactors(factors).optYRange(range());
            case dotbias -> EmbeddingDotBias.builder().optFactors(factors).optYRange(range());
            case net -> EmbeddingNet.builder().optFactors(factors).optYRange(range())
                    .optEmbeddingDropout(dropout[0]).optHiddenDropout(dropout[1]);
        };
    }

    YRange range() {
        if (yRange.length != 2) {
            throw new IllegalArgumentException("--y-range takes two numbers, LOW,HIGH");
        }
        return new YRange(yRange[0], yRange[1]);
    }

    CollabOptimizer optimizer() {
        return switch (optimizer) {
            case adamw -> Adam.builder().optWeightDecay(wd).build();
            case adam -> Adam.builder().optWeightDecay(wd).optDecoupledWeightDecay(false).build();
            case sgd -> Sgd.builder().optWeightDecay(wd).optDecoupledWeightDecay(false).build();
            case rmsprop -> RmsProp.builder().optWeightDecay(wd).build();
        };
    }

    /** Trains the learner with the chosen schedule. */
    List<EpochResult> fit(CollabLearner learner) {
        return switch (schedule) {
            case onecycle -> learner.fitOneCycle(epochs, lr);
            case sgdr -> learner.fitSgdr(cycles, cycleLength, cycleMult, lr);
            case constant -> learner.fit(epochs, lr);
        };
    }

    /**
     * The training step of a ranking learner; not an option (the learner's planner chooses: the host ranking step
     * on the CPU, the device ranking step on a GPU). The S1 measurement of the device ranking step on the CPU
     * ({@code RankingStepS1Measurement}, docs/benchmarks.md) sets it to {@code DEVICE}.
     */
    org.collab4j.train.step.StepKind rankingStep = org.collab4j.train.step.StepKind.AUTO;

    /** Epochs of a ranking model when {@code --epochs} is absent: iALS sweeps, or BPR/softmax epochs. */
    static final int DEFAULT_ALS_SWEEPS = 10;
    static final int DEFAULT_SAMPLED_EPOCHS = 20;
    static final int DEFAULT_SAMPLED_BATCH = 1024;
    static final float DEFAULT_SAMPLED_LR = 1e-2f;

    /**
     * A learner for a ranking objective: the options the user gave, and the ranking defaults for the rest
     * ({@value CollabLearnerBuilder#DEFAULT_RANKING_FACTORS} factors; for BPR and the softmax batch size
     * {@value #DEFAULT_SAMPLED_BATCH}).
     */
    CollabLearner rankingLearner(Split split, org.collab4j.train.objective.Objective objective,
            picocli.CommandLine.ParseResult parsed) {
        return rankingLearner(split, objective, parsed::hasMatchedOption, null);
    }

    /**
     * The ranking learner, {@code given} telling which options the user gave; with {@code init}, a warm start
     * from that model (whose block replaces --model's and --factors').
     */
    CollabLearner rankingLearner(Split split, org.collab4j.train.objective.Objective objective,
            java.util.function.Predicate<String> given, org.collab4j.io.TrainedModel init) {
        validate();
        int f = given.test("--factors") ? factors : CollabLearnerBuilder.DEFAULT_RANKING_FACTORS;
        boolean ials = objective instanceof org.collab4j.train.objective.Ials;
        CollabBlock.BaseBuilder<?> block = ials || model == ModelKind.dot && given.test("--model")
                ? EmbeddingDot.builder().optFactors(f).optYRange(null)
                : EmbeddingDotBias.builder().optFactors(f).optYRange(null);
        return CollabLearner.builder()
                .setData(split)
                .optObjective(objective)
                .optModel(init == null ? block : null)
                .optInitModel(init)
                .optOptimizer(optimizer())
                .optBatchSize(given.test("--bs") ? batchSize : DEFAULT_SAMPLED_BATCH)
                .optDecayBiases(!noBiasDecay)
                .optSeed(seed)
                .optTrainingStep(org.collab4j.train.step.StepChoice.of(ials ? org.collab4j.train.step.StepKind.AUTO
                        : rankingStep))
                .build();
    }

    /**
     * Trains a ranking learner: iALS sweeps (fewer for a warm start), or the chosen schedule for BPR and the
     * softmax.
     */
    List<EpochResult> fitRanking(CollabLearner learner, picocli.CommandLine.ParseResult parsed) {
        return fitRanking(learner, parsed::hasMatchedOption);
    }

    /** {@link #fitRanking(CollabLearner, picocli.CommandLine.ParseResult)}, {@code given} naming the options given. */
    List<EpochResult> fitRanking(CollabLearner learner, java.util.function.Predicate<String> given) {
        boolean explicitEpochs = given.test("--epochs");
        if (learner.getObjective() instanceof org.collab4j.train.objective.Ials) {
            int sweeps = learner.getInitModel() != null ? CollabLearnerBuilder.DEFAULT_WARM_SWEEPS
                    : DEFAULT_ALS_SWEEPS;
            return learner.fitAls(explicitEpochs ? epochs : sweeps);
        }
        int n = explicitEpochs ? epochs : DEFAULT_SAMPLED_EPOCHS;
        float rate = given.test("--lr") ? lr : DEFAULT_SAMPLED_LR;
        return switch (schedule) {
            case onecycle -> learner.fitOneCycle(n, rate);
            case sgdr -> learner.fitSgdr(cycles, cycleLength, cycleMult, rate);
            case constant -> learner.fit(n, rate);
        };
    }

    /**
     * Refuses, before training, a rating so large that training must diverge whatever --lr (its squared error
     * overflows 32-bit floats): that is a data error, and the learning-rate advice of a divergence would not help.
     */
    void checkRatings(Ratings train, Path file) {
        int row = CollabLearner.overflowingRating(train, range(), batchSize);
        if (row >= 0) {
            throw new CliException("a rating of " + train.rating(row) + " (user "
                    + Shown.quoted(train.users().id(train.user(row))) + ", item "
                    + Shown.quoted(train.items().id(train.item(row))) + "), " + file + "; it is so large that"
                    + " training cannot work at any --lr: fix the line (--strict-range with --y-range reports the"
                    + " line of every rating outside the range)");
        }
    }

    CollabLearner learner(Split split) {
        return learner(split, null);
    }

    /** The learner; with {@code init}, a warm start from that model (whose block replaces --model's). */
    CollabLearner learner(Split split, org.collab4j.io.TrainedModel init) {
        validate();
        try {
            return CollabLearner.builder()
                    .setData(split)
                    .optModel(init == null ? block() : null)
                    .optInitModel(init)
                    .optOptimizer(optimizer())
                    .optBatchSize(batchSize)
                    .optDecayBiases(!noBiasDecay)
                    .optSeed(seed)
                    .build();
        } catch (ModelTooLargeException e) {
            MemoryEstimate m = e.estimate();
            throw new CliException(String.format(Locale.ROOT, "--factors %d is too large for this machine,"
                    + " %d users and %d items: %s; lower --factors (50 is the default), or give Java more heap"
                    + " (java -Xmx...G -jar ...) on a machine with more memory", factors, split.train().users()
                    .size(), split.train().items().size(), m != null ? m.shortfall() : e.getMessage()), e);
        }
    }
}
