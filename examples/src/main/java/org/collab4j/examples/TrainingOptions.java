package org.collab4j.examples;

import org.collab4j.data.Split;
import org.collab4j.model.BlockKind;
import org.collab4j.model.CollabBlock;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.train.EpochResult;

import java.util.List;

/**
 * The shared model and training options ({@link org.collab4j.cli.TrainingOptions}, which the Spark app's
 * {@code train} mixes in too) plus what only the examples need: the ranking learner of {@code train --implicit},
 * with its own defaults for the options the user did not give.
 */
final class TrainingOptions extends org.collab4j.cli.TrainingOptions {

    /**
     * The training step of a ranking learner; not an option (the learner's planner chooses: the host ranking step
     * on the CPU, the device ranking step on a GPU). The S1 measurement of the device ranking step on the CPU
     * ({@code RankingStepS1Measurement}, docs/benchmarks.md) sets it to {@code DEVICE}.
     */
    org.collab4j.train.step.StepKind rankingStep = org.collab4j.train.step.StepKind.AUTO;

    /** {@code train --implicit --no-popularity-blend}: iALS without the blend (set by {@code Train}). */
    boolean noPopularityBlend;

    /** Epochs of a ranking model when {@code --epochs} is absent: iALS sweeps, or BPR/softmax epochs. */
    static final int DEFAULT_ALS_SWEEPS = 10;
    static final int DEFAULT_SAMPLED_EPOCHS = 20;
    static final int DEFAULT_SAMPLED_BATCH = 1024;
    static final float DEFAULT_SAMPLED_LR = 1e-2f;

    /**
     * A learner for a ranking objective: the options the user gave, and the ranking defaults for the rest
     * ({@value CollabLearnerBuilder#DEFAULT_RANKING_FACTORS} factors; for BPR and the softmax batch size
     * {@value #DEFAULT_SAMPLED_BATCH}).
     */
    CollabLearner rankingLearner(Split split, org.collab4j.train.objective.Objective objective,
            picocli.CommandLine.ParseResult parsed) {
        return rankingLearner(split, objective, parsed::hasMatchedOption, null);
    }

    /**
     * The ranking learner, {@code given} telling which options the user gave; with {@code init}, a warm start
     * from that model (whose block replaces --block's and --factors').
     */
    CollabLearner rankingLearner(Split split, org.collab4j.train.objective.Objective objective,
            java.util.function.Predicate<String> given, org.collab4j.io.TrainedModel init) {
        return rankingLearner(split.train(), split.valid(), objective, given, init);
    }

    /**
     * {@link #rankingLearner(Split, org.collab4j.train.objective.Objective, java.util.function.Predicate,
     * org.collab4j.io.TrainedModel)} on {@code train}, with validation data ({@code valid}) or without
     * ({@code null}: the refit on every row that {@code train --save} serves when there is no {@code --valid}).
     */
    CollabLearner rankingLearner(org.collab4j.data.Ratings train, org.collab4j.data.Ratings valid,
            org.collab4j.train.objective.Objective objective, java.util.function.Predicate<String> given,
            org.collab4j.io.TrainedModel init) {
        validate();
        int f = given.test("--factors") ? factors : CollabLearnerBuilder.DEFAULT_RANKING_FACTORS;
        boolean ials = objective instanceof org.collab4j.train.objective.Ials;
        BlockKind kind = ials || block == BlockKind.EMBEDDING_DOT && given.test("--block")
                ? BlockKind.EMBEDDING_DOT : BlockKind.EMBEDDING_DOT_BIAS;
        CollabBlock.BaseBuilder<?> rankingBlock = kind.newBuilder().optFactors(f).optYRange(null);
        return configure(CollabLearner.builder()
                .setTrainData(train)
                .optValidData(valid)
                .optObjective(objective)
                .optModel(init == null ? rankingBlock : null)
                .optInitModel(init)
                .optOptimizer(optimizer())
                .optBatchSize(given.test("--bs") ? batchSize : DEFAULT_SAMPLED_BATCH)
                .optDecayBiases(!noBiasDecay)
                .optSeed(seed)
                .optTrainingStep(org.collab4j.train.step.StepChoice.of(ials ? org.collab4j.train.step.StepKind.AUTO
                        : rankingStep))
                .optPopularityBlend(!noPopularityBlend))
                .build();
    }

    /** {@code train --item-features} / {@code --user-features}: the tables every learner trains with, or null. */
    org.collab4j.data.FeatureTable itemFeatures;
    org.collab4j.data.FeatureTable userFeatures;

    /** Gives every learner the side features {@code train} read (a hybrid model, LightFM's form). */
    @Override
    protected CollabLearnerBuilder configure(CollabLearnerBuilder builder) {
        return builder.optItemFeatures(itemFeatures).optUserFeatures(userFeatures);
    }

    /**
     * Trains a ranking learner: iALS sweeps (fewer for a warm start), or the chosen schedule for BPR and the
     * softmax.
     */
    List<EpochResult> fitRanking(CollabLearner learner, picocli.CommandLine.ParseResult parsed) {
        return fitRanking(learner, parsed::hasMatchedOption);
    }

    /** {@link #fitRanking(CollabLearner, picocli.CommandLine.ParseResult)}, {@code given} naming the options given. */
    List<EpochResult> fitRanking(CollabLearner learner, java.util.function.Predicate<String> given) {
        boolean explicitEpochs = given.test("--epochs");
        if (learner.getObjective() instanceof org.collab4j.train.objective.Ials) {
            int sweeps = learner.getInitModel() != null ? CollabLearnerBuilder.DEFAULT_WARM_SWEEPS
                    : DEFAULT_ALS_SWEEPS;
            return learner.fitAls(explicitEpochs ? epochs : sweeps);
        }
        int n = explicitEpochs ? epochs : DEFAULT_SAMPLED_EPOCHS;
        float rate = given.test("--lr") ? lr : DEFAULT_SAMPLED_LR;
        return switch (schedule) {
            case onecycle -> learner.fitOneCycle(n, rate);
            case sgdr -> learner.fitSgdr(cycles, cycleLength, cycleMult, rate);
            case constant -> learner.fit(n, rate);
        };
    }
}
