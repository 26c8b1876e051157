package org.collab4j.train.tune;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Successive halving (Jamieson and Talwalkar 2016) within a time budget, in its asynchronous form (ASHA, Li et al.,
 * "A System for Massively Parallel Hyperparameter Tuning", MLSys 2020) run one trial at a time: a configuration
 * first trains for the first rung's epochs; whenever one is among the best {@code 1/η} of the trials finished at its
 * rung, it is promoted and trains again from scratch for the next rung's (more) epochs; otherwise a new
 * configuration is drawn. Unlike a synchronous bracket this never waits for a rung to fill, so whatever the budget,
 * the best configurations found so far have reached the most epochs. The choice is the best trial of all (a
 * configuration at the epochs where it scored best).
 *
 * <p><b>The budget.</b> Before each trial its time is estimated from the trials already run: the same
 * configuration's seconds per epoch, else the mean seconds per epoch (per unit of {@link Builder#optCost size}) of
 * trials of the same kind; a trial that would end past the budget, less the time the caller keeps for what follows
 * ({@link Builder#optReserve}, e.g. a refit of the best configuration), is not started, and after
 * {@link Builder#optLimits patience} such trials in a row the search ends. The first trial of a kind has no estimate:
 * after each of its epochs the trainer asks a {@link StopRule}, which stops it once its pace says it would end past
 * the budget. Time is read from {@link Builder#optClock} (a fake clock makes tests exact).
 *
 * <p><b>Determinism.</b> Configurations are drawn from one generator seeded by {@link Builder#optSeed}, so the same
 * seed gives the same configurations in the same order; which of them run, and for how long, depends on the budget,
 * and so on the machine's speed, unless the budget is never reached.
 *
 * @param <C> the type of a configuration
 */
public final class SuccessiveHalving<C> {

    /**
     * Draws a configuration.
     *
     * @param <C> the type of a configuration
     */
    @FunctionalInterface
    public interface Sampler<C> {
        /**
         * Returns a new configuration.
         *
         * @param random the search's generator
         * @return the configuration
         */
        C sample(SplittableRandom random);
    }

    /**
     * Trains a configuration from scratch and measures it.
     *
     * @param <C> the type of a configuration
     */
    @FunctionalInterface
    public interface Trainer<C> {
        /**
         * Trains {@code config} for {@code epochs} and returns its inner validation figure. After each epoch the
         * trainer asks {@code stop} whether to go on: a trial that would end past the budget stops early, and
         * its outcome is then {@link Outcome#stopped stopped}.
         *
         * @param config the configuration
         * @param epochs the epochs to train
         * @param stop asked after each epoch with the epochs done and the trial's seconds so far
         * @return the figure and the epochs it was measured at; a {@code NaN} figure for a failed run
         */
        Outcome train(C config, int epochs, StopRule stop);
    }

    /** Whether a trial should stop before its last epoch. */
    @FunctionalInterface
    public interface StopRule {
        /**
         * Returns whether to stop now.
         *
         * @param epochsDone the epochs trained so far
         * @return {@code true} to stop
         */
        boolean stop(int epochsDone);
    }

    /**
     * The epochs of a configuration at a rung.
     *
     * @param <C> the type of a configuration
     */
    @FunctionalInterface
    public interface Rungs<C> {
        /**
         * Returns the epochs {@code config} trains at {@code rung}.
         *
         * @param config the configuration
         * @param rung the rung, from 0 (the fewest epochs)
         * @param rungs the number of rungs
         * @return the epochs, at least 1, not fewer than at the rung before
         */
        int epochs(C config, int rung, int rungs);
    }

    /**
     * A trial's result.
     *
     * @param metric the inner validation figure, {@code NaN} when the run failed or was stopped
     * @param bestEpochs the epochs at which it was measured
     * @param epochsRun the epochs actually trained (fewer than asked when stopped)
     * @param stopped whether the {@link StopRule} stopped it
     */
    public record Outcome(double metric, int bestEpochs, int epochsRun, boolean stopped) {

        /**
         * A trial that ran all its epochs.
         *
         * @param metric the figure, {@code NaN} for a failed run
         * @param bestEpochs the epochs at which it was measured
         * @param epochs the epochs trained
         * @return the outcome
         */
        public static Outcome of(double metric, int bestEpochs, int epochs) {
            return new Outcome(metric, bestEpochs, epochs, false);
        }

        /**
         * A trial stopped by the budget after {@code epochsRun} epochs.
         *
         * @param epochsRun the epochs trained
         * @return the outcome
         */
        public static Outcome stoppedAfter(int epochsRun) {
            return new Outcome(Double.NaN, epochsRun, epochsRun, true);
        }
    }

    /**
     * Hears about every trial (the CLI's progress line).
     *
     * @param <C> the type of a configuration
     */
    public interface Listener<C> {
        /**
         * A trial has run.
         *
         * @param trial the trial
         * @param elapsedSeconds the search's seconds so far
         */
        void onTrial(Trial<C> trial, double elapsedSeconds);

        /**
         * A trial was not started: its estimated time does not fit the budget left.
         *
         * @param config the configuration
         * @param epochs the epochs it would have trained
         * @param estimateSeconds its estimated seconds
         */
        default void onSkip(C config, int epochs, double estimateSeconds) {}
    }

    /**
     * What a search found.
     *
     * @param trials every trial, in the order they ran
     * @param best the best trial, or {@code null} when none succeeded
     * @param skipped trials not started because they would not have fitted the budget
     * @param seconds the search's wall-clock seconds
     * @param <C> the type of a configuration
     */
    public record Result<C>(List<Trial<C>> trials, Trial<C> best, int skipped, double seconds) {
        /**
         * Copies the list.
         *
         * @param trials the trials
         * @param best the best
         * @param skipped how many were skipped
         * @param seconds how long
         */
        public Result {
            trials = List.copyOf(trials);
        }
    }

    private final Builder<C> b;
    private final List<Trial<C>> trials = new ArrayList<>();
    private final Map<C, Trial<C>> lastOf = new HashMap<>();
    private final java.util.Set<Trial<C>> promoted = new java.util.HashSet<>();
    private long start;
    private int skipped;
    private Trial<C> best;

    private SuccessiveHalving(Builder<C> builder) {
        this.b = builder;
    }

    /**
     * Returns a builder.
     *
     * @param <C> the type of a configuration
     * @return a new builder
     */
    public static <C> Builder<C> builder() {
        return new Builder<>();
    }

    /**
     * Runs the search.
     *
     * @return the trials and the best
     */
    public Result<C> run() {
        start = b.clock.getAsLong();
        SplittableRandom random = new SplittableRandom(b.seed);
        List<C> initial = new ArrayList<>(b.initial);
        int misfits = 0;
        while (trials.size() < b.maxTrials && elapsed() < b.budgetSeconds && misfits < b.patience) {
            Trial<C> promote = promotable();
            C config;
            int rung;
            if (promote != null) {
                promoted.add(promote);
                config = promote.config();
                rung = promote.rung();
            } else {
                boolean first = !initial.isEmpty();
                config = first ? initial.remove(0) : b.sampler.sample(random);
                rung = first ? Math.max(0, Math.min(b.rungs - 1, b.initialRung.applyAsInt(config))) : 0;
            }
            int epochs = b.rungsOf.epochs(config, rung, b.rungs);
            double estimate = estimate(config, epochs);
            double reserve = best == null ? 0 : b.reserve.applyAsDouble(best);
            if (elapsed() + estimate + reserve > b.budgetSeconds || !b.admit.test(config, estimate)) {
                skipped++;
                misfits++;
                b.listener.onSkip(config, epochs, estimate);
                continue;
            }
            misfits = 0;
            runTrial(rung, config, epochs);
        }
        return new Result<>(trials, best, skipped, elapsed());
    }

    /**
     * The trial to promote next, from the highest rung down: one in the best {@code ⌊n/η⌋} of the {@code n} trials
     * finished at its rung that has not gone on yet and whose next rung trains more epochs (a configuration with
     * the same epochs at every rung, e.g. a closed-form model, is final at its first); {@code null} when there is
     * none.
     */
    private Trial<C> promotable() {
        for (int rung = b.rungs - 1; rung >= 1; rung--) {
            final int at = rung;
            List<Trial<C>> done = trials.stream().filter(t -> t.rung() == at).toList();
            int keep = done.size() / b.eta;
            for (Trial<C> t : done.stream().filter(Trial::succeeded).sorted(order()).limit(keep).toList()) {
                if (!promoted.contains(t) && b.rungsOf.epochs(t.config(), at, b.rungs)
                        > b.rungsOf.epochs(t.config(), at - 1, b.rungs)) {
                    return t;
                }
            }
        }
        return null;
    }

    private Trial<C> runTrial(int rung, C config, int epochs) {
        long t0 = b.clock.getAsLong();
        double reserve = best == null ? 0 : b.reserve.applyAsDouble(best);
        // Stops a trial whose epochs so far say it would end past the budget (the first of its kind had no estimate).
        StopRule stop = done -> {
            double spent = (b.clock.getAsLong() - t0) / 1e9;
            return done < epochs && elapsed() + spent / done * (epochs - done) + reserve > b.budgetSeconds;
        };
        Outcome outcome = b.trainer.train(config, epochs, stop);
        double seconds = (b.clock.getAsLong() - t0) / 1e9;
        int run = outcome.epochsRun() >= 1 && outcome.epochsRun() <= epochs ? outcome.epochsRun() : epochs;
        int at = outcome.bestEpochs() >= 1 && outcome.bestEpochs() <= run ? outcome.bestEpochs() : run;
        Trial<C> trial = new Trial<>(trials.size() + 1, rung + 1, config, run, at,
                outcome.stopped() ? Double.NaN : outcome.metric(), seconds, outcome.stopped());
        trials.add(trial);
        lastOf.put(config, trial);
        if (trial.succeeded() && (best == null || order().compare(trial, best) < 0)) {
            best = trial;
        }
        b.listener.onTrial(trial, elapsed());
        return trial;
    }

    /** Best first: a succeeded trial before a failed one, then by metric, then the faster. */
    private Comparator<Trial<C>> order() {
        Comparator<Trial<C>> byMetric = Comparator.comparingDouble(t -> b.higherIsBetter ? -t.metric() : t.metric());
        return Comparator.<Trial<C>, Boolean>comparing(t -> !t.succeeded()).thenComparing(byMetric)
                .thenComparingDouble(Trial::seconds);
    }

    /** The estimated seconds of a trial; 0 when nothing of its kind has run. */
    double estimate(C config, int epochs) {
        Trial<C> same = lastOf.get(config);
        if (same != null) {
            return same.seconds() / same.epochs() * epochs;
        }
        Object kind = b.kind.apply(config);
        double perUnit = 0;
        int n = 0;
        for (Trial<C> t : trials) {
            if (Objects.equals(b.kind.apply(t.config()), kind)) {
                perUnit += t.seconds() / t.epochs() / b.size.applyAsDouble(t.config());
                n++;
            }
        }
        return n == 0 ? 0 : perUnit / n * epochs * b.size.applyAsDouble(config);
    }

    private double elapsed() {
        return (b.clock.getAsLong() - start) / 1e9;
    }

    /**
     * Builds a search ({@code setX} required, {@code optX} optional).
     *
     * @param <C> the type of a configuration
     */
    public static final class Builder<C> {
        private Sampler<C> sampler;
        private Trainer<C> trainer;
        private Rungs<C> rungsOf;
        private boolean higherIsBetter = true;
        private int eta = 3;
        private int rungs = 3;
        private int maxTrials = 1000;
        private int patience = 20;
        private double budgetSeconds = TuneBudget.DEFAULT.toMillis() / 1000.0;
        private LongSupplier clock = System::nanoTime;
        private long seed = 42;
        private List<C> initial = List.of();
        private java.util.function.ToIntFunction<C> initialRung = c -> 0;
        private Function<C, Object> kind = c -> "";
        private ToDoubleFunction<C> size = c -> 1;
        private ToDoubleFunction<Trial<C>> reserve = t -> 0;
        private Listener<C> listener = (t, e) -> {};
        private java.util.function.BiPredicate<C, Double> admit = (c, e) -> true;

        private Builder() {}

        /**
         * Sets how configurations are drawn.
         *
         * @param sampler the sampler
         * @return this builder
         */
        public Builder<C> setSampler(Sampler<C> sampler) {
            this.sampler = sampler;
            return this;
        }

        /**
         * Sets how a configuration is trained and measured.
         *
         * @param trainer the trainer
         * @return this builder
         */
        public Builder<C> setTrainer(Trainer<C> trainer) {
            this.trainer = trainer;
            return this;
        }

        /**
         * Sets the epochs of each configuration at each rung.
         *
         * @param rungs the epochs by configuration and rung
         * @return this builder
         */
        public Builder<C> setRungs(Rungs<C> rungs) {
            this.rungsOf = rungs;
            return this;
        }

        /**
         * Sets whether a larger figure is better (default {@code true}: NDCG; {@code false} for RMSE).
         *
         * @param higherIsBetter the direction
         * @return this builder
         */
        public Builder<C> optHigherIsBetter(boolean higherIsBetter) {
            this.higherIsBetter = higherIsBetter;
            return this;
        }

        /**
         * Sets the number of rungs (default 3).
         *
         * @param rungs at least 1
         * @return this builder
         */
        public Builder<C> optRungs(int rungs) {
            if (rungs < 1) {
                throw new IllegalArgumentException("the search needs at least 1 rung, got " + rungs);
            }
            this.rungs = rungs;
            return this;
        }

        /**
         * Sets η, the share of a rung's trials that go on is {@code 1/η} (default 3).
         *
         * @param eta at least 2
         * @return this builder
         */
        public Builder<C> optEta(int eta) {
            if (eta < 2) {
                throw new IllegalArgumentException("η must be at least 2, got " + eta);
            }
            this.eta = eta;
            return this;
        }

        /**
         * Sets the time budget (default {@link TuneBudget#DEFAULT}).
         *
         * @param budget the budget, positive
         * @return this builder
         */
        public Builder<C> optBudget(Duration budget) {
            if (budget == null || budget.isNegative() || budget.isZero()) {
                throw new IllegalArgumentException("the budget must be positive, got " + budget);
            }
            this.budgetSeconds = budget.toNanos() / 1e9;
            return this;
        }

        /**
         * Sets the clock the budget is read from (default {@link System#nanoTime()}).
         *
         * @param nanos a monotonic clock in nanoseconds
         * @return this builder
         */
        public Builder<C> optClock(LongSupplier nanos) {
            this.clock = Objects.requireNonNull(nanos, "nanos");
            return this;
        }

        /**
         * Sets the seed of the configurations drawn (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder<C> optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets configurations the search starts with before drawing any (default none): e.g. the defaults,
         * so that the choice is never worse than them on the inner split.
         *
         * @param initial the configurations
         * @return this builder
         */
        public Builder<C> optInitial(List<C> initial) {
            this.initial = List.copyOf(initial);
            return this;
        }

        /**
         * Sets the rung (from 0) each {@linkplain #optInitial initial configuration} first trains at (default 0):
         * e.g. the rung whose epochs are the defaults', so that the first trial is the default as it is trained.
         *
         * @param rung the rung of an initial configuration, clamped to the rungs there are
         * @return this builder
         */
        public Builder<C> optInitialRung(java.util.function.ToIntFunction<C> rung) {
            this.initialRung = Objects.requireNonNull(rung, "rung");
            return this;
        }

        /**
         * Sets how a trial's time is estimated from others: configurations of the same {@code kind} take about
         * {@code size(config)} times a common time per epoch (default: one kind, size 1).
         *
         * @param kind e.g. the objective's name
         * @param size e.g. the number of factors
         * @return this builder
         */
        public Builder<C> optCost(Function<C, Object> kind, ToDoubleFunction<C> size) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.size = Objects.requireNonNull(size, "size");
            return this;
        }

        /**
         * Sets the seconds kept back from the budget for what follows the search, given the best trial so far
         * (default 0): e.g. the estimated time of refitting it on all the data.
         *
         * @param reserve the seconds to keep
         * @return this builder
         */
        public Builder<C> optReserve(ToDoubleFunction<Trial<C>> reserve) {
            this.reserve = Objects.requireNonNull(reserve, "reserve");
            return this;
        }

        /**
         * Caps the number of trials (default 1000), whatever the budget, and sets how many trials in a row may be
         * skipped for the budget before the search ends (default 20).
         *
         * @param trials the most trials
         * @param patience the most trials skipped in a row
         * @return this builder
         */
        public Builder<C> optLimits(int trials, int patience) {
            if (trials < 1 || patience < 1) {
                throw new IllegalArgumentException("the limits must be at least 1, got " + trials + " and "
                        + patience);
            }
            this.maxTrials = trials;
            this.patience = patience;
            return this;
        }

        /**
         * Sets a rule of the caller's that a trial must pass, besides the budget, before it starts (default: every
         * trial), given the configuration and its estimated seconds (0 when unknown): e.g. a share of the budget
         * per kind of configuration. A trial it refuses counts as skipped.
         *
         * @param admit whether to start the trial
         * @return this builder
         */
        public Builder<C> optAdmit(java.util.function.BiPredicate<C, Double> admit) {
            this.admit = Objects.requireNonNull(admit, "admit");
            return this;
        }

        /**
         * Sets who hears about each trial (default nobody).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder<C> optListener(Listener<C> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds the search.
         *
         * @return the search
         * @throws IllegalStateException if the sampler, trainer or rungs are missing
         */
        public SuccessiveHalving<C> build() {
            if (sampler == null || trainer == null || rungsOf == null) {
                throw new IllegalStateException("successive halving needs setSampler, setTrainer and setRungs");
            }
            return new SuccessiveHalving<>(this);
        }
    }
}
