package org.collab4j.train.step;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;

import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.train.objective.RatingObjective;
import org.collab4j.train.optimizer.CollabOptimizer;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DJL touched-row step ({@link StepKind#TOUCHED}): the batch's distinct users and items are found on the host
 * ({@link RowBatcher}), their rows gathered into small leaf arrays, the block's ordinary forward run on them
 * ({@link RowStore}), and {@link CollabOptimizer#updateRows} updates those rows and the same rows of the optimizer
 * state, lazily. Other parameters (EmbeddingNet's layers) get the dense update.
 *
 * <p>Native calls for EmbeddingDotBias with Adam, whatever the sizes of the tables: 5 array creations (distinct
 * users, items, their inverse indices, ratings), per table 1 gather, 1 requires-grad, 1 gradient read, 1 weight
 * decay, 2 state gathers, 1 fused Adam step and 3 index-puts (4 native calls each), the forward (about 12 ops),
 * loss (3), backward (1) and reading the loss (1): about 170 counted. The index and rating arrays come from direct
 * buffers reused by every batch.
 *
 * <p>Part of the learner's machinery: public so that {@code CollabLearner} (package {@code org.collab4j.train}) can
 * build and run it, as DJL's engine classes are public; not an API of its own.
 */
public final class TouchedRowStep implements TrainingStep {

    private final Model model;
    private final CollabBlock block;
    private final CollabOptimizer optimizer;
    private final RatingObjective objective;
    private final List<Parameter> denseParameters = new ArrayList<>();
    private final NDManager manager;
    private final int[] users;
    private final int[] items;
    private final float[] ratings;
    private final int batchSize;
    private final RowBatcher userRows;
    private final RowBatcher itemRows;
    private final BatchBuffers buffers;
    private final LossLog losses = new LossLog();
    private long[] order;

    public TouchedRowStep(Model model, CollabBlock block, CollabOptimizer optimizer, List<Parameter> parameters,
            RatingObjective objective, Ratings train, int batchSize, NDManager dataManager) {
        this.model = model;
        this.block = block;
        this.optimizer = optimizer;
        this.objective = objective;
        this.batchSize = batchSize;
        for (Parameter p : parameters) {
            if (!block.getUserTables().contains(p) && !block.getItemTables().contains(p)) {
                denseParameters.add(p);
            }
        }
        users = train.userIndices();
        items = train.itemIndices();
        ratings = train.ratingValues();
        userRows = new RowBatcher(train.users().size());
        itemRows = new RowBatcher(train.items().size());
        buffers = new BatchBuffers(Math.min(batchSize, train.size()));
        manager = dataManager.newSubManager();
    }

    @Override
    public int examples() {
        return users.length;
    }

    @Override
    public int batches() {
        return TrainingStep.batchesPerEpoch(users.length, batchSize);
    }

    @Override
    public void beginEpoch(Epoch epoch) {
        // The distinct rows are found on the host: read the epoch's order once.
        order = epoch.order().toLongArray();
    }

    @Override
    public void trainBatch(int batch) {
        int from = batch * batchSize;
        int size = Math.min(users.length, from + batchSize) - from;
        LongBuffer userInverse = buffers.userInverse.clear().asLongBuffer();
        LongBuffer itemInverse = buffers.itemInverse.clear().asLongBuffer();
        FloatBuffer batchRatings = buffers.ratings.clear().asFloatBuffer();
        userRows.start();
        itemRows.start();
        for (int k = 0; k < size; k++) {
            int row = (int) order[from + k];
            userInverse.put(k, userRows.slot(users[row]));
            itemInverse.put(k, itemRows.slot(items[row]));
            batchRatings.put(k, ratings[row]);
        }
        try (NDScope scope = new NDScope(); NDManager batchManager = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray u = buffers.array(batchManager, buffers.users, userRows.distinct(buffers.users));
            NDArray i = buffers.array(batchManager, buffers.items, itemRows.distinct(buffers.items));
            Map<Parameter, NDArray> rows = new LinkedHashMap<>();
            for (Parameter p : block.getUserTables()) {
                rows.put(p, gatherRows(p.getArray(), u));
            }
            for (Parameter p : block.getItemTables()) {
                rows.put(p, gatherRows(p.getArray(), i));
            }
            NDArray loss;
            try (GradientCollector collector = model.getNDManager().getEngine().newGradientCollector()) {
                NDList inputs = new NDList(buffers.array(batchManager, buffers.userInverse, size),
                        buffers.array(batchManager, buffers.itemInverse, size));
                NDArray predictions = block.forward(new RowStore(model.getNDManager(), rows), inputs, true).head();
                NDArray target = buffers.floats(batchManager, buffers.ratings, size);
                loss = objective.deviceLoss(predictions, target);
                collector.backward(loss);
            }
            for (Map.Entry<Parameter, NDArray> e : rows.entrySet()) {
                Parameter p = e.getKey();
                NDArray index = block.getUserTables().contains(p) ? u : i;
                optimizer.updateRows(p.getId(), p.getArray(), index, e.getValue(), e.getValue().getGradient());
            }
            for (Parameter p : denseParameters) {
                NDArray weight = p.getArray();
                optimizer.update(p.getId(), weight, weight.getGradient());
            }
            losses.add(loss.getFloat());
        }
    }

    /**
     * A plain copy of some rows of a table, made a leaf that requires a gradient: call it outside grad mode (the
     * gradient collector), so that the gradient stops at the copy. The device step's touched rows use it too.
     */
    static NDArray gatherRows(NDArray table, NDArray index) {
        NDArray rows = Embedding.embedding(index, table, SparseFormat.DENSE).singletonOrThrow();
        rows.setRequiresGradient(true);
        return rows;
    }

    @Override
    public float[] takeLosses() {
        return losses.take();
    }

    @Override
    public void close() {
        manager.close();
    }
}
