package org.collab4j.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import org.collab4j.data.Ratings;
import org.collab4j.engine.Engines;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.CollabBlock;
import org.collab4j.recommend.Evaluation;
import org.collab4j.kernel.Side;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * Trains a dot model several times alike, with different seeds, and serves the average of their scores as one model
 * ({@link TrainedModel#average}): the cheapest variance reduction there is. Each fit starts from other random
 * weights and sees the batches in another order, so the models' errors are partly independent, and averaging
 * their raw scores (before the y-range squashes them) cancels part of them. {@code train}'s rating model averages
 * {@value #DEFAULT_MODELS} ({@code --average}); measured on inner splits of MovieLens' and FilmTrust's training files,
 * the average of two was 0.0034–0.0039 RMSE better than one model on MovieLens and 0.0015–0.0017 on FilmTrust, at
 * every seed, for twice the training time (docs/benchmarks.md, issue 26).
 *
 * <pre>{@code
 * TrainedModel model = SeedAverage.fit(SeedAverage.DEFAULT_MODELS, 42,
 *         seed -> CollabLearner.builder().setTrainData(all).optSeed(seed).build(),
 *         learner -> learner.fitOneCycle(5, 5e-3f));
 * }</pre>
 *
 * <p>The averaged model is an ordinary {@code EmbeddingDotBias} (or {@code EmbeddingDot}) with the members' factors
 * side by side: saved, loaded and served by the {@code Recommender} as any other, with fold-in for new users.
 */
public final class SeedAverage {

    /** The models {@code train} averages for a rating model when {@code --average} is not given. */
    public static final int DEFAULT_MODELS = 2;

    private SeedAverage() {}

    /**
     * Trains {@code models} learners one after the other, each built by {@code learner} with the seed
     * {@code seed + j} ({@code j = 0, …, models − 1}: the first is the model a single fit with {@code seed} gives)
     * and trained by {@code fit}, and returns the average of their fitted models. Each learner is closed once its
     * model is taken, so at most one is open at a time.
     *
     * @param models how many models, at least 1 (1: the one fitted model)
     * @param seed the first model's seed
     * @param learner builds a learner with the seed it is given; all alike otherwise (the same data, block and
     *     settings), an {@code EmbeddingDot} or {@code EmbeddingDotBias} without side features
     * @param fit trains a learner, e.g. {@code l -> l.fitOneCycle(5, 5e-3f)}
     * @return the average ({@link TrainedModel#average})
     * @throws IllegalArgumentException if {@code models < 1}, or the models cannot be averaged (another block)
     */
    public static TrainedModel fit(int models, long seed, LongFunction<CollabLearner> learner,
            Consumer<CollabLearner> fit) {
        if (models < 1) {
            throw new IllegalArgumentException("the number of models to average must be at least 1, got " + models);
        }
        List<TrainedModel> fitted = new ArrayList<>();
        for (int j = 0; j < models; j++) {
            try (CollabLearner l = learner.apply(seed + j)) {
                if (models > 1 && j == 0) {
                    requireAveragable(l);
                }
                fit.accept(l);
                fitted.add(l.fittedModel());
            }
        }
        return TrainedModel.average(fitted);
    }

    /**
     * The errors of a dot or net model on ratings indexed by its id maps, every row scored through the model's block
     * as {@link CollabLearner#evaluate} scores a learner's (rows whose user or item had no training ratings by their
     * untrained rows; a {@code Recommender} skips or falls back on those), so that an average and a single fit are
     * measured alike.
     *
     * @param model the model
     * @param ratings ratings in the model's id maps, e.g. the validation part of the split it was trained on
     * @return MSE, RMSE and MAE over every row
     * @throws IllegalArgumentException if the ratings use other id maps
     */
    public static Evaluation evaluate(TrainedModel model, Ratings ratings) {
        try (NDManager manager = Engines.pytorch().newBaseManager(Device.cpu())) {
            CollabBlock block = model.newBlock(manager);
            return new BlockPredictor(block, new ParameterStore(manager, false), manager, model.users(),
                    model.items()).evaluate(ratings);
        }
    }

    /** Refuses, before any training, a learner whose models {@link TrainedModel#average} cannot average. */
    static void requireAveragable(CollabLearner l) {
        Class<?> block = l.getBlock().getClass();
        if (block != EmbeddingDot.class && block != EmbeddingDotBias.class) {
            throw new IllegalArgumentException("only dot models (EmbeddingDot, EmbeddingDotBias) can be averaged into"
                    + " one model, not " + l.getBlock() + ": average 1 model, or train a dot model");
        }
        if (l.sideFeatures(Side.USERS) != null || l.sideFeatures(Side.ITEMS) != null) {
            throw new IllegalArgumentException("a hybrid model (with side features) cannot be averaged into one model:"
                    + " average 1 model");
        }
    }
}
