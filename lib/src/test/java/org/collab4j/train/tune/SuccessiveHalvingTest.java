package org.collab4j.train.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Successive halving against a fake objective with known scores and a fake clock: a configuration is a number
 * whose score is itself (a little lower with fewer epochs), and an epoch costs a known number of fake seconds.
 */
class SuccessiveHalvingTest {

    /** A fake clock that only moves when a trial trains. */
    private static final class FakeClock {
        long nanos;

        void advance(double seconds) {
            nanos += Math.round(seconds * 1e9);
        }
    }

    /** A configuration: its true score and its cost per epoch in (fake) seconds. */
    private record Config(double score, double secondsPerEpoch) {}

    private static SuccessiveHalving.Builder<Config> search(FakeClock clock, List<String> log) {
        return SuccessiveHalving.<Config>builder()
                .setSampler(r -> new Config(r.nextDouble(), 1 + r.nextInt(3)))
                .setRungs((c, rung, rungs) -> 1 << rung)
                .setTrainer((c, epochs, stop) -> {
                    for (int e = 1; e <= epochs; e++) {
                        clock.advance(c.secondsPerEpoch());
                        if (e < epochs && stop.stop(e)) {
                            log.add("stopped " + c);
                            return SuccessiveHalving.Outcome.stoppedAfter(e);
                        }
                    }
                    // More epochs make a configuration look better; the order of configurations stays.
                    return SuccessiveHalving.Outcome.of(c.score() - 0.1 / epochs, epochs, epochs);
                })
                .optClock(() -> clock.nanos)
                .optCost(c -> c.secondsPerEpoch(), c -> 1);
    }

    @Test
    void promotesTheBestThirdAndChoosesTheBest() {
        FakeClock clock = new FakeClock();
        SuccessiveHalving.Result<Config> result = search(clock, new ArrayList<>()).optBudget(Duration.ofHours(1))
                .optLimits(40, 20).build().run();
        List<Trial<Config>> trials = result.trials();
        assertEquals(40, trials.size());
        List<Trial<Config>> first = trials.stream().filter(t -> t.rung() == 1).toList();
        // Every promoted configuration was among the best third of the rung below when it was promoted.
        assertTrue(trials.stream().anyMatch(t -> t.rung() == 3), "the best reach the last rung");
        int promotions = 0;
        for (Trial<Config> t : trials) {
            if (t.rung() == 1) {
                continue;
            }
            List<Trial<Config>> before = trials.subList(0, t.number() - 1).stream()
                    .filter(o -> o.rung() == t.rung() - 1).toList();
            long better = before.stream().filter(o -> o.config().score() > t.config().score()).count();
            assertTrue(better < before.size() / 3, t + " was not in the best third of " + before.size());
            promotions++;
        }
        assertTrue(promotions >= 40 / 3 - 2, "about a third of the trials are promotions: " + promotions);
        // Epochs double from rung to rung.
        for (Trial<Config> t : trials) {
            assertEquals(1 << (t.rung() - 1), t.epochs());
        }
        // The choice is the best trial: the best configuration at its most epochs.
        Trial<Config> best = trials.stream().max(Comparator.comparingDouble(Trial::metric)).orElseThrow();
        assertEquals(best, result.best());
        double bestScore = first.stream().mapToDouble(t -> t.config().score()).max().orElseThrow();
        assertEquals(bestScore, result.best().config().score(), 1e-12, "the best configuration sampled wins");
        assertEquals(3, result.best().rung());
    }

    @Test
    void lowerIsBetterWhenAsked() {
        FakeClock clock = new FakeClock();
        SuccessiveHalving.Result<Config> result = search(clock, new ArrayList<>()).optBudget(Duration.ofHours(1))
                .optHigherIsBetter(false).optRungs(1).optLimits(20, 20).build().run();
        double lowest = result.trials().stream().mapToDouble(Trial::metric).min().orElseThrow();
        assertEquals(lowest, result.best().metric());
    }

    @Test
    void staysWithinTheBudgetOfAFakeClock() {
        for (int budget : new int[] {5, 17, 60, 200}) {
            FakeClock clock = new FakeClock();
            List<String> log = new ArrayList<>();
            // Every kind's first trial may run without an estimate: the stop rule ends it once its pace overruns.
            SuccessiveHalving.Result<Config> result = search(clock, log).optBudget(Duration.ofSeconds(budget))
                    .optReserve(t -> 2.0).build().run();
            double used = clock.nanos / 1e9;
            assertTrue(used <= budget + 3, "budget " + budget + "s, used " + used + "s");
            assertEquals(used, result.seconds(), 1e-9);
            assertTrue(result.trials().size() < 1000, "the budget ended the search");
            double ran = result.trials().stream().mapToDouble(Trial::seconds).sum();
            assertEquals(used, ran, 1e-9, "no time passes outside trials on the fake clock");
            if (budget >= 17) {
                // After a trial of each kind has run, no trial starts that its estimate says would overrun.
                assertTrue(used <= budget, "budget " + budget + "s, used " + used + "s");
            }
        }
    }

    @Test
    void stopsAFirstTrialWhosePaceOverrunsTheBudget() {
        FakeClock clock = new FakeClock();
        List<String> log = new ArrayList<>();
        SuccessiveHalving.Result<Config> result = SuccessiveHalving.<Config>builder()
                .setSampler(r -> new Config(r.nextDouble(), 4))
                .setRungs((c, rung, rungs) -> 8)
                .setTrainer((c, epochs, stop) -> {
                    for (int e = 1; e <= epochs; e++) {
                        clock.advance(c.secondsPerEpoch());
                        if (e < epochs && stop.stop(e)) {
                            return SuccessiveHalving.Outcome.stoppedAfter(e);
                        }
                    }
                    return SuccessiveHalving.Outcome.of(c.score(), epochs, epochs);
                })
                .optClock(() -> clock.nanos).optBudget(Duration.ofSeconds(10)).build().run();
        // 8 epochs of 4 s cannot fit 10 s: the first trial stops after its first epoch shows the pace.
        assertEquals(1, result.trials().size());
        assertTrue(result.trials().get(0).stopped());
        assertEquals(1, result.trials().get(0).epochs());
        assertEquals(null, result.best());
        assertEquals(4.0, clock.nanos / 1e9, 1e-9);
    }

    @Test
    void theSameSeedGivesTheSameTrials() {
        List<List<Trial<Config>>> runs = new ArrayList<>();
        for (long seed : new long[] {7, 7, 8}) {
            FakeClock clock = new FakeClock();
            runs.add(search(clock, new ArrayList<>()).optSeed(seed).optBudget(Duration.ofSeconds(100)).build().run()
                    .trials());
        }
        assertEquals(runs.get(0), runs.get(1));
        assertNotEquals(runs.get(0), runs.get(2));
    }

    @Test
    void triesTheInitialConfigurationsFirst() {
        FakeClock clock = new FakeClock();
        Config given = new Config(0.5, 1);
        SuccessiveHalving.Result<Config> result = search(clock, new ArrayList<>()).optInitial(List.of(given))
                .optBudget(Duration.ofSeconds(30)).build().run();
        assertEquals(given, result.trials().get(0).config());
    }

    @Test
    void neverPromotesAConfigurationWithNoMoreEpochsAtTheNextRungAndStartsTheInitialOnesAtTheirRung() {
        FakeClock clock = new FakeClock();
        // A configuration with a cost per epoch of 2 is "closed form": one epoch at every rung.
        Config initial = new Config(0.5, 1);
        SuccessiveHalving.Result<Config> result = search(clock, new ArrayList<>())
                .setRungs((c, rung, rungs) -> c.secondsPerEpoch() == 2 ? 1 : 1 << rung)
                .optInitial(List.of(initial))
                .optInitialRung(c -> c == initial ? 1 : 0)
                .optBudget(Duration.ofHours(1)).optLimits(60, 20).build().run();
        List<Trial<Config>> trials = result.trials();
        assertEquals(initial, trials.get(0).config());
        assertEquals(2, trials.get(0).rung(), "the initial configuration starts at its rung");
        assertEquals(2, trials.get(0).epochs());
        assertTrue(trials.stream().anyMatch(t -> t.config().secondsPerEpoch() == 2 && t.rung() == 1));
        assertTrue(trials.stream().anyMatch(t -> t.config().secondsPerEpoch() != 2 && t.rung() > 1),
                "others are promoted");
        for (Trial<Config> t : trials) {
            if (t.config().secondsPerEpoch() == 2) {
                assertEquals(1, t.rung(), "a configuration with the same epochs at every rung is final: " + t);
                assertEquals(1, t.epochs());
            }
        }
    }
}
