package org.collab4j.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.io.TestModels;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.train.CollabLearner;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Per-call recommendation options: the default agrees with recommend(user, k), and each option does its part. */
class RecommendOptionsTest {

    private static Recommender recommender;
    private static TrainedModel model;

    @BeforeAll
    static void train() {
        try (CollabLearner learner = TestModels.trained(30, 40, EmbeddingDotBias.builder().optFactors(4))) {
            model = learner.fittedModel();
        }
        recommender = Recommender.of(model);
    }

    private static List<String> ids(List<ScoredId> list) {
        List<String> out = new ArrayList<>();
        list.forEach(s -> out.add(s.id()));
        return out;
    }

    @Test
    void defaultsAreTheUsualRecommendations() {
        for (int u = 0; u < 30; u++) {
            String user = model.users().id(u);
            assertEquals(recommender.recommend(user, 7), recommender.recommend(user, 7, RecommendOptions.DEFAULT));
        }
    }

    @Test
    void eachOptionNarrowsOrWidensAsItSays() {
        String user = model.users().id(0);
        Set<String> rated = new java.util.HashSet<>();
        for (int i : model.ratedItems(0)) {
            rated.add(model.items().id(i));
        }
        List<String> all = ids(recommender.recommend(user, 40, RecommendOptions.DEFAULT));
        assertTrue(all.stream().noneMatch(rated::contains));
        List<String> withRated = ids(recommender.recommend(user, 40,
                RecommendOptions.builder().optExcludeTrainingItems(false).build()));
        assertTrue(withRated.containsAll(rated) && withRated.containsAll(all), withRated.toString());

        String best = all.get(0);
        List<String> excluded = ids(recommender.recommend(user, 40,
                RecommendOptions.builder().optExclude(List.of(best, "no-such-item")).build()));
        assertFalse(excluded.contains(best));
        assertEquals(all.subList(1, all.size()), excluded);

        List<String> candidates = List.of(all.get(3), all.get(1), "no-such-item");
        assertEquals(List.of(all.get(1), all.get(3)), ids(recommender.recommend(user, 5,
                RecommendOptions.builder().optCandidates(candidates).build())));

        List<String> filtered = ids(recommender.recommend(user, 40,
                RecommendOptions.builder().optFilter(id -> !id.equals(all.get(2))).build()));
        assertFalse(filtered.contains(all.get(2)));
        assertEquals(all.size() - 1, filtered.size());
    }

    @Test
    void bothRankingEvaluationsRefuseANonFiniteThreshold() {
        org.collab4j.data.Ratings heldOut = org.collab4j.data.Ratings.builder()
                .add(model.users().id(0), model.items().id(0), 5f).build();
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> recommender.evaluateRanking(heldOut, 10, bad));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> recommender.evaluateRanking(heldOut, heldOut, 10, bad));
            assertTrue(e.getMessage().contains("relevantThreshold must be a finite rating"), e.getMessage());
        }
    }

    @Test
    void emptyOrUnknownCandidatesAreClearErrors() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> RecommendOptions.builder().optCandidates(List.of()));
        assertTrue(empty.getMessage().contains("candidate list is empty"), empty.getMessage());
        String user = model.users().id(0);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> recommender.recommend(user, 3, RecommendOptions.builder().optCandidates(List.of("x")).build()));
        assertTrue(unknown.getMessage().contains("none of the 1 candidate items"), unknown.getMessage());
        assertThrows(NullPointerException.class, () -> recommender.recommend(user, 3, null));
    }
}
