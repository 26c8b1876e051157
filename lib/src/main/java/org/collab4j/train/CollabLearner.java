package org.collab4j.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.tracker.Tracker;

import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.engine.DeviceChoice;
import org.collab4j.engine.Engines;
import org.collab4j.io.Provenance;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.ParameterNames;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.ParameterGroup;
import org.collab4j.model.YRange;
import org.collab4j.recommend.Evaluation;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.schedule.OneCycleTracker;
import org.collab4j.train.schedule.SgdrTracker;
import org.collab4j.util.Shown;

import org.collab4j.util.NDArrays;
import org.collab4j.train.als.AlsEngine;
import org.collab4j.train.objective.Ials;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.RatingObjective;
import org.collab4j.train.step.DenseStep;
import org.collab4j.train.step.DeviceEngine;
import org.collab4j.train.step.HostEngine;
import org.collab4j.train.step.StepKind;
import org.collab4j.train.step.StepPlan;
import org.collab4j.train.step.StepPlanner;
import org.collab4j.train.step.TouchedRowStep;
import org.collab4j.train.step.TrainingStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;

/**
 * fast.ai's {@code Learner} for collaborative filtering on DJL: a model, its training data on the device, an
 * optimizer and the loop that trains them.
 *
 * <pre>{@code
 * Split split = Splits.random(Ratings.read(path, RatingsFormat.MOVIELENS_CSV), 0.2, 42);
 * try (CollabLearner learner = CollabLearner.builder().setData(split).build()) {
 *     learner.fitOneCycle(5, 5e-3f);
 *     System.out.println(learner.evaluate(split.valid()));
 *     float stars = learner.predict("1", "31");
 * }
 * }</pre>
 *
 * <p>The learner trains on the first GPU when DJL sees one and on the CPU otherwise ({@link Engines#chooseDevice()}
 * says which and why, and logs it). The training ratings are copied to that device once; every epoch shuffles
 * them there and gathers each batch there. Everything a batch creates lives in a scope closed at the end of the
 * batch, so native memory stays flat over long runs.
 *
 * <p>The loss is the mean squared error. Each step applies the optimizer to every parameter directly rather than
 * through DJL's {@code Trainer}, whose parameter server copies every gradient before the update.
 *
 * <p>On large tables a step touches only the embedding rows its batch uses ({@link Builder#optSparseUpdates}): the
 * distinct users and items of the batch are found on the host, their rows are gathered into small arrays, the
 * block's ordinary forward runs on those rows, and the optimizer updates the rows and the same rows of its state
 * before they are written back. A step then costs in proportion to the batch, not to the tables.
 *
 * <p>On the CPU, {@link EmbeddingDotBias} and {@link org.collab4j.model.EmbeddingDot} train with a step written in
 * plain Java over copies of their tables ({@link Builder#optHostStep}, on by default there): the same forward,
 * loss, gradients and optimizer arithmetic ({@link CollabOptimizer#updateHost}) without the hundred-odd native
 * calls of a DJL step. The copies are loaded from the block's parameters at the start of every fit and written
 * back at the end of every epoch, before evaluation and listeners, so the parameters remain the weights everything else reads.
 *
 * <p>Which of these steps trains a batch — or the device step, which keeps everything on the training device and
 * is the GPU default — is decided once, when the learner is built ({@link Builder#optTrainingStep}, the rule
 * there), logged, and returned by {@link #getStepPlan()}. Every {@code fit*} method and the LR finder run the same
 * epoch loop over that step.
 *
 * <p>A learner is not thread-safe: train and predict from one thread, or guard it.
 */
public final class CollabLearner implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(CollabLearner.class);
    private static final int EVAL_CHUNK = 65_536;
    private static final double SMOOTHING = 0.98;

    private final Ratings train;
    private final Ratings valid;
    private final DeviceChoice device;
    private final Model model;
    private final CollabBlock block;
    private final CollabOptimizer optimizer;
    private final ParameterStore parameterStore;
    private final NDManager dataManager;
    private final List<Parameter> parameters = new ArrayList<>();
    private final StepPlan plan;
    private final TrainingStep step;
    private final int lossEvery;
    private final int batchSize;
    private final long seed;
    private final PrintStream out;
    private final boolean progressBar;
    private final List<EpochResult> history = new ArrayList<>();
    private final List<FitRecord> fits = new ArrayList<>();
    private final List<FitListener> listeners;
    private final boolean divergenceGuard;
    private final Objective objective;
    private final RankingProbe rankingProbe;
    private int epochsTrained;
    private final TrainedModel initModel;

    private CollabLearner(Builder builder) {
        TrainedModel init = builder.initModel;
        initModel = init;
        if (init == null) {
            train = builder.train;
            valid = builder.valid;
        } else {
            // The model's ids keep their rows; new ids get the rows after them.
            IdMap users = init.users().extendedWith(builder.train.users());
            IdMap items = init.items().extendedWith(builder.train.items());
            train = builder.train.reindex(users, items);
            valid = builder.valid == null ? null : builder.valid.reindex(users, items);
        }
        batchSize = builder.batchSize;
        seed = builder.seed;
        out = builder.out;
        progressBar = builder.progressBar != null ? builder.progressBar : System.console() != null;
        optimizer = builder.optimizer != null ? builder.optimizer : Adam.builder().optWeightDecay(0.1f).build();
        listeners = List.copyOf(builder.listeners);
        divergenceGuard = builder.divergenceGuard;

        Engine engine = Engines.pytorch();
        device = builder.device != null
                ? new DeviceChoice(builder.device, "chosen by the caller")
                : Engines.chooseDevice();
        engine.setRandomSeed((int) seed);

        objective = builder.objective;
        // A warm start keeps the initial model's architecture; otherwise the builder's block, or the objective's.
        CollabBlock.BaseBuilder<?> blockBuilder = init != null ? init.getConfig().toBuilder()
                : builder.model != null ? builder.model
                : objective.isRanking() ? defaultRankingBlock(objective) : EmbeddingDotBias.builder();
        block = blockBuilder.setNumUsers(train.users().size()).setNumItems(train.items().size()).build();
        if (objective.isRanking()) {
            RankingData.checkFits(objective, block, train);
        } else {
            warnOutsideRange(block.getYRange(), train);
        }
        if (valid != null && valid.size() > 0 && new Split(train, valid).knownValidCount() == 0) {
            logger.warn("None of the {} validation ratings has a user and an item with training ratings: validation"
                    + " scores untrained embeddings only. Check that both come from the same dataset.", valid.size());
        }
        int row = objective.isRanking() ? -1 : overflowingRating(train, block.getYRange(), batchSize);
        if (row >= 0) {
            throw new IllegalArgumentException("the training rating " + train.rating(row) + " (user "
                    + Shown.quoted(train.users().id(train.user(row))) + ", item "
                    + Shown.quoted(train.items().id(train.item(row))) + ") is so large that its squared error"
                    + " overflows 32-bit floats: training would fail at once whatever the learning rate. It is a"
                    + " data error: fix the data, or read the file with a rating range"
                    + " (RatingsFormat.Builder.optRatingRange) to find its line");
        }
        long rows = (long) train.users().size() + train.items().size();
        plan = StepPlanner.plan(new StepPlanner.Request(builder.trainingStep, builder.sparseUpdates,
                builder.hostStep, device.device(), block, optimizer, batchSize, train.size(), rows, objective));
        // Planned before the model exists: the estimate depends on whether the step keeps host copies.
        MemoryEstimate.of(block, optimizer, plan.kind() == StepKind.HOST, divergenceGuard).check("use fewer factors"
                + " (optFactors) or a smaller model, or run with more memory (java -Xmx for the heap)");

        model = Model.newInstance("collab4j", device.device(), Engines.ENGINE_NAME);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1), new Shape(1));
        if (init != null) {
            copyWeights(init, block, builder.foldInNewRows ? WarmStartRows.foldIn(init, train, objective) : null);
        }
        block.getParameters().forEach(pair -> {
            Parameter p = pair.getValue();
            parameters.add(p);
            // fast.ai never decays the biases of linear layers; bias tables only when asked not to.
            if (p.getType() == Parameter.Type.BIAS
                    || !builder.decayBiases && ParameterGroup.isBias(pair.getKey(), p)) {
                optimizer.excludeFromWeightDecay(p.getId());
            }
            Float multiplier = builder.groupLearningRates.get(ParameterGroup.of(pair.getKey()));
            if (multiplier != null) {
                optimizer.setLearningRateMultiplier(p.getId(), multiplier);
            }
        });
        parameterStore = new ParameterStore(model.getNDManager(), false);
        logger.info("Collab4J training step: {}", plan);
        lossEvery = builder.lossEvery;
        dataManager = model.getNDManager().newSubManager();
        step = newStep(plan, builder.hostThreads);
        rankingProbe = objective.isRanking() && valid != null
                ? new RankingProbe(block, train, valid, builder.rankingK, builder.rankingUsers, seed) : null;
    }

    /**
     * Returns the step the plan made (tests).
     *
     * @return the step
     */
    TrainingStep trainingStep() {
        return step;
    }

    /** Makes the step the plan names. */
    private TrainingStep newStep(StepPlan plan, int hostThreads) {
        switch (plan.kind()) {
            case ALS:
                return new AlsEngine(block, (Ials) objective, train, hostThreads);
            case RANKING:
            case HOST:
                return new HostEngine(block, optimizer, objective, plan.touchedRows(), train, batchSize, hostThreads,
                        seed);
            case DEVICE_RANKING:
            case DEVICE:
                return new DeviceEngine(model, block, optimizer, parameters, objective, plan.touchedRows(), train,
                        batchSize, dataManager);
            case TOUCHED:
                return new TouchedRowStep(model, block, optimizer, parameters, (RatingObjective) objective, train,
                        batchSize, dataManager);
            default:
                return new DenseStep(model, block, optimizer, parameters, (RatingObjective) objective, train,
                        batchSize, dataManager);
        }
    }

    /**
     * Puts a saved model's weights into a freshly initialised block of the same configuration with at least as
     * many rows: the first rows of every user and item table become the model's, the rows after them (new users
     * and items) take their folded-in rows where {@code newRows} has one and keep their usual random init
     * otherwise, and every other parameter (EmbeddingNet's layers) is copied whole.
     */
    private static void copyWeights(TrainedModel init, CollabBlock block, WarmStartRows newRows) {
        for (ai.djl.util.Pair<String, Parameter> pair : block.getParameters()) {
            Parameter p = pair.getValue();
            float[] saved = init.parameter(pair.getKey());
            NDArray array = p.getArray();
            boolean table = block.getUserTables().contains(p) || block.getItemTables().contains(p);
            Shape shape = init.parameterShape(pair.getKey());
            if (!table && !shape.equals(array.getShape())) {
                throw new IllegalStateException("parameter " + pair.getKey() + " has shape " + array.getShape()
                        + " but the initial model's is " + shape);
            }
            float[] values = table ? NDArrays.toFloatArray(array) : saved;
            System.arraycopy(saved, 0, values, 0, saved.length);
            if (table && newRows != null) {
                boolean users = block.getUserTables().contains(p);
                placeNewRows(pair.getKey(), values, users ? init.users().size() : init.items().size(),
                        users ? newRows.users : newRows.items, (int) array.getShape().get(1),
                        (int) init.parameterShape(users ? ParameterNames.USER_FACTORS : ParameterNames.ITEM_FACTORS)
                                .get(1));
            }
            array.set(values);
        }
    }

    /**
     * Writes folded-in rows (factors, then the bias) into a table after its first {@code oldRows} rows: the factor
     * table takes the first {@code factors} values of each, a bias table the one after them.
     */
    private static void placeNewRows(String name, float[] values, int oldRows, float[][] rows, int columns,
            int factors) {
        boolean bias = name.equals(ParameterNames.USER_BIAS) || name.equals(ParameterNames.ITEM_BIAS);
        for (int n = 0; n < rows.length; n++) {
            float[] row = rows[n];
            if (row != null) {
                System.arraycopy(row, bias ? factors : 0, values, (oldRows + n) * columns, columns);
            }
        }
    }

    /**
     * Returns the model this learner started from ({@link Builder#optInitModel}).
     *
     * @return the initial model, or {@code null} when training started from random weights
     */
    public TrainedModel getInitModel() {
        return initModel;
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains for some epochs at a constant learning rate (fast.ai's {@code fit}); momentum stays as the
     * optimizer has it. Call it again with another rate to change the rate between fits.
     *
     * @param epochs the number of epochs, at least 1
     * @param learningRate the learning rate, positive
     * @return the rows of the epoch table for this fit
     */
    public List<EpochResult> fit(int epochs, float learningRate) {
        requireGradientObjective("fit");
        checkFit(epochs, learningRate);
        fits.add(new FitRecord("constant", epochs, learningRate));
        return run(epochs, Tracker.fixed(learningRate), null);
    }

    /**
     * Trains with fast.ai's one-cycle policy: the learning rate climbs from {@code maxLr/25} to {@code maxLr}
     * along a cosine over the first 25 % of the steps and anneals to {@code maxLr/1e5}; momentum (β1) moves
     * 0.95 → 0.85 → 0.95 the opposite way.
     *
     * @param epochs the number of epochs, at least 1
     * @param maxLr the peak learning rate, positive
     * @return the rows of the epoch table for this fit
     */
    public List<EpochResult> fitOneCycle(int epochs, float maxLr) {
        requireGradientObjective("fitOneCycle");
        checkFit(epochs, maxLr);
        int steps = epochs * batchesPerEpoch();
        fits.add(new FitRecord("one-cycle", epochs, maxLr));
        return run(epochs, OneCycleTracker.learningRate(maxLr, steps), OneCycleTracker.momentum(steps));
    }

    /**
     * Trains with SGDR, cosine annealing with warm restarts (fast.ai's {@code cycle_len}, {@code cycle_mult}):
     * {@code cycles} cycles, the first {@code cycleLength} epochs long and each {@code cycleMult} times longer than
     * the one before; within a cycle the learning rate falls from {@code maxLr} to 0 along a cosine. Momentum
     * stays as the optimizer has it.
     *
     * @param cycles the number of cycles, at least 1
     * @param cycleLength the length of the first cycle in epochs, at least 1
     * @param cycleMult the growth of each cycle, at least 1
     * @param maxLr the learning rate at the start of each cycle, positive
     * @return the rows of the epoch table for this fit
     */
    public List<EpochResult> fitSgdr(int cycles, int cycleLength, int cycleMult, float maxLr) {
        requireGradientObjective("fitSgdr");
        if (cycles < 1 || cycleLength < 1 || cycleMult < 1) {
            throw new IllegalArgumentException("cycles, cycleLength and cycleMult must each be at least 1, got "
                    + cycles + ", " + cycleLength + ", " + cycleMult);
        }
        long epochs = SgdrTracker.totalSteps(cycles, cycleLength, cycleMult);
        if (epochs > 100_000) {
            throw new IllegalArgumentException("SGDR with these settings runs " + epochs + " epochs");
        }
        checkFit((int) epochs, maxLr);
        SgdrTracker lr = SgdrTracker.builder().setMaxValue(maxLr)
                .setCycleSteps(cycleLength * batchesPerEpoch()).optCycleMult(cycleMult).build();
        fits.add(new FitRecord("sgdr(cycles=" + cycles + ", len=" + cycleLength + ", mult=" + cycleMult + ")",
                (int) epochs, maxLr));
        return run((int) epochs, lr, null);
    }

    /**
     * Trains with any schedule: the learning rate and (optionally) the momentum are read from trackers at every
     * step, counted from 0 at the start of this fit.
     *
     * @param epochs the number of epochs, at least 1
     * @param learningRate the learning-rate schedule
     * @param momentum the momentum (β1) schedule, or {@code null} to leave momentum as the optimizer has it
     * @return the rows of the epoch table for this fit
     */
    public List<EpochResult> fit(int epochs, Tracker learningRate, Tracker momentum) {
        requireGradientObjective("fit");
        checkEpochs(epochs);
        fits.add(new FitRecord(learningRate.toString(), epochs, learningRate.getNewValue(0)));
        return run(epochs, learningRate, momentum);
    }

    /**
     * Trains an {@link Objective#ials() iALS} model: each epoch is one sweep that solves every user's factors with
     * the items fixed, then every item's with the users fixed. There is no learning rate; the epoch table shows the
     * objective (divided by the number of interactions) as the train loss, and, with validation data, NDCG@k and
     * recall@k. Ten sweeps suit MovieLens-sized data.
     *
     * @param sweeps the number of sweeps, at least 1
     * @return the rows of the epoch table for this fit
     * @throws IllegalStateException if the learner's objective is not iALS
     */
    public List<EpochResult> fitAls(int sweeps) {
        if (!(objective instanceof Ials)) {
            throw new IllegalStateException("fitAls trains the iALS objective, and this learner's objective is "
                    + objective.name() + ": use fitOneCycle (or build the learner with optObjective(Objective.ials()))");
        }
        checkEpochs(sweeps);
        fits.add(new FitRecord("ials", sweeps, 0f));
        return run(sweeps, Tracker.fixed(0f), null);
    }

    private void requireGradientObjective(String method) {
        if (objective instanceof Ials) {
            throw new IllegalStateException(method + " trains with a learning rate, and iALS has none: call"
                    + " fitAls(sweeps) for this learner's objective");
        }
    }

    private static CollabBlock.BaseBuilder<?> defaultRankingBlock(Objective objective) {
        return objective instanceof Ials
                ? org.collab4j.model.EmbeddingDot.builder().optFactors(Builder.DEFAULT_RANKING_FACTORS).optYRange(null)
                : EmbeddingDotBias.builder().optFactors(Builder.DEFAULT_RANKING_FACTORS).optYRange(null);
    }

    private static void checkEpochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
    }

    private static void checkFit(int epochs, float lr) {
        checkEpochs(epochs);
        if (!(lr > 0f) || Float.isInfinite(lr)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + lr
                    + " (typical values are 1e-3 to 1e-2)");
        }
    }

    private int batchesPerEpoch() {
        return step.batches();
    }

    /**
     * PyTorch's grad mode is per thread and on by default; DJL turns it off only on the thread that started the
     * engine, and its gradient collector puts back the mode it found. On any other thread the optimizer's in-place
     * updates of the weights would then fail ("a view of a leaf Variable that requires grad is being used in an
     * in-place operation"), so each fit turns it off on its own thread first.
     */
    private static void gradModeOffOnThisThread() {
        JniUtils.setGradMode(false);
    }

    private List<EpochResult> run(int epochs, Tracker lr, Tracker momentum) {
        gradModeOffOnThisThread();
        List<EpochResult> rows = new ArrayList<>();
        listeners.forEach(l -> l.onFitStart(this, epochs));
        if (out != null) {
            out.println(EpochTable.header(valid != null, rankingProbe != null ? rankingProbe.k() : 0));
        }
        ProgressLine bar = progressBar && out != null ? new ProgressLine(out) : null;
        int batches = batchesPerEpoch();
        // The loss is read every lossEvery batches; a progress bar asks for about a hundred updates an epoch.
        int cadence = lossEvery > 0 ? lossEvery : bar != null ? Math.max(1, batches / 100) : batches;
        runLoop(epochs, Long.MAX_VALUE, lr, momentum, divergenceGuard, cadence, new LoopListener() {
            private double avg;
            private double smoothed;

            @Override
            public void onEpochStart(int epoch) {
                smoothed = Double.NaN;
                if (bar != null) {
                    bar.reset("epoch " + epoch + "/" + epochs, batches, null);
                }
            }

            @Override
            public boolean onLoss(long step, int batch, float loss) {
                avg = SMOOTHING * avg + (1 - SMOOTHING) * loss;
                smoothed = avg / (1 - Math.pow(SMOOTHING, step + 1));
                if (bar != null) {
                    bar.update(batch + 1, String.format(Locale.ROOT, "loss %.4f", smoothed));
                }
                return false;
            }

            @Override
            public void onDiverged() {
                if (bar != null) {
                    bar.end();
                }
            }

            @Override
            public boolean onEpochEnd(int epoch, double seconds) {
                if (bar != null) {
                    bar.end();
                }
                Evaluation eval = valid != null && !objective.isRanking() ? evaluate(valid) : null;
                double[] ranking = rankingProbe != null ? rankingProbe.measure() : null;
                EpochResult row = new EpochResult(epoch, smoothed,
                        eval != null ? eval.mse() : Double.NaN,
                        eval != null ? eval.rmse() : Double.NaN,
                        seconds,
                        ranking != null ? ranking[0] : Double.NaN,
                        ranking != null ? ranking[1] : Double.NaN);
                rows.add(row);
                history.add(row);
                epochsTrained++;
                if (out != null) {
                    out.println(EpochTable.row(row, valid != null, rankingProbe != null ? rankingProbe.k() : 0));
                }
                boolean stop = false;
                for (FitListener listener : listeners) {
                    stop |= listener.onEpochEnd(CollabLearner.this, row);
                }
                return stop;
            }
        });
        listeners.forEach(l -> l.onFitEnd(this));
        return rows;
    }

    /** What the epoch loop reports to the fit or the LR finder that runs it. */
    private interface LoopListener {
        void onEpochStart(int epoch);

        /** A batch's loss, in order; {@code step} counts from 0 over the whole run. Returns whether to stop. */
        boolean onLoss(long step, int batch, float loss);

        void onDiverged();

        /** After the step wrote its weights back. Returns whether to stop. */
        boolean onEpochEnd(int epoch, double seconds);
    }

    /**
     * The one epoch loop, shared by every fit and the LR finder: per epoch a permutation of the step's examples
     * made on the device (one RNG, so every step sees the same batches), the schedule of its batches, then
     * {@link TrainingStep#trainBatch} per batch with the optimizer's learning rate (and momentum) set from the
     * trackers; every {@code lossEvery} batches and at the end of the epoch the step's losses are taken and, with
     * {@code guard}, checked: a non-finite loss puts back the weights copied on the device at the start of the
     * epoch and throws {@link TrainingDivergedException}.
     */
    private void runLoop(int maxEpochs, long maxSteps, Tracker lr, Tracker momentum, boolean guard, int lossEvery,
            LoopListener listener) {
        int batches = step.batches();
        long taken = 0;
        long lossesSeen = 0;
        boolean stop = false;
        step.beginFit();
        try {
            for (int epoch = 1; epoch <= maxEpochs && !stop && taken < maxSteps; epoch++) {
                long start = System.nanoTime();
                listener.onEpochStart(epoch);
                try (NDScope epochScope = new NDScope(); NDManager epochManager = dataManager.newSubManager()) {
                    epochScope.suppressNotUsedWarning();
                    DeviceWeights lastGood = guard ? new DeviceWeights(parameters) : null;
                    float[] lrs = new float[batches];
                    float[] moms = new float[batches];
                    for (int b = 0; b < batches; b++) {
                        lrs[b] = lr.getNewValue((int) (taken + b));
                        moms[b] = momentum != null ? momentum.getNewValue((int) (taken + b)) : optimizer.getMomentum();
                    }
                    NDArray order = epochManager.randomPermutation(step.examples());
                    step.beginEpoch(new TrainingStep.Epoch(epochManager, order, lrs, moms));
                    int firstUnread = 0;
                    for (int b = 0; b < batches && !stop && taken < maxSteps; b++, taken++) {
                        optimizer.setLearningRate(lrs[b]);
                        if (momentum != null) {
                            optimizer.setMomentum(moms[b]);
                        }
                        step.trainBatch(b);
                        if ((b + 1 - firstUnread) >= lossEvery || b == batches - 1 || taken + 1 == maxSteps) {
                            float[] losses = step.takeLosses();
                            for (int k = 0; k < losses.length && !stop; k++) {
                                int batch = firstUnread + k;
                                if (guard && !Float.isFinite(losses[k])) {
                                    listener.onDiverged();
                                    // Leave the parameters as a DJL step would: diverged, until restored.
                                    step.writeBack();
                                    throw diverged(losses[k], epoch, batch + 1, lrs[batch], lastGood);
                                }
                                stop = listener.onLoss(lossesSeen++, batch, losses[k]);
                            }
                            firstUnread = b + 1;
                        }
                    }
                }
                step.writeBack();
                if (!stop) {
                    stop = listener.onEpochEnd(epoch, (System.nanoTime() - start) / 1e9);
                }
            }
        } finally {
            step.writeBack();
        }
    }

    private TrainingDivergedException diverged(float loss, int epoch, int batch, float lr, DeviceWeights lastGood) {
        String kept;
        if (lastGood != null) {
            lastGood.restore();
            step.reload();
            optimizer.resetState();
            kept = "The weights from the start of epoch " + epoch + " have been put back and the optimizer state"
                    + " reset, so the model is usable.";
        } else {
            kept = "The divergence guard is off, so the weights are now unusable.";
        }
        return new TrainingDivergedException(String.format(Locale.ROOT,
                "Training diverged: the loss became %s at epoch %d, batch %d, with learning rate %.3g. %s Lower the"
                        + " learning rate (1e-3 to 1e-2 suits most data; the LR finder suggests one).",
                loss, epoch, batch, lr, kept));
    }

    /**
     * Runs training steps outside any fit, for the LR finder: step {@code k} uses learning rate
     * {@code lr.getNewValue(k)}; stops after {@code maxSteps} or when {@code stop} accepts a step's loss (read at
     * every step). Nothing is recorded in the history.
     *
     * @return the loss of every step taken
     */
    List<Float> trainSteps(Tracker lr, int maxSteps, DoublePredicate stop) {
        if (objective instanceof Ials) {
            throw new IllegalStateException("the LR finder sweeps a learning rate, and iALS has none: fitAls needs"
                    + " no learning rate");
        }
        gradModeOffOnThisThread();
        List<Float> losses = new ArrayList<>();
        runLoop(Integer.MAX_VALUE, maxSteps, lr, null, false, 1, new LoopListener() {
            @Override
            public void onEpochStart(int epoch) {}

            @Override
            public boolean onLoss(long step, int batch, float loss) {
                losses.add(loss);
                return stop.test(loss);
            }

            @Override
            public void onDiverged() {}

            @Override
            public boolean onEpochEnd(int epoch, double seconds) {
                return false;
            }
        });
        return losses;
    }

    /**
     * Copies the current weights to the Java heap.
     *
     * @return the copy
     */
    public WeightsSnapshot snapshotWeights() {
        return new WeightsSnapshot(parameters);
    }

    /**
     * Puts back weights copied by {@link #snapshotWeights()} from this learner.
     *
     * @param snapshot the copy
     */
    public void restoreWeights(WeightsSnapshot snapshot) {
        snapshot.restore();
        // A listener may restore in the middle of a fit: the step goes on from the restored weights.
        step.reload();
    }

    /**
     * Computes MSE, RMSE and MAE of the model's predictions on some ratings (without gradients).
     *
     * @param ratings ratings indexed by this learner's id maps (from the same {@link Split}, or
     *     {@link Ratings#reindex reindexed} to {@link #users()} and {@link #items()})
     * @return the errors
     * @throws IllegalArgumentException if the ratings use other id maps
     */
    public Evaluation evaluate(Ratings ratings) {
        requireSameIds(ratings, "ratings to evaluate");
        int[] u = ratings.userIndices();
        int[] i = ratings.itemIndices();
        float[] r = ratings.ratingValues();
        double sumSq = 0;
        double sumAbs = 0;
        for (int from = 0; from < u.length; from += EVAL_CHUNK) {
            int to = Math.min(u.length, from + EVAL_CHUNK);
            try (NDScope scope = new NDScope(); NDManager chunk = dataManager.newSubManager()) {
                scope.suppressNotUsedWarning();
                NDArray pred = forward(chunk, slice(u, from, to), slice(i, from, to));
                NDArray err = pred.sub(chunk.create(java.util.Arrays.copyOfRange(r, from, to)));
                sumSq += err.square().sum().getFloat();
                sumAbs += err.abs().sum().getFloat();
            }
        }
        long count = u.length;
        double mse = count == 0 ? Double.NaN : sumSq / count;
        return new Evaluation(mse, Math.sqrt(mse), count == 0 ? Double.NaN : sumAbs / count, count);
    }

    /**
     * A random sample of ratings beside the model's predictions, for a look at what it learned (fast.ai's
     * {@code learn.show_results()}): {@code count} distinct rows drawn uniformly from {@code ratings}, so from many
     * users and items, the same rows for the same seed.
     *
     * @param ratings ratings indexed by this learner's id maps, e.g. {@code split.valid()}
     * @param count how many rows, at most (all rows, in random order, if there are fewer)
     * @param seed the seed of the draw
     * @return the rows in the order drawn: user and item ids, the rating and the prediction
     * @throws IllegalArgumentException if the ratings use other id maps or {@code count} is negative
     */
    public List<PredictedRating> samplePredictions(Ratings ratings, int count, long seed) {
        requireSameIds(ratings, "ratings to sample");
        if (count < 0) {
            throw new IllegalArgumentException("count must be 0 or more, got " + count);
        }
        int[] rows = PredictedRating.sampleRows(ratings.size(), count, seed);
        int[] u = new int[rows.length];
        int[] i = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            u[k] = ratings.user(rows[k]);
            i[k] = ratings.item(rows[k]);
        }
        float[] predicted = predictIndices(u, i);
        List<PredictedRating> result = new ArrayList<>(rows.length);
        for (int k = 0; k < rows.length; k++) {
            result.add(new PredictedRating(ratings.users().id(u[k]), ratings.items().id(i[k]),
                    ratings.rating(rows[k]), predicted[k]));
        }
        return result;
    }

    /**
     * Predicts one rating by original ids.
     *
     * @param userId the user's id as in the ratings file
     * @param itemId the item's id as in the ratings file
     * @return the predicted rating
     * @throws IllegalArgumentException if the model has never seen the user or the item
     */
    public float predict(String userId, String itemId) {
        return predict(List.of(userId), List.of(itemId))[0];
    }

    /**
     * Predicts ratings for pairs of original ids: {@code result[k]} is the prediction for
     * {@code (userIds.get(k), itemIds.get(k))}.
     *
     * @param userIds the users' ids
     * @param itemIds the items' ids, as many as users
     * @return the predicted ratings
     * @throws IllegalArgumentException if the lists differ in length or an id is unknown
     */
    public float[] predict(List<String> userIds, List<String> itemIds) {
        if (userIds.size() != itemIds.size()) {
            throw new IllegalArgumentException("predict needs as many user ids as item ids, got "
                    + userIds.size() + " and " + itemIds.size());
        }
        int[] u = indices(train.users(), userIds, "user");
        int[] i = indices(train.items(), itemIds, "item");
        return predictIndices(u, i);
    }

    /**
     * Predicts ratings for pairs of indices into {@link #users()} and {@link #items()}.
     *
     * @param userIndices user indices
     * @param itemIndices item indices, as many as users
     * @return the predicted ratings
     */
    public float[] predictIndices(int[] userIndices, int[] itemIndices) {
        float[] result = new float[userIndices.length];
        for (int from = 0; from < userIndices.length; from += EVAL_CHUNK) {
            int to = Math.min(userIndices.length, from + EVAL_CHUNK);
            try (NDScope scope = new NDScope(); NDManager chunk = dataManager.newSubManager()) {
                scope.suppressNotUsedWarning();
                float[] part = forward(chunk, slice(userIndices, from, to), slice(itemIndices, from, to))
                        .toFloatArray();
                System.arraycopy(part, 0, result, from, part.length);
            }
        }
        return result;
    }

    private NDArray forward(NDManager manager, long[] users, long[] items) {
        return block.forward(parameterStore, new NDList(manager.create(users), manager.create(items)), false)
                .head();
    }

    private static int[] indices(IdMap map, List<String> ids, String kind) {
        int[] result = new int[ids.size()];
        for (int k = 0; k < result.length; k++) {
            int index = map.indexOf(ids.get(k));
            if (index < 0) {
                throw new IllegalArgumentException("Unknown " + kind + " id '" + ids.get(k)
                        + "': the model was trained on " + map.size() + " " + kind
                        + "s and this one was not among them");
            }
            result[k] = index;
        }
        return result;
    }

    private void requireSameIds(Ratings ratings, String what) {
        if (ratings.users() != train.users() && !ratings.users().equals(train.users())
                || ratings.items() != train.items() && !ratings.items().equals(train.items())) {
            throw new IllegalArgumentException("The " + what + " use other user/item id maps than the training"
                    + " data: take both from one Split, or call ratings.reindex(learner.users(), learner.items())");
        }
    }

    /**
     * Finds a rating so far from what the model can predict that a batch's squared errors overflow
     * {@code float}: training on it diverges at the first batch whatever the learning rate, so it is a data error
     * (a rating of 1e30), not a setting to tune.
     *
     * @param ratings the training ratings
     * @param range the model's y-range, or null for a model without one
     * @param batchSize the batch size
     * @return the row of the first such rating, or -1 when there is none
     */
    public static int overflowingRating(Ratings ratings, YRange range, int batchSize) {
        double reach = range == null ? 0 : Math.max(Math.abs(range.low()), Math.abs(range.high()));
        double limit = Math.sqrt(Float.MAX_VALUE / 4.0 / Math.max(1, Math.min(batchSize, ratings.size()))) - reach;
        if (Math.max(Math.abs(ratings.minRating()), Math.abs(ratings.maxRating())) <= limit) {
            return -1;
        }
        for (int row = 0; row < ratings.size(); row++) {
            if (Math.abs(ratings.rating(row)) > limit) {
                return row;
            }
        }
        return -1;
    }

    private static void warnOutsideRange(YRange range, Ratings ratings) {
        if (range != null && (!range.contains(ratings.minRating()) || !range.contains(ratings.maxRating()))) {
            logger.warn("Ratings span [{}, {}] but the model's y-range is {}: predictions can never reach the"
                    + " ratings outside it. Set the block's y-range to cover the data.",
                    ratings.minRating(), ratings.maxRating(), range);
        }
    }

    private static long[] slice(int[] values, int from, int to) {
        long[] result = new long[to - from];
        for (int k = from; k < to; k++) {
            result[k - from] = values[k];
        }
        return result;
    }

    /**
     * Returns the user ids the model knows, in index order.
     *
     * @return the user id map of the training data
     */
    public IdMap users() {
        return train.users();
    }

    /**
     * Returns the item ids the model knows, in index order.
     *
     * @return the item id map of the training data
     */
    public IdMap items() {
        return train.items();
    }

    /**
     * Returns the model's block.
     *
     * @return the block
     */
    public CollabBlock getBlock() {
        return block;
    }

    /**
     * Returns the DJL model holding the block.
     *
     * @return the model
     */
    public Model getModel() {
        return model;
    }

    /**
     * Returns the optimizer.
     *
     * @return the optimizer
     */
    public CollabOptimizer getOptimizer() {
        return optimizer;
    }

    /**
     * Returns whether training runs the plain-Java host step ({@link Builder#optHostStep}) rather than the DJL step.
     *
     * @return {@code true} for the host step
     */
    public boolean usesHostStep() {
        return plan.kind() == StepKind.HOST;
    }

    /**
     * Returns whether a step updates only the rows its batch touches ({@link Builder#optSparseUpdates}) rather than
     * whole tables.
     *
     * @return {@code true} for touched-row updates
     */
    public boolean usesSparseUpdates() {
        return plan.touchedRows();
    }

    /**
     * Returns the training step the learner runs and why it was chosen ({@link Builder#optTrainingStep}).
     *
     * @return the plan
     */
    public StepPlan getStepPlan() {
        return plan;
    }

    /**
     * Returns the device the learner trains on and why it was chosen.
     *
     * @return the device choice
     */
    public DeviceChoice getDevice() {
        return device;
    }

    /**
     * Returns every epoch trained so far, over all fits.
     *
     * @return the epoch rows, oldest first
     */
    public List<EpochResult> history() {
        return Collections.unmodifiableList(history);
    }

    /**
     * Returns every fit called so far, oldest first: the schedule, epochs and learning rate of each.
     *
     * @return the fits
     */
    public List<FitRecord> fits() {
        return Collections.unmodifiableList(fits);
    }

    /**
     * Returns the training ratings.
     *
     * @return the training ratings
     */
    public Ratings getTrainData() {
        return train;
    }

    /**
     * Returns the validation ratings, or {@code null} when there are none.
     *
     * @return the validation ratings, or {@code null}
     */
    public Ratings getValidData() {
        return valid;
    }

    /**
     * Returns the batch size.
     *
     * @return the batch size
     */
    public int getBatchSize() {
        return batchSize;
    }

    /**
     * Returns the random seed.
     *
     * @return the seed
     */
    public long getSeed() {
        return seed;
    }

    /**
     * Returns the fitted model as it is now: a snapshot of the weights, the id maps, the training items and the
     * provenance, as plain data that needs no engine to be saved, loaded or served (as Spark's {@code ALS.fit}
     * returns an {@code ALSModel}). Training on, or closing the learner, does not change it.
     *
     * <pre>{@code
     * learner.fittedModel().save(Path.of("movies.c4j"));
     * }</pre>
     *
     * @return the snapshot
     * @throws IllegalArgumentException if the block is not one Collab4J can save (a subclass of its blocks)
     */
    public TrainedModel fittedModel() {
        TrainedModel model = TrainedModel.of(block, train, provenance(), objective.name());
        // A warm start on new ratings only still knows every user's items from the initial model.
        return initModel == null ? model : model.withRatedItemsOf(initModel);
    }

    /**
     * Returns a {@link Recommender} over {@link #fittedModel()} with the default settings (unknown ids throw).
     *
     * <pre>{@code
     * List<ScoredId> top = learner.recommender().recommend("42", 10);
     * }</pre>
     *
     * @return the recommender
     */
    public Recommender recommender() {
        return Recommender.of(fittedModel());
    }

    /** How the model was trained so far, for the fitted model; {@code createdAt} now. */
    private Provenance provenance() {
        List<Provenance.Fit> fitRows = new ArrayList<>();
        for (FitRecord f : fits) {
            fitRows.add(new Provenance.Fit(f.schedule(), f.epochs(), f.learningRate()));
        }
        List<Provenance.Epoch> epochs = new ArrayList<>();
        for (EpochResult e : history) {
            epochs.add(new Provenance.Epoch(e.epoch(), e.trainLoss(), e.validLoss(), e.validRmse(), e.seconds()));
        }
        return new Provenance(block.toString(), seed, batchSize, optimizer.toString(), optimizer.getWeightDecay(),
                fitRows, epochs, device.device().toString(), device.reason(), Engine.getDjlVersion(),
                model.getNDManager().getEngine().getVersion(), train.size(), valid == null ? 0 : valid.size(),
                Provenance.now(), plan.toString());
    }

    /** Frees the model's native memory. */
    @Override
    public void close() {
        step.close();
        model.close();
    }

    @Override
    public String toString() {
        return "CollabLearner(" + block + ", loss=" + objective.name()
                + ", " + (objective instanceof Ials ? "iALS " + objective
                        : optimizer + ", batchSize=" + batchSize)
                + ", seed=" + seed
                + ", device=" + device.device() + ", step=" + plan + ", epochs trained=" + epochsTrained + ", DJL "
                + Engine.getDjlVersion() + ", PyTorch " + model.getNDManager().getEngine().getVersion() + ")";
    }

    /**
     * Returns what the learner trains for.
     *
     * @return the objective ({@link Objective#mse()} unless the builder was given another)
     */
    public Objective getObjective() {
        return objective;
    }

    /** Builds a {@link CollabLearner}. */
    public static final class Builder {

        /** Factors of the block a ranking objective gets when no model is given. */
        public static final int DEFAULT_RANKING_FACTORS = 64;
        /**
         * Epochs of the one-cycle fit that suits a warm start ({@link #optInitModel}) with its new rows folded in
         * ({@link #optFoldInNewRows}): chosen on an inner split of MovieLens' training part (docs/benchmarks.md,
         * issue 14); {@code train --init-model} uses it when {@code --epochs} is not given.
         */
        public static final int DEFAULT_WARM_EPOCHS = 1;
        /** The peak learning rate of that fit ({@link #DEFAULT_WARM_EPOCHS}). */
        public static final float DEFAULT_WARM_LEARNING_RATE = 1e-3f;
        /**
         * iALS sweeps ({@link CollabLearner#fitAls}) that suit a warm start from an iALS model, chosen likewise;
         * {@code train --implicit --init-model} uses it when {@code --epochs} is not given.
         */
        public static final int DEFAULT_WARM_SWEEPS = 1;

        /** Validation users whose NDCG@k and recall@k the epoch table shows for a ranking objective. */
        public static final int DEFAULT_RANKING_USERS = 256;

        private Objective objective = Objective.mse();
        private int rankingK = 10;
        private int rankingUsers = DEFAULT_RANKING_USERS;

        Ratings train;
        Ratings valid;
        CollabBlock.BaseBuilder<?> model;
        CollabOptimizer optimizer;
        int batchSize = DEFAULT_BATCH_SIZE;
        long seed = 42;
        Device device;
        PrintStream out = System.out;
        Boolean progressBar;
        final List<FitListener> listeners = new ArrayList<>();
        final Map<ParameterGroup, Float> groupLearningRates = new EnumMap<>(ParameterGroup.class);
        boolean decayBiases = true;
        boolean divergenceGuard = true;
        Boolean sparseUpdates;
        Boolean hostStep;
        StepKind trainingStep = StepKind.AUTO;
        int lossEvery;
        int hostThreads = DEFAULT_HOST_THREADS;
        TrainedModel initModel;
        boolean foldInNewRows = true;

        /**
         * With the DJL step, the number of user plus item rows from which touched-row updates are chosen when
         * {@link #optSparseUpdates} is not called.
         */
        public static final int SPARSE_AUTO_ROWS = StepPlanner.SPARSE_AUTO_ROWS;

        /**
         * With the host step ({@link #optHostStep}) and an optimizer that does not catch rows up
         * ({@link CollabOptimizer#catchesUpHostRows()}: L2 weight decay), touched-row updates are chosen when
         * {@link #optSparseUpdates} is not called and a batch can touch at most this share of all user and item rows:
         * {@code 2·batchSize <= SPARSE_AUTO_SHARE · (users + items)}.
         */
        public static final double SPARSE_AUTO_SHARE = StepPlanner.SPARSE_AUTO_SHARE;

        /** The default batch size. */
        public static final int DEFAULT_BATCH_SIZE = 64;

        /** The default of {@link #optHostThreads}: the number of processors, at most 4. */
        public static final int DEFAULT_HOST_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

        Builder() {}

        /**
         * Sets the training ratings and the validation ratings from one split (required, or
         * {@link #setTrainData}).
         *
         * @param split the split
         * @return this builder
         */
        public Builder setData(Split split) {
            this.train = split.train();
            this.valid = split.valid();
            return this;
        }

        /**
         * Sets the training ratings (required unless {@link #setData} is used).
         *
         * @param train the training ratings
         * @return this builder
         */
        public Builder setTrainData(Ratings train) {
            this.train = train;
            return this;
        }

        /**
         * Sets the validation ratings evaluated after every epoch (default none). They must share the training
         * data's id maps.
         *
         * @param valid the validation ratings
         * @return this builder
         */
        public Builder optValidData(Ratings valid) {
            this.valid = valid;
            return this;
        }

        /**
         * Sets the model to train, as a block builder whose numbers of users and items the learner fills in from
         * the training data (default {@code EmbeddingDotBias.builder()}: 50 factors, y-range (0, 5.5)).
         *
         * @param model the block builder
         * @return this builder
         */
        public Builder optModel(CollabBlock.BaseBuilder<?> model) {
            this.model = model;
            return this;
        }

        /**
         * Starts from a saved model instead of random weights (a warm start): training goes on from its weights on
         * the data given, which may hold users and items the model has never seen. The block is the model's (same
         * kind, factors and y-range; do not also call {@link #optModel}); its id maps are extended by the new ids
         * ({@link IdMap#extendedWith}), so the training data's indices are remapped and {@link #getTrainData()}
         * returns the remapped ratings; the model's users and items keep their rows, and new users and items get
         * new rows folded into the model from their training rows ({@link #optFoldInNewRows}; random, seeded, when
         * they have none on the model's ids). The optimizer's state (Adam's moments, the step count) starts
         * fresh, as in any new learner: a model file holds no optimizer state, so this is a new fit from good
         * weights rather than an exact resume, and a short one-cycle suits it: {@code fitOneCycle(}{@link
         * #DEFAULT_WARM_EPOCHS}{@code , }{@link #DEFAULT_WARM_LEARNING_RATE}{@code )}. An {@link Objective#ials()}
         * learner's {@link CollabLearner#fitAls} sweeps start from the model's factors (a model trained by iALS).
         * A snapshot ({@code learner.fittedModel()}) records as each user's training items those of the data
         * given joined with those the initial model recorded, so the data may hold only the new ratings (then the
         * old users' rows move only where new ratings touch them).
         *
         * @param model the model to continue from
         * @return this builder
         */
        public Builder optInitModel(TrainedModel model) {
            this.initModel = model;
            return this;
        }

        /**
         * Chooses how a warm start ({@link #optInitModel}) initialises the rows of new users and items (default
         * {@code true}): folded into the initial model ({@code org.collab4j.recommend.FoldIn}), each new user's row
         * fitted to its training rows on the items the model knows and each new item's to its training rows by the
         * users the model knows, with the other side fixed and under the learner's objective (squared error for
         * ratings, iALS's weights for {@link Objective#ials()}); a new row with no such training row, and every new
         * row with {@code false}, starts random as in a fresh learner. Folded-in rows start where a short fit would
         * otherwise have to bring random ones, so a fit of a single epoch at a low rate suffices (docs/benchmarks.md,
         * issue 14).
         *
         * @param foldIn {@code true} to fold new rows in, {@code false} for random rows
         * @return this builder
         */
        public Builder optFoldInNewRows(boolean foldIn) {
            this.foldInNewRows = foldIn;
            return this;
        }

        /**
         * Sets the optimizer (default AdamW with weight decay 0.1, β2 0.99, ε 1e-5, as fast.ai).
         *
         * @param optimizer the optimizer
         * @return this builder
         */
        public Builder optOptimizer(CollabOptimizer optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        /**
         * Sets the batch size (default {@value #DEFAULT_BATCH_SIZE}).
         *
         * @param batchSize the batch size, at least 1
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets the random seed for the initial weights and the shuffling (default 42). On the CPU the same seed
         * gives the same numbers; GPU kernels are not bit-reproducible.
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Forces the device (default: {@link Engines#chooseDevice()}, the GPU when there is one).
         *
         * @param device the device
         * @return this builder
         */
        public Builder optDevice(Device device) {
            this.device = device;
            return this;
        }

        /**
         * Sets where the epoch table is printed (default {@code System.out}; {@code null} prints nothing).
         *
         * @param out the stream, or {@code null}
         * @return this builder
         */
        public Builder optOutput(PrintStream out) {
            this.out = out;
            return this;
        }

        /**
         * Shows or hides the progress bar during an epoch (default: shown when the JVM has a console).
         *
         * @param progressBar whether to show it
         * @return this builder
         */
        public Builder optProgressBar(boolean progressBar) {
            this.progressBar = progressBar;
            return this;
        }

        /**
         * Adds listeners called at every fit: {@link EarlyStopping}, {@link BestWeights}, or your own.
         *
         * @param listeners the listeners, called in order
         * @return this builder
         */
        public Builder addListeners(FitListener... listeners) {
            this.listeners.addAll(List.of(listeners));
            return this;
        }

        /**
         * Gives a group of parameters its own multiple of the scheduled learning rate (discriminative learning
         * rates; default 1 for every group). For example {@code optGroupLearningRate(ParameterGroup.HEAD, 0.1f)}
         * trains {@link org.collab4j.model.EmbeddingNet}'s layers ten times slower than its embeddings.
         *
         * @param group the group
         * @param multiplier the multiple, finite and non-negative
         * @return this builder
         */
        public Builder optGroupLearningRate(ParameterGroup group, float multiplier) {
            if (!(multiplier >= 0f) || Float.isInfinite(multiplier)) {
                throw new IllegalArgumentException("learning rate multiplier of " + group
                        + " must be finite and >= 0, got " + multiplier);
            }
            groupLearningRates.put(group, multiplier);
            return this;
        }

        /**
         * Chooses whether the user and item bias tables get weight decay (default {@code true}, as fast.ai). The
         * biases of linear layers never do (fast.ai's {@code wd_bn_bias=False}).
         *
         * @param decayBiases whether bias tables are decayed
         * @return this builder
         */
        public Builder optDecayBiases(boolean decayBiases) {
            this.decayBiases = decayBiases;
            return this;
        }

        /**
         * Turns the divergence guard on or off (default on): the weights are copied at the start of each epoch,
         * and when the loss becomes NaN or infinite they are put back before {@link TrainingDivergedException}
         * is thrown. Off saves one copy of the weights per epoch.
         *
         * @param guard whether to guard
         * @return this builder
         */
        public Builder optDivergenceGuard(boolean guard) {
            this.divergenceGuard = guard;
            return this;
        }

        /**
         * Chooses touched-row updates or dense updates of whole tables. Default with the host step
         * ({@link #optHostStep}, the dot models on the CPU): touched rows when a batch can touch fewer rows than the
         * user and item tables hold ({@code 2·batchSize < users + items}) and the optimizer catches rows up
         * ({@link CollabOptimizer#catchesUpHostRows()}: Collab4J's optimizers with decoupled or no weight decay),
         * dense above; with L2 decay, whose touched-row updates are lazy, touched rows only when a batch can touch at
         * most {@value #SPARSE_AUTO_SHARE} of the rows ({@code 2·batchSize <= 0.1·(users + items)}). Default with
         * the DJL steps on the CPU: touched rows when the data has at least {@value #SPARSE_AUTO_ROWS} users and
         * items together, dense below; on a GPU, touched rows above 16 table rows per example of a batch
         * ({@link #optTrainingStep} has the whole rule).
         *
         * <p>Why: the host step's touched-row update catches each row up on the steps it missed (weight decay and
         * momentum) before a step reads it, so it trains the weights dense updates train (on ml-latest-small RMSE
         * 0.8392 against 0.8393 at batch size 64, 0.8460 against 0.8460 at 1024) at the cost of the batch's rows
         * rather than the tables'. The DJL touched-row steps are lazy, as {@code torch.optim.SparseAdam}: rows a
         * batch does not touch get no decay and no momentum that step, which costs accuracy when a batch holds a
         * large share of the rows; on large tables (millions of ratings, 100,000s of rows) a dense step would pass
         * over every row, so touched rows win there at any usual batch size.
         *
         * <p>With touched-row updates a step gathers the rows of the user and item tables that its batch uses,
         * runs the forward on them and updates only them and their optimizer state (the layers of
         * {@link org.collab4j.model.EmbeddingNet} are small and always updated whole): its cost follows the batch
         * size, not the numbers of users and items. With the DJL steps, like {@code torch.optim.SparseAdam}, the
         * update is lazy: rows outside the batch get no weight decay and no momentum that step, so rows seen in few
         * batches move less per epoch than with dense Adam, whose momentum keeps moving them (on ml-latest-small
         * about 0.005 worse RMSE at batch size 1024). The host step's touched rows catch up instead
         * ({@link CollabOptimizer#updateHostRows}) and keep fast.ai's dense semantics (docs/benchmarks.md,
         * "Training steps"). With every row in every batch (e.g. one full batch) all modes compute the same
         * numbers. Dense updates cost a pass over every table per step.
         *
         * @param sparse whether to update touched rows only
         * @return this builder
         */
        public Builder optSparseUpdates(boolean sparse) {
            this.sparseUpdates = sparse;
            return this;
        }

        /**
         * Chooses the host step for {@link org.collab4j.model.EmbeddingDot} and
         * {@link org.collab4j.model.EmbeddingDotBias} on the CPU (default: on wherever it can run, that is when the
         * learner trains on the CPU, the model is one of those two blocks and the optimizer
         * {@link CollabOptimizer#supportsHostUpdates() supports host updates}, as Collab4J's Adam, SGD and RMSProp
         * do).
         *
         * <p>The host step trains those models in plain Java over copies of their tables in the Java heap: the
         * same forward, loss, gradients and optimizer arithmetic as the DJL step, but with no native call per
         * step, where a DJL step costs about a hundred native calls of 5–20 µs whatever the batch size. The
         * parameters are loaded at the start of every fit (and of the LR finder's steps) and written back at the end
         * of every epoch, before evaluation and listeners, so everything outside the step sees the usual DJL parameters.
         * {@link #optSparseUpdates} keeps its meaning. {@code false} forces the DJL step (e.g. to compare).
         *
         * @param hostStep whether to train with the host step
         * @return this builder
         * @throws IllegalArgumentException from {@link #build()} if {@code true} is asked where the host step
         *     cannot run (a GPU, another model, an optimizer without host updates)
         */
        public Builder optHostStep(boolean hostStep) {
            this.hostStep = hostStep;
            return this;
        }

        /**
         * Chooses the training step (default {@link StepKind#AUTO}: the planner below chooses). The choice, with its
         * reason, is logged once, kept in the model's provenance and shown by {@link CollabLearner#toString()}
         * and {@link CollabLearner#getStepPlan()}.
         *
         * <p>The planner's rule, when nothing is asked:
         * <ol>
         *   <li>on the CPU, for {@link org.collab4j.model.EmbeddingDot} and {@link EmbeddingDotBias} with an
         *       optimizer that {@link CollabOptimizer#supportsHostUpdates() supports host updates}:
         *       {@link StepKind#HOST}, with touched-row updates when a batch touches fewer rows than the tables
         *       hold and the optimizer catches rows up, else when it touches at most {@value #SPARSE_AUTO_SHARE} of
         *       them ({@link #optSparseUpdates});
         *   <li>on a GPU: when the tables have more than 16 rows per example of a batch (a dense pass over the
         *       tables would then cost more than the batch), {@link StepKind#DEVICE} with touched rows (the index
         *       work on the device, no host copy; {@link StepKind#TOUCHED} if the optimizer has no device update),
         *       else {@link StepKind#DEVICE};
         *   <li>on the CPU for other models or optimizers: {@link StepKind#TOUCHED} from
         *       {@value #SPARSE_AUTO_ROWS} user + item rows, else {@link StepKind#DEVICE};
         *   <li>{@link StepKind#DEVICE} becomes {@link StepKind#DENSE} (the same weights) when the optimizer has
         *       no {@link CollabOptimizer#supportsDeviceUpdates() device update}.
         * </ol>
         * The older options keep their meaning: {@link #optHostStep}{@code (true)} asks for the host step,
         * {@code optHostStep(false)} for a DJL step ({@link StepKind#DENSE} or {@link StepKind#TOUCHED} by
         * {@link #optSparseUpdates} or the {@value #SPARSE_AUTO_ROWS}-row rule), and {@link #optSparseUpdates}
         * chooses the host step's updates. With a step named here, {@code optHostStep} is an error and
         * {@code optSparseUpdates} applies to {@link StepKind#HOST} and {@link StepKind#DEVICE} only (for the
         * device step, touched rows with the index work on the device).
         *
         * <p>A ranking objective ({@link #optObjective}) has its own steps; the plan's reason names the objective,
         * and {@code optHostStep} and {@code optSparseUpdates} do not apply. iALS always trains with
         * {@link StepKind#ALS}, and a step named here is refused. BPR and the softmax train with
         * {@link StepKind#DEVICE_RANKING} on a GPU (positives, batches and negatives on the device, no host-device
         * copy in a steady-state step; {@link StepKind#RANKING} if the optimizer has no device update) and with
         * {@link StepKind#RANKING} (plain Java on the host) on the CPU; {@link StepKind#DEVICE} asks for
         * {@link StepKind#DEVICE_RANKING} and {@link StepKind#HOST} for {@link StepKind#RANKING} on any device,
         * and {@link StepKind#DENSE} and {@link StepKind#TOUCHED} are refused. The device ranking step does not
         * skip a user's own training items among the negatives (BPR) or beyond the positive itself (softmax), and
         * updates every row, where the host ranking step skips them and updates the touched rows.
         *
         * @param kind the step
         * @return this builder
         * @throws IllegalArgumentException from {@link #build()} if the step cannot run here (the host step on a
         *     GPU or for another model; the device step with an optimizer without device updates; a rating step
         *     other than device and host with a ranking objective, any step with iALS)
         */
        public Builder optTrainingStep(StepKind kind) {
            if (kind == null) {
                throw new IllegalArgumentException("the training step must not be null (StepKind.AUTO chooses)");
            }
            this.trainingStep = kind;
            return this;
        }

        /**
         * Sets how often the loop reads the losses, in batches (default 0: once per epoch, or about a hundred times
         * an epoch while a progress bar shows). The divergence guard checks at the same cadence. It matters for the
         * device step only, which keeps its losses on the device until read; the other steps read every loss as it
         * comes and are checked at the same points.
         *
         * @param batches the cadence in batches, at least 1, or 0 for the default
         * @return this builder
         */
        public Builder optLossEvery(int batches) {
            if (batches < 0) {
                throw new IllegalArgumentException("the loss cadence must be at least 0 (0: default), got "
                        + batches);
            }
            this.lossEvery = batches;
            return this;
        }

        /**
         * Sets how many threads the host step's optimizer update may use (default: the number of processors, at
         * most 4). Only updates of at least 32,768 values are split, by rows, which are independent: the results
         * are the same for any number of threads. The forward and backward pass stay on the calling thread. On
         * this project's 2-core benchmark host, 2 threads cut the 25M-rating epoch by a fifth (docs/benchmarks.md).
         * PyTorch's own threads are set apart ({@code -Dcollab4j.threads}).
         *
         * @param threads the threads, at least 1 (1: all on the calling thread)
         * @return this builder
         */
        public Builder optHostThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            this.hostThreads = threads;
            return this;
        }

        /**
         * Sets what to train for (default {@link Objective#mse()}, ratings). A ranking objective
         * ({@link Objective#ials()}, {@link Objective#bpr()}, {@link Objective#softmax()}) reads the training
         * data's rating column as each interaction's weight and, when no model is given, trains a block of
         * {@value #DEFAULT_RANKING_FACTORS} factors without a y-range: {@code EmbeddingDot} for iALS (trained
         * with {@link CollabLearner#fitAls}), {@code EmbeddingDotBias} for BPR and the softmax (whose item bias
         * carries popularity). With validation data the epoch table then shows NDCG@k and recall@k
         * ({@link #optRankingMetrics}) instead of the validation MSE.
         *
         * @param objective the objective
         * @return this builder
         */
        public Builder optObjective(Objective objective) {
            if (objective == null) {
                throw new NullPointerException("objective");
            }
            this.objective = objective;
            return this;
        }

        /**
         * Sets the cut-off and the number of validation users of the ranking figures the epoch table shows for a
         * ranking objective (default k = 10 over at most {@value #DEFAULT_RANKING_USERS} users, a seeded sample
         * when there are more). A validation row is relevant when its weight is positive; each user's training
         * items are excluded from the ranking.
         *
         * @param k the cut-off, at least 1
         * @param users how many validation users to score, at least 1
         * @return this builder
         */
        public Builder optRankingMetrics(int k, int users) {
            if (k < 1 || users < 1) {
                throw new IllegalArgumentException("k and users must each be at least 1, got " + k + " and "
                        + users);
            }
            this.rankingK = k;
            this.rankingUsers = users;
            return this;
        }

        /**
         * Builds the learner: starts the engine, chooses the device, builds and initialises the model and copies
         * the training data to the device.
         *
         * @return the learner
         * @throws IllegalArgumentException if a setting is missing or out of range
         * @throws org.collab4j.engine.NativeLibraryException if PyTorch cannot start
         */
        public CollabLearner build() {
            if (train == null) {
                throw new IllegalArgumentException("training data is required: call setData(split) or"
                        + " setTrainData(ratings)");
            }
            if (train.size() == 0) {
                throw new IllegalArgumentException("the training data holds no ratings");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize
                        + " (64 to 8192 are typical)");
            }
            if (initModel != null && model != null) {
                throw new IllegalArgumentException("optInitModel fixes the block to the initial model's ("
                        + initModel.getConfig() + "): do not also call optModel");
            }
            if (valid != null && (!valid.users().equals(train.users()) || !valid.items().equals(train.items()))) {
                throw new IllegalArgumentException("the validation data uses other user/item id maps than the"
                        + " training data: take both from one Split, or call"
                        + " valid.reindex(train.users(), train.items())");
            }
            return new CollabLearner(this);
        }
    }
}
