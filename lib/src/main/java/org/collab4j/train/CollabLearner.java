package org.collab4j.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
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
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Side;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.YRange;
import org.collab4j.recommend.Evaluation;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.objective.Ials;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.schedule.OneCycleTracker;
import org.collab4j.train.schedule.SgdrTracker;
import org.collab4j.train.step.SideFeatures;
import org.collab4j.train.step.StepKind;
import org.collab4j.train.step.StepPlan;
import org.collab4j.train.step.StepPlanner;
import org.collab4j.train.step.TrainingStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
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
 * says which and why, and logs it). Every epoch shuffles the step's examples on that device; everything an epoch
 * creates lives in a scope closed at its end, so native memory stays flat over long runs. Each step applies the
 * optimizer to the parameters directly rather than through DJL's {@code Trainer}, whose parameter server copies
 * every gradient before the update.
 *
 * <p>Which step trains a batch — plain Java over host copies of the tables, a DJL step on the device, touched rows
 * or whole tables, iALS sweeps — is decided once, when the learner is built
 * ({@link CollabLearnerBuilder#optTrainingStep} has the rule), logged, and returned by {@link #getStepPlan()}. Every
 * {@code fit*} method and the LR finder run the same epoch loop over that step. A step that trains host copies
 * writes them back to the block's parameters at the end of every epoch, before evaluation and listeners, so the
 * parameters remain the weights everything else reads.
 *
 * <p>The learner holds the block, the data, the optimizer, the step and the loop, and delegates the rest: its
 * settings and their defaults to {@link CollabLearnerBuilder}, a warm start's weight surgery to {@code WarmStart},
 * the data checks to {@code TrainingDataCheck}, predictions and errors to {@code BlockPredictor}, the record of its
 * fits and epochs, with the provenance built from it, to {@code TrainingLog}, the epoch table and progress bar
 * to {@code FitProgress}, the side features' wiring (tables, the parts the step trains, the fitted model's
 * {@code FeatureEmbeddings}) to {@code LearnerFeatures}, and the popularity blend to {@code LearnerBlend}.
 *
 * <p>A learner is not thread-safe: train and predict from one thread, or guard it.
 */
public final class CollabLearner implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(CollabLearner.class);

    private final Ratings train;
    private final Ratings valid;
    private final DeviceChoice device;
    private final Model model;
    private final CollabBlock block;
    private final CollabOptimizer optimizer;
    private final BlockPredictor predictor;
    private final NDManager dataManager;
    private final List<Parameter> parameters = new ArrayList<>();
    private final StepPlan plan;
    private final TrainingStep step;
    private final int lossEvery;
    private final int batchSize;
    private final long seed;
    private final PrintStream out;
    private final boolean progressBar;
    private final TrainingLog log = new TrainingLog();
    private final List<FitListener> listeners;
    private final boolean divergenceGuard;
    private final Objective objective;
    private final RankingProbe rankingProbe;
    private final TrainedModel initModel;
    private final Ratings known;
    /** The side features: an EmbeddingNet's side columns, or the parts the step trains. */
    private final LearnerFeatures features;
    /** The popularity blend of an iALS model ({@link CollabLearnerBuilder#optPopularityBlend}). */
    private final LearnerBlend blend;

    CollabLearner(CollabLearnerBuilder builder) {
        initModel = builder.initModel;
        known = builder.known;
        WarmStart warmStart = initModel != null ? new WarmStart(initModel, builder.train, builder.valid) : null;
        train = warmStart != null ? warmStart.train() : builder.train;
        valid = warmStart != null ? warmStart.valid() : builder.valid;
        batchSize = builder.batchSize;
        seed = builder.seed;
        out = builder.out;
        progressBar = builder.progressBar();
        optimizer = builder.optimizer();
        listeners = List.copyOf(builder.listeners);
        divergenceGuard = builder.divergenceGuard;

        Engine engine = Engines.pytorch();
        device = builder.deviceChoice();
        engine.setRandomSeed((int) seed);

        objective = builder.objective;
        CollabBlock.BaseBuilder<?> blockBuilder = builder.blockBuilder().setNumUsers(train.users().size())
                .setNumItems(train.items().size());
        features = new LearnerFeatures(builder, blockBuilder, train, initModel);
        block = blockBuilder.build();
        TrainingDataCheck.check(objective, block, train, valid, batchSize);
        long rows = (long) train.users().size() + train.items().size();
        features.check(builder, objective, train);
        plan = StepPlanner.plan(new StepPlanner.Request(builder.trainingStep, device.device(), block, optimizer,
                batchSize, train.size(), rows, objective, features.any()));
        // Planned before the model exists: the estimate depends on whether the step keeps host copies.
        MemoryEstimate estimate = plan.kind() == StepKind.ALS
                ? MemoryEstimate.forAls(block, train.size(), builder.hostThreads, divergenceGuard)
                : MemoryEstimate.of(block, optimizer, plan.kind() == StepKind.HOST, divergenceGuard);
        estimate.check("use fewer factors"
                + " (optFactors) or a smaller model, or run with more memory (java -Xmx for the heap)");

        model = Model.newInstance("collab4j", device.device(), Engines.ENGINE_NAME);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1), new Shape(1));
        if (warmStart != null) {
            warmStart.copyInto(block, builder.foldInNewRows, objective);
        }
        block.getParameters().forEach(pair -> {
            parameters.add(pair.getValue());
            builder.applyParameterGroups(optimizer, pair.getKey(), pair.getValue());
        });
        features.attach(builder, block, optimizer, train, initModel, seed);
        ParameterStore parameterStore = new ParameterStore(model.getNDManager(), false);
        logger.info("Collab4J training step: {}", plan);
        lossEvery = builder.lossEvery;
        dataManager = model.getNDManager().newSubManager();
        predictor = new BlockPredictor(block, parameterStore, dataManager, train.users(), train.items());
        step = StepFactory.newStep(plan, model, block, optimizer, parameters, objective, train, batchSize,
                dataManager, seed, builder.hostThreads, features.side(Side.USERS), features.side(Side.ITEMS));
        blend = new LearnerBlend(builder, objective, initModel, block, features.hybrid());
        rankingProbe = objective.isRanking() && valid != null
                ? new RankingProbe(block, train, valid, builder.rankingK, builder.rankingUsers, seed) : null;
    }

    /** Returns one side's features' parts, or {@code null} for a side without features (tests). */
    SideFeatures sideFeatures(Side side) {
        return features.side(side);
    }

    /**
     * Returns the step the plan made (tests).
     *
     * @return the step
     */
    TrainingStep trainingStep() {
        return step;
    }

    /**
     * Returns the model this learner started from ({@link CollabLearnerBuilder#optInitModel}).
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
    public static CollabLearnerBuilder builder() {
        return new CollabLearnerBuilder();
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
        log.addFit(new FitRecord("constant", epochs, learningRate));
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
        log.addFit(new FitRecord("one-cycle", epochs, maxLr));
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
        log.addFit(new FitRecord("sgdr(cycles=" + cycles + ", len=" + cycleLength + ", mult=" + cycleMult + ")",
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
        log.addFit(new FitRecord(learningRate.toString(), epochs, learningRate.getNewValue(0)));
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
                    + objective.name() + ": use fitOneCycle (or build the learner with"
                    + " optObjective(Objective.ials()))");
        }
        checkEpochs(sweeps);
        blend.beforeFitAls(this, train, sweeps, out);
        log.addFit(new FitRecord("ials", sweeps, 0f));
        return run(sweeps, Tracker.fixed(0f), null);
    }

    private void requireGradientObjective(String method) {
        if (objective instanceof Ials) {
            throw new IllegalStateException(method + " trains with a learning rate, and iALS has none: call"
                    + " fitAls(sweeps) for this learner's objective");
        }
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
        FitProgress progress = new FitProgress(out, progressBar, valid != null,
                rankingProbe != null ? rankingProbe.k() : 0, epochs, batchesPerEpoch());
        runLoop(epochs, Long.MAX_VALUE, lr, momentum, divergenceGuard, progress.lossCadence(lossEvery),
                new LoopListener() {
                    @Override
                    public void onEpochStart(int epoch) {
                        progress.startEpoch(epoch);
                    }

                    @Override
                    public boolean onLoss(long step, int batch, float loss) {
                        progress.loss(step, batch, loss);
                        return false;
                    }

                    @Override
                    public void onDiverged() {
                        progress.endBar();
                    }

                    @Override
                    public boolean onEpochEnd(int epoch, double seconds) {
                        progress.endBar();
                        return endEpoch(epoch, seconds, rows, progress);
                    }
                });
        listeners.forEach(l -> l.onFitEnd(this));
        return rows;
    }

    /** Scores an epoch, records and shows its row, and asks the listeners whether to stop. */
    private boolean endEpoch(int epoch, double seconds, List<EpochResult> rows, FitProgress progress) {
        Evaluation eval = valid != null && !objective.isRanking() ? evaluate(valid) : null;
        double[] ranking = rankingProbe != null ? rankingProbe.measure() : null;
        EpochResult row = new EpochResult(epoch, progress.smoothedLoss(),
                eval != null ? eval.mse() : Double.NaN,
                eval != null ? eval.rmse() : Double.NaN,
                seconds,
                ranking != null ? ranking[0] : Double.NaN,
                ranking != null ? ranking[1] : Double.NaN);
        rows.add(row);
        log.addEpoch(row);
        progress.row(row);
        boolean stop = false;
        for (FitListener listener : listeners) {
            stop |= listener.onEpochEnd(this, row);
        }
        return stop;
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
                    NDArray order = step.shuffles() ? epochManager.randomPermutation(step.examples()) : null;
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

    /** The divergence's exception, the weights from the start of the epoch put back first when there are some. */
    private TrainingDivergedException diverged(float loss, int epoch, int batch, float lr, DeviceWeights lastGood) {
        if (lastGood != null) {
            lastGood.restore();
            step.reload();
            optimizer.resetState();
        }
        return TrainingDivergedException.at(loss, epoch, batch, lr, lastGood != null);
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
        runLoop(Integer.MAX_VALUE, maxSteps, lr, null, false, 1, (step, batch, loss) -> {
            losses.add(loss);
            return stop.test(loss);
        });
        return losses;
    }

    /**
     * Copies the current weights to the Java heap.
     *
     * @return the copy
     */
    public WeightsSnapshot snapshotWeights() {
        return features.snapshot(parameters);
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
        return predictor.evaluate(ratings);
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
        return predictor.samplePredictions(ratings, count, seed);
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
        return predictor.predict(userIds, itemIds);
    }

    /**
     * Predicts ratings for pairs of indices into {@link #users()} and {@link #items()}.
     *
     * @param userIndices user indices
     * @param itemIndices item indices, as many as users
     * @return the predicted ratings
     */
    public float[] predictIndices(int[] userIndices, int[] itemIndices) {
        return predictor.predictIndices(userIndices, itemIndices);
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
        return TrainingDataCheck.overflowingRating(ratings, range, batchSize);
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
     * Returns whether ratings train with the host engine, plain Java over host copies of the tables
     * ({@link StepKind#HOST}; {@link CollabLearnerBuilder#optTrainingStep} chooses).
     *
     * @return {@code true} for the host step
     */
    public boolean usesHostStep() {
        return plan.kind() == StepKind.HOST;
    }

    /**
     * Returns whether a step updates only the rows its batch touches rather than whole tables
     * ({@link StepPlan#touchedRows()}; {@link CollabLearnerBuilder#optTrainingStep} chooses).
     *
     * @return {@code true} for touched-row updates
     */
    public boolean usesSparseUpdates() {
        return plan.touchedRows();
    }

    /**
     * Returns the training step the learner runs and why it was chosen
     * ({@link CollabLearnerBuilder#optTrainingStep}).
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
        return log.epochs();
    }

    /**
     * Returns every fit called so far, oldest first: the schedule, epochs and learning rate of each.
     *
     * @return the fits
     */
    public List<FitRecord> fits() {
        return log.fits();
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
     * Returns the fitted model as it is now: a snapshot of the weights, the id maps, each user's items (the
     * training data's, the initial model's and {@link CollabLearnerBuilder#optKnownInteractions}'s, which
     * recommendations leave out) and the provenance, as plain data that needs no engine to be saved, loaded or served (as Spark's {@code ALS.fit}
     * returns an {@code ALSModel}). Training on, or closing the learner, does not change it. An iALS learner whose
     * fit chose a popularity blend ({@link CollabLearnerBuilder#optPopularityBlend}, {@link #popularityBlend()})
     * returns its block with one more factor that carries it ({@link PopularityBlend}).
     *
     * <pre>{@code
     * learner.fittedModel().save(Path.of("movies.c4j"));
     * }</pre>
     *
     * @return the snapshot
     * @throws IllegalArgumentException if the block is not one Collab4J can save (a subclass of its blocks)
     */
    public TrainedModel fittedModel() {
        TrainedModel model = features.applyTo(blend.model(block, train, log.provenance(this), objective.name(),
                this.model.getNDManager()), block, objective);
        // A warm start on new ratings only still knows every user's items from the initial model.
        model = initModel == null ? model : model.withRatedItemsOf(initModel);
        return known == null ? model : model.withRatedItems(known);
    }

    /**
     * Returns the popularity blend the first {@link #fitAls} chose ({@link CollabLearnerBuilder#optPopularityBlend}).
     *
     * @return the choice, or empty before that fit, or when the learner does not blend
     */
    public java.util.Optional<PopularityBlend.Choice> popularityBlend() {
        return blend.choice();
    }

    /**
     * Describes the model for its provenance: the block, and each side's feature table (source, sizes, form).
     *
     * @return e.g. {@code EmbeddingDotBias(...); item features movies.csv (9742 ids, 21 features, ...)}
     */
    String modelDescription() {
        return features.describe(block);
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
                + ", device=" + device.device() + ", step=" + plan + ", epochs trained=" + log.epochs().size()
                + ", DJL " + Engine.getDjlVersion() + ", PyTorch " + model.getNDManager().getEngine().getVersion()
                + ")";
    }

    /**
     * Returns what the learner trains for.
     *
     * @return the objective ({@link Objective#mse()} unless the builder was given another)
     */
    public Objective getObjective() {
        return objective;
    }
}
