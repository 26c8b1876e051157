package org.collab4j.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.collab4j.data.Ratings;
import org.collab4j.engine.Engines;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingNet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Onboarding questions on a hand-built model: two clusters of items, one along each factor, the first cluster
 * rated by more users (all six, against four). The first question is the gain the documented formula gives, computed here from the
 * users' rows; the second comes from the other cluster (popularity alone would ask the first cluster twice);
 * answered and skipped items are never asked, k is respected, and the same answers give the same questions.
 */
class OnboardingTest {

    private static NDManager manager;
    private static TrainedModel model;
    private static final float[] USERS = {1, 0, 0, 1, 1, 1, -1, 0.5f, 0.5f, -1, 0.2f, 0.3f};
    /** a0..a2 along the first factor, b0..b2 along the second. */
    private static final String[] ITEMS = {"a0", "a1", "a2", "b0", "b1", "b2"};
    private static final float[] ITEM_FACTORS = {1, 0, 0.95f, 0.05f, 0.9f, 0, 0, 1, 0.05f, 0.95f, 0, 0.9f};

    @BeforeAll
    static void build() {
        manager = Engines.pytorch().newBaseManager();
        Ratings.Builder ratings = Ratings.builder();
        for (int u = 0; u < 6; u++) {
            for (int i = 0; i < ITEMS.length; i++) {
                // Every user rates the a items; only u0..u3 the b items: a is known to 6 of 6, b to 4 of 6.
                if (i < 3 || u < 4) {
                    ratings.add("u" + u, ITEMS[i], 1 + (u + i) % 5);
                }
            }
        }
        Ratings train = ratings.build();
        CollabBlock block = EmbeddingDot.builder().setNumUsers(6).setNumItems(6).optFactors(2).optYRange(null)
                .build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1), new Shape(1));
        RecommenderTest.set(block, "userFactors", USERS);
        float[] items = new float[12];
        for (int i = 0; i < ITEMS.length; i++) {
            int row = train.items().indexOf(ITEMS[i]);
            items[2 * row] = ITEM_FACTORS[2 * i];
            items[2 * row + 1] = ITEM_FACTORS[2 * i + 1];
        }
        RecommenderTest.set(block, "itemFactors", items);
        model = TrainedModel.of(block, train, null);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static List<String> ids(List<ScoredId> scored) {
        return scored.stream().map(ScoredId::id).toList();
    }

    @Test
    void theFirstQuestionHasTheDocumentedGain() {
        // Without answers the posterior is the prior: the users' rows' covariance (n − 1), plus the fold-in's
        // ridge of 1e-4 of its mean diagonal. No y-range and no recorded loss: ω = 1/σ² = 1.
        double[] mean = new double[2];
        for (int u = 0; u < 6; u++) {
            mean[0] += USERS[2 * u] / 6.0;
            mean[1] += USERS[2 * u + 1] / 6.0;
        }
        double[] cov = new double[4];
        for (int u = 0; u < 6; u++) {
            double x = USERS[2 * u] - mean[0];
            double y = USERS[2 * u + 1] - mean[1];
            cov[0] += x * x / 5;
            cov[1] += x * y / 5;
            cov[3] += y * y / 5;
        }
        double ridge = 1e-4 * (cov[0] + cov[3]) / 2;
        cov[0] += ridge;
        cov[3] += ridge;
        cov[2] = cov[1];
        double best = -1;
        String bestId = null;
        for (int i = 0; i < ITEMS.length; i++) {
            double x = ITEM_FACTORS[2 * i];
            double y = ITEM_FACTORS[2 * i + 1];
            double spread = x * x * cov[0] + 2 * x * y * cov[1] + y * y * cov[3];
            double known = i < 3 ? 1 : 4 / 6.0;
            double gain = Math.log1p(known * spread);
            if (gain > best) {
                best = gain;
                bestId = ITEMS[i];
            }
        }
        List<ScoredId> first = Recommender.of(model).onboarding(RatingHistory.EMPTY, 1);
        assertEquals(List.of(bestId), ids(first));
        assertEquals(best, first.get(0).score(), 1e-5);
    }

    @Test
    void theQuestionsSpreadOverTheFactorSpace() {
        List<String> asked = ids(Recommender.of(model).onboarding(RatingHistory.EMPTY, 2));
        assertEquals(2, asked.size());
        // Popularity alone would ask two a items; the second question covers the other factor.
        assertTrue(asked.get(0).startsWith("a"), asked.toString());
        assertTrue(asked.get(1).startsWith("b"), asked.toString());
    }

    @Test
    void gainsDoNotIncreaseAlongTheChoice() {
        List<ScoredId> all = Recommender.of(model).onboarding(RatingHistory.EMPTY, 6);
        assertEquals(6, all.size());
        for (int n = 1; n < all.size(); n++) {
            assertTrue(all.get(n).score() <= all.get(n - 1).score() + 1e-6, all.toString());
        }
    }

    @Test
    void answeredAndSkippedItemsAreNeverAskedAndKIsRespected() {
        Recommender r = Recommender.of(model);
        RatingHistory answers = RatingHistory.builder().add("a0", 4).add("b1", 2).add("not-in-model", 5).build();
        List<String> next = ids(r.onboarding(answers, Set.of("a1"), 10));
        assertEquals(3, next.size(), "six items less three asked before: " + next);
        for (String id : List.of("a0", "b1", "a1", "not-in-model")) {
            assertFalse(next.contains(id), id + " was asked again: " + next);
        }
        assertEquals(1, r.onboarding(answers, 1).size());
        assertEquals(new HashSet<>(next).size(), next.size(), "no item twice");
        assertThrows(IllegalArgumentException.class, () -> r.onboarding(answers, 0));
        assertThrows(NullPointerException.class, () -> r.onboarding(null, 3));
    }

    @Test
    void answersChangeTheNextRoundAndTheSameAnswersGiveTheSameQuestions() {
        Recommender r = Recommender.of(model);
        List<ScoredId> before = r.onboarding(RatingHistory.EMPTY, 2);
        RatingHistory answers = RatingHistory.builder().add(before.get(0).id(), 5).build();
        List<ScoredId> after = r.onboarding(answers, 2);
        assertNotEquals(ids(before), ids(after));
        assertEquals(after, r.onboarding(RatingHistory.builder().add(before.get(0).id(), 5).build(), 2));
        assertEquals(after, Recommender.of(model).onboarding(answers, 2), "another recommender, the same bits");
    }

    @Test
    void anEmbeddingNetIsRefusedWithAReason() {
        Ratings train = Ratings.builder().add("u", "i", 3).add("v", "j", 4).build();
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            CollabBlock block = EmbeddingNet.builder().setNumUsers(2).setNumItems(2).optFactors(2).optHidden(4)
                    .build();
            block.initialize(m, DataType.FLOAT32, new Shape(1), new Shape(1));
            Recommender r = Recommender.of(TrainedModel.of(block, train, null));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> r.onboarding(RatingHistory.EMPTY, 2));
            assertTrue(e.getMessage().contains("dot model"), e.getMessage());
        }
    }
}
