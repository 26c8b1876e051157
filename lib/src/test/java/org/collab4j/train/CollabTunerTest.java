package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.Provenance;
import org.collab4j.io.TrainedModel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link CollabTuner}: the inner split holds out training rows only, the search runs on it within a budget read from
 * a fake clock, and the refit model's provenance lists every trial and the choice.
 */
class CollabTunerTest {

    @TempDir
    Path dir;

    /** Ratings as interactions: at least 3.5 a positive of weight 1, below it weak evidence of weight 0.3. */
    private static Ratings weighted(Ratings ratings) {
        float[] v = ratings.ratingValues();
        for (int k = 0; k < v.length; k++) {
            v[k] = v[k] >= 3.5f ? 1f : 0.3f;
        }
        return Ratings.ofIndices(ratings.users(), ratings.items(), ratings.userIndices(), ratings.itemIndices(), v);
    }

    /** Each row as "user/item/value", counted. */
    private static Map<String, Integer> rows(Ratings... parts) {
        Map<String, Integer> rows = new HashMap<>();
        for (Ratings r : parts) {
            for (int k = 0; k < r.size(); k++) {
                rows.merge(r.users().id(r.user(k)) + "/" + r.items().id(r.item(k)) + "/" + r.rating(k), 1,
                        Integer::sum);
            }
        }
        return rows;
    }

    private static Set<String> pairs(Ratings r) {
        Set<String> pairs = new HashSet<>();
        for (int k = 0; k < r.size(); k++) {
            pairs.add(r.users().id(r.user(k)) + "/" + r.items().id(r.item(k)));
        }
        return pairs;
    }

    @Test
    void theInnerSplitNeverHoldsARowOfASeparateValidationSet() {
        Ratings all = SyntheticRatings.generate(80, 60, 3, 0.3, 5);
        Split given = Splits.random(all, 0.2, 1);
        // As train --tune --valid reads them: two files in one id space.
        Split outer = Splits.combine(given.train(), given.valid());
        Set<String> validPairs = pairs(outer.valid());
        for (boolean ranking : new boolean[] {false, true}) {
            Ratings train = ranking ? weighted(outer.train()) : outer.train();
            Split inner = CollabTuner.innerSplit(train, ranking, 42);
            // Every training row is in exactly one part, and no other row is.
            assertEquals(rows(train), rows(inner.train(), inner.valid()));
            for (Ratings part : List.of(inner.train(), inner.valid())) {
                for (String pair : pairs(part)) {
                    assertTrue(!validPairs.contains(pair), pair + " of --valid reached the inner split");
                }
            }
            assertTrue(inner.valid().size() > 0.15 * train.size() * (ranking ? 0.4 : 1), "something is held out");
        }
    }

    @Test
    void aRankingInnerSplitHoldsOutPositivesOnlyAndKeepsEveryUserInTraining() {
        Ratings train = weighted(SyntheticRatings.generate(80, 60, 3, 0.3, 6));
        Split inner = CollabTuner.innerSplit(train, true, 42);
        int weak = 0;
        for (float v : train.ratingValues()) {
            weak += v < 1 ? 1 : 0;
        }
        for (float v : inner.valid().ratingValues()) {
            assertEquals(1f, v, "only positives are held out");
        }
        int weakInTrain = 0;
        for (float v : inner.train().ratingValues()) {
            weakInTrain += v < 1 ? 1 : 0;
        }
        assertEquals(weak, weakInTrain, "every weak row stays in training");
        Set<Integer> trained = new HashSet<>();
        for (int k = 0; k < inner.train().size(); k++) {
            if (inner.train().rating(k) >= 1) {
                trained.add(inner.train().user(k));
            }
        }
        for (int k = 0; k < inner.valid().size(); k++) {
            assertTrue(trained.contains(inner.valid().user(k)), "a user keeps a positive in training");
        }
    }

    /** A clock that moves 0.1 s at every reading, so the budget ends the search after the same trials every run. */
    private static java.util.function.LongSupplier ticking() {
        AtomicLong nanos = new AtomicLong();
        return () -> nanos.addAndGet(100_000_000L);
    }

    private static CollabTuner.Builder ranking(Ratings train) {
        return CollabTuner.builder().setTrainData(train).optRanking(true).optBudget(Duration.ofSeconds(25))
                .optSeed(3).optClock(ticking());
    }

    @Test
    void theRefitModelsProvenanceListsEveryTrialAndTheChoiceAndSavesThem() throws IOException {
        Ratings train = weighted(SyntheticRatings.generate(60, 40, 3, 0.35, 7));
        CollabTuner tuner = ranking(train).build();
        CollabTuner.Search search = tuner.search();
        Provenance.Tuning tuning = search.tuning();
        assertTrue(tuning.trials().size() >= 3, "trials: " + tuning.trials().size());
        // The ticking clock moves at every reading, after the last check too.
        assertTrue(tuning.seconds() <= 26, "the fake clock's budget: " + tuning.seconds());
        assertEquals("ndcg@10", tuning.metric());
        assertTrue(tuning.higherIsBetter());
        // The first trial is the untuned default.
        assertEquals("ials factors=64 alpha0=0.200 lambda=0.0100", tuning.trials().get(0).settings());
        Provenance.Tuning.Trial chosen = tuning.trials().get(tuning.chosen() - 1);
        assertEquals(tuning.chosen(), chosen.number());
        for (Provenance.Tuning.Trial t : tuning.trials()) {
            assertTrue(Double.isNaN(t.metric()) || t.metric() <= chosen.metric(), t + " beats the choice " + chosen);
        }
        assertEquals(chosen.settings() + " epochs=" + chosen.bestEpochs(), tuning.choice());
        assertEquals(chosen.bestEpochs(), search.epochs());

        TrainedModel model = tuner.refit(search);
        assertEquals(tuning, model.getProvenance().tuning());
        assertEquals(train.size(), model.getProvenance().trainRatings(), "the refit trains on all the data");
        assertEquals(search.epochs(), model.getProvenance().epochs());
        assertTrue(model.getProvenance().toString().contains("chose " + tuning.choice()));
        Path file = dir.resolve("tuned.c4j");
        model.save(file);
        assertEquals(tuning, TrainedModel.load(file).getProvenance().tuning(), "the model file keeps the search");

        String table = CollabTuner.table(tuning);
        for (Provenance.Tuning.Trial t : tuning.trials()) {
            assertTrue(table.contains(t.settings()), table);
        }
        assertTrue(table.contains(tuning.chosen() + "* "), table);
        assertTrue(table.contains("chose trial " + tuning.chosen() + ": " + tuning.choice()), table);
    }

    @Test
    void theSameSeedGivesTheSameTrials() {
        Ratings train = weighted(SyntheticRatings.generate(60, 40, 3, 0.35, 8));
        List<List<String>> runs = new ArrayList<>();
        for (long seed : new long[] {3, 3, 4}) {
            Provenance.Tuning tuning = ranking(train).optSeed(seed).build().search().tuning();
            runs.add(tuning.trials().stream().map(t -> t.settings() + " " + t.rung() + " " + t.epochs()).toList());
        }
        assertEquals(runs.get(0), runs.get(1));
        assertTrue(!runs.get(0).subList(1, runs.get(0).size()).equals(runs.get(2).subList(1, runs.get(2).size())),
                "another seed draws other configurations");
    }

    @Test
    void aRatingModelIsChosenByTheLowestRmse() {
        Ratings train = SyntheticRatings.generate(60, 40, 3, 0.35, 9);
        CollabTuner.Search search = CollabTuner.builder().setTrainData(train).optBudget(Duration.ofSeconds(15))
                .optClock(ticking()).build().search();
        Provenance.Tuning tuning = search.tuning();
        assertEquals("rmse", tuning.metric());
        double lowest = tuning.trials().stream().mapToDouble(Provenance.Tuning.Trial::metric)
                .filter(m -> !Double.isNaN(m)).min().orElseThrow();
        assertEquals(lowest, tuning.trials().get(tuning.chosen() - 1).metric());
        assertTrue(tuning.trials().stream().allMatch(t -> t.settings().startsWith("mse ")));
    }

    @Test
    void refusesWhatItCannotTune() {
        assertThrows(IllegalArgumentException.class, () -> CollabTuner.builder().build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CollabTuner.builder().optObjectives(List.of("mse")));
        assertTrue(e.getMessage().contains("not a ranking objective"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CollabTuner.builder().optBudget(Duration.ZERO));
        // A budget too small for a single trial says so.
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> CollabTuner.builder()
                .setTrainData(SyntheticRatings.generate(20, 20, 2, 0.5, 1)).optBudget(Duration.ofMillis(100))
                .optClock(ticking()).build().search());
        assertTrue(none.getMessage().contains("give a larger budget"), none.getMessage());
    }
}
