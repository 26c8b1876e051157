package org.collab4j.train;

import ai.djl.ndarray.NDManager;

import org.collab4j.data.Ratings;
import org.collab4j.io.Provenance;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.train.objective.Ials;
import org.collab4j.train.objective.Objective;

import java.io.PrintStream;
import java.util.Optional;

/**
 * A {@link CollabLearner}'s {@link PopularityBlend} ({@link CollabLearnerBuilder#optPopularityBlend}): whether the
 * learner blends, the choice its first {@link CollabLearner#fitAls} makes, and the fitted model that carries it.
 */
final class LearnerBlend {

    /** Whether {@link CollabLearner#fitAls} chooses a popularity blend. */
    private final boolean blends;
    private final int hostThreads;
    /** The blend chosen by the first {@link CollabLearner#fitAls}, or null. */
    private PopularityBlend.Choice choice;

    /**
     * Decides whether the learner blends: an iALS {@code EmbeddingDot} trained from scratch without features.
     *
     * @param hybrid whether the step trains side features (the blend's extra factor has no feature vector)
     */
    LearnerBlend(CollabLearnerBuilder builder, Objective objective, TrainedModel initModel, CollabBlock block,
            boolean hybrid) {
        // The blend's extra factor has no feature vector: a hybrid model does not blend.
        blends = builder.popularityBlend && objective instanceof Ials && initModel == null
                && block.getClass() == EmbeddingDot.class && !hybrid;
        hostThreads = builder.hostThreads;
    }

    /** Before the first {@code fitAls} of a blending learner: chooses the blend and prints the choice. */
    void beforeFitAls(CollabLearner learner, Ratings train, int sweeps, PrintStream out) {
        if (blends && choice == null) {
            choice = PopularityBlend.choose(learner, train, sweeps, hostThreads);
            PopularityBlend.report(out, choice);
        }
    }

    /** @return the choice, or empty before the first {@code fitAls}, or when the learner does not blend */
    Optional<PopularityBlend.Choice> choice() {
        return Optional.ofNullable(choice);
    }

    /**
     * The fitted model: the block, with one more factor carrying the blend when one was chosen with a weight.
     */
    TrainedModel model(CollabBlock block, Ratings train, Provenance provenance, String objective,
            NDManager manager) {
        return choice != null && choice.weight() > 0
                ? PopularityBlend.apply((EmbeddingDot) block, train, choice.weight(), provenance, objective, manager)
                : TrainedModel.of(block, train, provenance, objective);
    }
}
