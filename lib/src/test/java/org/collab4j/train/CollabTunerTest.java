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

    @Test
    void easeTrialsAreScoredOnTheInnerSplitAndCanBeChosenAndRefit() throws IOException {
        Ratings train = weighted(SyntheticRatings.generate(60, 40, 3, 0.35, 11));
        CollabTuner tuner = ranking(train).optObjectives(List.of("ease")).build();
        CollabTuner.Search search = tuner.search();
        Provenance.Tuning tuning = search.tuning();
        assertTrue(tuning.trials().size() >= 3, "trials: " + tuning.trials().size());
        assertEquals("ease lambda=400 input=positives", tuning.trials().get(0).settings(), "the first is EASE's"
                + " middle λ");
        Set<String> settings = new HashSet<>();
        for (Provenance.Tuning.Trial t : tuning.trials()) {
            assertTrue(t.settings().startsWith("ease lambda="), t.settings());
            assertTrue(t.metric() > 0 && t.metric() <= 1, "an EASE trial is scored: " + t);
            assertEquals(1, t.rung(), "closed form: never promoted " + t);
            assertEquals(1, t.epochs());
            settings.add(t.settings());
        }
        assertEquals(tuning.trials().size(), settings.size(), "each trial draws its own λ and input");
        // The figure is NDCG@10 on the inner split, as the Recommender serves the model fitted on its training part.
        Split inner = CollabTuner.innerSplit(train, true, 3);
        Provenance.Tuning.Trial chosen = tuning.trials().get(tuning.chosen() - 1);
        org.collab4j.train.objective.Ease ease = (org.collab4j.train.objective.Ease) search.config().objective();
        TrainedModel onInner = org.collab4j.train.ease.EaseTrainer.builder().optObjective(ease).optSeed(3).build()
                .fit(inner.train());
        assertEquals(chosen.metric(), org.collab4j.recommend.Recommender.of(onInner)
                .evaluateRanking(inner.valid(), 10, 1f).ndcg(), 1e-6);

        TrainedModel model = tuner.refit(search);
        assertEquals("ease", model.objective());
        assertTrue(model.getProvenance().model().startsWith("EASE(λ=")
                && model.getProvenance().model().contains("input=" + ease.inputs().get(0) + ")"),
                model.getProvenance().model() + " refits " + chosen.settings());
        assertEquals(train.size(), model.getProvenance().trainRatings(), "the refit fits all the data");
        Path file = dir.resolve("ease.c4j");
        model.save(file);
        assertEquals(tuning, TrainedModel.load(file).getProvenance().tuning(), "the file lists the EASE trials");
        // train --ease-keep: the refit keeps that many entries per column.
        TrainedModel sparse = ranking(train).optObjectives(List.of("ease")).optEaseKeep(5).build().refit(search);
        assertTrue(sparse.getProvenance().model().contains("top 5 per column"), sparse.getProvenance().model());
    }

    @Test
    void easeIsSearchedBesideTheOtherObjectives() {
        Ratings train = weighted(SyntheticRatings.generate(60, 40, 3, 0.35, 12));
        Provenance.Tuning tuning = ranking(train).optObjectives(List.of("ials", "ease")).build().search().tuning();
        List<Provenance.Tuning.Trial> ease = tuning.trials().stream().filter(t -> t.settings().startsWith("ease"))
                .toList();
        assertTrue(!ease.isEmpty(), "EASE is tried: " + CollabTuner.table(tuning));
        assertTrue(ease.stream().allMatch(t -> t.metric() > 0 && t.rung() == 1), CollabTuner.table(tuning));
        assertTrue(tuning.trials().stream().anyMatch(t -> t.settings().startsWith("ials") && t.rung() > 1),
                "iALS is still promoted: " + CollabTuner.table(tuning));
    }

    @Test
    void theFirstRatingTrialIsAPlainTrainsDefaultAndTheRefitScalesItsWeightDecay() {
        Ratings train = SyntheticRatings.generate(60, 40, 3, 0.35, 13);
        CollabTuner tuner = CollabTuner.builder().setTrainData(train).optBudget(Duration.ofSeconds(15))
                .optClock(ticking()).build();
        Provenance.Tuning tuning = tuner.search().tuning();
        Split inner = CollabTuner.innerSplit(train, false, 42);
        float wd = CollabLearnerBuilder.defaultWeightDecay(inner.train().size());
        TuningConfig first = tuner.defaultConfig();
        assertEquals(new TuningConfig(org.collab4j.train.objective.Objective.mse(), 50, 5e-3f, wd), first);
        assertEquals(first.toString(), tuning.trials().get(0).settings());
        assertEquals(5, tuning.trials().get(0).epochs(), "train's 5 epochs");
        // The learner of that trial is set as a plain train's on the same data: weight decay and bias decay.
        CollabLearnerBuilder trial = tuner.learnerBuilder(first, inner.train(), null, false);
        CollabLearnerBuilder plain = CollabLearner.builder().setTrainData(inner.train());
        assertEquals(plain.optimizer().toString(), trial.optimizer().toString());
        assertTrue(trial.optimizer().toString().contains("wd=" + wd), trial.optimizer().toString());
        assertEquals(plain.decayBiases(), trial.decayBiases());
        // Refit on all the data, the default's weight decay is the plain default's of all the data.
        assertEquals(CollabLearnerBuilder.defaultWeightDecay(train.size()), tuner.refitWeightDecay(wd), 1e-6);
    }

    /** A rating model's raw score u·i + b_u + b_i for indices {@code u}, {@code i}, from its saved weights. */
    private static double raw(TrainedModel m, int u, int i) {
        int k = m.getConfig().userFactors();
        float[] users = m.parameter(org.collab4j.kernel.ParameterNames.USER_FACTORS);
        float[] items = m.parameter(org.collab4j.kernel.ParameterNames.ITEM_FACTORS);
        double dot = 0;
        for (int f = 0; f < k; f++) {
            dot += (double) users[u * k + f] * items[i * k + f];
        }
        return dot + m.parameter(org.collab4j.kernel.ParameterNames.USER_BIAS)[u]
                + m.parameter(org.collab4j.kernel.ParameterNames.ITEM_BIAS)[i];
    }

    private static CollabTuner.Builder rating(Ratings train) {
        return CollabTuner.builder().setTrainData(train).optBudget(Duration.ofSeconds(15)).optClock(ticking());
    }

    @Test
    void aRatingRefitAveragesTwoModelsOfTheChosenSettingsScoringTheSigmoidOfTheirMeanRawScore() throws IOException {
        Ratings train = SyntheticRatings.generate(60, 40, 3, 0.35, 15);
        CollabTuner tuner = rating(train).build();
        assertEquals(SeedAverage.DEFAULT_MODELS, tuner.refitModels(), "train's --average default");
        CollabTuner.Search search = tuner.search();
        Provenance.Tuning tuning = search.tuning();
        assertEquals(2, tuning.refitModels());
        String table = CollabTuner.table(tuning);
        assertTrue(table.contains("the refit averages 2 models"), table);

        TrainedModel model = tuner.refit(search);
        int factors = search.config().factors();
        assertEquals(2 * factors, model.getConfig().userFactors(), "two members of the chosen factors side by side");
        assertEquals(2 * factors, model.getConfig().itemFactors());
        assertEquals(tuning, model.getProvenance().tuning());
        assertEquals(train.size(), model.getProvenance().trainRatings(), "each member trains on all the data");
        assertTrue(model.getProvenance().model().contains("the average of 2 models trained alike (seeds 42, 43;"),
                model.getProvenance().model());
        assertTrue(model.getProvenance().toString().contains("refit averaged 2 models"), model.getProvenance()
                .toString());

        // The members, trained apart with the refit's settings and seeds 42 and 43 (the first is the single refit).
        TuningConfig refit = search.config().withWeightDecay(tuner.refitWeightDecay(search.config().weightDecay()));
        List<TrainedModel> members = new ArrayList<>();
        for (long seed : new long[] {42, 43}) {
            try (CollabLearner l = tuner.learnerBuilder(refit, train, null, true).optSeed(seed).build()) {
                l.fitOneCycle(search.epochs(), refit.learningRate());
                members.add(l.fittedModel());
            }
        }
        org.collab4j.model.YRange range = model.getConfig().yRange();
        org.collab4j.recommend.Recommender served = org.collab4j.recommend.Recommender.of(model);
        double meanOfRatingsGap = 0;
        for (int row = 0; row < train.size(); row++) {
            int u = train.user(row);
            int i = train.item(row);
            double x = (raw(members.get(0), u, i) + raw(members.get(1), u, i)) / 2;
            double expected = 1 / (1 + Math.exp(-x)) * (range.high() - range.low()) + range.low();
            float got = served.predict(train.users().id(u), train.items().id(i));
            assertEquals(expected, got, 1e-4, "row " + row);
            double meanOfRatings = 0;
            for (TrainedModel m : members) {
                meanOfRatings += (1 / (1 + Math.exp(-raw(m, u, i))) * (range.high() - range.low()) + range.low()) / 2;
            }
            meanOfRatingsGap = Math.max(meanOfRatingsGap, Math.abs(got - meanOfRatings));
        }
        assertTrue(meanOfRatingsGap > 1e-4, "the raw scores are averaged, not the ratings: " + meanOfRatingsGap);

        Path file = dir.resolve("tuned-rating.c4j");
        model.save(file);
        TrainedModel loaded = TrainedModel.load(file);
        assertEquals(2 * factors, loaded.getConfig().userFactors());
        assertEquals(2, loaded.getProvenance().tuning().refitModels(), "the model file says the refit averaged 2");
    }

    @Test
    void aRatingRefitOfOneModelIsTheSingleFitAndMoreModelsKeepMoreOfTheBudgetForTheRefit() {
        Ratings train = SyntheticRatings.generate(60, 40, 3, 0.35, 16);
        CollabTuner one = rating(train).optRefitModels(1).build();
        CollabTuner.Search search = one.search();
        assertEquals(1, search.tuning().refitModels());
        assertTrue(!CollabTuner.table(search.tuning()).contains("the refit averages"));
        TrainedModel model = one.refit(search);
        assertEquals(search.config().factors(), model.getConfig().userFactors());
        assertEquals(1, model.getProvenance().tuning().refitModels());
        // The same search with a refit of 8 models keeps room for 8 fits: the trials stop sooner.
        int trials = search.tuning().trials().size();
        int withEight = rating(train).optRefitModels(8).build().search().tuning().trials().size();
        assertTrue(withEight < trials, withEight + " trials with 8 refit models, " + trials + " with 1");
    }

    @Test
    void refusesABadRefitCountAndAnAveragedRankingRefit() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> CollabTuner.builder().optRefitModels(0));
        assertTrue(zero.getMessage().contains("at least 1 model") && zero.getMessage().contains("got 0"),
                zero.getMessage());
        Ratings train = weighted(SyntheticRatings.generate(20, 20, 2, 0.5, 1));
        IllegalArgumentException ranking = assertThrows(IllegalArgumentException.class,
                () -> ranking(train).optRefitModels(2).build());
        assertTrue(ranking.getMessage().contains("a ranking model's refit is one model"), ranking.getMessage());
        assertEquals(1, ranking(train).optRefitModels(1).build().refitModels());
        assertEquals(1, ranking(train).build().refitModels(), "a ranking refit is unchanged: one model");
    }

    @Test
    void theFirstRankingTrialIsTrainImplicitsDefaultAtItsSweeps() {
        Ratings train = weighted(SyntheticRatings.generate(60, 40, 3, 0.35, 14));
        CollabTuner tuner = ranking(train).build();
        Provenance.Tuning.Trial first = tuner.search().tuning().trials().get(0);
        assertEquals("ials factors=64 alpha0=0.200 lambda=0.0100", first.settings());
        assertTrue(first.epochs() >= CollabTuner.DEFAULT_SWEEPS, "at least train --implicit's sweeps: " + first);
        CollabLearnerBuilder trial = tuner.learnerBuilder(tuner.defaultConfig(), train, null, false);
        assertTrue(trial.decayBiases(), "train --implicit decays a ranking model's bias tables");
        assertTrue(!trial.popularityBlend, "a trial's figure is each sweep's, unblended");
        assertTrue(tuner.learnerBuilder(tuner.defaultConfig(), train, null, true).popularityBlend,
                "the refit blends as train --implicit does");
    }

    @Test
    void leavesEaseOutAboveItsItemLimitAndSaysWhy() {
        int items = org.collab4j.train.ease.EaseTrainer.MAX_ITEMS + 1;
        List<String> itemIds = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            itemIds.add("i" + i);
        }
        List<String> userIds = List.of("u0", "u1", "u2", "u3");
        int[] u = new int[40];
        int[] i = new int[40];
        float[] v = new float[40];
        for (int k = 0; k < 40; k++) {
            u[k] = k % 4;
            i[k] = k % 13;
            v[k] = 1f;
        }
        Ratings train = Ratings.ofIndices(org.collab4j.data.IdMap.of(userIds), org.collab4j.data.IdMap.of(itemIds),
                u, i, v);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ranking(train).optObjectives(List.of("ease")).build().search());
        assertTrue(e.getMessage().contains("EASE not searched") && e.getMessage().contains("40,001 items")
                && e.getMessage().contains("iALS"), e.getMessage());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        CollabTuner tuner = ranking(train).optObjectives(List.of("ials", "ease"))
                .optProgress(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8)).build();
        Provenance.Tuning tuning = tuner.search().tuning();
        assertTrue(out.toString(java.nio.charset.StandardCharsets.UTF_8).startsWith("tune: EASE not searched"),
                out.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(tuning.trials().stream().noneMatch(t -> t.settings().startsWith("ease")), tuning.toString());
    }
}
