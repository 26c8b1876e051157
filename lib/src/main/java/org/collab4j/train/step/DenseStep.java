package org.collab4j.train.step;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.train.objective.RatingObjective;
import org.collab4j.train.optimizer.CollabOptimizer;

import java.util.List;

/**
 * The DJL dense step ({@link StepKind#DENSE}): ratings on the device, each batch gathered there by slicing the
 * epoch's permutation, the block's forward on the full tables, the objective's device loss (MSE), backward,
 * {@link CollabOptimizer#update} of every parameter, and the loss read back at every step. About 95 native calls and
 * 7 host-device synchronisations per step for EmbeddingDotBias with AdamW (DJL-NOTES): {@link DeviceEngine} computes
 * the same weights without them.
 *
 * <p>Part of the learner's machinery: public so that {@code CollabLearner} (package {@code org.collab4j.train}) can
 * build and run it, as DJL's engine classes are public; not an API of its own.
 */
public final class DenseStep implements TrainingStep {

    private final Model model;
    private final CollabBlock block;
    private final CollabOptimizer optimizer;
    private final RatingObjective objective;
    private final ParameterStore parameterStore;
    private final List<Parameter> parameters;
    private final NDManager manager;
    private final NDArray users;
    private final NDArray items;
    private final NDArray ratings;
    private final int examples;
    private final int batchSize;
    private final LossLog losses = new LossLog();
    private NDArray order;

    public DenseStep(Model model, CollabBlock block, CollabOptimizer optimizer, List<Parameter> parameters,
            RatingObjective objective, Ratings train, int batchSize, NDManager dataManager) {
        this.model = model;
        this.block = block;
        this.optimizer = optimizer;
        this.objective = objective;
        this.parameters = parameters;
        this.batchSize = batchSize;
        examples = train.size();
        parameterStore = new ParameterStore(model.getNDManager(), false);
        manager = dataManager.newSubManager();
        users = manager.create(Steps.toLongs(train.userIndices()));
        items = manager.create(Steps.toLongs(train.itemIndices()));
        ratings = manager.create(train.ratingValues());
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
        order = epoch.order();
    }

    @Override
    public void trainBatch(int batch) {
        int from = batch * batchSize;
        int to = Math.min(examples, from + batchSize);
        try (NDScope scope = new NDScope(); NDManager batchManager = manager.newSubManager()) {
            scope.suppressNotUsedWarning();
            NDArray idx = order.get(new NDIndex().addSliceDim(from, to));
            NDArray u = users.take(batchManager, idx);
            NDArray i = items.take(batchManager, idx);
            NDArray r = ratings.take(batchManager, idx);
            NDArray loss;
            try (GradientCollector collector = model.getNDManager().getEngine().newGradientCollector()) {
                NDArray predictions = block.forward(parameterStore, new NDList(u, i), true).head();
                loss = objective.deviceLoss(predictions, r);
                collector.backward(loss);
            }
            for (Parameter p : parameters) {
                NDArray weight = p.getArray();
                optimizer.update(p.getId(), weight, weight.getGradient());
            }
            losses.add(loss.getFloat());
        }
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
