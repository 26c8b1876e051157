package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.ParameterGroup;
import org.collab4j.model.YRange;
import org.collab4j.train.objective.Objective;
import org.junit.jupiter.api.Test;

/** The learner's settings: what the builder refuses, and the defaults it resolves. */
class CollabLearnerBuilderTest {

    private static final Split SPLIT = Splits.random(SyntheticRatings.generate(30, 20, 3, 0.3, 7), 0.2, 1);

    @Test
    void rejectsBadSettingsWithAdvice() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CollabLearner.builder().setData(SPLIT).optOutput(null).optBatchSize(0).build());
        assertTrue(e.getMessage().contains("batch size must be at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CollabLearner.builder().build());
        assertTrue(e.getMessage().contains("setData"), e.getMessage());
        Ratings other = SyntheticRatings.generate(5, 5, 1, 1.0, 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> CollabLearner.builder().setTrainData(SPLIT.train()).optValidData(other).build());
        assertTrue(e.getMessage().contains("reindex"), e.getMessage());
    }

    @Test
    void refusesOutOfRangeKnobsAtOnce() {
        CollabLearnerBuilder builder = CollabLearner.builder();
        assertThrows(IllegalArgumentException.class, () -> builder.optGroupLearningRate(ParameterGroup.HEAD, -1f));
        assertThrows(IllegalArgumentException.class, () -> builder.optLossEvery(-1));
        assertThrows(IllegalArgumentException.class, () -> builder.optHostThreads(0));
        assertThrows(IllegalArgumentException.class, () -> builder.optRankingMetrics(0, 10));
        assertThrows(NullPointerException.class, () -> builder.optObjective(null));
    }

    @Test
    void theBlockIsTheOneGivenOrTheObjectivesDefault() {
        CollabBlock.BaseBuilder<?> given = EmbeddingDot.builder();
        assertSame(given, CollabLearner.builder().optModel(given).blockBuilder());
        CollabBlock ratings = build(CollabLearner.builder().setTrainData(SPLIT.train()).blockBuilder());
        assertEquals(EmbeddingDotBias.class, ratings.getClass());
        assertEquals(YRange.MOVIELENS, ratings.getYRange());
        CollabBlock ials = build(CollabLearner.builder().optObjective(Objective.ials()).blockBuilder());
        assertEquals(EmbeddingDot.class, ials.getClass());
        assertNull(ials.getYRange());
        assertEquals(CollabLearnerBuilder.DEFAULT_RANKING_FACTORS, ((EmbeddingDot) ials).getFactors());
        CollabBlock bpr = build(CollabLearner.builder().optObjective(Objective.bpr()).blockBuilder());
        assertEquals(EmbeddingDotBias.class, bpr.getClass());
        assertNull(bpr.getYRange());
        assertEquals(CollabLearnerBuilder.DEFAULT_RANKING_FACTORS, ((EmbeddingDotBias) bpr).getFactors());
    }

    @Test
    void theDefaultYRangeFollowsTheTrainingRatingsScale() {
        Ratings tenStars = withValues(SPLIT.train(), 1f, 10f);
        assertEquals(new YRange(0f, 11f), build(CollabLearner.builder().setTrainData(tenStars).blockBuilder())
                .getYRange(), "1-10 in whole stars: half a step beyond each end");
        Ratings filmTrust = withValues(SPLIT.train(), 0.5f, 4f);
        assertEquals(YRange.MOVIELENS, build(CollabLearner.builder().setTrainData(filmTrust).blockBuilder())
                .getYRange(), "stars within 0.5-5 keep (0, 5.5)");
        CollabBlock.BaseBuilder<?> given = EmbeddingDotBias.builder().optYRange(new YRange(1, 5));
        assertSame(given, CollabLearner.builder().setTrainData(tenStars).optModel(given).blockBuilder());
    }

    @Test
    void theDefaultWeightDecayFallsWithTheNumberOfRatings() {
        assertEquals(12_800f / 64_535, CollabLearnerBuilder.defaultWeightDecay(64_535), 1e-6f, "MovieLens' inner split");
        assertEquals(12_800f / 22_718, CollabLearnerBuilder.defaultWeightDecay(22_718), 1e-6f, "FilmTrust's");
        assertEquals(0.1f, CollabLearnerBuilder.defaultWeightDecay(25_000_000), "large data: fast.ai's 0.1");
        assertEquals(0.1f, CollabLearnerBuilder.defaultWeightDecay(128_000), 1e-7f, "0.1 from 128,000 ratings");
        assertEquals(1f, CollabLearnerBuilder.defaultWeightDecay(100), "tiny data: at most 1");
        assertEquals(CollabLearnerBuilder.defaultWeightDecay(50_000) * 2, CollabLearnerBuilder.defaultWeightDecay(
                25_000), 1e-6f, "half the data, twice the decay");
        CollabLearnerBuilder builder = CollabLearner.builder().setTrainData(SPLIT.train());
        assertEquals(CollabLearnerBuilder.defaultWeightDecay(SPLIT.train().size()),
                builder.optimizer().getWeightDecay());
        assertEquals(false, builder.decayBiases(), "the bias tables are left out of the decay by default");
        assertEquals(true, builder.optDecayBiases(true).decayBiases());
        // The rule follows the data for ratings only: a ranking objective keeps fast.ai's 0.1 and decayed biases,
        // as train --implicit gives it.
        CollabLearnerBuilder ranking = CollabLearner.builder().setTrainData(SPLIT.train())
                .optObjective(org.collab4j.train.objective.Objective.bpr());
        assertEquals(0.1f, ranking.optimizer().getWeightDecay());
        assertEquals(true, ranking.decayBiases());
    }

    /** The same rows with ratings spread over {@code [low, high]} in whole or half steps, both ends used. */
    private static Ratings withValues(Ratings ratings, float low, float high) {
        float step = high - low > 5 ? 1f : 0.5f;
        int levels = Math.round((high - low) / step) + 1;
        float[] values = new float[ratings.size()];
        for (int row = 0; row < values.length; row++) {
            values[row] = low + step * (row % levels);
        }
        return Ratings.ofIndices(ratings.users(), ratings.items(), ratings.userIndices(), ratings.itemIndices(),
                values);
    }

    private static CollabBlock build(CollabBlock.BaseBuilder<?> builder) {
        return builder.setNumUsers(3).setNumItems(2).build();
    }
}
