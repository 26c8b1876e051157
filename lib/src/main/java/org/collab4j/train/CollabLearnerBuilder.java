package org.collab4j.train;

import ai.djl.Device;
import ai.djl.nn.Parameter;

import org.collab4j.data.FeatureTable;
import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.engine.DeviceChoice;
import org.collab4j.engine.Engines;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.ParameterGroup;
import org.collab4j.model.YRange;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.objective.Ials;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.step.StepChoice;
import org.collab4j.train.step.StepKind;
import org.collab4j.train.step.StepPlanner;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link CollabLearner}: {@code CollabLearner.builder()}, the data ({@link #setData} or
 * {@link #setTrainData}), then the optional settings, then {@link #build()}, as DJL's builders.
 *
 * <pre>{@code
 * CollabLearner learner = CollabLearner.builder().setData(split)
 *         .optModel(EmbeddingDotBias.builder().optFactors(50))
 *         .optBatchSize(1024)
 *         .build();
 * }</pre>
 *
 * <p>It holds the settings and their defaults and checks them; the learner reads them once, when it is built.
 */
public final class CollabLearnerBuilder {

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

    Objective objective = Objective.mse();
    int rankingK = 10;
    int rankingUsers = DEFAULT_RANKING_USERS;

    Ratings train;
    Ratings valid;
    Ratings known;
    CollabBlock.BaseBuilder<?> model;
    CollabOptimizer optimizer;
    int batchSize = DEFAULT_BATCH_SIZE;
    long seed = 42;
    Device device;
    PrintStream out = System.out;
    Boolean progressBar;
    final List<FitListener> listeners = new ArrayList<>();
    final Map<ParameterGroup, Float> groupLearningRates = new EnumMap<>(ParameterGroup.class);
    Boolean decayBiases;
    boolean divergenceGuard = true;
    StepChoice trainingStep = StepChoice.AUTO;
    int lossEvery;
    int hostThreads = DEFAULT_HOST_THREADS;
    TrainedModel initModel;
    boolean foldInNewRows = true;
    FeatureTable itemFeatures;
    FeatureTable userFeatures;
    boolean idEmbeddings = true;
    boolean popularityBlend = true;

    /**
     * The weight decay of the default optimizer is {@value #DECAY_RATINGS} divided by the number of training ratings
     * ({@link #defaultWeightDecay}).
     */
    public static final double DECAY_RATINGS = 12_800;
    /** The smallest default weight decay (large data): fast.ai's 0.1. */
    public static final float MIN_DEFAULT_WEIGHT_DECAY = 0.1f;
    /** The largest default weight decay (small data). */
    public static final float MAX_DEFAULT_WEIGHT_DECAY = 1f;

    /** The default batch size. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    /** The default of {@link #optHostThreads}: the number of processors, at most 4. */
    public static final int DEFAULT_HOST_THREADS = Math.min(4, Runtime.getRuntime().availableProcessors());

    CollabLearnerBuilder() {}

    /**
     * Sets the training ratings and the validation ratings from one split (required, or
     * {@link #setTrainData}).
     *
     * @param split the split
     * @return this builder
     */
    public CollabLearnerBuilder setData(Split split) {
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
    public CollabLearnerBuilder setTrainData(Ratings train) {
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
    public CollabLearnerBuilder optValidData(Ratings valid) {
        this.valid = valid;
        return this;
    }

    /**
     * Sets interactions the fitted model knows without training on them (default none): each user's items in
     * {@code known} join that user's training items in {@link CollabLearner#fittedModel()}, so a
     * {@code Recommender} over it does not recommend them again (unless asked to). Give it whatever the users
     * interacted with that the training data leaves out: rows a ranking threshold gave weight 0, or a held-out
     * part of the same input when the model is served rather than evaluated. Rows are matched by id (ids the
     * model lacks are ignored; the values do not matter). The validation data is not known by default: a model
     * that knew it could not be evaluated on it.
     *
     * <p>To serve a model that learned from everything, measure on a split, then refit on all the rows with the
     * same settings and save that one (what {@code train --save} does without {@code --valid}):
     *
     * <pre>{@code
     * Split split = Splits.random(all, 0.2, 42);
     * try (CollabLearner probe = CollabLearner.builder().setData(split).build()) {
     *     probe.fitOneCycle(5, 5e-3f);   // the epoch table measures on split.valid()
     * }
     * try (CollabLearner learner = CollabLearner.builder().setTrainData(all).build()) {
     *     learner.fitOneCycle(5, 5e-3f);  // the same settings, every row
     *     learner.fittedModel().save(Path.of("movies.c4j"));
     * }
     * }</pre>
     *
     * @param known the interactions to know, or {@code null} for none
     * @return this builder
     */
    public CollabLearnerBuilder optKnownInteractions(Ratings known) {
        this.known = known;
        return this;
    }

    /**
     * Sets the model to train, as a block builder whose numbers of users and items the learner fills in from
     * the training data (default {@code EmbeddingDotBias.builder()}: 50 factors, the y-range of the training
     * ratings' scale, {@link #defaultYRange}: (0, 5.5) for stars up to 5). A block given here keeps its own
     * y-range.
     *
     * @param model the block builder
     * @return this builder
     */
    public CollabLearnerBuilder optModel(CollabBlock.BaseBuilder<?> model) {
        this.model = model;
        return this;
    }

    /**
     * Starts from a saved model instead of random weights (a warm start): training goes on from its weights on
     * the data given, which may hold users and items the model has never seen. The block is the model's (same
     * kind, factors and y-range; do not also call {@link #optModel}); its id maps are extended by the new ids
     * ({@link IdMap#extendedWith}), so the training data's indices are remapped and
     * {@link CollabLearner#getTrainData()} returns the remapped ratings; the model's users and items keep their
     * rows, and new users and items get new rows folded into the model from their training rows
     * ({@link #optFoldInNewRows}; random, seeded, when they have none on the model's ids). The optimizer's
     * state (Adam's moments, the step count) starts fresh, as in any new learner: a model file holds no optimizer
     * state, so this is a new fit from good weights rather than an exact resume, and a short one-cycle suits it:
     * {@code fitOneCycle(}{@link #DEFAULT_WARM_EPOCHS}{@code , }{@link #DEFAULT_WARM_LEARNING_RATE}{@code )}.
     * An {@link Objective#ials()} learner's {@link CollabLearner#fitAls} sweeps start from the model's factors (a
     * model trained by iALS).
     * A snapshot ({@code learner.fittedModel()}) records as each user's training items those of the data
     * given joined with those the initial model recorded, so the data may hold only the new ratings (then the
     * old users' rows move only where new ratings touch them).
     *
     * @param model the model to continue from
     * @return this builder
     */
    public CollabLearnerBuilder optInitModel(TrainedModel model) {
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
    public CollabLearnerBuilder optFoldInNewRows(boolean foldIn) {
        this.foldInNewRows = foldIn;
        return this;
    }

    /**
     * Sets the optimizer (default AdamW with β2 0.99, ε 1e-5, as fast.ai, and for ratings a weight decay that follows
     * the size of the training data, {@link #defaultWeightDecay}: 0.1 from 128,000 ratings, more below; 0.1 for a
     * ranking objective and a warm start).
     *
     * @param optimizer the optimizer
     * @return this builder
     */
    public CollabLearnerBuilder optOptimizer(CollabOptimizer optimizer) {
        this.optimizer = optimizer;
        return this;
    }

    /**
     * Sets the batch size (default {@value #DEFAULT_BATCH_SIZE}).
     *
     * @param batchSize the batch size, at least 1
     * @return this builder
     */
    public CollabLearnerBuilder optBatchSize(int batchSize) {
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
    public CollabLearnerBuilder optSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Forces the device (default: {@link Engines#chooseDevice()}, the GPU when there is one).
     *
     * @param device the device
     * @return this builder
     */
    public CollabLearnerBuilder optDevice(Device device) {
        this.device = device;
        return this;
    }

    /**
     * Sets where the epoch table is printed (default {@code System.out}; {@code null} prints nothing).
     *
     * @param out the stream, or {@code null}
     * @return this builder
     */
    public CollabLearnerBuilder optOutput(PrintStream out) {
        this.out = out;
        return this;
    }

    /**
     * Shows or hides the progress bar during an epoch (default: shown when the JVM has a console).
     *
     * @param progressBar whether to show it
     * @return this builder
     */
    public CollabLearnerBuilder optProgressBar(boolean progressBar) {
        this.progressBar = progressBar;
        return this;
    }

    /**
     * Adds listeners called at every fit: {@link EarlyStopping}, {@link BestWeights}, or your own.
     *
     * @param listeners the listeners, called in order
     * @return this builder
     */
    public CollabLearnerBuilder addListeners(FitListener... listeners) {
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
    public CollabLearnerBuilder optGroupLearningRate(ParameterGroup group, float multiplier) {
        if (!(multiplier >= 0f) || Float.isInfinite(multiplier)) {
            throw new IllegalArgumentException("learning rate multiplier of " + group
                    + " must be finite and >= 0, got " + multiplier);
        }
        groupLearningRates.put(group, multiplier);
        return this;
    }

    /**
     * Chooses whether the user and item bias tables get weight decay (default {@code false}; fast.ai decays them).
     * The biases of linear layers never do (fast.ai's {@code wd_bn_bias=False}). Decay pulls a bias towards 0,
     * that is every prediction towards the middle of the y-range, where the data's mean seldom lies: left out of
     * the decay, the biases are free to carry each user's and item's offset, which cut RMSE by 0.015 on inner
     * splits of both MovieLens' and FilmTrust's training files (docs/benchmarks.md, issue 26). A warm start
     * ({@link #optInitModel}) and a ranking objective (whose settings were chosen with them decayed, and which
     * {@code train --implicit} decays) decay them unless told otherwise.
     *
     * @param decayBiases whether bias tables are decayed
     * @return this builder
     */
    public CollabLearnerBuilder optDecayBiases(boolean decayBiases) {
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
    public CollabLearnerBuilder optDivergenceGuard(boolean guard) {
        this.divergenceGuard = guard;
        return this;
    }

    /**
     * Chooses the training step and its updates (default {@link StepChoice#AUTO}: the planner below chooses both):
     * the one step knob. The plan, with its reason, is logged once, kept in the model's provenance and shown by
     * {@link CollabLearner#toString()} and {@link CollabLearner#getStepPlan()}.
     *
     * <pre>{@code
     * optTrainingStep(StepChoice.AUTO)                     // the rule below (the default)
     * optTrainingStep(StepChoice.AUTO.touchedRows(true))   // the rule's step, touched-row updates
     * optTrainingStep(StepChoice.HOST.touchedRows(false))  // the host engine, dense updates
     * optTrainingStep(StepChoice.DEVICE)                   // the device engine (on the CPU too)
     * optTrainingStep(StepChoice.DJL)                      // DJL's own steps, to compare
     * }</pre>
     *
     * <p><b>The steps</b> ({@link StepKind}): {@link StepKind#HOST}, the host engine, plain Java over copies of the
     * tables of {@link org.collab4j.model.EmbeddingDot} and {@link EmbeddingDotBias} on the CPU (the server's
     * arithmetic, no native call per step); {@link StepKind#DEVICE}, the device engine, everything kept on the
     * training device (any block, no host-device copy per step); DJL's own {@link StepKind#DENSE} (every table
     * every step, the loss read per step; the device engine's weights) and {@link StepKind#TOUCHED} (distinct rows
     * found on the host).
     *
     * <p><b>Updates</b>: dense (every row of every table every step, fast.ai's semantics) or touched rows (the rows
     * a batch uses, and their optimizer state: a step then costs in proportion to the batch, not to the tables).
     * The host engine's touched rows catch up on the steps they missed (weight decay and momentum,
     * {@link CollabOptimizer#updateHostRows}), so they train the dense weights (on ml-latest-small RMSE 0.8392
     * against 0.8393 at batch size 64, 0.8460 against 0.8460 at 1024); with L2 decay
     * ({@link CollabOptimizer#catchesUpHostRows()} false), and in the device engine and DJL's touched-row step,
     * touched rows are lazy, as {@code torch.optim.SparseAdam}: a row outside the batch gets no decay and no
     * momentum that step, which costs accuracy when a batch holds a large share of the rows (about 0.005 RMSE at
     * batch size 1024 on ml-latest-small). With every row in every batch all modes compute the same numbers.
     *
     * <p><b>The rule</b>, for what is not asked:
     * <ol>
     *   <li>on the CPU, for {@code EmbeddingDot} and {@code EmbeddingDotBias} with an optimizer that
     *       {@link CollabOptimizer#supportsHostUpdates() supports host updates} (Collab4J's Adam, SGD, RMSProp):
     *       {@link StepKind#HOST}, with touched rows when a batch can touch fewer rows than the tables hold
     *       ({@code 2·batchSize < users + items}) and the optimizer catches rows up, else (L2 decay) when it
     *       touches at most {@value StepPlanner#SPARSE_AUTO_SHARE} of them; dense otherwise;
     *   <li>on a GPU: when the tables have more than 16 rows per example of a batch (a dense pass over the tables
     *       would then cost more than the batch), {@link StepKind#DEVICE} with touched rows (the index work on the
     *       device; {@link StepKind#TOUCHED} if the optimizer has no device update), else {@link StepKind#DEVICE};
     *   <li>on the CPU for other models or optimizers: {@link StepKind#TOUCHED} from
     *       {@value StepPlanner#SPARSE_AUTO_ROWS} user + item rows, else {@link StepKind#DEVICE};
     *   <li>{@link StepKind#DEVICE} becomes {@link StepKind#DENSE} (the same weights) when the optimizer has no
     *       {@link CollabOptimizer#supportsDeviceUpdates() device update}.
     * </ol>
     * A step asked for keeps the rule for its updates unless {@link StepChoice#touchedRows(boolean)} fixes them;
     * {@link StepChoice#AUTO}{@code .touchedRows(b)} keeps the rule for the step. {@link StepChoice#DJL} limits the
     * rule to DJL's own steps ({@link StepKind#DENSE}, or {@link StepKind#TOUCHED} from
     * {@value StepPlanner#SPARSE_AUTO_ROWS} rows on the CPU, above 16 rows per example on a GPU).
     *
     * <p><b>Ranking objectives</b> ({@link #optObjective}) train with their own steps, which the planner chooses
     * from the objective (the plan's reason names it): iALS with {@link StepKind#ALS} (anything but
     * {@link StepChoice#AUTO} is refused); the sampled objectives (BPR, the softmax, WARP) with
     * {@link StepKind#DEVICE_RANKING} (the device engine: positives, batches and negatives on the device, dense
     * updates) on a GPU, {@link StepKind#RANKING} (the host engine, touched rows) on the CPU or when the optimizer
     * has no device update. {@link StepChoice#DEVICE} and {@link StepChoice#HOST} ask for either on any device;
     * DJL's steps and fixed updates are refused. The device engine does not skip a user's own training items
     * among the negatives (pairwise) or beyond the positive itself (listwise), where the host engine does.
     *
     * <p><b>Side features</b> ({@link #optItemFeatures}, {@link #optUserFeatures}) train in the host or the device
     * engine, chosen as without features: {@link StepChoice#AUTO} takes the device engine on a GPU
     * ({@link StepKind#DEVICE} for ratings, {@link StepKind#DEVICE_RANKING} for the sampled objectives; the parts on
     * the device, each batch's rows combined there, dense updates) when the optimizer has a device update, else the
     * host engine ({@link StepKind#HOST} with the rule above for its updates, {@link StepKind#RANKING}), which is
     * also the choice on the CPU; iALS keeps {@link StepKind#ALS}. {@link StepChoice#HOST} and
     * {@link StepChoice#DEVICE} ask for either on any device (the device engine with dense updates only); DJL's
     * steps are refused with the reason, as is an optimizer the chosen engine cannot run. An {@code EmbeddingNet}
     * takes features as side columns of its block and trains with {@link StepKind#DENSE} only (MSE;
     * {@link StepChoice#AUTO} or {@link StepChoice#DENSE}).
     *
     * @param choice the step and its updates
     * @return this builder
     * @throws IllegalArgumentException from {@link #build()} if the step cannot run here (the host step on a GPU
     *     or for another model or optimizer; the device step with an optimizer without device updates; a rating
     *     step or fixed updates with a ranking objective, anything but auto with iALS)
     */
    public CollabLearnerBuilder optTrainingStep(StepChoice choice) {
        if (choice == null) {
            throw new IllegalArgumentException("the training step must not be null (StepChoice.AUTO chooses)");
        }
        this.trainingStep = choice;
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
    public CollabLearnerBuilder optLossEvery(int batches) {
        if (batches < 0) {
            throw new IllegalArgumentException("the loss cadence must be at least 0 (0: default), got "
                    + batches);
        }
        this.lossEvery = batches;
        return this;
    }

    /**
     * Sets how many threads the host step may use (default: the number of processors, at most 4): each batch's
     * catch-up of its rows, scores, gradient sums and optimizer update are split over them, every value computed on
     * one thread in the same order as on one, so the results are the same for any number of threads. Work of fewer
     * than 1,024 values per thread stays on the calling thread; the helpers spin between a batch's pieces, so on a
     * machine with fewer free cores than threads, fewer threads can be faster (docs/benchmarks.md). PyTorch's own
     * threads are set apart ({@code -Dcollab4j.threads}).
     *
     * @param threads the threads, at least 1 (1: all on the calling thread)
     * @return this builder
     */
    public CollabLearnerBuilder optHostThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.hostThreads = threads;
        return this;
    }

    /**
     * Gives the items side features (default none): a hybrid model in LightFM's form, where an item's factor row
     * is its id embedding ({@link #optIdEmbeddings}) plus the mean of its features' vectors, and its bias likewise
     * (when the block has biases). The table is aligned to the training data's item ids
     * ({@link FeatureTable#alignedTo}): an item it does not list has no features (its row is its id embedding);
     * an item it lists that the training data lacks is not trained, and the fitted model serves it from its
     * features ({@link org.collab4j.io.TrainedModel#features}).
     *
     * <p>The gradient objectives (MSE, BPR, WARP, the softmax) train the id embeddings and the features' vectors
     * together, in the host engine ({@code StepKind.HOST} / {@code RANKING}) or the device engine
     * ({@code StepKind.DEVICE} / {@code DEVICE_RANKING}), by {@link #optTrainingStep}'s rule; DJL's steps do not
     * train feature vectors, and asking for them is refused. iALS solves the rows as without
     * features, then fits the features' vectors to the solved rows by ridge regression (Gantner et al. 2010),
     * which serve items from their features alone. The fitted model's factor tables hold every trained item's
     * combined row, and {@link CollabLearner#fittedModel()} carries the vectors
     * ({@code TrainedModel.withFeatures(Side.ITEMS, ...)}).
     *
     * <p>With an {@link org.collab4j.model.EmbeddingNet} the features are instead side columns of the net (lesson
     * 4's tabular model, {@code EmbeddingNet.Builder.optItemFeatures}): the mean of an item's categorical features'
     * vectors and its numeric values, appended to its embedding before the MLP, trained with DJL's dense step and
     * MSE. The fitted model holds the folded form (item rows {@code [embedding, side columns]}) and serves new items
     * from their features with a zero id embedding; {@code optIdEmbeddings(false)} is refused (the net always has
     * its id embeddings).
     *
     * @param features the items' features, or {@code null} for none
     * @return this builder
     */
    public CollabLearnerBuilder optItemFeatures(FeatureTable features) {
        this.itemFeatures = features;
        return this;
    }

    /**
     * Gives the users side features (default none), as {@link #optItemFeatures} does the items.
     *
     * @param features the users' features, or {@code null} for none
     * @return this builder
     */
    public CollabLearnerBuilder optUserFeatures(FeatureTable features) {
        this.userFeatures = features;
        return this;
    }

    /**
     * Sets whether an entity with side features keeps its own id embedding beside them (default {@code true},
     * LightFM's usual form: row = id embedding + mean of the features' vectors). Without, a row is the mean of its
     * features' vectors alone: entities with the same features get the same row, and an entity without features a
     * zero row. Matters only with {@link #optItemFeatures} or {@link #optUserFeatures}.
     *
     * @param idEmbeddings whether to keep id embeddings
     * @return this builder
     */
    public CollabLearnerBuilder optIdEmbeddings(boolean idEmbeddings) {
        this.idEmbeddings = idEmbeddings;
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
    public CollabLearnerBuilder optObjective(Objective objective) {
        if (objective == null) {
            throw new NullPointerException("objective");
        }
        if (objective instanceof org.collab4j.train.objective.Ease) {
            throw new IllegalArgumentException("EASE is solved in closed form, not trained by a learner: use"
                    + " org.collab4j.train.ease.EaseTrainer (train --implicit --loss ease)");
        }
        this.objective = objective;
        return this;
    }

    /**
     * Chooses whether an iALS learner ({@link Objective#ials()}) blends item popularity into its fitted model where
     * an inner holdout of the training data says it helps (default {@code true}; {@link PopularityBlend}): the
     * first {@link CollabLearner#fitAls} then also fits the same sweeps on 80 % of each user's rows and scores
     * the blend weights on the rest, and {@link CollabLearner#fittedModel()} carries the weight chosen as one more
     * factor ({@code w = 0}: no blend, the model as trained). A warm start never blends; other objectives ignore
     * it (BPR's and the softmax's item bias carries popularity).
     *
     * @param blend whether to blend
     * @return this builder
     */
    public CollabLearnerBuilder optPopularityBlend(boolean blend) {
        this.popularityBlend = blend;
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
    public CollabLearnerBuilder optRankingMetrics(int k, int users) {
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

    /**
     * Returns the block to build, before the learner sets its numbers of users and items: a warm start keeps the
     * initial model's architecture; otherwise the block given ({@link #optModel}), or the objective's default.
     */
    CollabBlock.BaseBuilder<?> blockBuilder() {
        if (initModel != null) {
            return initModel.getConfig().toBuilder();
        }
        if (model != null) {
            return model;
        }
        if (!objective.isRanking()) {
            return EmbeddingDotBias.builder().optYRange(defaultYRange(train));
        }
        return objective instanceof Ials
                ? EmbeddingDot.builder().optFactors(DEFAULT_RANKING_FACTORS).optYRange(null)
                : EmbeddingDotBias.builder().optFactors(DEFAULT_RANKING_FACTORS).optYRange(null);
    }

    /**
     * The optimizer set, or the default: AdamW with {@link #defaultWeightDecay} for ratings, 0.1 for a ranking
     * objective and a warm start ({@link #optOptimizer}).
     */
    CollabOptimizer optimizer() {
        if (optimizer != null) {
            return optimizer;
        }
        // A warm start keeps the settings its short fit was chosen with (issue 14): fast.ai's decay. The rule that
        // follows the data was chosen for the rating model; the sampled ranking losses keep 0.1, as `train` does.
        float wd = initModel != null || objective.isRanking() ? MIN_DEFAULT_WEIGHT_DECAY
                : defaultWeightDecay(train.size());
        return Adam.builder().optWeightDecay(wd).build();
    }

    /**
     * Whether bias tables are decayed: as set, else not, except in a warm start and for a ranking objective
     * ({@link #optDecayBiases}).
     */
    boolean decayBiases() {
        return decayBiases != null ? decayBiases : initModel != null || objective.isRanking();
    }

    /**
     * The weight decay of the default optimizer (and of {@code train}'s {@code --wd}) for some training data:
     * {@value #DECAY_RATINGS} divided by the number of training ratings, within [{@value #MIN_DEFAULT_WEIGHT_DECAY},
     * {@value #MAX_DEFAULT_WEIGHT_DECAY}] (at batch size 64, 200 divided by the steps of an epoch). AdamW shrinks
     * every row by {@code lr · wd} at every step, so a fixed weight decay regularises small data less than large
     * data, per epoch; this keeps the shrinkage of an epoch at batch size 64 about the same. Chosen on inner splits
     * of MovieLens' (64,535 ratings: 0.198) and FilmTrust's (22,718: 0.563) training files, whose best weight decays
     * (with the bias tables out of the decay) were about 0.2–0.3 and 0.5 (docs/benchmarks.md, issue 26); from
     * 128,000 ratings it is fast.ai's 0.1, as before. It does not grow with the batch size: at batch size 1024,
     * where the fit takes 16 times fewer steps, 200 per epoch's steps (1.0) was worse on both inner splits.
     *
     * @param ratings the number of training ratings
     * @return the weight decay
     */
    public static float defaultWeightDecay(long ratings) {
        double wd = DECAY_RATINGS / Math.max(1, ratings);
        return (float) Math.max(MIN_DEFAULT_WEIGHT_DECAY, Math.min(MAX_DEFAULT_WEIGHT_DECAY, wd));
    }

    /**
     * The y-range of the default rating block for some training ratings: {@link YRange#forRatings} of their
     * smallest and largest rating and the step of their scale ({@link Ratings#ratingStep()}); (0, 5.5) when a rating
     * is so large that training must fail (a data error, which the check before training then names).
     *
     * @param ratings the training ratings, at least one
     * @return the range
     */
    public static YRange defaultYRange(Ratings ratings) {
        if (TrainingDataCheck.overflowingRating(ratings, null, 1) >= 0) {
            // A rating so large that training must fail is a data error: the range does not stretch to it, so the
            // check before training names it.
            return YRange.MOVIELENS;
        }
        return YRange.forRatings(ratings.minRating(), ratings.maxRating(), ratings.ratingStep());
    }

    /** Whether to show the progress bar: as set, or when the JVM has a console ({@link #optProgressBar}). */
    boolean progressBar() {
        return progressBar != null ? progressBar : System.console() != null;
    }

    /** The device set, or the one {@link Engines#chooseDevice()} chooses ({@link #optDevice}). */
    DeviceChoice deviceChoice() {
        return device != null ? new DeviceChoice(device, "chosen by the caller") : Engines.chooseDevice();
    }

    /**
     * Applies the parameter-group settings to one of the block's parameters: weight decay
     * ({@link #optDecayBiases}; fast.ai never decays the biases of linear layers, bias tables only when asked not
     * to) and the group's learning-rate multiple ({@link #optGroupLearningRate}).
     */
    void applyParameterGroups(CollabOptimizer optimizer, String name, Parameter p) {
        applyParameterGroups(optimizer, name, p, p.getId());
    }

    /**
     * Applies the settings of one of the block's parameters to state keyed by {@code id}: the parameter's own, or
     * the side features' parts of that table ({@code SideFeatures.vectorId()}), which follow their table's group.
     */
    void applyParameterGroups(CollabOptimizer optimizer, String name, Parameter p, String id) {
        if (p.getType() == Parameter.Type.BIAS || !decayBiases() && ParameterGroup.isBias(name, p)) {
            optimizer.excludeFromWeightDecay(id);
        }
        Float multiplier = groupLearningRates.get(ParameterGroup.of(name));
        if (multiplier != null) {
            optimizer.setLearningRateMultiplier(id, multiplier);
        }
    }
}
