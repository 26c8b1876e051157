package org.collab4j.train;

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
import org.collab4j.train.optimizer.CollabOptimizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dense step kept on the training device ({@link StepKind#DEVICE}), the GPU default: the same arithmetic as
 * {@link DenseStep}, hence the same weights, without a host-device copy in a steady-state step.
 *
 * <ul>
 *   <li>The ratings (users, items, values) are copied to the device once, when the learner is built.
 *   <li>Once per epoch, on the device: the epoch's order gathers the three arrays into epoch order and
 *       {@code split} cuts each into the epoch's batches (views, one call each).
 *   <li>Once per epoch, one copy: every scalar the steps of the epoch will use — the y-range constants, the
 *       optimizer's {@code 1 - lr·wd}, learning rates, momenta, clip bounds
 *       ({@link CollabOptimizer#deviceScalarValues}) — is made in one array and split into one-element views,
 *       looked up by value during the steps ({@link CollabBlock.ScalarSource},
 *       {@link CollabOptimizer.DeviceScalars}). A value not prepared would be made on the spot and counted
 *       ({@link #scalarMisses()}).
 *   <li>Each step's loss stays on the device (detached); {@link #takeLosses()} stacks the losses of the steps
 *       since the last call and reads them in one transfer, at the loop's cadence.
 *   <li>The optimizer's update is {@link CollabOptimizer#updateOnDevice}: fused Adam, SGD and RMSProp with scalar
 *       arrays.
 * </ul>
 *
 * <p>Native calls for EmbeddingDotBias with AdamW per steady-state step: 36, plus 20 frees of its temporaries
 * ({@code torchDeleteTensor}), counted by
 * {@code NativeCallBudgetTest} with the native-call agent; none of them a host-device copy (DJL's dense step: 94
 * calls, 7 of them copies).
 */
final class DeviceStep implements TrainingStep {

    private final Model model;
    private final CollabBlock block;
    private final CollabOptimizer optimizer;
    private final List<Parameter> parameters;
    private final NDManager manager;
    private final NDArray users;
    private final NDArray items;
    private final NDArray ratings;
    private final int examples;
    private final int batchSize;
    private final ScalarStore store;
    private final boolean touchedRows;
    private final List<Parameter> denseParameters = new ArrayList<>();
    // Touched rows: per table row, the batch position of one batch row that holds it (any one), and 0 .. B-1.
    private final NDArray userSlots;
    private final NDArray itemSlots;
    private final NDArray positions;
    private final DeviceEpoch deviceEpoch = new DeviceEpoch();
    private NDManager epochManager;
    private NDList userBatches;
    private NDList itemBatches;
    private NDList ratingBatches;
    private PtNDArray lossSeed;

    DeviceStep(Model model, CollabBlock block, CollabOptimizer optimizer, List<Parameter> parameters, Ratings train,
            int batchSize, NDManager dataManager, boolean touchedRows) {
        if (!optimizer.supportsDeviceUpdates()) {
            throw new IllegalArgumentException("the optimizer " + optimizer + " has no device update"
                    + " (CollabOptimizer.stepOnDevice)");
        }
        this.model = model;
        this.block = block;
        this.optimizer = optimizer;
        this.parameters = parameters;
        this.batchSize = batchSize;
        examples = train.size();
        manager = dataManager.newSubManager();
        users = manager.create(Steps.toLongs(train.userIndices()));
        items = manager.create(Steps.toLongs(train.itemIndices()));
        ratings = manager.create(train.ratingValues());
        store = new ScalarStore(model.getNDManager());
        this.touchedRows = touchedRows;
        for (Parameter p : parameters) {
            if (!touchedRows || !block.getUserTables().contains(p) && !block.getItemTables().contains(p)) {
                denseParameters.add(p);
            }
        }
        userSlots = touchedRows ? manager.zeros(new Shape(block.getNumUsers()), DataType.INT64) : null;
        itemSlots = touchedRows ? manager.zeros(new Shape(block.getNumItems()), DataType.INT64) : null;
        positions = touchedRows ? manager.arange(0, Math.min(batchSize, examples), 1, DataType.INT64) : null;
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
        itemBatches = items.take(epochManager, order).split(batches);
        ratingBatches = ratings.take(epochManager, order).split(batches);
        // DJL asks a fresh array for its device with a native call the first time: ask now, not in the steps.
        for (int b = 0; b < batches; b++) {
            userBatches.get(b).getDevice();
            itemBatches.get(b).getDevice();
        }
        // The seed of the backward pass, d loss / d loss = 1, made once per epoch instead of per step (DJL's
        // GradientCollector makes it with four native calls each time).
        lossSeed = (PtNDArray) epochManager.ones(new Shape());
        prepareScalars(epoch, batches);
    }

    /** Makes every scalar the epoch's steps will ask for: the forward's constants and the optimizer's. */
    private void prepareScalars(Epoch epoch, int batches) {
        deviceEpoch.begin(epochManager, values -> {
            for (float v : CollabBlock.ScalarSource.forwardConstants(block.getYRange())) {
                values.accept(v);
            }
            for (int b = 0; b < batches; b++) {
                for (Parameter p : parameters) {
                    optimizer.deviceScalarValues(p.getId(), epoch.learningRates()[b], epoch.momenta()[b], values);
                }
            }
        });
    }

    @Override
    public void trainBatch(int batch) {
        // Everything the step makes hangs off the parameters' or the epoch's arrays; the scope closes it.
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray users = userBatches.get(batch);
            NDArray items = itemBatches.get(batch);
            NDList inputs = new NDList(users, items);
            NDArray userSlot = null;
            NDArray itemSlot = null;
            if (touchedRows) {
                userSlot = slots(userSlots, users);
                itemSlot = slots(itemSlots, items);
                inputs = new NDList(userSlot, itemSlot);
                for (Parameter p : block.getUserTables()) {
                    store.rows.put(p, TouchedRowStep.gatherRows(p.getArray(), users));
                }
                for (Parameter p : block.getItemTables()) {
                    store.rows.put(p, TouchedRowStep.gatherRows(p.getArray(), items));
                }
            }
            NDArray loss;
            // What DJL's GradientCollector does, without its per-step ones array: gradients are recorded on this
            // thread between the two calls (the learner keeps grad mode off on its thread otherwise).
            JniUtils.setGradMode(true);
            try {
                NDArray predictions = block.forward(store, inputs, true).head();
                loss = predictions.sub(ratingBatches.get(batch)).square().mean();
                JniUtils.backward((PtNDArray) loss, lossSeed, false, false);
            } finally {
                JniUtils.setGradMode(false);
            }
            for (Map.Entry<Parameter, NDArray> e : store.rows.entrySet()) {
                boolean user = block.getUserTables().contains(e.getKey());
                // Only the slot row of each table row holds its gradient (the sum over the batch's repeats):
                // every repeat takes it, so that all repeats compute the same update.
                NDArray grad = Embedding.embedding(user ? userSlot : itemSlot, e.getValue().getGradient(),
                        SparseFormat.DENSE).singletonOrThrow();
                optimizer.updateRowsOnDevice(e.getKey().getId(), e.getKey().getArray(), user ? users : items,
                        e.getValue(), grad, store::scalar);
            }
            store.rows.clear();
            for (Parameter p : denseParameters) {
                NDArray weight = p.getArray();
                optimizer.updateOnDevice(p.getId(), weight, weight.getGradient(), store::scalar);
            }
            deviceEpoch.keepLoss(loss);
        }
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

    @Override
    public float[] takeLosses() {
        return deviceEpoch.takeLosses();
    }

    @Override
    public void writeBack() {}

    @Override
    public void reload() {}

    /**
     * Returns how many scalars a step asked for that the epoch had not prepared: each was made from a Java number
     * on the spot (a blocking copy on a GPU). 0 unless an optimizer lists fewer values than it uses.
     *
     * @return the number of misses so far
     */
    long scalarMisses() {
        return deviceEpoch.scalarMisses();
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * The parameter store the forward sees: the usual parameters (or, with touched rows, the batch's gathered rows
     * of the tables), and the epoch's scalars by value.
     */
    private final class ScalarStore extends ParameterStore implements CollabBlock.ScalarSource {
        final Map<Parameter, NDArray> rows = new LinkedHashMap<>();

        ScalarStore(NDManager manager) {
            super(manager, false);
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            NDArray gathered = rows.get(parameter);
            return gathered != null ? gathered : parameter.getArray();
        }

        @Override
        public NDArray scalar(float value) {
            return deviceEpoch.scalar(value);
        }
    }
}
