package org.collab4j.train.als;

import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.train.objective.Ials;
import org.collab4j.train.step.HostTables;
import org.collab4j.train.step.LossLog;
import org.collab4j.train.step.TrainingStep;

import java.util.Arrays;

/**
 * Trains {@link Ials} on an {@code EmbeddingDot}: one {@link ImplicitAlsSolver} sweep per epoch over
 * host copies of the two factor tables. Each training row is an interaction whose value is its confidence
 * {@code c} (1 for a plain positive); the target of every interaction is 1.
 *
 * <p>As a {@link TrainingStep}: an epoch is one batch, the batch one sweep, its loss the sweep's objective per
 * interaction. The sweep has no learning rate and ignores the epoch's order (it solves every row exactly).
 *
 * <p>Part of the learner's machinery: public so that {@code CollabLearner} (package {@code org.collab4j.train}) can
 * build and run it, as DJL's engine classes are public; not an API of its own.
 */
public final class AlsEngine implements TrainingStep {

    private final HostTables tables;
    private final ImplicitAlsSolver solver;
    private final int examples;
    private final LossLog losses = new LossLog();

    /**
     * Prepares the solver.
     *
     * @param block an {@code EmbeddingDot}
     * @param objective the iALS settings
     * @param train the interactions, each value a confidence
     * @param threads the threads the sweep may use, the calling thread included
     */
    public AlsEngine(CollabBlock block, Ials objective, Ratings train, int threads) {
        tables = new HostTables(block, false);
        examples = train.size();
        float[] confidence = train.ratingValues();
        float[] target = new float[confidence.length];
        Arrays.fill(target, 1f);
        solver = new ImplicitAlsSolver(block.getNumUsers(), block.getNumItems(), train.userIndices(),
                train.itemIndices(), confidence, target, tables.factors(), objective.unobservedWeight(),
                objective.regularization(), objective.cgSteps(), threads);
    }

    @Override
    public int examples() {
        return examples;
    }

    @Override
    public int batches() {
        return 1;
    }

    @Override
    public void beginFit() {
        tables.load();
    }

    /** A sweep solves every row: the order does not matter, and the loop draws none. */
    @Override
    public boolean shuffles() {
        return false;
    }

    @Override
    public void beginEpoch(Epoch epoch) {
        // No order (see shuffles).
    }

    /** One sweep; its loss is the objective divided by the number of interactions. */
    @Override
    public void trainBatch(int batch) {
        losses.add((float) solver.sweep(tables.userFactorValues(), tables.itemFactorValues()));
    }

    @Override
    public float[] takeLosses() {
        return losses.take();
    }

    @Override
    public void writeBack() {
        tables.store();
    }

    @Override
    public void reload() {
        tables.load();
    }

    @Override
    public void close() {
        solver.close();
    }
}
