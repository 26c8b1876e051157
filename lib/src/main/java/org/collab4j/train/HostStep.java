package org.collab4j.train;

import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.train.optimizer.CollabOptimizer;

/**
 * The plain-Java step ({@link StepKind#HOST}) as a {@link TrainingStep}: {@link HostDotStep} over host copies of
 * the tables, loaded at the start of every fit and after a restore, written back at the end of every epoch (and
 * before a divergence is reported).
 */
final class HostStep implements TrainingStep {

    private final HostDotStep step;
    private final int examples;
    private final int batchSize;
    private final LossLog losses = new LossLog();
    private long[] order;

    HostStep(CollabBlock block, CollabOptimizer optimizer, boolean touchedRows, Ratings train, int batchSize,
            int threads) {
        step = new HostDotStep(block, optimizer, touchedRows, train.userIndices(), train.itemIndices(),
                train.ratingValues(), batchSize, threads);
        examples = train.size();
        this.batchSize = batchSize;
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
    public void beginFit() {
        // Once per fit, after onFitStart: per epoch it would churn two table-sized copies through the heap.
        step.load();
    }

    @Override
    public void beginEpoch(Epoch epoch) {
        order = epoch.order().toLongArray();
    }

    @Override
    public void trainBatch(int batch) {
        int from = batch * batchSize;
        losses.add(step.trainBatch(order, from, Math.min(examples, from + batchSize)));
    }

    @Override
    public float[] takeLosses() {
        return losses.take();
    }

    @Override
    public void writeBack() {
        step.store();
    }

    @Override
    public void reload() {
        step.load();
    }

    @Override
    public void close() {
        step.close();
    }
}
