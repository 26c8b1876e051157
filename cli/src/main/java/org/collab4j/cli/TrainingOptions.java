package org.collab4j.cli;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.BlockKind;
import org.collab4j.model.CollabBlock;
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

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The model and how to train it: the options of the examples' {@code train}, {@code quickstart}, {@code lr-find}
 * and {@code bench} and of the Spark app's {@code train}, declared and checked here once. Mix it into a command
 * with {@code @Mixin TrainingOptions training;}. picocli fills the public fields; a command may override one after
 * parsing (a warm start's epochs, the learning rate the LR finder suggests).
 *
 * <p>{@code --block} names the kind of block ({@link BlockKind}); {@code --model} is accepted as its older name
 * in these commands, where it meant the block before it meant a model file everywhere else.
 */
public class TrainingOptions {

    /** The optimizers {@code --optimizer} offers. */
    public enum OptimizerKind {
        /** AdamW: Adam with decoupled weight decay. */
        adamw,
        /** Adam with L2 weight decay. */
        adam,
        /** SGD with momentum 0.9 and L2 weight decay. */
        sgd,
        /** RMSProp. */
        rmsprop
    }

    /** The schedules {@code --schedule} offers. */
    public enum ScheduleKind {
        /** fast.ai's one-cycle policy. */
        onecycle,
        /** SGD with warm restarts (cosine cycles). */
        sgdr,
        /** One learning rate throughout. */
        constant
    }

    /** The default of {@code --block}, as the help shows it. */
    public static final String DEFAULT_BLOCK = "dotbias";

    /** {@code --block} (or its older name {@code --model}): the kind of block. */
    @Option(names = {"--block", "--model"}, paramLabel = "KIND", defaultValue = DEFAULT_BLOCK,
            converter = BlockKindConverter.class, description = "the model: dot, dotbias or net (default:"
                    + " ${DEFAULT-VALUE}); --model is its older name")
    public BlockKind block = BlockKind.parse(DEFAULT_BLOCK);

    /** {@code --epochs}. */
    @Option(names = "--epochs", description = "epochs (one-cycle, constant) (default: ${DEFAULT-VALUE})")
    public int epochs = 5;

    /** {@code --optimizer}. */
    @Option(names = "--optimizer", description = "adamw, adam (L2 weight decay), sgd (momentum 0.9) or rmsprop"
            + " (default: ${DEFAULT-VALUE})")
    public OptimizerKind optimizer = OptimizerKind.adamw;

    /** {@code --schedule}. */
    @Option(names = "--schedule", description = "onecycle, sgdr or constant (default: ${DEFAULT-VALUE})")
    public ScheduleKind schedule = ScheduleKind.onecycle;

    /** {@code --cycles}. */
    @Option(names = "--cycles", description = "sgdr: number of cycles (default: ${DEFAULT-VALUE})")
    public int cycles = 3;

    /** {@code --cycle-len}. */
    @Option(names = "--cycle-len", description = "sgdr: epochs of the first cycle (default: ${DEFAULT-VALUE})")
    public int cycleLength = 1;

    /** {@code --cycle-mult}. */
    @Option(names = "--cycle-mult", description = "sgdr: growth of each cycle (default: ${DEFAULT-VALUE})")
    public int cycleMult = 2;

    /** {@code --lr}. */
    @Option(names = "--lr", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    public float lr = 5e-3f;

    /** {@code --wd}, or {@code null} for the data's ({@link CollabLearnerBuilder#defaultWeightDecay}). */
    @Option(names = "--wd", description = "AdamW weight decay (default: 12,800 / the training ratings, within [0.1,"
            + " 1]: 0.1 from 128,000 ratings, up to 1 for small files; 0.1 for a warm start and for"
            + " --implicit --loss bpr, softmax or warp)")
    public Float wd;

    /** {@code --bs}. */
    @Option(names = "--bs", description = "batch size (default: ${DEFAULT-VALUE})")
    public int batchSize = CollabLearnerBuilder.DEFAULT_BATCH_SIZE;

    /** {@code --factors}. */
    @Option(names = "--factors", description = "factors per user and item (default: ${DEFAULT-VALUE})")
    public int factors = 50;

    /** {@code --y-range}, or {@code null} for the training ratings' ({@link CollabLearnerBuilder#defaultYRange}). */
    @Option(names = "--y-range", split = ",", description = "LOW,HIGH: the range predictions are squashed into"
            + " (default: from the training ratings' scale: 0,5.5 for stars within 0.5-5, else half a step beyond"
            + " each end, e.g. 0,11 for 1-10)")
    public float[] yRange;

    /** {@code --no-bias-decay}: the default now; kept so that command lines that give it still parse. */
    @Option(names = "--no-bias-decay", description = "leave the user and item bias tables out of weight decay (the"
            + " default, except for a warm start)")
    public boolean noBiasDecay;

    /** {@code --bias-decay}. */
    @Option(names = "--bias-decay", description = "decay the user and item bias tables too (fast.ai's choice; the"
            + " default for a warm start only)")
    public boolean biasDecay;

    /** {@code --dropout}. */
    @Option(names = "--dropout", split = ",", paramLabel = "EMB,HIDDEN", description = "net: dropout of the"
            + " embeddings and after each hidden layer, each in [0, 1) (default: 0.05,0.5)")
    public float[] dropout = {0.05f, 0.5f};

    /** {@code --seed}. */
    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    public long seed = 42;

    /** Reads {@code --block}'s values through {@link BlockKind#parse}. */
    static final class BlockKindConverter implements ITypeConverter<BlockKind> {
        @Override
        public BlockKind convert(String value) {
            try {
                return BlockKind.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected one of " + Arrays.stream(BlockKind.values())
                        .filter(BlockKind::hasBlock).map(BlockKind::cliName).toList() + " but was '" + value + "'");
            }
        }
    }

    /**
     * Checks the options before any data is read, naming the option and a sensible value.
     *
     * @throws IllegalArgumentException for the first option out of range
     */
    public void validate() {
        require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        require(lr > 0 && Float.isFinite(lr), "--lr must be a number > 0, got " + lr
                + " (1e-3 to 1e-2 suits most data; lr-find suggests one)");
        require(wd == null || wd >= 0 && Float.isFinite(wd), "--wd must be a number >= 0, got " + wd
                + " (fast.ai uses 0.1)");
        require(!(noBiasDecay && biasDecay), "--bias-decay and --no-bias-decay contradict each other: give one");
        require(batchSize >= 1, "--bs must be at least 1, got " + batchSize + " (64 to 8192 are typical)");
        require(factors >= 1, "--factors must be at least 1, got " + factors + " (50 is the default; 10 to 200"
                + " are typical)");
        require(cycles >= 1 && cycleLength >= 1 && cycleMult >= 1, "--cycles, --cycle-len and --cycle-mult must"
                + " each be at least 1, got " + cycles + ", " + cycleLength + " and " + cycleMult);
        require(yRange == null || yRange.length == 2 && Float.isFinite(yRange[0]) && Float.isFinite(yRange[1])
                && yRange[0] < yRange[1], "--y-range takes two numbers LOW,HIGH with LOW < HIGH, e.g. 0,5.5 for"
                + " 0.5-5 stars, got " + Arrays.toString(yRange));
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

    /**
     * Returns the name the user gave the block option, for messages: {@code --model} when the command line used
     * the older name, else {@code --block}.
     *
     * @param parsed the command's parse result
     * @return {@code "--block"} or {@code "--model"}
     */
    public static String blockOptionName(ParseResult parsed) {
        List<String> args = parsed == null ? List.of() : parsed.originalArgs();
        for (int i = args.size() - 1; i >= 0; i--) {
            String arg = args.get(i);
            if (arg.equals("--model") || arg.startsWith("--model=")) {
                return "--model";
            }
            if (arg.equals("--block") || arg.startsWith("--block=")) {
                return "--block";
            }
        }
        return "--block";
    }

    /**
     * Returns the block's builder: {@code --block} with {@code --factors}, {@code --y-range} (or the training
     * ratings' range) and, for a net, {@code --dropout}.
     *
     * @param train the training ratings, whose scale gives the y-range when {@code --y-range} is absent
     * @return the builder, numbers of users and items not set
     */
    public CollabBlock.BaseBuilder<?> block(Ratings train) {
        CollabBlock.BaseBuilder<?> builder = block.newBuilder().optFactors(factors).optYRange(rangeFor(train));
        if (builder instanceof EmbeddingNet.Builder net) {
            net.optEmbeddingDropout(dropout[0]).optHiddenDropout(dropout[1]);
        }
        return builder;
    }

    /**
     * Returns {@code --y-range} as given.
     *
     * @return the range, or {@code null} when {@code --y-range} is absent (the training ratings give it:
     *     {@link #rangeFor})
     * @throws IllegalArgumentException unless it holds two numbers
     */
    public YRange range() {
        if (yRange == null) {
            return null;
        }
        if (yRange.length != 2) {
            throw new IllegalArgumentException("--y-range takes two numbers, LOW,HIGH");
        }
        return new YRange(yRange[0], yRange[1]);
    }

    /**
     * Returns {@code --y-range}, or when it is absent the range of the training ratings' scale
     * ({@link CollabLearnerBuilder#defaultYRange}).
     *
     * @param train the training ratings
     * @return the range
     */
    public YRange rangeFor(Ratings train) {
        YRange given = range();
        return given != null ? given : CollabLearnerBuilder.defaultYRange(train);
    }

    /**
     * Returns {@code --optimizer} with {@code --wd}, 0.1 when it is absent (a ranking model's optimizer, a warm
     * start).
     *
     * @return a new optimizer
     */
    public CollabOptimizer optimizer() {
        return optimizer(wd != null ? wd : CollabLearnerBuilder.MIN_DEFAULT_WEIGHT_DECAY);
    }

    /**
     * Returns {@code --optimizer} with {@code --wd}, or when it is absent the weight decay of the training data's
     * size ({@link CollabLearnerBuilder#defaultWeightDecay}).
     *
     * @param ratings the number of training ratings
     * @return a new optimizer
     */
    public CollabOptimizer optimizer(long ratings) {
        return optimizer(wd != null ? wd : CollabLearnerBuilder.defaultWeightDecay(ratings));
    }

    /**
     * Returns whether the bias tables are decayed: {@code --bias-decay}, or a warm start without
     * {@code --no-bias-decay} (its short fit was chosen with fast.ai's decay).
     *
     * @param warmStart whether the fit continues a saved model
     * @return whether to decay them
     */
    public boolean decayBiases(boolean warmStart) {
        return biasDecay || warmStart && !noBiasDecay;
    }

    private CollabOptimizer optimizer(float wd) {
        return switch (optimizer) {
            case adamw -> Adam.builder().optWeightDecay(wd).build();
            case adam -> Adam.builder().optWeightDecay(wd).optDecoupledWeightDecay(false).build();
            case sgd -> Sgd.builder().optWeightDecay(wd).optDecoupledWeightDecay(false).build();
            case rmsprop -> RmsProp.builder().optWeightDecay(wd).build();
        };
    }

    /**
     * Trains the learner with {@code --schedule}: {@code --epochs} of one-cycle or a constant rate, or
     * {@code --cycles} of SGDR, at {@code --lr}.
     *
     * @param learner the learner
     * @return the epoch table
     */
    public List<EpochResult> fit(CollabLearner learner) {
        return switch (schedule) {
            case onecycle -> learner.fitOneCycle(epochs, lr);
            case sgdr -> learner.fitSgdr(cycles, cycleLength, cycleMult, lr);
            case constant -> learner.fit(epochs, lr);
        };
    }

    /**
     * Refuses, before training, a rating so large that training must diverge whatever --lr (its squared error
     * overflows 32-bit floats): that is a data error, and the learning-rate advice of a divergence would not help.
     *
     * @param train the training ratings
     * @param source where they came from (a file, a table), for the message
     * @throws IllegalArgumentException naming the rating, its user and item
     */
    public void checkRatings(Ratings train, String source) {
        int row = CollabLearner.overflowingRating(train, rangeFor(train), batchSize);
        if (row >= 0) {
            throw new IllegalArgumentException("a rating of " + train.rating(row) + " (user "
                    + Shown.quoted(train.users().id(train.user(row))) + ", item "
                    + Shown.quoted(train.items().id(train.item(row))) + "), " + source + "; it is so large that"
                    + " training cannot work at any --lr: fix the line (--strict-range with --y-range reports the"
                    + " line of every rating outside the range)");
        }
    }

    /**
     * Returns the learner of a rating model.
     *
     * @param split the training and validation ratings
     * @return the learner
     * @throws IllegalArgumentException for an option out of range, or tables too large for this machine
     */
    public CollabLearner learner(Split split) {
        return learner(split, null);
    }

    /**
     * Returns the learner of a rating model; with {@code init}, a warm start from that model (whose block replaces
     * {@code --block}'s).
     *
     * @param split the training and validation ratings
     * @param init the model to continue, or {@code null}
     * @return the learner
     * @throws IllegalArgumentException for an option out of range, or tables too large for this machine (naming
     *     {@code --factors})
     */
    public CollabLearner learner(Split split, TrainedModel init) {
        return learner(split.train(), split.valid(), init);
    }

    /**
     * Returns the learner of a rating model on {@code train}, with validation data or without (the refit on every
     * row that {@code train --save} serves when there is no separate validation file).
     *
     * @param train the training ratings
     * @param valid the validation ratings, in the same id maps, or {@code null} for none
     * @param init the model to continue, or {@code null}
     * @return the learner
     * @throws IllegalArgumentException as {@link #learner(Split, TrainedModel)}
     */
    public CollabLearner learner(Ratings train, Ratings valid, TrainedModel init) {
        return learner(train, valid, init, seed);
    }

    /**
     * {@link #learner(Ratings, Ratings, TrainedModel)} with another seed than {@code --seed}: one of the models
     * {@code train --average} trains alike ({@code org.collab4j.train.SeedAverage}).
     *
     * @param train the training ratings
     * @param valid the validation ratings, in the same id maps, or {@code null} for none
     * @param init the model to continue, or {@code null}
     * @param seed the learner's seed
     * @return the learner
     * @throws IllegalArgumentException as {@link #learner(Split, TrainedModel)}
     */
    public CollabLearner learner(Ratings train, Ratings valid, TrainedModel init, long seed) {
        validate();
        try {
            return configure(CollabLearner.builder()
                    .setTrainData(train)
                    .optValidData(valid)
                    .optModel(init == null ? block(train) : null)
                    .optInitModel(init)
                    .optOptimizer(init == null ? optimizer(train.size()) : optimizer())
                    .optBatchSize(batchSize)
                    .optDecayBiases(decayBiases(init != null))
                    .optSeed(seed))
                    .build();
        } catch (ModelTooLargeException e) {
            MemoryEstimate m = e.estimate();
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--factors %d is too large for this"
                    + " machine, %d users and %d items: %s; lower --factors (50 is the default), or give Java more"
                    + " heap (java -Xmx...G -jar ...) on a machine with more memory", factors, train.users()
                    .size(), train.items().size(), m != null ? m.shortfall() : e.getMessage()), e);
        }
    }

    /**
     * What a command adds to every learner these options build, just before it is built (e.g. {@code train}'s side
     * features); nothing here.
     *
     * @param builder the learner's builder, every option applied
     * @return the builder to build
     */
    protected CollabLearnerBuilder configure(CollabLearnerBuilder builder) {
        return builder;
    }

    /**
     * Returns the values, one {@code --option=value} per option, for logs and for tests that compare how two
     * command lines parsed the same arguments.
     *
     * @return e.g. {@code --block=dotbias --epochs=5 ...}
     */
    @Override
    public String toString() {
        return "--block=" + block.cliName() + " --epochs=" + epochs + " --optimizer=" + optimizer + " --schedule="
                + schedule + " --cycles=" + cycles + " --cycle-len=" + cycleLength + " --cycle-mult=" + cycleMult
                + " --lr=" + lr + " --wd=" + (wd == null ? "auto" : wd) + " --bs=" + batchSize + " --factors="
                + factors + " --y-range=" + (yRange == null ? "auto" : join(yRange)) + " --no-bias-decay="
                + noBiasDecay + " --bias-decay=" + biasDecay + " --dropout=" + join(dropout) + " --seed="
                + seed;
    }

    static String join(float[] values) {
        StringBuilder s = new StringBuilder();
        for (float v : values) {
            s.append(s.length() == 0 ? "" : ",").append(v);
        }
        return s.toString();
    }
}
