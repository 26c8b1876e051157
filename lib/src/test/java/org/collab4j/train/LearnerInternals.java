package org.collab4j.train;

import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.train.step.TrainingStep;

/**
 * What the tests of the training engines ({@code org.collab4j.train.step}) read of a learner's package-private
 * parts: the step it runs and the ranking probe's NDCG.
 */
public final class LearnerInternals {

    private LearnerInternals() {}

    /**
     * Returns the step a learner runs.
     *
     * @param learner the learner
     * @return its step
     */
    public static TrainingStep step(CollabLearner learner) {
        return learner.trainingStep();
    }

    /**
     * Returns the epoch table's NDCG@k for a block, as the learner's ranking probe measures it.
     *
     * @param block the block
     * @param train the training positives (excluded from the ranking)
     * @param valid the held-out positives
     * @param k the cut-off
     * @param users the most validation users sampled
     * @param seed the sample's seed
     * @return NDCG@k
     */
    public static double probeNdcg(CollabBlock block, Ratings train, Ratings valid, int k, int users, long seed) {
        return new RankingProbe(block, train, valid, k, users, seed).measure()[0];
    }
}
