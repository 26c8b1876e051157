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
        CollabBlock ratings = build(CollabLearner.builder().blockBuilder());
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

    private static CollabBlock build(CollabBlock.BaseBuilder<?> builder) {
        return builder.setNumUsers(3).setNumItems(2).build();
    }
}
