package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.recommend.Evaluation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

/** Predictions and errors from the block's current weights, through the learner's public methods. */
class BlockPredictorTest {

    private static Split split;

    @BeforeAll
    static void data() {
        split = Splits.random(SyntheticRatings.generate(300, 200, 3, 0.15, 7), 0.2, 1);
    }

    private static CollabLearnerBuilder learner() {
        return CollabLearner.builder().setData(split).optBatchSize(256).optOutput(null);
    }

    @Test
    void predictsByOriginalIdsAndNamesUnknownOnes() {
        try (CollabLearner learner = learner().build()) {
            learner.fit(1, 5e-3f);
            Ratings valid = split.valid();
            String user = valid.users().id(valid.user(0));
            String item = valid.items().id(valid.item(0));
            float one = learner.predict(user, item);
            float[] batch = learner.predict(List.of(user, user), List.of(item, item));
            assertEquals(one, batch[0]);
            assertEquals(one, learner.predictIndices(new int[] {valid.user(0)}, new int[] {valid.item(0)})[0]);
            assertTrue(one > 0f && one < 5.5f);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> learner.predict("nobody", item));
            assertTrue(e.getMessage().contains("Unknown user id 'nobody'"), e.getMessage());
        }
    }

    /** fast.ai's show_results: distinct rows from many users, each with its rating and the model's prediction. */
    @Test
    void samplePredictionsDrawsDistinctRowsAcrossUsers() {
        try (CollabLearner learner = learner().build()) {
            learner.fit(1, 5e-3f);
            Ratings valid = split.valid();
            List<PredictedRating> sample = learner.samplePredictions(valid, 10, 7);
            assertEquals(10, sample.size());
            assertEquals(sample, learner.samplePredictions(valid, 10, 7), "the same rows for the same seed");
            assertNotEquals(sample, learner.samplePredictions(valid, 10, 8));
            assertTrue(sample.stream().map(PredictedRating::user).distinct().count() > 3,
                    "from many users, not the first rows of one: " + sample);
            java.util.Map<String, Float> known = new java.util.HashMap<>();
            for (int row = 0; row < valid.size(); row++) {
                known.put(valid.users().id(valid.user(row)) + "/" + valid.items().id(valid.item(row)),
                        valid.rating(row));
            }
            for (PredictedRating p : sample) {
                assertEquals(known.get(p.user() + "/" + p.item()), p.actual(), "a rating of the data: " + p);
                assertEquals(learner.predict(p.user(), p.item()), p.predicted(), 1e-6f);
            }
            assertEquals(10, sample.stream().map(p -> p.user() + "/" + p.item()).distinct().count());
            List<PredictedRating> all = learner.samplePredictions(valid, valid.size() + 5, 1);
            assertEquals(valid.size(), all.size(), "every row once when asked for more");
            assertEquals(valid.size(), all.stream().map(p -> p.user() + "/" + p.item()).distinct().count());
            assertThrows(IllegalArgumentException.class, () -> learner.samplePredictions(valid, -1, 1));
        }
    }    /** The errors are those of the predictions, summed in doubles over every rating. */
    @Test
    void evaluateIsTheErrorOfThePredictions() {
        try (CollabLearner learner = learner().build()) {
            learner.fit(1, 5e-3f);
            Ratings valid = split.valid();
            float[] predicted = learner.predictIndices(valid.userIndices(), valid.itemIndices());
            double sumSq = 0;
            double sumAbs = 0;
            for (int k = 0; k < predicted.length; k++) {
                double err = (double) predicted[k] - valid.rating(k);
                sumSq += err * err;
                sumAbs += Math.abs(err);
            }
            Evaluation eval = learner.evaluate(valid);
            assertEquals(valid.size(), eval.count());
            assertEquals(sumSq / valid.size(), eval.mse(), 1e-5);
            assertEquals(Math.sqrt(sumSq / valid.size()), eval.rmse(), 1e-5);
            assertEquals(sumAbs / valid.size(), eval.mae(), 1e-5);
            Ratings other = SyntheticRatings.generate(5, 5, 1, 1.0, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> learner.evaluate(other));
            assertTrue(e.getMessage().contains("reindex"), e.getMessage());
        }
    }
}
