package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.ParameterNames;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.model.YRange;
import org.collab4j.recommend.Recommender;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link SeedAverage} and {@link TrainedModel#average}: the averaged model's prediction is the y-range's sigmoid of
 * the members' mean raw score (not the mean of their ratings), it is saved and served as one model, and models that
 * cannot be averaged are refused, a net before any training.
 */
class SeedAverageTest {

    private static Split split;

    @BeforeAll
    static void data() {
        split = Splits.random(SyntheticRatings.generate(60, 40, 3, 0.3, 7), 0.2, 1);
    }

    private static CollabLearner learner(long seed) {
        return CollabLearner.builder().setData(split).optOutput(null).optProgressBar(false).optSeed(seed).build();
    }

    private static TrainedModel single(long seed) {
        return single(seed, 2, 1e-2f);
    }

    private static TrainedModel single(long seed, int epochs, float lr) {
        try (CollabLearner l = learner(seed)) {
            l.fitOneCycle(epochs, lr);
            return l.fittedModel();
        }
    }

    /** The model's raw score u·i + b_u + b_i for indices {@code u}, {@code i}, from its saved weights. */
    private static double raw(TrainedModel m, int u, int i) {
        int k = m.getConfig().userFactors();
        float[] users = m.parameter(ParameterNames.USER_FACTORS);
        float[] items = m.parameter(ParameterNames.ITEM_FACTORS);
        double dot = 0;
        for (int f = 0; f < k; f++) {
            dot += (double) users[u * k + f] * items[i * k + f];
        }
        return dot + m.parameter(ParameterNames.USER_BIAS)[u] + m.parameter(ParameterNames.ITEM_BIAS)[i];
    }

    @Test
    void theAverageOfTwoPredictsTheSigmoidOfTheirMeanRawScore(@TempDir Path dir) throws IOException {
        TrainedModel a = single(42);
        TrainedModel fitted = SeedAverage.fit(2, 42, SeedAverageTest::learner, l -> l.fitOneCycle(2, 1e-2f));
        assertEquals(100, fitted.getConfig().userFactors(), "two members of 50 factors side by side");
        // The first member is the single fit with the same seed, the second the one with seed 43, each scaled by 1/√2.
        float[] first = a.parameter(ParameterNames.USER_FACTORS);
        float[] second = single(43).parameter(ParameterNames.USER_FACTORS);
        float[] wide = fitted.parameter(ParameterNames.USER_FACTORS);
        assertEquals(first[3] / Math.sqrt(2), wide[3], 1e-6);
        assertEquals(first[50 + 3] / Math.sqrt(2), wide[100 + 3], 1e-6);
        assertEquals(second[50 + 3] / Math.sqrt(2), wide[100 + 50 + 3], 1e-6);

        // Two members far apart (another seed, longer and faster), so that the mean of their ratings differs from
        // the y-range of their mean raw score.
        TrainedModel b = single(43, 6, 5e-2f);
        TrainedModel avg = TrainedModel.average(List.of(a, b));

        YRange range = a.getConfig().yRange();
        Ratings valid = split.valid();
        Recommender recommender = Recommender.of(avg);
        java.util.Set<String> trained = new java.util.HashSet<>();
        for (int row = 0; row < split.train().size(); row++) {
            trained.add(split.train().items().id(split.train().item(row)));
        }
        Recommender servedA = Recommender.of(a);
        Recommender servedB = Recommender.of(b);
        double meanOfRatingsGap = 0;
        double squares = 0;
        int served = 0;
        for (int row = 0; row < valid.size(); row++) {
            double x = (raw(a, valid.user(row), valid.item(row)) + raw(b, valid.user(row), valid.item(row))) / 2;
            double expected = 1 / (1 + Math.exp(-x)) * (range.high() - range.low()) + range.low();
            squares += (expected - valid.rating(row)) * (expected - valid.rating(row));
            String user = valid.users().id(valid.user(row));
            String item = valid.items().id(valid.item(row));
            if (avg.ratedItems(valid.user(row)).length == 0 || !trained.contains(item)) {
                continue; // the Recommender refuses ids without training ratings
            }
            float got = recommender.predict(user, item);
            assertEquals(expected, got, 1e-4, "row " + row);
            meanOfRatingsGap = Math.max(meanOfRatingsGap, Math.abs(got
                    - (servedA.predict(user, item) + servedB.predict(user, item)) / 2));
            served++;
        }
        assertTrue(served > valid.size() / 2, served + " rows served");
        assertTrue(meanOfRatingsGap > 1e-3, "the average is of raw scores, not of ratings: " + meanOfRatingsGap);
        // Every row, untrained rows included, as CollabLearner.evaluate measures a single fit.
        assertEquals(Math.sqrt(squares / valid.size()), SeedAverage.evaluate(avg, valid).rmse(), 1e-5);

        Path file = dir.resolve("avg.c4j");
        avg.save(file);
        TrainedModel loaded = TrainedModel.load(file);
        assertEquals(SeedAverage.evaluate(avg, valid).rmse(), SeedAverage.evaluate(loaded, valid).rmse());
        String u0 = split.train().users().id(split.train().user(0));
        List<String> itemIds = List.copyOf(trained);
        List<String> userIds = java.util.Collections.nCopies(itemIds.size(), u0);
        assertArrayEquals(recommender.predict(userIds, itemIds), Recommender.of(loaded).predict(userIds, itemIds));
        assertTrue(loaded.getProvenance().model().contains("average of 2 models"), loaded.getProvenance().model());
    }

    @Test
    void oneModelIsTheSingleFit() {
        TrainedModel one = SeedAverage.fit(1, 42, SeedAverageTest::learner, l -> l.fitOneCycle(2, 1e-2f));
        assertArrayEquals(single(42).parameter(ParameterNames.ITEM_FACTORS), one.parameter(ParameterNames.ITEM_FACTORS));
        assertSame(one, TrainedModel.average(List.of(one)));
    }

    @Test
    void refusesWhatCannotBeAveraged() {
        int[] fits = {0};
        IllegalArgumentException net = assertThrows(IllegalArgumentException.class, () -> SeedAverage.fit(2, 42,
                seed -> CollabLearner.builder().setData(split).optModel(EmbeddingNet.builder()).optOutput(null)
                        .optProgressBar(false).optSeed(seed).build(), l -> fits[0]++));
        assertTrue(net.getMessage().contains("only dot models"), net.getMessage());
        assertEquals(0, fits[0], "refused before training");
        assertThrows(IllegalArgumentException.class, () -> SeedAverage.fit(0, 42, SeedAverageTest::learner,
                l -> l.fitOneCycle(1, 1e-2f)));

        TrainedModel a = single(42);
        Split other = Splits.random(SyntheticRatings.generate(50, 40, 3, 0.3, 8), 0.2, 1);
        TrainedModel elsewhere;
        try (CollabLearner l = CollabLearner.builder().setData(other).optOutput(null).optProgressBar(false).build()) {
            l.fitOneCycle(1, 1e-2f);
            elsewhere = l.fittedModel();
        }
        IllegalArgumentException ids = assertThrows(IllegalArgumentException.class,
                () -> TrainedModel.average(List.of(a, elsewhere)));
        assertTrue(ids.getMessage().contains("same user and item ids"), ids.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainedModel.average(List.of()));
    }
}
