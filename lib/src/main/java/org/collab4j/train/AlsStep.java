package org.collab4j.train;

import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;

import java.util.Arrays;

/**
 * Trains {@link Objective.Ials} on an {@code EmbeddingDot}: one {@link ImplicitAlsSolver} sweep per epoch over
 * host copies of the two factor tables. Each training row is an interaction whose value is its confidence
 * {@code c} (1 for a plain positive); the target of every interaction is 1.
 */
final class AlsStep implements AutoCloseable {

    private final HostRankingStep.HostTables tables;
    private final ImplicitAlsSolver solver;

    AlsStep(CollabBlock block, Objective.Ials objective, Ratings train, int threads) {
        tables = new HostRankingStep.HostTables(block);
        float[] confidence = train.ratingValues();
        float[] target = new float[confidence.length];
        Arrays.fill(target, 1f);
        solver = new ImplicitAlsSolver(block.getNumUsers(), block.getNumItems(), train.userIndices(),
                train.itemIndices(), confidence, target, tables.factors(), objective.unobservedWeight(),
                objective.regularization(), objective.cgSteps(), threads);
    }

    void load() {
        tables.load();
    }

    void store() {
        tables.store();
    }

    /** One sweep; returns the objective divided by the number of interactions. */
    float sweep() {
        return (float) solver.sweep(tables.uf, tables.itf);
    }

    @Override
    public void close() {
        solver.close();
    }
}
