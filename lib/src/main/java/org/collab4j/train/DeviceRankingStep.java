package org.collab4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.Bpr;
import org.collab4j.train.objective.Softmax;
import org.collab4j.train.objective.NegativeSampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sampled ranking losses ({@link Bpr}, {@link Softmax}) trained on the training device
 * ({@link StepKind#DEVICE_RANKING}), the GPU's ranking step: the positives, the epoch's batches, the negatives, the
 * scalars and the losses stay on the device, so that a steady-state step makes no host-device copy.
 * {@link HostEngine} computes the same losses in plain Java; the two differ where noted below.
 *
 * <pre>
 * s_ui = U[u]·I[i] (+ b_i[i])            (the user bias cannot change a user's ranking and is left untrained)
 * BPR:      loss = mean over positives of  w · softplus(s_uj − s_ui),  j a negative drawn for that positive
 * softmax:  loss = mean over positives of −w · log softmax_j(s_uj − log q_j − log N)[i] over {i} ∪ negatives
 * </pre>
 *
 * <ul>
 *   <li>The positives (users, items, weights) are copied to the device once, when the learner is built; once per
 *       epoch, on the device, the epoch's order gathers them and {@code split} cuts them into the batches (views),
 *       as {@link DeviceStep} does.
 *   <li>Negatives are drawn on the device at every step, with the device's random generator (seeded by the
 *       learner's seed through the engine): uniformly with {@code randint(0, items)}; in proportion to an item's
 *       training interactions plus one (the host sampler's distribution, exactly) by {@code randint} into a pool
 *       of item ids made once, in which item {@code i} appears {@code count(i) + 1} times (8 bytes per
 *       interaction and per item on the device).
 *   <li>The softmax's log-Q correction {@code log q_j + log N} is an item table made on the device once; with
 *       uniform sampling it shifts every logit by the same constant and is left out (the softmax is unchanged).
 *       With {@code negatives} at least the number of items, the negatives are the whole catalogue
 *       ({@code U·Iᵀ}), without correction.
 *   <li>The gradient is PyTorch's autograd over the block's tables (a dense, table-sized gradient), and the update
 *       {@link CollabOptimizer#updateOnDevice} of the user factors, item factors and item biases, every scalar
 *       from arrays prepared once per epoch, as in {@link DeviceStep}.
 *   <li>Each step's loss stays on the device until {@link #takeLosses()} reads them all in one transfer.
 * </ul>
 *
 * <p><b>Differences from {@link HostEngine}</b>, all because finding whether an item is among a user's
 * training items costs a search per pair that the device cannot do without a sync or a users × items mask:
 * <ul>
 *   <li>BPR does not redraw a negative that the user has interacted with (the host step redraws up to four times):
 *       on the ml-latest-small 80/20 split 5.4 % of uniform draws and 18 % of popularity draws, averaged over the
 *       positives, are such items; their pairs push two of the user's items apart a little;
 *   <li>the softmax masks only the positive itself among the shared negatives (the host step also masks the
 *       user's other training items);
 *   <li>updates are dense: every row of the three tables goes through the optimizer at every step (decoupled
 *       weight decay shrinks every row, Adam's moments of untouched rows decay), where the host step updates the
 *       touched rows only ({@link CollabOptimizer#updateHostRows}).
 * </ul>
 * {@code DeviceRankingStepTest} measures that both reach the same ranking quality.
 *
 * <p>Native calls per steady-state step, EmbeddingDotBias with AdamW, counted by {@code NativeCallBudgetTest}
 * (frees of temporaries, {@code torchDeleteTensor}, not counted): BPR 30 with uniform negatives, 32 with popularity
 * negatives; the sampled softmax 38 uniform, 44 popularity; the full softmax 35; none a host-device copy (budget 45).
 */
final class DeviceRankingStep implements TrainingStep {

    private final CollabOptimizer optimizer;
    private final Objective objective;
    private final List<Parameter> trained = new ArrayList<>();
    private final Parameter userFactorsParameter;
    private final Parameter itemFactorsParameter;
    private final Parameter itemBiasParameter;
    /** The tables as the current step reads them: the parameters' arrays, taken again at every step. */
    private NDArray userFactors;
    private NDArray itemFactors;
    private NDArray itemBias;
    private final int numItems;
    private final NDManager manager;
    private final NDArray users;
    private final NDArray items;
    private final NDArray weights;
    /** Popularity sampling: item ids, item i repeated count(i) + 1 times; null for uniform draws. */
    private final NDArray pool;
    /** Sampled softmax with popularity draws: log q_j + log N per item, (items, 1); else null. */
    private final NDArray logQ;
    /** The full softmax's negatives: every item id, (items). */
    private final NDArray allItems;
    private final NDArray minusInfinity;
    private final boolean bpr;
    private final boolean fullSoftmax;
    private final int negatives;
    private final int examples;
    private final int batchSize;
    private final DeviceEpoch deviceEpoch = new DeviceEpoch();
    private NDManager epochManager;
    private NDList userBatches;
    private NDList itemBatches;
    private NDList itemColumns;
    private NDList weightBatches;
    private PtNDArray lossSeed;
    private NDArray fixedNegatives;
    private NDList fixedNegativeBatches;

    DeviceRankingStep(CollabBlock block, CollabOptimizer optimizer, Objective objective, Ratings train,
            int batchSize, NDManager dataManager) {
        if (!optimizer.supportsDeviceUpdates()) {
            throw new IllegalArgumentException("the optimizer " + optimizer + " has no device update"
                    + " (CollabOptimizer.stepOnDevice)");
        }
        if (!(objective instanceof Bpr) && !(objective instanceof Softmax)) {
            throw new IllegalArgumentException("the device ranking step trains bpr and softmax, not "
                    + objective.name());
        }
        this.optimizer = optimizer;
        this.objective = objective;
        this.batchSize = batchSize;
        Parameter uf = block.getUserTables().get(0);
        Parameter itf = block.getItemTables().get(0);
        Parameter ib = block.getItemTables().size() > 1 ? block.getItemTables().get(1) : null;
        trained.add(uf);
        trained.add(itf);
        if (ib != null) {
            trained.add(ib);
        }
        userFactorsParameter = uf;
        itemFactorsParameter = itf;
        itemBiasParameter = ib;
        takeTables();
        numItems = block.getNumItems();
        examples = train.size();
        bpr = objective instanceof Bpr;
        NegativeSampling sampling = objective instanceof Bpr b ? b.sampling()
                : ((Softmax) objective).sampling();
        int softmaxNegatives = bpr ? 0 : ((Softmax) objective).negatives();
        fullSoftmax = !bpr && softmaxNegatives >= numItems;
        negatives = bpr ? Math.min(batchSize, examples) : Math.min(softmaxNegatives, numItems);

        manager = dataManager.newSubManager();
        int[] itemOf = train.itemIndices();
        users = manager.create(Steps.toLongs(train.userIndices()));
        items = manager.create(Steps.toLongs(itemOf));
        weights = manager.create(train.ratingValues());
        boolean popularity = sampling == NegativeSampling.POPULARITY && !fullSoftmax;
        int[] counts = new int[numItems];
        for (int i : itemOf) {
            counts[i]++;
        }
        if (popularity) {
            long[] ids = new long[itemOf.length + numItems];
            int at = 0;
            for (int i = 0; i < numItems; i++) {
                Arrays.fill(ids, at, at + counts[i] + 1, i);
                at += counts[i] + 1;
            }
            pool = manager.create(ids);
        } else {
            pool = null;
        }
        if (popularity && !bpr) {
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
    public void beginFit() {}

    @Override
    public void beginEpoch(Epoch epoch) {
        epochManager = epoch.manager();
        int batches = batches();
        NDArray order = DeviceEpoch.usedOrder(epoch, batches, batchSize, examples);
        userBatches = users.take(epochManager, order).split(batches);
        NDArray epochItems = items.take(epochManager, order);
        itemBatches = epochItems.split(batches);
        itemColumns = epochItems.reshape(-1, 1).split(batches);
        weightBatches = weights.take(epochManager, order).reshape(-1, 1).split(batches);
        fixedNegativeBatches = fixedNegatives != null && bpr ? fixedNegatives.take(epochManager, order).split(batches)
                : null;
        for (int b = 0; b < batches; b++) {
            for (NDList list : new NDList[] {userBatches, itemBatches, itemColumns, weightBatches}) {
                list.get(b).getDevice();
                list.get(b).getDataType();
            }
        }
        lossSeed = (PtNDArray) epochManager.ones(new Shape());
        prepareScalars(epoch, batches);
    }

    /** Every scalar the optimizer will ask for in this epoch. */
    private void prepareScalars(Epoch epoch, int batches) {
        deviceEpoch.begin(epochManager, values -> {
            for (int b = 0; b < batches; b++) {
                for (Parameter p : trained) {
                    optimizer.deviceScalarValues(p.getId(), epoch.learningRates()[b], epoch.momenta()[b], values);
                }
            }
        });
    }

    private NDArray scalar(float value) {
        return deviceEpoch.scalar(value);
    }

    /** This step's negatives: fixed ones (tests), the catalogue (full softmax), or fresh device draws. */
    private NDArray negatives(int batch, int size) {
        if (fixedNegativeBatches != null) {
            return fixedNegativeBatches.get(batch);
        }
        if (fixedNegatives != null) {
            return fixedNegatives;
        }
        if (allItems != null) {
            return allItems;
        }
        int n = bpr ? size : negatives;
        if (pool == null) {
            return epochManager.randomInteger(0, numItems, new Shape(n), DataType.INT64);
        }
        NDArray at = epochManager.randomInteger(0, pool.size(), new Shape(n), DataType.INT64);
        return pool.take(epochManager, at);
    }

    @Override
    public void trainBatch(int batch) {
        // Whoever restores weights may have given the parameters new arrays.
        takeTables();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray user = userBatches.get(batch);
            NDArray item = itemBatches.get(batch);
            NDArray weight = weightBatches.get(batch);
            NDArray negative = negatives(batch, batches() == 1 ? examples : batchSize);
            NDArray loss;
            JniUtils.setGradMode(true);
            try {
                NDArray u = CollabBlock.lookup(userFactors, user);
                NDArray positive = CollabBlock.lookup(itemFactors, item);
                NDArray perExample;
                if (bpr) {
                    // softplus(s_uj − s_ui) = −log σ(s_ui − s_uj), shape (bs, 1).
                    NDArray x = u.mul(CollabBlock.lookup(itemFactors, negative).sub(positive))
                            .sum(new int[] {1}, true);
                    if (itemBias != null) {
                        x = x.add(CollabBlock.lookup(itemBias, negative).sub(CollabBlock.lookup(itemBias, item)));
                    }
                    perExample = Activation.softPlus(x);
                } else {
                    perExample = softmaxLoss(u, positive, item, negative, itemColumns.get(batch));
                }
                loss = perExample.mul(weight).mean();
                JniUtils.backward((PtNDArray) loss, lossSeed, false, false);
            } finally {
                JniUtils.setGradMode(false);
            }
            for (Parameter p : trained) {
                NDArray w = p.getArray();
                optimizer.updateOnDevice(p.getId(), w, w.getGradient(), this::scalar);
            }
            deviceEpoch.keepLoss(loss);
        }
    }

    /**
     * −log softmax of each positive against the shared negatives, the positive masked among them: (bs, 1). Where
     * DJL's op would first ask a fresh array for its shape or type (a native call each), PyTorch's is called
     * through {@link JniUtils}.
     */
    private NDArray softmaxLoss(NDArray u, NDArray positive, NDArray item, NDArray negative, NDArray itemColumn) {
        NDArray pos = u.mul(positive).sum(new int[] {1}, true);
        NDArray neg;
        if (fullSoftmax) {
            neg = JniUtils.matmul((PtNDArray) u, transpose(itemFactors));
            if (itemBias != null) {
                pos = pos.add(CollabBlock.lookup(itemBias, item));
                neg = neg.add(transpose(itemBias));
            }
        } else {
            neg = JniUtils.matmul((PtNDArray) u, transpose(CollabBlock.lookup(itemFactors, negative)));
            NDArray posOffset = itemBias != null ? CollabBlock.lookup(itemBias, item) : null;
            NDArray negOffset = itemBias != null ? CollabBlock.lookup(itemBias, negative) : null;
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
        PtNDArray logits = (PtNDArray) NDArrays.concat(new NDList(pos, neg), 1);
        PtNDArray logSoftmax = JniUtils.logSoftmax(logits, 1, DataType.FLOAT32);
        return JniUtils.split(logSoftmax, new long[] {1, negatives}, 1).get(0).neg();
    }

    private static PtNDArray transpose(NDArray matrix) {
        return JniUtils.transpose((PtNDArray) matrix, 0, 1);
    }

    /**
     * Uses these negatives instead of drawing them (tests), from the next epoch on: for BPR one per training
     * positive, by its row in the training data (each batch takes those of its positives); for the sampled softmax
     * the negatives every batch shares.
     *
     * @param ids item indices
     */
    void fixNegatives(long[] ids) {
        int expected = bpr ? examples : negatives;
        if (ids.length != expected || fullSoftmax) {
            throw new IllegalArgumentException("expected " + expected + " negatives, got " + ids.length
                    + (fullSoftmax ? " (the full softmax has no sampled negatives)" : ""));
        }
        if (fixedNegatives != null) {
            fixedNegatives.close();
        }
        fixedNegatives = manager.create(ids);
        fixedNegatives.getDataType();
        fixedNegatives.getDevice();
    }

    @Override
    public float[] takeLosses() {
        return deviceEpoch.takeLosses();
    }

    @Override
    public void writeBack() {}

    @Override
    public void reload() {}

    /**
     * Returns how many scalars a step asked for that the epoch had not prepared (each made on the spot, a blocking
     * copy on a GPU): 0 unless an optimizer lists fewer values than it uses.
     *
     * @return the misses so far
     */
    long scalarMisses() {
        return deviceEpoch.scalarMisses();
    }

    /** @return the objective this step trains */
    Objective objective() {
        return objective;
    }

    @Override
    public void close() {
        manager.close();
    }
}
