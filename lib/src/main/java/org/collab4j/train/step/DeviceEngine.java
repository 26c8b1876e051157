package org.collab4j.train.step;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;

import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.train.objective.ListwiseObjective;
import org.collab4j.train.objective.NegativeSampling;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.PairwiseObjective;
import org.collab4j.train.objective.RatingObjective;
import org.collab4j.train.objective.SampledObjective;
import org.collab4j.train.optimizer.CollabOptimizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The device engine ({@link StepKind#DEVICE}, {@link StepKind#DEVICE_RANKING}), the GPU's: the examples, the epoch's
 * batches, the negatives, the scalars and the losses stay on the training device, so that a steady-state step
 * makes no host-device copy. The engine owns the data, the drawing of negatives, the scores, autograd and the
 * optimizer's update; the objective's {@linkplain RatingObjective#deviceLoss device form} only its loss over the
 * scores.
 *
 * <ul>
 *   <li>The examples (users, items, values) are copied to the device once, when the learner is built; once per
 *       epoch, on the device, the epoch's order gathers them and {@code split} cuts them into the batches (views,
 *       one call each).
 *   <li>Once per epoch, one copy: every scalar the steps of the epoch will use — the y-range constants, the
 *       optimizer's {@code 1 - lr·wd}, learning rates, momenta, clip bounds
 *       ({@link CollabOptimizer#deviceScalarValues}) — is made in one array and split into one-element views,
 *       looked up by value during the steps ({@link DeviceEpoch}, {@link CollabBlock.ScalarSource},
 *       {@link CollabOptimizer.DeviceScalars}). A value not prepared would be made on the spot and counted
 *       ({@link #scalarMisses()}).
 *   <li>Each step's loss stays on the device (detached); {@link #takeLosses()} reads those since the last call in
 *       one transfer, at the loop's cadence. The backward is seeded with a ones array made once per epoch.
 *   <li>The update is {@link CollabOptimizer#updateOnDevice} (fused Adam, SGD and RMSProp with scalar arrays).
 * </ul>
 *
 * <p><b>Ratings</b> ({@link RatingObjective}): the block's own forward (any block, EmbeddingNet included), the same
 * arithmetic as {@link DenseStep}, hence the same weights. Dense by default; with touched rows (the GPU's choice for
 * very large tables) per table the batch's rows are gathered <em>with their repeats</em> — finding distinct rows
 * would be a {@code unique}, which synchronises on a GPU. A persistent slot table per side is set from the batch
 * (an index-put; a repeated row keeps whichever position lands last) and read back (a gather), so every repeat of
 * a row points at one gathered row, whose gradient collects the row's sum; {@link CollabOptimizer#updateRowsOnDevice}
 * runs the lazy row update, every repeat computing the same values.
 *
 * <p><b>Rankings</b> ({@link PairwiseObjective}, {@link ListwiseObjective}) on {@code EmbeddingDot} /
 * {@code EmbeddingDotBias} without a y-range: {@code s_ui = U[u]·I[i] (+ b_i[i])} from the block's tables (the user
 * bias, which cannot change a ranking, is left untrained), autograd gives dense gradients, and the user factors,
 * item factors and item biases are updated densely. Negatives are drawn on the device at every step, with the
 * device's random generator (seeded by the learner's seed through the engine): uniformly with
 * {@code randint(0, items)}; in proportion to an item's training interactions plus one (the host sampler's
 * distribution, exactly) by {@code randint} into a pool of item ids made once, in which item {@code i} appears
 * {@code count(i) + 1} times (8 bytes per interaction and per item). A pairwise objective gets all its
 * {@link PairwiseObjective#trials()} candidates per positive at once. A listwise objective's log-Q correction
 * {@code log q_j + log N} is an item table made once (left out for uniform draws, where it shifts every logit
 * alike); with {@code negatives} at least the number of items, the negatives are the whole catalogue
 * ({@code U·Iᵀ}).
 *
 * <p><b>Differences from {@link HostEngine}'s ranking</b>, all because finding whether an item is among a user's
 * training items costs a search per pair that the device cannot do without a sync or a users × items mask: a
 * pairwise negative the user has interacted with is not redrawn (the host engine redraws up to four times: on the
 * ml-latest-small 80/20 split 5.4 % of uniform draws and 18 % of popularity draws are such items); and updates are
 * dense where the host engine updates touched rows. (Both engines' listwise mask covers the positive itself only.) {@code DeviceRankingStepTest} measures that both reach the same
 * ranking quality.
 *
 * <p><b>Side features</b> ({@link SideFeatures}, one {@link DeviceHybridRows} per side with features, dot blocks):
 * the parts (id embeddings, id biases, feature vectors, feature biases) are device arrays with gradients, split from
 * the block's rows at {@link #beginFit} and {@link #reload}; wherever a step reads rows of that side it combines them
 * on the device (a gather of the padded feature ids and weights, of the vectors, a multiply and a sum over the
 * padding, plus the id rows), so autograd reaches every part, and each part is updated densely under its own
 * optimizer state. Ratings feed the block's forward the batch's combined rows at positions {@code 0 .. B-1}.
 * {@link #writeBack} reads the parts into {@link SideFeatures} and writes the combined rows into the block's tables.
 * Dense updates only. Per step: 13 native calls per gathered index array and 4 per extra part (MSE 57, BPR 64, the
 * popularity-sampled softmax 74 with item features), no host-device copy.
 *
 * <p>Native calls per steady-state step, EmbeddingDotBias with AdamW, counted by {@code NativeCallBudgetTest}
 * (frees of temporaries not counted), none a host-device copy: ratings 36; BPR 34 (36 with popularity draws); the
 * sampled softmax 38 (44), the full softmax 35; WARP 44 with its 10 candidates per positive; budget 45.
 *
 * <p>Part of the learner's machinery: public so that {@code CollabLearner} (package {@code org.collab4j.train}) can
 * build and run it, as DJL's engine classes are public; not an API of its own.
 */
public final class DeviceEngine implements TrainingStep {

    private final Objective objective;
    private final CollabBlock block;
    private final CollabOptimizer optimizer;
    /** The parameters the engine updates and prepares scalars for. */
    private final List<Parameter> trained;
    private final NDManager manager;
    private final NDArray users;
    private final NDArray items;
    private final NDArray values;
    private final int examples;
    private final int batchSize;
    private final DeviceEpoch deviceEpoch = new DeviceEpoch();
    private NDManager epochManager;
    private NDList userBatches;
    private NDList itemBatches;
    private NDList valueBatches;
    private PtNDArray lossSeed;

    // Ratings: the forward's parameter store and, with touched rows, the slot tables.
    private final RatingObjective rating;
    private final ScalarStore store;
    private final boolean touchedRows;
    private final List<Parameter> denseParameters = new ArrayList<>();
    // Touched rows: per table row, the batch position of one batch row that holds it (any one), and 0 .. B-1.
    private final NDArray userSlots;
    private final NDArray itemSlots;
    private final NDArray positions;

    // Rankings: the tables, the negatives' sources and constants, the objectives' bound device forms.
    private final Parameter userFactorsParameter;
    private final Parameter itemFactorsParameter;
    private final Parameter itemBiasParameter;
    /** The tables as the current step reads them: the parameters' arrays, taken again at every step. */
    private NDArray userFactors;
    private NDArray itemFactors;
    private NDArray itemBias;
    private final int numItems;
    private final PairwiseObjective.DeviceForm pairwise;
    private final ListwiseObjective.DeviceForm listwise;
    /** Negatives drawn per batch (pairwise: per positive). */
    private final int negatives;
    /** Popularity sampling: item ids, item i repeated count(i) + 1 times; null for uniform draws. */
    private final NDArray pool;
    /** Sampled listwise objective with popularity draws: log q_j + log N per item, (items, 1); else null. */
    private final NDArray logQ;
    /** The full softmax's negatives: every item id, (items). */
    private final NDArray allItems;
    private final NDArray minusInfinity;
    private final boolean fullSoftmax;
    private NDList itemColumns;
    private NDArray fixedNegatives;
    private NDList fixedNegativeBatches;

    // Side features, or null: the parts on the device, each batch's combined rows built from them (dense updates).
    private final DeviceHybridRows userHybrid;
    private final DeviceHybridRows itemHybrid;
    /** The optimizer-state keys the steps update (the scalars prepared per epoch are theirs). */
    private final List<String> updatedIds = new ArrayList<>();

    /**
     * Prepares the engine: copies the examples to the device.
     *
     * @param model the model (its manager owns the forward's parameter store)
     * @param block the block
     * @param optimizer an optimizer with a {@linkplain CollabOptimizer#supportsDeviceUpdates() device update}
     * @param parameters the block's parameters (ratings: all are trained)
     * @param objective a rating, pairwise or listwise objective
     * @param touchedRows ratings: whether to update only the rows a batch touches
     * @param train the examples: ratings, or positives whose values are their weights
     * @param batchSize the batch size
     * @param dataManager the manager whose sub-manager holds the examples, on the training device
     */
    public DeviceEngine(Model model, CollabBlock block, CollabOptimizer optimizer, List<Parameter> parameters,
            Objective objective, boolean touchedRows, Ratings train, int batchSize, NDManager dataManager) {
        this(model, block, optimizer, parameters, objective, touchedRows, train, batchSize, dataManager, null, null);
    }

    /**
     * Prepares the engine for a model with side features: each side with features trains its parts
     * ({@link SideFeatures}: id embeddings, the features' vectors and biases) on the device, with dense updates.
     *
     * @param model the model (its manager owns the forward's parameter store)
     * @param block the block, {@code EmbeddingDot} or {@code EmbeddingDotBias} where a side has features
     * @param optimizer an optimizer with a {@linkplain CollabOptimizer#supportsDeviceUpdates() device update}
     * @param parameters the block's parameters (ratings: all are trained)
     * @param objective a rating, pairwise or listwise objective
     * @param touchedRows ratings: whether to update only the rows a batch touches ({@code false} with features)
     * @param train the examples: ratings, or positives whose values are their weights
     * @param batchSize the batch size
     * @param dataManager the manager whose sub-manager holds the examples, on the training device
     * @param userFeatures the users' side features, or {@code null}
     * @param itemFeatures the items' side features, or {@code null}
     */
    public DeviceEngine(Model model, CollabBlock block, CollabOptimizer optimizer, List<Parameter> parameters,
            Objective objective, boolean touchedRows, Ratings train, int batchSize, NDManager dataManager,
            SideFeatures userFeatures, SideFeatures itemFeatures) {
        if ((userFeatures != null || itemFeatures != null) && touchedRows) {
            throw new IllegalArgumentException("the device engine trains side features with dense updates, not"
                    + " touched rows");
        }
        if (!optimizer.supportsDeviceUpdates()) {
            throw new IllegalArgumentException("the optimizer " + optimizer + " has no device update"
                    + " (CollabOptimizer.stepOnDevice)");
        }
        if (!(objective instanceof RatingObjective) && !(objective instanceof PairwiseObjective)
                && !(objective instanceof ListwiseObjective)) {
            throw new IllegalArgumentException("the device engine trains rating, pairwise and listwise objectives,"
                    + " not " + objective.name());
        }
        this.objective = objective;
        this.block = block;
        this.optimizer = optimizer;
        this.batchSize = batchSize;
        examples = train.size();
        numItems = block.getNumItems();
        manager = dataManager.newSubManager();
        int[] itemOf = train.itemIndices();
        users = manager.create(Steps.toLongs(train.userIndices()));
        items = manager.create(Steps.toLongs(itemOf));
        values = manager.create(train.ratingValues());
        rating = objective instanceof RatingObjective r ? r : null;
        this.touchedRows = rating != null && touchedRows;
        // Ratings train every table; the rankings the factors and the item bias (the user bias cannot rank).
        userHybrid = userFeatures == null ? null : new DeviceHybridRows(userFeatures, block.getUserTables().get(0),
                rating != null && block.getUserTables().size() > 1 ? block.getUserTables().get(1) : null, manager);
        itemHybrid = itemFeatures == null ? null : new DeviceHybridRows(itemFeatures, block.getItemTables().get(0),
                block.getItemTables().size() > 1 ? block.getItemTables().get(1) : null, manager);
        boolean hybrid = userHybrid != null || itemHybrid != null;
        if (rating != null) {
            trained = new ArrayList<>();
            store = new ScalarStore(model.getNDManager());
            for (Parameter p : parameters) {
                if (!replacedByParts(p)) {
                    trained.add(p);
                    if (!this.touchedRows || !block.getUserTables().contains(p) && !block.getItemTables().contains(p)) {
                        denseParameters.add(p);
                    }
                }
            }
            userSlots = this.touchedRows ? manager.zeros(new Shape(block.getNumUsers()), DataType.INT64) : null;
            itemSlots = this.touchedRows ? manager.zeros(new Shape(numItems), DataType.INT64) : null;
            positions = this.touchedRows || hybrid
                    ? manager.arange(0, Math.min(batchSize, examples), 1, DataType.INT64) : null;
            if (positions != null) {
                positions.getDataType();
                positions.getDevice();
            }
            collectUpdatedIds();
            userFactorsParameter = null;
            itemFactorsParameter = null;
            itemBiasParameter = null;
            pairwise = null;
            listwise = null;
            negatives = 0;
            pool = null;
            logQ = null;
            allItems = null;
            minusInfinity = null;
            fullSoftmax = false;
            return;
        }
        store = null;
        userSlots = null;
        itemSlots = null;
        positions = null;
        userFactorsParameter = block.getUserTables().get(0);
        itemFactorsParameter = block.getItemTables().get(0);
        itemBiasParameter = block.getItemTables().size() > 1 ? block.getItemTables().get(1) : null;
        trained = new ArrayList<>();
        for (Parameter p : new Parameter[] {userFactorsParameter, itemFactorsParameter, itemBiasParameter}) {
            if (p != null && !replacedByParts(p)) {
                trained.add(p);
            }
        }
        collectUpdatedIds();
        takeTables();
        NegativeSampling sampling = ((SampledObjective) objective).sampling();
        if (objective instanceof PairwiseObjective p) {
            negatives = p.trials();
            fullSoftmax = false;
            pairwise = p.deviceForm(manager, numItems);
            listwise = null;
        } else {
            ListwiseObjective l = (ListwiseObjective) objective;
            negatives = Math.min(l.negatives(), numItems);
            fullSoftmax = l.negatives() >= numItems;
            pairwise = null;
            listwise = l.deviceForm(manager, negatives);
        }
        boolean popularity = sampling == NegativeSampling.POPULARITY && !fullSoftmax;
        int[] counts = new int[numItems];
        for (int i : itemOf) {
            counts[i]++;
        }
        pool = popularity ? popularityPool(counts, itemOf.length) : null;
        if (popularity && listwise != null) {
            // The host sampler's log q_j = log((count_j + 1) / total), plus log N for the N draws.
            double total = itemOf.length + (double) numItems;
            float[] correction = new float[numItems];
            for (int i = 0; i < numItems; i++) {
                correction[i] = (float) (Math.log((counts[i] + 1) / total) + Math.log(negatives));
            }
            logQ = manager.create(correction, new Shape(numItems, 1));
        } else {
            logQ = null;
        }
        allItems = fullSoftmax ? manager.arange(0, numItems, 1, DataType.INT64) : null;
        minusInfinity = manager.create(new float[] {Float.NEGATIVE_INFINITY});
        // DJL asks a fresh array for its type and device with a native call the first time: ask now.
        for (NDArray a : new NDArray[] {pool, logQ, allItems, minusInfinity, userFactors, itemFactors, itemBias}) {
            if (a != null) {
                a.getDataType();
                a.getDevice();
                a.getShape();
            }
        }
    }

    /** Whether side features' parts train in place of this table (the table gets their combined rows). */
    private boolean replacedByParts(Parameter p) {
        for (DeviceHybridRows h : new DeviceHybridRows[] {userHybrid, itemHybrid}) {
            if (h != null && (p == h.factorTable() || p == h.biasTable())) {
                return true;
            }
        }
        return false;
    }

    private void collectUpdatedIds() {
        for (Parameter p : trained) {
            updatedIds.add(p.getId());
        }
        for (DeviceHybridRows h : new DeviceHybridRows[] {userHybrid, itemHybrid}) {
            if (h != null) {
                updatedIds.addAll(h.partIds());
            }
        }
    }

    /** Item ids, item {@code i} repeated {@code count(i) + 1} times: uniform draws from it follow popularity. */
    private NDArray popularityPool(int[] counts, int interactions) {
        long[] ids = new long[interactions + numItems];
        int at = 0;
        for (int i = 0; i < numItems; i++) {
            Arrays.fill(ids, at, at + counts[i] + 1, i);
            at += counts[i] + 1;
        }
        return manager.create(ids);
    }

    private void takeTables() {
        userFactors = userFactorsParameter.getArray();
        itemFactors = itemFactorsParameter.getArray();
        itemBias = itemBiasParameter != null ? itemBiasParameter.getArray() : null;
    }

    @Override
    public int examples() {
        return examples;
    }

    @Override
    public int batches() {
        return TrainingStep.batchesPerEpoch(examples, batchSize);
    }

    @Override
    public void beginEpoch(Epoch epoch) {
        epochManager = epoch.manager();
        int batches = batches();
        NDArray order = DeviceEpoch.usedOrder(epoch, batches, batchSize, examples);
        userBatches = users.take(epochManager, order).split(batches);
        NDArray epochItems = items.take(epochManager, order);
        itemBatches = epochItems.split(batches);
        NDArray epochValues = values.take(epochManager, order);
        // DJL asks a fresh array for its device (and type) with a native call the first time: ask now.
        if (rating != null) {
            valueBatches = epochValues.split(batches);
            for (int b = 0; b < batches; b++) {
                userBatches.get(b).getDevice();
                itemBatches.get(b).getDevice();
            }
        } else {
            itemColumns = epochItems.reshape(-1, 1).split(batches);
            valueBatches = epochValues.reshape(-1, 1).split(batches);
            fixedNegativeBatches = fixedNegatives != null && pairwise != null
                    ? fixedNegatives.get(new NDIndex("{}", order)).split(batches) : null;
            for (int b = 0; b < batches; b++) {
                for (NDList list : new NDList[] {userBatches, itemBatches, itemColumns, valueBatches}) {
                    list.get(b).getDevice();
                    list.get(b).getDataType();
                }
            }
        }
        // The seed of the backward pass, d loss / d loss = 1, made once per epoch instead of per step (DJL's
        // GradientCollector makes it with four native calls each time).
        lossSeed = (PtNDArray) epochManager.ones(new Shape());
        prepareScalars(epoch, batches);
    }

    /** Makes every scalar the epoch's steps will ask for: the forward's constants and the optimizer's. */
    private void prepareScalars(Epoch epoch, int batches) {
        deviceEpoch.begin(epochManager, values -> {
            if (rating != null) {
                for (float v : CollabBlock.ScalarSource.forwardConstants(block.getYRange())) {
                    values.accept(v);
                }
            }
            for (int b = 0; b < batches; b++) {
                for (String id : updatedIds) {
                    optimizer.deviceScalarValues(id, epoch.learningRates()[b], epoch.momenta()[b], values);
                }
            }
        });
    }

    @Override
    public void trainBatch(int batch) {
        if (rating == null) {
            // Whoever restores weights may have given the parameters new arrays.
            takeTables();
        }
        // Everything the step makes hangs off the parameters' or the epoch's arrays; the scope closes it.
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            // Touched rows: gathered before gradients are recorded, so that the gradient stops at the copies.
            NDList slots = touchedRows ? gatherTouchedRows(batch) : null;
            NDArray loss;
            // What DJL's GradientCollector does, without its per-step ones array: gradients are recorded on this
            // thread between the two calls (the learner keeps grad mode off on its thread otherwise).
            JniUtils.setGradMode(true);
            try {
                loss = rating != null ? ratingLoss(batch, slots) : rankingLoss(batch);
                JniUtils.backward((PtNDArray) loss, lossSeed, false, false);
            } finally {
                JniUtils.setGradMode(false);
            }
            if (touchedRows) {
                updateTouchedRows(batch, slots);
            }
            for (Parameter p : rating != null ? denseParameters : trained) {
                NDArray weight = p.getArray();
                optimizer.updateOnDevice(p.getId(), weight, weight.getGradient(), this::scalar);
            }
            for (DeviceHybridRows h : new DeviceHybridRows[] {userHybrid, itemHybrid}) {
                if (h != null) {
                    h.update(optimizer, this::scalar);
                }
            }
            deviceEpoch.keepLoss(loss);
        } finally {
            if (store != null) {
                store.hybrid.clear();
            }
            for (DeviceHybridRows h : new DeviceHybridRows[] {userHybrid, itemHybrid}) {
                if (h != null) {
                    h.endStep();
                }
            }
        }
    }

    /** Splits the block's combined rows into the side features' parts on the device. */
    @Override
    public void beginFit() {
        loadParts();
    }

    private void loadParts() {
        for (DeviceHybridRows h : new DeviceHybridRows[] {userHybrid, itemHybrid}) {
            if (h != null) {
                h.load();
            }
        }
    }

    /** With side features: reads the parts back into {@link SideFeatures}, the block's tables their combined rows. */
    @Override
    public void writeBack() {
        for (DeviceHybridRows h : new DeviceHybridRows[] {userHybrid, itemHybrid}) {
            if (h != null) {
                h.writeBack();
            }
        }
    }

    /** With side features: the parts are split again from the (restored) combined rows. */
    @Override
    public void reload() {
        loadParts();
    }

    private NDArray scalar(float value) {
        return deviceEpoch.scalar(value);
    }

    // ------------------------------------------------------------------------------------------------ ratings

    /** The block's forward on the batch (with touched rows: on its gathered rows), then the objective's loss. */
    private NDArray ratingLoss(int batch, NDList slots) {
        NDList inputs = slots != null ? slots : new NDList(userBatches.get(batch), itemBatches.get(batch));
        if (userHybrid != null || itemHybrid != null) {
            // A side with features reads its batch's combined rows, (B, k), at positions 0 .. B-1.
            inputs = new NDList(hybridInput(userHybrid, inputs.get(0)), hybridInput(itemHybrid, inputs.get(1)));
        }
        NDArray predictions = block.forward(store, inputs, true).head();
        return rating.deviceLoss(predictions, valueBatches.get(batch));
    }

    private NDArray hybridInput(DeviceHybridRows hybrid, NDArray index) {
        if (hybrid == null) {
            return index;
        }
        store.hybrid.put(hybrid.factorTable(), hybrid.rows(index, 1));
        if (hybrid.biasTable() != null) {
            store.hybrid.put(hybrid.biasTable(), hybrid.bias(index, 1));
        }
        return positions;
    }

    /** Gathers the batch's rows of every table (with repeats) and returns each batch row's slot, users and items. */
    private NDList gatherTouchedRows(int batch) {
        NDArray users = userBatches.get(batch);
        NDArray items = itemBatches.get(batch);
        NDList slots = new NDList(slots(userSlots, users), slots(itemSlots, items));
        for (Parameter p : block.getUserTables()) {
            store.rows.put(p, TouchedRowStep.gatherRows(p.getArray(), users));
        }
        for (Parameter p : block.getItemTables()) {
            store.rows.put(p, TouchedRowStep.gatherRows(p.getArray(), items));
        }
        return slots;
    }

    /** The lazy update of the gathered rows (touched rows). */
    private void updateTouchedRows(int batch, NDList slots) {
        for (Map.Entry<Parameter, NDArray> e : store.rows.entrySet()) {
            boolean user = block.getUserTables().contains(e.getKey());
            // Only the slot row of each table row holds its gradient (the sum over the batch's repeats): every
            // repeat takes it, so that all repeats compute the same update.
            NDArray grad = Embedding.embedding(slots.get(user ? 0 : 1), e.getValue().getGradient(),
                    SparseFormat.DENSE).singletonOrThrow();
            optimizer.updateRowsOnDevice(e.getKey().getId(), e.getKey().getArray(),
                    (user ? userBatches : itemBatches).get(batch), e.getValue(), grad, this::scalar);
        }
        store.rows.clear();
    }

    /**
     * For each batch row, the position of one batch row with the same table row: the table's slots are set from
     * the batch (a repeated row keeps whichever position lands last) and read back, on the device. The forward then
     * looks up the gathered rows at these positions, so a table row's gradient collects in one gathered row.
     */
    private NDArray slots(NDArray tableSlots, NDArray index) {
        NDIndex at = new NDIndex("{}", index);
        tableSlots.set(at, positions);
        return tableSlots.get(at);
    }

    // ------------------------------------------------------------------------------------------------ rankings

    /** This step's negatives: fixed ones (tests), the catalogue (full softmax), or fresh device draws. */
    private NDArray negatives(int batch) {
        if (fixedNegativeBatches != null) {
            return fixedNegativeBatches.get(batch);
        }
        if (fixedNegatives != null) {
            return fixedNegatives;
        }
        if (allItems != null) {
            return allItems;
        }
        int size = batches() == 1 ? examples : batchSize;
        Shape shape = pairwise != null ? new Shape(size, negatives) : new Shape(negatives);
        if (pool == null) {
            return epochManager.randomInteger(0, numItems, shape, DataType.INT64);
        }
        NDArray at = epochManager.randomInteger(0, pool.size(), shape, DataType.INT64);
        return pool.take(epochManager, at);
    }

    private NDArray rankingLoss(int batch) {
        NDArray user = userBatches.get(batch);
        NDArray item = itemBatches.get(batch);
        NDArray weight = valueBatches.get(batch);
        NDArray negative = negatives(batch);
        NDArray u = userHybrid != null ? userHybrid.rows(user, 1) : CollabBlock.lookup(userFactors, user);
        NDArray positive = itemRows(item, 1);
        if (pairwise != null) {
            return pairwise.loss(positiveScores(u, positive, item), candidateScores(u, negative), weight);
        }
        return listwiseLoss(u, positive, item, negative, itemColumns.get(batch), weight);
    }

    /** The item rows of {@code index} ({@code axis} dimensions): the table's, or combined from side features. */
    private NDArray itemRows(NDArray index, int axis) {
        return itemHybrid != null ? itemHybrid.rows(index, axis) : CollabBlock.lookup(itemFactors, index);
    }

    /** The item biases of {@code index}, shape {@code index.shape + (1)}; {@code null} without an item bias. */
    private NDArray itemBiases(NDArray index, int axis) {
        if (itemBiasParameter == null) {
            return null;
        }
        return itemHybrid != null ? itemHybrid.bias(index, axis) : CollabBlock.lookup(itemBias, index);
    }

    /** {@code s_ui}, {@code (B, 1)}. */
    private NDArray positiveScores(NDArray u, NDArray positive, NDArray item) {
        NDArray s = u.mul(positive).sum(new int[] {1}, true);
        return itemBiasParameter != null ? s.add(itemBiases(item, 1)) : s;
    }

    /** {@code s_uj} of each positive's own candidates {@code (B, T)}: {@code (B, T)}. */
    private NDArray candidateScores(NDArray u, NDArray candidates) {
        NDArray s = u.expandDims(1).mul(itemRows(candidates, 2)).sum(new int[] {2});
        return itemBiasParameter != null ? s.add(itemBiases(candidates, 2).squeeze(2)) : s;
    }

    /**
     * The logits of each positive against the shared negatives, the positive masked among them, and the
     * objective's loss. Where DJL's op would first ask a fresh array for its shape or type (a native call each),
     * PyTorch's is called through {@link JniUtils}.
     */
    private NDArray listwiseLoss(NDArray u, NDArray positive, NDArray item, NDArray negative, NDArray itemColumn,
            NDArray weight) {
        NDArray pos = u.mul(positive).sum(new int[] {1}, true);
        NDArray neg;
        if (fullSoftmax) {
            // With item features the whole catalogue's combined rows: allItems is the negatives' index.
            neg = JniUtils.matmul((PtNDArray) u, transpose(itemHybrid != null ? itemRows(allItems, 1) : itemFactors));
            if (itemBiasParameter != null) {
                pos = pos.add(itemBiases(item, 1));
                neg = neg.add(transpose(itemHybrid != null ? itemBiases(allItems, 1) : itemBias));
            }
        } else {
            neg = JniUtils.matmul((PtNDArray) u, transpose(itemRows(negative, 1)));
            NDArray posOffset = itemBiases(item, 1);
            NDArray negOffset = itemBiases(negative, 1);
            if (logQ != null) {
                posOffset = posOffset != null ? posOffset.sub(CollabBlock.lookup(logQ, item))
                        : CollabBlock.lookup(logQ, item).neg();
                negOffset = negOffset != null ? negOffset.sub(CollabBlock.lookup(logQ, negative))
                        : CollabBlock.lookup(logQ, negative).neg();
            }
            if (posOffset != null) {
                pos = pos.add(posOffset);
                neg = neg.add(transpose(negOffset));
            }
        }
        // The positive appears once: wherever it is among the negatives, that logit is −∞. (DJL's NDArrays.where
        // refuses to broadcast the one-element −∞; PyTorch's does.)
        neg = JniUtils.where((PtNDArray) itemColumn.eq(negative), (PtNDArray) minusInfinity, (PtNDArray) neg);
        return listwise.loss(pos, neg, weight);
    }

    private static PtNDArray transpose(NDArray matrix) {
        return JniUtils.transpose((PtNDArray) matrix, 0, 1);
    }

    /**
     * Uses these negatives instead of drawing them (tests), from the next epoch on: for a pairwise objective
     * {@code trials()} per training positive, by its row in the training data (each batch takes those of its
     * positives); for a sampled listwise objective the negatives every batch shares.
     *
     * @param ids item indices, row-major
     */
    public void fixNegatives(long[] ids) {
        int expected = pairwise != null ? examples * negatives : negatives;
        if (rating != null || ids.length != expected || fullSoftmax) {
            throw new IllegalArgumentException("expected " + expected + " negatives, got " + ids.length
                    + (fullSoftmax ? " (the full softmax has no sampled negatives)" : ""));
        }
        if (fixedNegatives != null) {
            fixedNegatives.close();
        }
        fixedNegatives = pairwise != null ? manager.create(ids, new Shape(examples, negatives)) : manager.create(ids);
        fixedNegatives.getDataType();
        fixedNegatives.getDevice();
    }

    // ------------------------------------------------------------------------------------------------ the rest

    @Override
    public float[] takeLosses() {
        return deviceEpoch.takeLosses();
    }

    /**
     * Returns how many scalars a step asked for that the epoch had not prepared: each was made from a Java number
     * on the spot (a blocking copy on a GPU). 0 unless an optimizer lists fewer values than it uses.
     *
     * @return the number of misses so far
     */
    public long scalarMisses() {
        return deviceEpoch.scalarMisses();
    }

    /**
     * Returns the objective this engine trains.
     *
     * @return the objective
     */
    public Objective objective() {
        return objective;
    }

    @Override
    public void close() {
        for (DeviceHybridRows h : new DeviceHybridRows[] {userHybrid, itemHybrid}) {
            if (h != null) {
                h.close();
            }
        }
        manager.close();
    }

    /**
     * The parameter store the forward sees: the usual parameters (or, with touched rows, the batch's gathered rows
     * of the tables), and the epoch's scalars by value.
     */
    private final class ScalarStore extends ParameterStore implements CollabBlock.ScalarSource {
        final Map<Parameter, NDArray> rows = new LinkedHashMap<>();
        /** Side features: the batch's combined rows of a side's tables, read at positions 0 .. B-1. */
        final Map<Parameter, NDArray> hybrid = new LinkedHashMap<>();

        ScalarStore(NDManager manager) {
            super(manager, false);
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            NDArray combined = hybrid.get(parameter);
            if (combined != null) {
                return combined;
            }
            NDArray gathered = rows.get(parameter);
            return gathered != null ? gathered : parameter.getArray();
        }

        @Override
        public NDArray scalar(float value) {
            return deviceEpoch.scalar(value);
        }
    }
}
