package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.TestModels;
import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.ScoredId;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * {@link CollabLearnerBuilder#optKnownInteractions}: a fitted model knows interactions it did not train on (a
 * held-out part of its input), so it never recommends them, and a warm start keeps that rule.
 */
class KnownInteractionsTest {

    private static Ratings all;
    private static Split split;

    @BeforeAll
    static void data() {
        all = TestModels.ratings(40, 30, 0.4, 5);
        split = Splits.random(all, 0.2, 3);
    }

    private static CollabLearnerBuilder learner(Ratings train) {
        return CollabLearner.builder().setTrainData(train).optOutput(null).optProgressBar(false).optBatchSize(32);
    }

    /** Each user's item ids in {@code ratings}, as "user/item" strings. */
    private static Set<String> pairs(Ratings ratings) {
        Set<String> pairs = new HashSet<>();
        for (int row = 0; row < ratings.size(); row++) {
            pairs.add(ratings.users().id(ratings.user(row)) + "/" + ratings.items().id(ratings.item(row)));
        }
        return pairs;
    }

    private static Set<String> known(TrainedModel model) {
        Set<String> pairs = new HashSet<>();
        for (int u = 0; u < model.users().size(); u++) {
            for (int i : model.ratedItems(u)) {
                pairs.add(model.users().id(u) + "/" + model.items().id(i));
            }
        }
        return pairs;
    }

    /** The pairs a model recommends when asked for every item it has, for every user. */
    private static Set<String> recommended(TrainedModel model) {
        Recommender recommender = Recommender.of(model);
        Set<String> pairs = new HashSet<>();
        for (String user : model.users().ids()) {
            for (ScoredId top : recommender.recommend(user, model.items().size())) {
                pairs.add(user + "/" + top.id());
            }
        }
        return pairs;
    }

    @Test
    void aModelKnowsTheHeldOutRowsItWasGivenAndNeverRecommendsThem() {
        TrainedModel plain;
        TrainedModel knowing;
        try (CollabLearner l = learner(split.train()).optValidData(split.valid()).build()) {
            l.fit(1, 1e-2f);
            plain = l.fittedModel();
        }
        try (CollabLearner l = learner(split.train()).optValidData(split.valid())
                .optKnownInteractions(split.valid()).build()) {
            l.fit(1, 1e-2f);
            knowing = l.fittedModel();
        }
        Set<String> heldOut = pairs(split.valid());
        heldOut.removeAll(pairs(split.train()));
        assertFalse(heldOut.isEmpty());
        Set<String> recommendedPlain = recommended(plain);
        recommendedPlain.retainAll(heldOut);
        assertFalse(recommendedPlain.isEmpty(), "without it the held-out rows are recommended (the test can fail)");

        Set<String> input = pairs(all);
        assertEquals(input, known(knowing), "the model knows every row of its input, held-out ones included");
        Set<String> recommendedKnowing = recommended(knowing);
        recommendedKnowing.retainAll(input);
        assertEquals(Set.of(), recommendedKnowing);
        assertEquals(split.train().size(), knowing.getProvenance().trainRatings(), "it still trained on train only");
        assertTrue(Arrays.equals(plain.parameter("userFactors"), knowing.parameter("userFactors")),
                "knowing rows does not change the training");
    }

    @Test
    void theRefitRecipeTrainsOnEveryRowAndIdsTheModelLacksAreIgnored() {
        Ratings withStranger = Ratings.builder().add("stranger", "i0", 4).add("u0", "new-item", 5).build();
        try (CollabLearner l = learner(all).optKnownInteractions(withStranger).build()) {
            l.fit(1, 1e-2f);
            TrainedModel model = l.fittedModel();
            assertEquals(all.size(), model.getProvenance().trainRatings());
            assertEquals(pairs(all), known(model));
        }
    }

    @Test
    void aWarmStartOnNewRowsKnowsTheOldModelsItemsTheNewRowsAndTheKnownOnes() {
        TrainedModel first;
        try (CollabLearner l = learner(split.train()).build()) {
            l.fit(1, 1e-2f);
            first = l.fittedModel();
        }
        Split more = Splits.random(split.valid(), 0.5, 4);
        try (CollabLearner l = learner(more.train()).optInitModel(first).optKnownInteractions(more.valid()).build()) {
            l.fit(1, 1e-3f);
            TrainedModel next = l.fittedModel();
            assertEquals(pairs(all), known(next));
            Set<String> again = recommended(next);
            again.retainAll(pairs(all));
            assertEquals(Set.of(), again);
        }
    }
}
