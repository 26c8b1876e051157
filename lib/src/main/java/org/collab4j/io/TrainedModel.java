package org.collab4j.io;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.kernel.Csr;
import org.collab4j.kernel.FactorTable;
import org.collab4j.kernel.ItemItemModel;
import org.collab4j.kernel.ParameterNames;
import org.collab4j.kernel.Side;
import org.collab4j.model.BlockKind;
import org.collab4j.model.CollabBlock;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained model as plain data: the block's configuration, its weights, the user and item ids, which items each
 * user rated in training, the training mean rating, and the {@link Provenance}. It holds no native memory, never
 * changes, and is safe to share between threads.
 *
 * <pre>{@code
 * TrainedModel model = learner.fittedModel();         // a snapshot: training on does not change it
 * model.save(Path.of("movies.c4j"));                  // one file, written atomically
 * TrainedModel same = TrainedModel.load(Path.of("movies.c4j"));
 * Recommender recommender = Recommender.of(same);
 * }</pre>
 *
 * <p>The file is a zip archive; {@code docs/serving.md} describes its entries. Loading checks its checksums, its
 * format version and every size in it against the bytes really there before allocating anything, and fails with a
 * {@link ModelFormatException} naming the file and the problem. Loading, saving and serving are plain Java: they
 * need neither DJL's engine nor PyTorch; only {@link #newBlock} (and snapshotting a block) does.
 *
 * <p><b>Java serialization.</b> A model is {@link Serializable} through a serial form of plain arrays: the entries
 * of its model file (names and bytes, without the checksums), which needs neither PyTorch nor any DJL engine to read
 * back: that is how a Spark job ships it to its executors (a broadcast), where a {@code Recommender} scores in plain
 * Java. Reading it back runs the same checks as loading a file (every size against the configuration's layout, no
 * NaN or infinite weight, valid ids and rated items) and fails with an {@link InvalidObjectException} saying what is
 * wrong. It is a transport between JVMs of the same Collab4J version, not a file format: save files with
 * {@link #save(Path)}.
 */
public final class TrainedModel implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * The newest model file format this version of Collab4J writes and reads: 3, whose files carry a hybrid model's
     * {@link FeatureEmbeddings}. A model without them is written as format 2, which older versions read too.
     */
    public static final int FORMAT_VERSION = 3;

    /** The objective of every model trained for ratings with the mean squared error, and of every v1 file. */
    public static final String DEFAULT_OBJECTIVE = "mse";

    /**
     * The objectives a model file may name; {@link #load} refuses any other, as it refuses an unknown block, so
     * that a file cannot make a server treat a model as trained for a loss it was not. io does not depend on
     * train, so the names live here: a new objective registers its name here too.
     */
    public static final java.util.Set<String> KNOWN_OBJECTIVES = java.util.Set.of("mse", "ials", "bpr", "softmax",
            "warp", "ease");

    private final BlockConfig config;
    private final IdMap users;
    private final IdMap items;
    private final double globalMean;
    /** Each user's distinct training items, ascending: a row per user. */
    private final Csr rated;
    private final Map<String, float[]> weights;
    private final Provenance provenance;
    private final String objective;
    /** Views of the factor weights (not copies), with the columns and norms the scorers derive made once. */
    private final transient FactorTable userTable;
    private final transient FactorTable itemTable;
    /** A hybrid model's feature vectors by side, or null (issue 27). */
    private final FeatureEmbeddings userFeatures;
    private final FeatureEmbeddings itemFeatures;
    /** An item-item model's history items per user (its weights are {@code historyValues}), else null. */
    private final Csr history;
    /** A sparse item-item matrix's rows (the columns each keeps), else null. */
    private final Csr matrix;
    /** An item-item model's scores over {@code itemItem} and the histories, else null. */
    private final transient ItemItemModel itemItem;

    /**
     * Takes ownership of its arguments: callers pass fresh arrays and maps, the weights in the order and with the
     * sizes of {@link BlockConfig#layout()}.
     */
    TrainedModel(BlockConfig config, IdMap users, IdMap items, double globalMean, Csr rated,
            Map<String, float[]> weights, Provenance provenance, String objective) {
        this(config, users, items, globalMean, rated, weights, provenance, objective, null, null, null, null, null,
                null);
    }

    /** As above, for an item-item model with its users' history items ({@code null} for a factor model). */
    TrainedModel(BlockConfig config, IdMap users, IdMap items, double globalMean, Csr rated,
            Map<String, float[]> weights, Provenance provenance, String objective, Csr history, Csr matrix) {
        this(config, users, items, globalMean, rated, weights, provenance, objective, null, null, null, null,
                history, matrix);
    }

    /** As above, sharing the tables of a model with the same weights (and so their derived views). */
    private TrainedModel(BlockConfig config, IdMap users, IdMap items, double globalMean, Csr rated,
            Map<String, float[]> weights, Provenance provenance, String objective, FactorTable userTable,
            FactorTable itemTable, FeatureEmbeddings userFeatures, FeatureEmbeddings itemFeatures, Csr history,
            Csr matrix) {
        this.config = config;
        this.users = users;
        this.items = items;
        this.globalMean = globalMean;
        this.rated = rated;
        this.weights = Collections.unmodifiableMap(weights);
        this.provenance = provenance;
        this.objective = checkObjective(objective);
        this.userFeatures = userFeatures;
        this.itemFeatures = itemFeatures;
        this.history = history;
        this.matrix = matrix;
        if (config.kind() == BlockKind.ITEM_ITEM) {
            if (history == null || history.rows() != users.size()) {
                throw new IllegalArgumentException("an item-item model needs a history row per user");
            }
            this.itemItem = matrix == null ? new ItemItemModel(config.numItems(), weights.get(ParameterNames.ITEM_ITEM),
                    history, weights.get(ParameterNames.HISTORY_VALUES)) : ItemItemModel.sparse(config.numItems(),
                    matrix, weights.get(ParameterNames.ITEM_ITEM), history, weights.get(ParameterNames.HISTORY_VALUES));
            this.userTable = null;
            this.itemTable = null;
            return;
        }
        this.itemItem = null;
        boolean biases = config.hasBiases();
        this.userTable = userTable != null ? userTable : FactorTable.of(weights.get(ParameterNames.USER_FACTORS),
                config.userFactors(), biases ? weights.get(ParameterNames.USER_BIAS) : null);
        this.itemTable = itemTable != null ? itemTable : FactorTable.of(weights.get(ParameterNames.ITEM_FACTORS),
                config.itemFactors(), biases ? weights.get(ParameterNames.ITEM_BIAS) : null);
    }

    private static String checkObjective(String objective) {
        if (objective == null || !objective.matches("[a-z0-9][a-z0-9_-]{0,31}")) {
            throw new IllegalArgumentException("the objective '" + objective + "' must be a short lower-case name"
                    + " such as mse, bpr, softmax or ials (letters, digits, '-' and '_', at most 32)");
        }
        return objective;
    }

    /**
     * This model with each user's training items joined with those {@code earlier} recorded (a warm start from
     * {@code earlier}, whose users keep their indices): the users and items it was trained on stay known even
     * when the warm start's data holds only new ratings. {@code CollabLearner#fittedModel()} calls it when the
     * learner was built with an initial model. The weights are shared, not copied: both models are immutable.
     *
     * @param earlier the model this one was warm-started from
     * @return this model with the union of both models' training items per user
     */
    public TrainedModel withRatedItemsOf(TrainedModel earlier) {
        int n = users.size();
        int shared = Math.min(n, earlier.users.size());
        int both = rated.size() + earlier.rated.start(shared);
        int[] rowOf = new int[both];
        int[] itemOf = new int[both];
        int e = 0;
        for (Csr csr : List.of(rated, earlier.rated)) {
            int rows = csr == rated ? n : shared;
            for (int u = 0; u < rows; u++) {
                for (int k = csr.start(u); k < csr.end(u); k++) {
                    rowOf[e] = u;
                    itemOf[e++] = csr.columns()[k];
                }
            }
        }
        return new TrainedModel(config, users, items, globalMean, Csr.of(n, rowOf, itemOf).sortedDistinct(),
                weights, provenance, objective, userTable, itemTable, userFeatures, itemFeatures, history, matrix);
    }

    /**
     * This model with the search that chose its settings in its provenance ({@code CollabTuner} calls it on the
     * refit model). The weights are shared, not copied.
     *
     * @param tuning the search's trials and choice
     * @return this model with {@code getProvenance().tuning()} set
     */
    public TrainedModel withTuning(Provenance.Tuning tuning) {
        Provenance p = provenance != null ? provenance : Provenance.minimal(config.toString(), 0);
        return new TrainedModel(config, users, items, globalMean, rated, weights, p.withTuning(tuning), objective,
                userTable, itemTable, userFeatures, itemFeatures, history, matrix);
    }

    /**
     * This model with each user's training items joined with the items that user has in {@code known}: rows the
     * model did not train on but must not recommend again, e.g. a held-out validation part of the same input, or
     * rows a ranking threshold gave weight 0. {@code known} is matched by id; its users and items the model does
     * not have are ignored, and its rating values do not matter. {@code CollabLearner#fittedModel()} calls it for
     * {@code CollabLearnerBuilder#optKnownInteractions}. The weights are shared, not copied.
     *
     * @param known the interactions to know
     * @return this model with the union of its training items and {@code known}'s per user
     */
    public TrainedModel withRatedItems(Ratings known) {
        return withRatedItemsOf(new TrainedModel(config, users, items, globalMean,
                ratedItems(known.reindex(users, items)), weights, provenance, objective, userTable, itemTable,
                userFeatures, itemFeatures, history, matrix));
    }

    /**
     * This model cut to the users with indices {@code [from, to)}: their ids (renumbered from 0), factor rows,
     * biases and training items, and every item with all the item-side weights, which are shared, not copied.
     * A {@code Recommender} over the slice knows only the items the slice's users rated;
     * {@code Recommender.itemSide()} keeps the whole model's counts.
     *
     * @param from the first user index
     * @param to one past the last; a model keeps at least one user, so {@code to > from}
     * @return the slice
     * @throws IllegalArgumentException if the range is empty or not within the model's users
     */
    public TrainedModel userSlice(int from, int to) {
        if (from < 0 || to <= from || to > users.size()) {
            throw new IllegalArgumentException("the user range [" + from + ", " + to + ") must be non-empty and lie"
                    + " within [0, " + users.size() + "]");
        }
        int n = to - from;
        Csr slicedHistory = history == null ? null : history.slice(from, to);
        BlockConfig sliced = new BlockConfig(config.kind(), n, config.numItems(), config.userFactors(),
                config.itemFactors(), config.yRange(), config.hidden(), config.embeddingDropout(),
                config.hiddenDropout(), slicedHistory == null ? 0 : slicedHistory.size(), config.matrixSize());
        Map<String, float[]> sliceWeights = new LinkedHashMap<>();
        for (Map.Entry<String, float[]> e : weights.entrySet()) {
            String name = e.getKey();
            float[] w = e.getValue();
            if (name.equals(ParameterNames.HISTORY_VALUES)) {
                sliceWeights.put(name, Arrays.copyOfRange(w, history.start(from), history.start(to)));
                continue;
            }
            int width = name.equals(ParameterNames.USER_FACTORS) ? config.userFactors()
                    : name.equals(ParameterNames.USER_BIAS) ? 1 : 0;
            sliceWeights.put(name, width == 0 ? w : Arrays.copyOfRange(w, from * width, to * width));
        }
        return new TrainedModel(sliced, IdMap.of(users.ids().subList(from, to)), items, globalMean,
                rated.slice(from, to), sliceWeights, provenance, objective, null, itemTable, userFeatures,
                itemFeatures, slicedHistory, matrix);
    }

    /**
     * This model with rows set for some ids of one side: an id the model has keeps its index and gets the new row,
     * an id it lacks is appended (a new item or user, with no training ratings). This is how a recommender serves
     * entities the model has not seen from their features ({@link FeatureEmbeddings#combine}); the other side's
     * tables and the other weights are shared, not copied.
     *
     * @param side the side
     * @param ids the ids, distinct
     * @param factors their factor rows, row-major, {@code ids.size() × } the side's factors
     * @param biases their biases, one per id, for a model with biases; {@code null} otherwise
     * @return the model
     * @throws IllegalArgumentException if the sizes disagree, an id repeats, a value is not finite, or the model is
     *     an item-item one (it has no factor rows)
     */
    public TrainedModel withRows(Side side, List<String> ids, float[] factors, float[] biases) {
        if (itemItem != null) {
            throw new IllegalArgumentException("an item-item model has no factor rows to add " + side.noun()
                    + " rows to");
        }
        boolean users = side == Side.USERS;
        int k = users ? config.userFactors() : config.itemFactors();
        boolean hasBias = config.hasBiases();
        IdMap added = IdMap.of(ids);
        if (factors.length != (long) ids.size() * k || hasBias != (biases != null)
                || biases != null && biases.length != ids.size()) {
            throw new IllegalArgumentException(ids.size() + " " + side.noun() + " rows need " + ids.size() + " × "
                    + k + " factors" + (hasBias ? " and as many biases as rows" : " and no biases"));
        }
        for (float v : factors) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("a " + side.noun() + " row holds " + v);
            }
        }
        IdMap before = users ? this.users : items;
        IdMap after = before.extendedWith(added);
        String factorName = users ? ParameterNames.USER_FACTORS : ParameterNames.ITEM_FACTORS;
        String biasName = users ? ParameterNames.USER_BIAS : ParameterNames.ITEM_BIAS;
        float[] table = Arrays.copyOf(weights.get(factorName), Math.multiplyExact(after.size(), k));
        float[] bias = hasBias ? Arrays.copyOf(weights.get(biasName), after.size()) : null;
        for (int n = 0; n < ids.size(); n++) {
            int row = after.indexOf(ids.get(n));
            System.arraycopy(factors, n * k, table, row * k, k);
            if (bias != null) {
                if (!Float.isFinite(biases[n])) {
                    throw new IllegalArgumentException("a " + side.noun() + " bias is " + biases[n]);
                }
                bias[row] = biases[n];
            }
        }
        Map<String, float[]> newWeights = new LinkedHashMap<>(weights);
        newWeights.put(factorName, table);
        if (bias != null) {
            newWeights.put(biasName, bias);
        }
        BlockConfig grown = new BlockConfig(config.kind(), users ? after.size() : config.numUsers(),
                users ? config.numItems() : after.size(), config.userFactors(), config.itemFactors(),
                config.yRange(), config.hidden(), config.embeddingDropout(), config.hiddenDropout());
        Csr newRated = rated;
        if (users && after.size() > rated.rows()) {
            int[] offsets = Arrays.copyOf(rated.offsets(), after.size() + 1);
            Arrays.fill(offsets, rated.rows() + 1, offsets.length, rated.size());
            newRated = Csr.wrap(offsets, rated.columns());
        }
        return new TrainedModel(grown, users ? after : this.users, users ? items : after, globalMean, newRated,
                newWeights, provenance, objective, users ? null : userTable, users ? itemTable : null, userFeatures,
                itemFeatures, null, null);
    }

    /**
     * One model that scores as the average of several dot models trained alike, with different seeds (a seed
     * average, {@code org.collab4j.train.SeedAverage}): its raw score is the mean of theirs, squashed into the shared
     * y-range only then, so its prediction is {@code sigmoidRange(mean_j(u_j·i_j + b_uj + b_ij))} rather than the
     * mean of their ratings. The mean of dot products is a dot product of concatenations, so the model is an
     * ordinary block of the same kind: each user's and item's rows are the members' rows one after the other, each
     * scaled by {@code 1/√n} ({@code (u_1·i_1 + … + u_n·i_n)/n}), and each bias is the mean of the members' biases. It
     * is saved, loaded and served as any model of that kind, with {@code n} times the factors.
     *
     * <p>The provenance is the first model's (its seed, fits and epoch table), its description naming the average.
     * Each user's training items are the union of the models'.
     *
     * @param models the models: {@code EmbeddingDot} or {@code EmbeddingDotBias}, all of one kind, y-range and
     *     objective, over the same user and item ids (trained on the same data), without side features
     * @return the average; the model itself when there is one
     * @throws IllegalArgumentException if there is no model or the models differ in any of those
     */
    public static TrainedModel average(List<TrainedModel> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("averaging needs at least one model");
        }
        TrainedModel first = models.get(0);
        BlockKind kind = first.config.kind();
        if (kind != BlockKind.EMBEDDING_DOT && kind != BlockKind.EMBEDDING_DOT_BIAS) {
            throw new IllegalArgumentException("only dot models (EmbeddingDot, EmbeddingDotBias) can be averaged into"
                    + " one model, not " + kind.blockName() + ": train dot or dotbias, or average one model");
        }
        int factors = 0;
        for (TrainedModel m : models) {
            if (m.config.kind() != kind || !java.util.Objects.equals(m.config.yRange(), first.config.yRange())
                    || !m.objective.equals(first.objective)) {
                throw new IllegalArgumentException("the models to average must share their kind, y-range and"
                        + " objective: " + first.config + " (" + first.objective + ") and " + m.config + " ("
                        + m.objective + ")");
            }
            if (!m.users.equals(first.users) || !m.items.equals(first.items)) {
                throw new IllegalArgumentException("the models to average must have the same user and item ids in"
                        + " the same order: train them on the same ratings");
            }
            if (m.userFeatures != null || m.itemFeatures != null) {
                throw new IllegalArgumentException("a hybrid model (with side features) cannot be averaged into one"
                        + " model");
            }
            factors = Math.addExact(factors, m.config.userFactors());
        }
        if (models.size() == 1) {
            return first;
        }
        int n = models.size();
        float scale = (float) (1 / Math.sqrt(n));
        Map<String, float[]> weights = new LinkedHashMap<>();
        weights.put(ParameterNames.USER_FACTORS, concatenated(models, ParameterNames.USER_FACTORS,
                first.users.size(), factors, scale));
        weights.put(ParameterNames.ITEM_FACTORS, concatenated(models, ParameterNames.ITEM_FACTORS,
                first.items.size(), factors, scale));
        if (kind == BlockKind.EMBEDDING_DOT_BIAS) {
            for (String name : List.of(ParameterNames.USER_BIAS, ParameterNames.ITEM_BIAS)) {
                float[] mean = new float[first.weights.get(name).length];
                for (TrainedModel m : models) {
                    float[] b = m.weights.get(name);
                    for (int r = 0; r < mean.length; r++) {
                        mean[r] += b[r] / n;
                    }
                }
                weights.put(name, mean);
            }
        }
        BlockConfig config = new BlockConfig(kind, first.config.numUsers(), first.config.numItems(), factors,
                factors, first.config.yRange(), first.config.hidden(), first.config.embeddingDropout(),
                first.config.hiddenDropout());
        Provenance p = first.provenance != null ? first.provenance : Provenance.minimal(first.config.toString(), 0);
        List<String> seeds = models.stream().map(m -> m.provenance == null || m.provenance.seed() == null ? "?"
                : String.valueOf(m.provenance.seed())).toList();
        String description = config + " = the average of " + n + " models trained alike (seeds "
                + String.join(", ", seeds) + "; scores averaged before the y-range), each " + p.model();
        Provenance described = new Provenance(description, p.seed(), p.batchSize(), p.optimizer(), p.weightDecay(),
                p.fits(), p.history(), p.device(), p.deviceReason(), p.djlVersion(), p.engineVersion(),
                p.trainRatings(), p.validRatings(), p.createdAt(), p.trainingStep(), p.tuning());
        TrainedModel average = new TrainedModel(config, first.users, first.items, first.globalMean, first.rated,
                weights, described, first.objective);
        for (TrainedModel m : models.subList(1, n)) {
            average = average.withRatedItemsOf(m);
        }
        return average;
    }

    /** The members' rows of one table side by side, each member's scaled by {@code scale}. */
    private static float[] concatenated(List<TrainedModel> models, String name, int rows, int factors, float scale) {
        float[] wide = new float[Math.multiplyExact(rows, factors)];
        int offset = 0;
        for (TrainedModel m : models) {
            int k = m.config.userFactors();
            float[] w = m.weights.get(name);
            for (int r = 0; r < rows; r++) {
                for (int f = 0; f < k; f++) {
                    wide[r * factors + offset + f] = w[r * k + f] * scale;
                }
            }
            offset += k;
        }
        return wide;
    }

    /**
     * Snapshots an initialised block trained outside {@code CollabLearner} (e.g. with a plain DJL {@code Trainer}),
     * with the objective {@value #DEFAULT_OBJECTIVE}. A learner's model is {@code learner.fittedModel()}.
     *
     * @param block the trained block: an {@code EmbeddingDot}, {@code EmbeddingDotBias} or {@code EmbeddingNet}
     * @param train the ratings it was trained on, whose id maps index the block's rows
     * @param provenance how it was trained, or {@code null} for {@link Provenance#minimal} with the block's DJL
     *     and engine versions
     * @return the snapshot
     * @throws IllegalArgumentException if the block cannot be saved or does not match the ratings' id maps
     * @throws IllegalStateException if the block is not initialised
     */
    public static TrainedModel of(CollabBlock block, Ratings train, Provenance provenance) {
        return of(block, train, provenance, DEFAULT_OBJECTIVE);
    }

    /**
     * Snapshots an initialised block with the objective it was trained for.
     *
     * @param block the trained block: an {@code EmbeddingDot}, {@code EmbeddingDotBias} or {@code EmbeddingNet}
     * @param train the ratings it was trained on, whose id maps index the block's rows
     * @param provenance how it was trained, or {@code null} as in {@link #of(CollabBlock, Ratings, Provenance)}
     * @param objective the loss it was trained with, e.g. {@code mse}, {@code bpr}, {@code softmax}, {@code ials}
     * @return the snapshot
     * @throws IllegalArgumentException if the block cannot be saved, does not match the ratings' id maps, or the
     *     objective is not a short lower-case name
     * @throws IllegalStateException if the block is not initialised
     */
    public static TrainedModel of(CollabBlock block, Ratings train, Provenance provenance, String objective) {
        checkObjective(objective);
        return DjlBlocks.snapshot(block, train, provenance, objective);
    }

    /**
     * Makes an item-item model (EASE, {@code org.collab4j.train.ease.EaseTrainer}): {@code score(u, i) =
     * Σ_{j ∈ history(u)} x_uj · B[j, i]}. Served by the {@code Recommender} in plain Java; a new user is folded in
     * as their history row.
     *
     * @param users the user ids, one history row each
     * @param items the item ids, the rows and columns of {@code weights}
     * @param rated each user's items to leave out of recommendations (distinct and ascending per row)
     * @param history each user's history items (distinct and ascending per row): the {@code x_u} scores sum over
     * @param historyValues each history entry's weight {@code x_uj}, aligned with {@code history}'s columns
     * @param weights {@code B}, row-major {@code n × n}, zero diagonal; owned by the model from now on
     * @param globalMean the mean of the training values
     * @param provenance how it was trained
     * @param objective the objective, e.g. {@code ease}
     * @return the model
     * @throws IllegalArgumentException if the sizes disagree, a weight is not finite or the diagonal is not 0
     */
    public static TrainedModel itemItem(IdMap users, IdMap items, Csr rated, Csr history, float[] historyValues,
            float[] weights, double globalMean, Provenance provenance, String objective) {
        return itemItem(users, items, rated, history, historyValues, null, weights, globalMean, provenance, objective);
    }

    /**
     * Makes an item-item model whose matrix {@code B} is sparse: row {@code j} keeps the columns {@code matrix}
     * lists (ascending, never {@code j}), every other entry 0; otherwise as the dense
     * {@link #itemItem(IdMap, IdMap, Csr, Csr, float[], float[], double, Provenance, String)}.
     *
     * @param users the user ids
     * @param items the item ids
     * @param rated each user's items to leave out of recommendations
     * @param history each user's history items
     * @param historyValues each history entry's weight
     * @param matrix {@code B}'s rows (the columns each keeps), or {@code null} for a dense {@code weights}
     * @param weights the kept entries' values, aligned with {@code matrix}'s columns (or the dense matrix)
     * @param globalMean the mean of the training values
     * @param provenance how it was trained
     * @param objective the objective, e.g. {@code ease}
     * @return the model
     * @throws IllegalArgumentException if the sizes disagree, a weight is not finite or the diagonal is kept
     */
    public static TrainedModel itemItem(IdMap users, IdMap items, Csr rated, Csr history, float[] historyValues,
            Csr matrix, float[] weights, double globalMean, Provenance provenance, String objective) {
        int n = items.size();
        BlockConfig config = new BlockConfig(BlockKind.ITEM_ITEM, users.size(), n, n, n, null, new int[0], 0f, 0f,
                history.size(), matrix == null ? 0 : weights.length);
        if (matrix != null && weights.length == 0) {
            throw new IllegalArgumentException("a sparse item-item matrix keeps at least one entry; give the dense"
                    + " matrix instead");
        }
        config.validate();
        if (rated.rows() != users.size()) {
            throw new IllegalArgumentException("rated has " + rated.rows() + " rows for " + users.size() + " users");
        }
        Map<String, float[]> w = new LinkedHashMap<>();
        w.put(ParameterNames.ITEM_ITEM, weights);
        w.put(ParameterNames.HISTORY_VALUES, historyValues);
        for (Map.Entry<String, float[]> e : w.entrySet()) {
            for (float v : e.getValue()) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("the item-item model's " + e.getKey() + " holds " + v);
                }
            }
        }
        return new TrainedModel(config, users, items, globalMean, rated, w, provenance, objective, history, matrix);
    }

    /**
     * An item-item model's scores (its matrix {@code B} and each user's history), for a model of kind
     * {@link BlockKind#ITEM_ITEM}.
     *
     * @return the item-item model, or empty for a factor model
     */
    public java.util.Optional<ItemItemModel> itemItem() {
        return java.util.Optional.ofNullable(itemItem);
    }

    /** A sparse item-item matrix's rows, or {@code null}: for the file writer. */
    Csr matrix() {
        return matrix;
    }

    /** An item-item model's history items per user, or {@code null}: for the file writer. */
    Csr history() {
        return history;
    }

    /**
     * Returns this model with another objective (the weights are shared, not copied: both are immutable).
     *
     * @param objective e.g. {@code bpr}
     * @return the model
     * @throws IllegalArgumentException if the objective is not a short lower-case name
     */
    public TrainedModel withObjective(String objective) {
        return new TrainedModel(config, users, items, globalMean, rated, weights, provenance, objective,
                userTable, itemTable, userFeatures, itemFeatures, history, matrix);
    }

    /** Each user's distinct training items, ascending: a row per user of {@code train}'s id map. */
    static Csr ratedItems(Ratings train) {
        return Csr.of(train.users().size(), train.userIndices(), train.itemIndices()).sortedDistinct();
    }

    /**
     * Loads a model saved by {@link #save(Path)}. The file's checksums are verified before anything in it is
     * used.
     *
     * @param file the model file
     * @return the model
     * @throws ModelFormatException if the file is not a Collab4J model, is damaged or truncated, declares sizes its
     *     content does not have, holds NaN or infinite weights, or has a format version this Collab4J cannot read
     * @throws org.collab4j.util.InputFileException if there is no such file, it is a directory, unreadable or
     *     empty
     * @throws IOException if the file cannot be read
     */
    public static TrainedModel load(Path file) throws IOException {
        return ModelFile.read(file);
    }

    /**
     * Saves the model to one file, atomically: it is written to a temporary file in the same directory, flushed
     * to the disk, and renamed over {@code file}. A crash or an error midway leaves {@code file} as it was
     * (absent, or the previous model). Missing parent directories are created.
     *
     * @param file the file to write, conventionally ending in {@code .c4j}
     * @throws IllegalStateException if a weight or the global mean is NaN or infinite (the training diverged):
     *     such a model cannot be saved; or if its objective is not in {@link #KNOWN_OBJECTIVES}, so that
     *     {@link #load} would refuse the file
     * @throws org.collab4j.util.OutputFileException if the file cannot be written (a full disk, a read-only
     *     folder, a parent that is a file, ...), naming it and what to do; the previous file is then unchanged
     * @throws IOException if the file cannot be written otherwise
     */
    public void save(Path file) throws IOException {
        if (!KNOWN_OBJECTIVES.contains(objective)) {
            // A file that load refuses would be a model lost: say so before writing anything.
            throw new IllegalStateException("the objective '" + objective + "' is not one a model file may hold ("
                    + String.join(", ", new java.util.TreeSet<>(KNOWN_OBJECTIVES)) + "): add its name to"
                    + " TrainedModel.KNOWN_OBJECTIVES when registering it, or save with withObjective(...) of a"
                    + " known one");
        }
        ModelFile.write(this, file);
    }

    /**
     * Builds a DJL block holding these weights, for inference with DJL (e.g. {@code block.forward}).
     *
     * @param manager the manager (and so the device) the weights are created on; the caller closes it
     * @return the initialised block
     */
    public CollabBlock newBlock(NDManager manager) {
        if (itemItem != null) {
            throw new IllegalStateException("an item-item model (EASE) has no DJL block: serve it with a"
                    + " Recommender, which scores it in plain Java");
        }
        return DjlBlocks.newBlock(this, manager);
    }

    /**
     * Returns the block's configuration.
     *
     * @return the configuration
     */
    public BlockConfig getConfig() {
        return config;
    }

    /**
     * Returns the user ids, in the order of the user tables' rows.
     *
     * @return the user id map
     */
    public IdMap users() {
        return users;
    }

    /**
     * Returns the item ids, in the order of the item tables' rows.
     *
     * @return the item id map
     */
    public IdMap items() {
        return items;
    }

    /**
     * Returns the mean of the training ratings.
     *
     * @return the mean rating
     */
    public double getGlobalMean() {
        return globalMean;
    }

    /**
     * Returns how the model was trained.
     *
     * @return the provenance
     */
    public Provenance getProvenance() {
        return provenance;
    }

    /**
     * Returns the loss the model was trained with: {@value #DEFAULT_OBJECTIVE} for a rating model (and every file
     * of format version 1), or a ranking objective such as {@code bpr}, {@code softmax} or {@code ials}, whose
     * scores are not ratings.
     *
     * @return the objective
     */
    public String objective() {
        return objective;
    }

    /**
     * Returns the names of the block's parameters, in DJL's order (e.g. {@code userFactors}, {@code itemFactors},
     * {@code userBias}, {@code itemBias}).
     *
     * @return the names
     */
    public List<String> parameterNames() {
        return new ArrayList<>(weights.keySet());
    }

    /**
     * Returns a parameter's values, row-major.
     *
     * @param name a name from {@link #parameterNames()}
     * @return a copy of the values
     * @throws IllegalArgumentException if there is no such parameter
     */
    public float[] parameter(String name) {
        return weightsOf(name).clone();
    }

    /**
     * Returns a parameter's shape, e.g. {@code (610, 50)} for {@code userFactors}. A DJL {@code Shape}: the one
     * accessor of a loaded model that needs the DJL {@code api} jar (not the engine) on the classpath.
     *
     * @param name a name from {@link #parameterNames()}
     * @return the shape
     * @throws IllegalArgumentException if there is no such parameter
     */
    public Shape parameterShape(String name) {
        weightsOf(name);
        for (BlockConfig.Table table : config.layout()) {
            if (table.name().equals(name)) {
                long[] dims = new long[table.dims().length];
                for (int d = 0; d < dims.length; d++) {
                    dims[d] = table.dims()[d];
                }
                return new Shape(dims);
            }
        }
        throw new IllegalStateException(name + " is not in the layout of " + config);
    }

    private float[] weightsOf(String name) {
        float[] values = weights.get(name);
        if (values == null) {
            throw new IllegalArgumentException("the model has no parameter '" + name + "'; it has "
                    + weights.keySet());
        }
        return values;
    }

    /** The weights themselves, for the file writer: not to be modified. */
    Map<String, float[]> weights() {
        return weights;
    }

    /**
     * This model with a hybrid model's feature vectors for one side (the weights are shared, not copied).
     *
     * @param side the side the vectors belong to
     * @param features the vectors, of this model's factor count
     * @return the model
     * @throws IllegalArgumentException if their factor count is not the model's
     */
    public TrainedModel withFeatures(Side side, FeatureEmbeddings features) {
        int k = side == Side.USERS ? config.userFactors() : config.itemFactors();
        if (features != null && features.factors() != k) {
            throw new IllegalArgumentException("feature vectors of " + features.factors() + " factors do not fit a"
                    + " model of " + k);
        }
        if (itemItem != null) {
            throw new IllegalStateException("an item-item model (EASE) has no factors for feature vectors");
        }
        return new TrainedModel(config, users, items, globalMean, rated, weights, provenance, objective, userTable,
                itemTable, side == Side.USERS ? features : userFeatures, side == Side.ITEMS ? features : itemFeatures,
                history, matrix);
    }

    /**
     * A hybrid model's feature vectors for one side, which serve entities the model has not seen from their
     * features.
     *
     * @param side the side
     * @return the vectors, or empty for a model trained from ids alone
     */
    public java.util.Optional<FeatureEmbeddings> features(Side side) {
        return java.util.Optional.ofNullable(side == Side.USERS ? userFeatures : itemFeatures);
    }

    /**
     * Returns every user's training items: row {@code u} lists user {@code u}'s distinct item indices, ascending
     * (an empty row for a user who appears only in validation data). The model's own matrix, shared: its arrays
     * must not be changed.
     *
     * @return the items, a row per user
     */
    public Csr ratedItems() {
        return rated;
    }

    /**
     * Returns one side's factors (and biases, for a model with biases) as the kernel's table: a view of this
     * model's weights, not a copy, shared by everything that serves the model, with the item columns and norms the
     * scorers need made once, on first use. Its arrays must not be changed.
     *
     * @param side the side
     * @return the table: {@code userFactors} (and {@code userBias}) or {@code itemFactors} (and {@code itemBias})
     */
    public FactorTable factors(Side side) {
        if (itemItem != null) {
            throw new IllegalStateException("an item-item model (EASE) has no factor tables: it scores a user's"
                    + " history through its item-item matrix (itemItem())");
        }
        return side == Side.USERS ? userTable : itemTable;
    }

    /**
     * Returns the items a user rated in the training data.
     *
     * @param userIndex an index into {@link #users()}
     * @return the item indices, ascending and distinct (empty for a user who appears only in validation data)
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    public int[] ratedItems(int userIndex) {
        if (userIndex < 0 || userIndex >= users.size()) {
            throw new IndexOutOfBoundsException("user index " + userIndex + " is out of range for "
                    + users.size() + " users");
        }
        return rated.row(userIndex);
    }

    @Serial
    private Object writeReplace() {
        return new SerialForm(this);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a TrainedModel is read through its serial form only");
    }

    /**
     * The serial form: the model file's entries (format version, configuration with the objective and the global
     * mean, ids, rated items, weights, provenance) as names and bytes, encoded and decoded by {@link ModelCodec}
     * exactly as a file's, so that a stream is checked as strictly as a file. A diverged model (NaN weights) cannot
     * be serialized, as it cannot be saved.
     */
    static final class SerialForm implements Serializable {

        @Serial
        private static final long serialVersionUID = 2L;

        /** What a damaged stream's errors name in place of a file. */
        static final Path SOURCE = Path.of("serialized-TrainedModel");

        private final String[] names;
        private final byte[][] data;

        SerialForm(TrainedModel model) {
            this(encode(model));
        }

        /** A form of the given entries, in their order; for tests that tamper with them. */
        SerialForm(Map<String, byte[]> entries) {
            names = entries.keySet().toArray(new String[0]);
            data = new byte[names.length][];
            for (int k = 0; k < names.length; k++) {
                data[k] = entries.get(names[k]);
            }
        }

        private static Map<String, byte[]> encode(TrainedModel model) {
            try {
                return ModelCodec.encode(model);
            } catch (IOException e) {
                // Encoding writes to memory only.
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Serial
        private Object readResolve() throws InvalidObjectException {
            if (names == null || data == null || names.length != data.length) {
                throw new InvalidObjectException("a serialized TrainedModel must hold as many entry names as"
                        + " entries");
            }
            Map<String, byte[]> entries = new LinkedHashMap<>();
            for (int k = 0; k < names.length; k++) {
                if (names[k] == null || data[k] == null || entries.put(names[k], data[k]) != null) {
                    throw new InvalidObjectException("a serialized TrainedModel holds a missing or repeated"
                            + " entry '" + names[k] + "'");
                }
            }
            try {
                return ModelCodec.decode(SOURCE, entries);
            } catch (IOException | RuntimeException e) {
                InvalidObjectException invalid = new InvalidObjectException(e.getMessage());
                invalid.initCause(e);
                throw invalid;
            }
        }
    }

    /**
     * Returns the model and how it was trained, e.g. {@code TrainedModel(EmbeddingDotBias(users=610, ...); 5
     * epochs ...)}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "TrainedModel(" + config + (objective.equals(DEFAULT_OBJECTIVE) ? "" : ", objective " + objective)
                + "; " + provenance + ")";
    }
}
