package org.collab4j.train;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.Provenance;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.YRange;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.ease.EaseTrainer;
import org.collab4j.train.objective.Bpr;
import org.collab4j.train.objective.Ease;
import org.collab4j.train.objective.Ials;
import org.collab4j.train.objective.NegativeSampling;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.Objectives;
import org.collab4j.train.objective.Softmax;
import org.collab4j.train.objective.Warp;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.tune.SuccessiveHalving;
import org.collab4j.train.tune.Trial;
import org.collab4j.train.tune.TuneBudget;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Training that chooses its own settings: given the training data, the kind of model (ratings or a ranking), a
 * time budget and a seed, it holds out part of the training data (the <em>inner split</em>: 20 % of each user's
 * positives for a ranking model, 20 % of the rows at random for a rating model), searches the settings by
 * {@linkplain SuccessiveHalving successive halving} on that split (NDCG@10 for a ranking model, RMSE for a rating
 * model), then refits the chosen settings on all the training data, as {@code train --save} refits without
 * {@code --valid}.
 *
 * <pre>{@code
 * CollabTuner tuner = CollabTuner.builder().setTrainData(interactions).optRanking(true)
 *         .optBudget(Duration.ofSeconds(60)).optSeed(42).build();
 * TrainedModel model = tuner.tune();   // search, then refit
 * model.getProvenance().tuning();      // every trial and the choice
 * }</pre>
 *
 * <p><b>What it searches.</b> A ranking model: the objective itself, drawn from the registered ranking objectives
 * ({@link Objectives#rankingNames()}, or {@link Builder#optObjectives}): each once first, then in proportion to
 * the inverse of its time per trial times 3^−rank by its best figure so far (the trials of an objective other than
 * iALS stop once together they would take more than an equal share of the budget), each with its own ranges,
 * centred on the defaults — iALS: factors 16–256, α0 0.05–1, λ 0.002–0.1 (all log-uniform), 6, 12 or 24 sweeps;
 * BPR, softmax, WARP and any objective registered later: factors 16–256, peak learning rate 0.002–0.05 of a
 * one-cycle fit, AdamW weight decay 0.01–1, 5, 10 or 20 epochs, plus BPR's and the softmax's sampling, the
 * softmax's negatives (32–512) and WARP's draws (5–50); EASE ({@link EaseTrainer}): one λ, log-uniform over its
 * grid's range (50–3200), and one input ({@link Ease.Input}), fitted in closed form once (it has no epochs, so it
 * is never promoted; its estimated time is the fit time measured), not searched where the catalogue has more than
 * {@value EaseTrainer#MAX_ITEMS} items. A rating model ({@code EmbeddingDotBias} with the given y-range): factors
 * 16–160, learning rate 0.001–0.025, weight decay from a quarter to four times the data's default ({@link
 * CollabLearnerBuilder#defaultWeightDecay} of the inner split's training part), 2, 5 or 10 epochs; the refit scales
 * the chosen weight decay with that default ({@link #refitWeightDecay}) and, as a plain {@code train} does, trains
 * {@link Builder#optRefitModels} models (default {@value SeedAverage#DEFAULT_MODELS}) with the chosen settings and
 * seeds {@code seed}, {@code seed + 1}, … and averages them into the one model returned ({@link SeedAverage}; each
 * trial measures a single model). The first trial is the untuned default
 * as a plain {@code train} fits it ({@link #defaultConfig}: at the rung whose epochs are the default's, with the
 * default weight decay and bias decay), so the choice is never worse than it on the inner split. An iALS trial is
 * measured after every sweep and its epochs are those of its best sweep; a one-cycle fit is measured at its end;
 * an EASE trial once, NDCG@10 as the {@code Recommender} serves it. An iALS trial does not blend popularity (its
 * figure is each sweep's); the refit of an iALS choice does, as a plain {@code train --implicit} does
 * ({@link PopularityBlend}, chosen on its own holdout of all the training data).
 *
 * <p><b>The budget</b> covers the search and the refit: a trial whose estimated time would not leave room for
 * refitting the best configuration so far (all the fits of an averaged refit) is not started. The refit itself is
 * not cut short.
 *
 * <p>Nothing but the training data given reaches the search: a separate validation set is the caller's to
 * measure the returned model on.
 *
 * <p>A tuner is not thread-safe: call {@link #search()} and {@link #refit(Search)} from one thread.
 */
public final class CollabTuner {

    /** The share of the training data the inner split holds out. */
    public static final double INNER_FRACTION = 0.2;
    /** The ranking figure's cut-off: NDCG@{@value}. */
    public static final int K = 10;

    /** The rungs of the search: each trains about twice the epochs of the one before. */
    static final int RUNGS = 3;
    /** {@code train --implicit}'s iALS sweeps, the default's. */
    static final int DEFAULT_SWEEPS = 10;
    /** {@code train --implicit --loss bpr} (softmax, WARP)'s epochs. */
    static final int DEFAULT_SAMPLED_EPOCHS = 20;
    /** {@code train}'s epochs of a rating model. */
    static final int DEFAULT_RATING_EPOCHS = 5;
    /**
     * The refit of an iALS choice blends popularity ({@link PopularityBlend}), whose inner fit takes about 0.8 times
     * the sweeps again: the time kept for the refit counts it.
     */
    static final double BLEND_COST = 1.8;

    private final Builder b;
    /** The ranking objectives searched: the builder's, less EASE where the catalogue is too large for it. */
    private final List<String> objectives;
    /** Why an objective was left out, or {@code null}. */
    private final String leftOut;
    private Split inner;
    /** Seconds per trial spent on each objective so far, for drawing objectives by cost. */
    private final java.util.Map<String, double[]> spent = new java.util.HashMap<>();

    private CollabTuner(Builder builder) {
        this.b = builder;
        List<String> names = new ArrayList<>(builder.objectives);
        int items = builder.train.items().size();
        if (builder.ranking && items > EaseTrainer.MAX_ITEMS && names.remove("ease")) {
            leftOut = String.format(Locale.ROOT, "tune: EASE not searched: these interactions have %,d items, more"
                    + " than the %,d its n × n item matrix is built for", items, EaseTrainer.MAX_ITEMS);
        } else {
            leftOut = null;
        }
        this.objectives = List.copyOf(names);
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The outcome of the search: every trial and the chosen configuration with its epochs.
     *
     * @param tuning the trials and the choice, as the model's provenance records them
     * @param config the chosen configuration
     * @param epochs the chosen epochs (sweeps for iALS)
     */
    public record Search(Provenance.Tuning tuning, TuningConfig config, int epochs) {}

    /**
     * Searches and refits: {@link #search()}, then {@link #refit(Search)}.
     *
     * @return the refit model, its provenance listing the search
     */
    public TrainedModel tune() {
        return refit(search());
    }

    /**
     * Holds out the inner split and searches the settings on it.
     *
     * @return the trials and the choice
     * @throws IllegalStateException if no trial could run or every trial failed
     */
    public Search search() {
        if (b.ranking && objectives.isEmpty()) {
            throw new IllegalStateException(leftOut.substring("tune: ".length()) + ": tune iALS, BPR, the softmax"
                    + " or WARP instead");
        }
        if (leftOut != null && b.progress != null) {
            b.progress.println(leftOut);
        }
        inner = innerSplit(b.train, b.ranking, b.seed);
        spent.clear();
        // Loading PyTorch's natives takes seconds once per process: not a trial's time, from which others are estimated.
        org.collab4j.engine.Engines.pytorch();
        LongSupplier clock = b.clock;
        long start = clock.getAsLong();
        double budget = b.budget.toNanos() / 1e9;
        double dataRatio = b.train.size() / (double) inner.train().size();
        SuccessiveHalving<TuningConfig> search = SuccessiveHalving.<TuningConfig>builder()
                .setSampler(this::sample)
                .setTrainer(this::trial)
                .setRungs((c, rung, rungs) -> epochsAt(c, rung, rungs))
                .optHigherIsBetter(b.ranking)
                .optRungs(RUNGS)
                .optInitial(List.of(defaultConfig()))
                .optInitialRung(CollabTuner::defaultRung)
                .optBudget(b.budget)
                .optClock(clock)
                .optSeed(b.seed)
                // An EASE trial is one inverse, whatever its λ: the fit time measured is its estimate.
                .optCost(c -> c.objective().name(), c -> c.isEase() ? 1 : c.factors()
                        * (c.objective() instanceof Softmax softmax ? softmax.negatives() / 256.0 : 1))
                // The refit trains on all the data, without the per-epoch measurement; iALS's blends popularity,
                // a rating model's averages refitModels fits.
                .optReserve(t -> t.seconds() / t.epochs() * t.bestEpochs() * dataRatio
                        * (b.ranking && t.config().isIals() ? BLEND_COST : 1) * refitModels())
                .optListener(new Progress(budget))
                .optAdmit((c, estimate) -> spentOn(c) + estimate <= share(c))
                .build();
        SuccessiveHalving.Result<TuningConfig> result = search.run();
        if (result.trials().isEmpty()) {
            throw new IllegalStateException("the tuning budget of " + TuneBudget.format(b.budget) + " left no"
                    + " time for a single trial: give a larger budget");
        }
        Trial<TuningConfig> best = result.best();
        if (best == null && result.trials().stream().anyMatch(Trial::stopped)) {
            throw new IllegalStateException("the tuning budget of " + TuneBudget.format(b.budget) + " was too short"
                    + " for a single trial to finish: give a larger budget");
        }
        if (best == null) {
            throw new IllegalStateException("every one of the " + result.trials().size() + " tuning trials"
                    + " diverged: check the data (train without tuning shows the epoch table)");
        }
        List<Provenance.Tuning.Trial> rows = new ArrayList<>();
        for (Trial<TuningConfig> t : result.trials()) {
            rows.add(new Provenance.Tuning.Trial(t.number(), t.rung(), t.config().toString(),
                    t.epochs(), t.bestEpochs(), t.metric(), t.seconds(), t.stopped()));
        }
        String choice = best.config() + (best.config().isEase() ? "" : " epochs=" + best.bestEpochs());
        double seconds = (clock.getAsLong() - start) / 1e9;
        return new Search(new Provenance.Tuning(metricName(), b.ranking, budget, seconds, rows, best.number(),
                choice, refitModels()), best.config(), best.bestEpochs());
    }

    /**
     * Refits a search's choice on all the training data: a ranking choice as one model, a rating choice as the
     * average of {@link #refitModels()} models trained alike with seeds {@code seed}, {@code seed + 1}, … ({@link
     * SeedAverage}; the first is the single fit with {@code seed}).
     *
     * @param search what {@link #search()} returned
     * @return the model, its provenance listing the search and the number of models the refit averaged
     */
    public TrainedModel refit(Search search) {
        TuningConfig c = search.config();
        Provenance.Tuning tuning = search.tuning().withRefitModels(refitModels());
        if (c.isEase()) {
            return EaseTrainer.builder().optObjective((Ease) c.objective()).optSeed(b.seed).optKeep(b.easeKeep)
                    .build().fit(b.train).withTuning(tuning);
        }
        if (!b.ranking) {
            TuningConfig refit = c.withWeightDecay(refitWeightDecay(c.weightDecay()));
            return SeedAverage.fit(refitModels(), b.seed,
                    seed -> learnerBuilder(refit, b.train, null, true).optSeed(seed).build(),
                    learner -> fit(learner, refit, search.epochs())).withTuning(tuning);
        }
        // As a plain train: an iALS refit blends popularity where its own inner holdout says it helps.
        try (CollabLearner learner = learner(c, b.train, null, true)) {
            fit(learner, c, search.epochs());
            return learner.fittedModel().withTuning(tuning);
        }
    }

    /**
     * Returns how many models the refit trains and averages: a rating model's {@link Builder#optRefitModels}
     * (default {@value SeedAverage#DEFAULT_MODELS}), a ranking model's 1.
     *
     * @return the number of models, at least 1
     */
    public int refitModels() {
        return b.ranking ? 1 : b.refitModels == null ? SeedAverage.DEFAULT_MODELS : b.refitModels;
    }

    /**
     * A rating model's weight decay for the refit on all the data: the one chosen on the inner split's training
     * part times the ratio of the default weight decays of the two sizes ({@link
     * CollabLearnerBuilder#defaultWeightDecay}), so that the default's trial refits as a plain {@code train} on all
     * the data would fit, and any other keeps its ratio to the default.
     */
    float refitWeightDecay(float chosen) {
        return chosen * CollabLearnerBuilder.defaultWeightDecay(b.train.size())
                / CollabLearnerBuilder.defaultWeightDecay(trialRows());
    }

    /** The rows a trial trains on: the inner split's training part. */
    private int trialRows() {
        if (inner == null) {
            inner = innerSplit(b.train, b.ranking, b.seed);
        }
        return inner.train().size();
    }

    /**
     * The inner split of some training data: for a ranking model, {@value #INNER_FRACTION} of each user's
     * positives (rows of weight at least 1) held out, every other row kept for training; for a rating model that
     * share of the rows at random. Every row of {@code train} is in exactly one part, and no other row is.
     *
     * @param train the training data
     * @param ranking whether the model ranks
     * @param seed the seed
     * @return the split
     */
    public static Split innerSplit(Ratings train, boolean ranking, long seed) {
        if (!ranking) {
            return Splits.random(train, INNER_FRACTION, seed);
        }
        int[] users = train.userIndices();
        int[] items = train.itemIndices();
        float[] values = train.ratingValues();
        int n = train.size();
        boolean[] positive = new boolean[n];
        int positives = 0;
        for (int row = 0; row < n; row++) {
            positive[row] = values[row] >= 1f;
            positives += positive[row] ? 1 : 0;
        }
        Split held = Splits.perUserFraction(rows(train, users, items, values, positive, true, positives),
                INNER_FRACTION, seed);
        Ratings weak = rows(train, users, items, values, positive, false, n - positives);
        return new Split(concat(held.train(), weak), held.valid());
    }

    private static Ratings rows(Ratings like, int[] users, int[] items, float[] values, boolean[] which, boolean keep,
            int count) {
        int[] u = new int[count];
        int[] i = new int[count];
        float[] v = new float[count];
        int k = 0;
        for (int row = 0; row < which.length; row++) {
            if (which[row] == keep) {
                u[k] = users[row];
                i[k] = items[row];
                v[k++] = values[row];
            }
        }
        return Ratings.ofIndices(like.users(), like.items(), u, i, v);
    }

    private static Ratings concat(Ratings a, Ratings c) {
        int[] u = Arrays.copyOf(a.userIndices(), a.size() + c.size());
        int[] i = Arrays.copyOf(a.itemIndices(), u.length);
        float[] v = Arrays.copyOf(a.ratingValues(), u.length);
        System.arraycopy(c.userIndices(), 0, u, a.size(), c.size());
        System.arraycopy(c.itemIndices(), 0, i, a.size(), c.size());
        System.arraycopy(c.ratingValues(), 0, v, a.size(), c.size());
        return Ratings.ofIndices(a.users(), a.items(), u, i, v);
    }

    /**
     * The untuned default, the first trial: iALS as {@code train --implicit} trains it (64 factors, {@link
     * Ials#DEFAULT}; a sampled objective's learning rate 0.01 and weight decay 0.1), or {@code train}'s rating model
     * on the trial's data (50 factors, learning rate 0.005, the weight decay {@link
     * CollabLearnerBuilder#defaultWeightDecay} gives the inner split's training part). With EASE alone, λ = 400 on
     * the positives (the middle of its grid).
     */
    TuningConfig defaultConfig() {
        if (b.ranking) {
            String name = objectives.isEmpty() ? "ials" : objectives.contains("ials") ? "ials" : objectives.get(0);
            Objective first = switch (name) {
                case "ials" -> Objective.ials();
                case "ease" -> Ease.of(400f, Ease.Input.POSITIVES);
                default -> Objectives.parse(name);
            };
            return new TuningConfig(first, CollabLearnerBuilder.DEFAULT_RANKING_FACTORS, 1e-2f,
                    CollabLearnerBuilder.MIN_DEFAULT_WEIGHT_DECAY);
        }
        return new TuningConfig(Objective.mse(), 50, 5e-3f, CollabLearnerBuilder.defaultWeightDecay(trialRows()));
    }

    /**
     * The rung the default first trains at: the first whose epochs are at least the default's (10 iALS sweeps: 12,
     * each measured; a rating model's 5 epochs; a sampled objective's 20), so that the first trial is the default
     * as a plain {@code train} fits it.
     */
    static int defaultRung(TuningConfig c) {
        int epochs = c.isEase() ? 1 : !c.objective().isRanking() ? DEFAULT_RATING_EPOCHS
                : c.isIals() ? DEFAULT_SWEEPS : DEFAULT_SAMPLED_EPOCHS;
        for (int rung = 0; rung < RUNGS; rung++) {
            if (epochsAt(c, rung, RUNGS) >= epochs) {
                return rung;
            }
        }
        return RUNGS - 1;
    }

    /** Draws a configuration from the objective's ranges. */
    TuningConfig sample(SplittableRandom r) {
        if (!b.ranking) {
            // Centred on the defaults (50 factors, 0.005, the data's weight decay), log-uniform.
            double wd = CollabLearnerBuilder.defaultWeightDecay(trialRows());
            return new TuningConfig(Objective.mse(), logInt(r, 16, 160), logUniform(r, 1e-3, 2.5e-2),
                    logUniform(r, wd / 4, wd * 4));
        }
        String name = drawObjective(r);
        if (name.equals("ease")) {
            float lambda = logUniform(r, Ease.DEFAULT_LAMBDAS.get(0),
                    Ease.DEFAULT_LAMBDAS.get(Ease.DEFAULT_LAMBDAS.size() - 1));
            Ease.Input[] inputs = Ease.Input.values();
            return new TuningConfig(Ease.of(lambda, inputs[r.nextInt(inputs.length)]), 0, 0f, 0f);
        }
        // Centred on the defaults (64 factors, 0.01, 0.1; iALS's α0 0.2 and λ 0.01), log-uniform.
        int factors = Math.max(8, logInt(r, 16, 256) / 8 * 8);
        float lr = logUniform(r, 2e-3, 5e-2);
        float wd = logUniform(r, 1e-2, 1);
        NegativeSampling sampling = r.nextBoolean() ? NegativeSampling.UNIFORM : NegativeSampling.POPULARITY;
        Objective objective = switch (name) {
            case "ials" -> new Ials(logUniform(r, 0.05, 1), logUniform(r, 2e-3, 0.1), Ials.DEFAULT.cgSteps());
            case "bpr" -> new Bpr(sampling);
            case "softmax" -> new Softmax(logInt(r, 32, 512), sampling);
            case "warp" -> new Warp(logInt(r, 5, 50));
            default -> Objectives.parse(name);
        };
        return new TuningConfig(objective, factors, lr, wd);
    }

    /**
     * Draws an objective: one not tried yet first (at random among them); then each weighs the inverse of its mean
     * seconds per trial (so that objectives get about the same time rather than the same number of trials) times
     * η^−rank, its rank among the objectives by the best figure of its trials (0 for the best; an objective none of
     * whose trials finished ranks last). Cheap objectives are explored and good ones exploited.
     */
    private String drawObjective(SplittableRandom r) {
        int n = objectives.size();
        double[] pace = new double[n];
        double[] best = new double[n];
        for (int k = 0; k < n; k++) {
            double[] s = spent.get(objectives.get(k));
            pace[k] = s == null || s[0] <= 0 ? Double.NaN : s[1] / s[0];
            best[k] = s == null ? Double.NaN : s[2];
        }
        List<String> untried = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (Double.isNaN(pace[k])) {
                untried.add(objectives.get(k));
            }
        }
        if (!untried.isEmpty()) {
            return untried.get(r.nextInt(untried.size()));
        }
        double[] weights = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++) {
            int rank = 0;
            for (int o = 0; o < n; o++) {
                boolean better = Double.isNaN(best[k]) ? !Double.isNaN(best[o]) || o < k
                        : !Double.isNaN(best[o]) && (b.ranking ? best[o] > best[k] : best[o] < best[k]);
                rank += o != k && better ? 1 : 0;
            }
            weights[k] = pace[k] * Math.pow(3, -rank);
            total += weights[k];
        }
        double x = r.nextDouble() * total;
        for (int k = 0; k < n; k++) {
            x -= weights[k];
            if (x < 0) {
                return objectives.get(k);
            }
        }
        return objectives.get(n - 1);
    }

    private static float logUniform(SplittableRandom r, double low, double high) {
        return (float) Math.exp(Math.log(low) + r.nextDouble() * (Math.log(high) - Math.log(low)));
    }

    private static int logInt(SplittableRandom r, int low, int high) {
        return (int) Math.round(logUniform(r, low, high));
    }

    /**
     * The epochs of a rung: they double from rung to rung up to the objective's most at the last (24 iALS sweeps,
     * 20 epochs of a sampled ranking objective, 10 of a rating model: 2, 5, 10); EASE, solved in closed form, has
     * one "epoch" at every rung, so that it is never promoted.
     */
    static int epochsAt(TuningConfig c, int rung, int rungs) {
        if (c.isEase()) {
            return 1;
        }
        int most = !c.objective().isRanking() ? 10 : c.isIals() ? 24 : 20;
        return Math.max(1, most >> (rungs - 1 - rung));
    }

    /**
     * The most seconds the trials of an objective other than the default may take together: an equal share of the
     * budget (a quarter with the four built-in objectives); the default's trials (iALS) may take the rest.
     */
    private double share(TuningConfig c) {
        boolean isDefault = c.objective().name().equals(defaultConfig().objective().name());
        return isDefault || !b.ranking ? Double.POSITIVE_INFINITY : b.budget.toNanos() / 1e9 / objectives.size();
    }

    private double spentOn(TuningConfig c) {
        double[] s = spent.get(c.objective().name());
        return s == null ? 0 : s[0];
    }

    /** Trains a configuration on the inner split and measures it. */
    private SuccessiveHalving.Outcome trial(TuningConfig c, int epochs, SuccessiveHalving.StopRule stop) {
        if (c.isEase()) {
            return easeTrial(c);
        }
        boolean[] stopped = {false};
        long start = b.clock.getAsLong();
        double before = spentOn(c);
        double share = share(c);
        FitListener budget = new FitListener() {
            @Override
            public boolean onEpochEnd(CollabLearner learner, EpochResult row) {
                int done = learner.history().size();
                double pace = (b.clock.getAsLong() - start) / 1e9 / done;
                stopped[0] = stop.stop(done) || done < epochs && before + pace * epochs > share;
                return stopped[0];
            }
        };
        // Only iALS is measured after every epoch (a sweep count is a prefix of a longer run); a one-cycle fit at its
        // end.
        try (CollabLearner learner = learner(c, inner.train(), c.isIals() ? inner.valid() : null, false, budget)) {
            List<EpochResult> rows = fit(learner, c, epochs);
            if (stopped[0] || rows.isEmpty()) {
                return SuccessiveHalving.Outcome.stoppedAfter(Math.max(1, rows.size()));
            }
            if (!b.ranking) {
                return SuccessiveHalving.Outcome.of(learner.evaluate(inner.valid()).rmse(), epochs, epochs);
            }
            if (!c.isIals()) {
                double ndcg = new RankingProbe(learner.getBlock(), inner.train(), inner.valid(), K, Integer.MAX_VALUE,
                        b.seed).measure()[0];
                return SuccessiveHalving.Outcome.of(ndcg, epochs, epochs);
            }
            // A sweep count is a prefix of a longer run: the best sweep's figure stands for its epochs.
            int best = 0;
            for (int k = 1; k < rows.size(); k++) {
                if (rows.get(k).validNdcg() > rows.get(best).validNdcg()) {
                    best = k;
                }
            }
            return SuccessiveHalving.Outcome.of(rows.get(best).validNdcg(), best + 1, epochs);
        } catch (TrainingDivergedException e) {
            return SuccessiveHalving.Outcome.of(Double.NaN, epochs, epochs);
        }
    }

    /**
     * An EASE trial: its one λ and input fitted on the inner split's training part ({@link EaseTrainer}, nothing to
     * choose) and scored by NDCG@10 on its held-out part, each user's inner training items left out, as the
     * {@code Recommender} serves the model: the figure of the other ranking trials.
     */
    private SuccessiveHalving.Outcome easeTrial(TuningConfig c) {
        TrainedModel model = EaseTrainer.builder().optObjective((Ease) c.objective()).optSeed(b.seed).build()
                .fit(inner.train());
        return SuccessiveHalving.Outcome.of(Recommender.of(model).evaluateRanking(inner.valid(), K, 1f).ndcg(), 1, 1);
    }

    private CollabLearner learner(TuningConfig c, Ratings train, Ratings valid, boolean blend,
            FitListener... listeners) {
        return learnerBuilder(c, train, valid, blend).addListeners(listeners).build();
    }

    /**
     * The learner of a configuration, set as a plain {@code train} sets it apart from the configuration's own
     * settings: a rating model's bias tables out of the weight decay and a ranking model's in (as {@code train} and
     * {@code train --implicit} do), batch size 64 or 1024. {@code blend}: whether an iALS fit blends popularity
     * ({@link PopularityBlend}): on in the refit as in a plain {@code train}, off in a trial, whose figure is each
     * sweep's unblended NDCG (the blend applies to the last sweep only and its own inner fit would take about 0.8
     * times the trial again). The blend would not leak the inner split's held-out part: it chooses its weight on
     * its own holdout of the data it is given.
     */
    CollabLearnerBuilder learnerBuilder(TuningConfig c, Ratings train, Ratings valid, boolean blend) {
        CollabBlock.BaseBuilder<?> block = !b.ranking
                ? EmbeddingDotBias.builder().optFactors(c.factors()).optYRange(b.yRange)
                : c.isIals() ? EmbeddingDot.builder().optFactors(c.factors()).optYRange(null)
                        : EmbeddingDotBias.builder().optFactors(c.factors()).optYRange(null);
        return CollabLearner.builder()
                .setTrainData(train)
                .optValidData(valid)
                .optObjective(c.objective())
                .optModel(block)
                .optOptimizer(Adam.builder().optWeightDecay(c.weightDecay()).build())
                .optDecayBiases(b.ranking)
                .optPopularityBlend(blend)
                .optBatchSize(b.ranking ? 1024 : CollabLearnerBuilder.DEFAULT_BATCH_SIZE)
                .optSeed(b.seed)
                .optRankingMetrics(K, Integer.MAX_VALUE)
                .optOutput(null)
                .optProgressBar(false);
    }

    private static List<EpochResult> fit(CollabLearner learner, TuningConfig c, int epochs) {
        return c.isIals() ? learner.fitAls(epochs) : learner.fitOneCycle(epochs, c.learningRate());
    }

    private static String unit(TuningConfig c) {
        return c.isEase() ? "fit" : c.isIals() ? "sweeps" : "epochs";
    }

    private String metricName() {
        return b.ranking ? "ndcg@" + K : "rmse";
    }

    /** The progress line: one per trial (and per trial skipped for the budget), to {@link Builder#optProgress}. */
    private final class Progress implements SuccessiveHalving.Listener<TuningConfig> {
        private final double budget;
        private double best = Double.NaN;

        Progress(double budget) {
            this.budget = budget;
        }

        @Override
        public void onSkip(TuningConfig config, int epochs, double estimate) {
            if (b.progress != null) {
                b.progress.println(String.format(Locale.ROOT, "tune skip  %s, %d %s: about %.1fs, more than the"
                        + " budget leaves", config, epochs, unit(config), estimate));
            }
        }

        @Override
        public void onTrial(Trial<TuningConfig> t, double elapsed) {
            double[] s = spent.computeIfAbsent(t.config().objective().name(), n -> new double[] {0, 0, Double.NaN});
            s[0] += t.seconds();
            s[1]++;
            if (t.succeeded() && (Double.isNaN(s[2]) || (b.ranking ? t.metric() > s[2] : t.metric() < s[2]))) {
                s[2] = t.metric();
            }
            if (t.succeeded() && (Double.isNaN(best) || (b.ranking ? t.metric() > best : t.metric() < best))) {
                best = t.metric();
            }
            if (b.progress != null) {
                b.progress.println(String.format(Locale.ROOT, "tune %3d  %4.0fs of %.0fs  rung %d  %-58s"
                        + " %2d %s  %s %s  best %.4f", t.number(), elapsed, budget, t.rung(),
                        t.config(), t.epochs(), unit(t.config()), metricName(),
                        status(t.metric(), t.stopped()), best));
            }
        }
    }

    /**
     * Formats a search as a table: one row per trial (its settings, rung, epochs, figure and time), the chosen one
     * marked {@code *}, and the choice.
     *
     * @param tuning the search
     * @return the table, lines ending in a newline
     */
    public static String table(Provenance.Tuning tuning) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-5s %-4s %-66s %6s %6s %10s %8s%n", "trial", "rung",
                "settings", "epochs", "best@", tuning.metric(), "seconds"));
        for (Provenance.Tuning.Trial t : tuning.trials()) {
            s.append(String.format(Locale.ROOT, "%-5s %-4d %-66s %6d %6d %10s %8.2f%n",
                    t.number() + (t.number() == tuning.chosen() ? "*" : ""), t.rung(), t.settings(),
                    t.epochs(), t.bestEpochs(), status(t.metric(), t.stopped()), t.seconds()));
        }
        s.append(String.format(Locale.ROOT, "chose trial %d: %s (%d trials in %.1fs of a %.0fs budget, %s on the"
                + " inner split)%n", tuning.chosen(), tuning.choice(), tuning.trials().size(), tuning.seconds(),
                tuning.budgetSeconds(), tuning.metric()));
        if (tuning.refitModels() > 1) {
            s.append(String.format(Locale.ROOT, "the refit averages %d models trained with these settings and the"
                    + " seeds from the model's seed up (each trial measured one model)%n", tuning.refitModels()));
        }
        return s.toString();
    }

    private static String status(double metric, boolean stopped) {
        return stopped ? "stopped" : Double.isNaN(metric) ? "diverged" : String.format(Locale.ROOT, "%.4f", metric);
    }

    /** Builds a {@link CollabTuner} ({@code setX} required, {@code optX} optional). */
    public static final class Builder {
        private Ratings train;
        private boolean ranking;
        private Duration budget = TuneBudget.DEFAULT;
        private long seed = 42;
        private YRange yRange = new YRange(0f, 5.5f);
        private List<String> objectives = Objectives.rankingNames();
        private PrintStream progress;
        private LongSupplier clock = System::nanoTime;
        private int easeKeep = EaseTrainer.DEFAULT_KEEP;
        private Integer refitModels;

        private Builder() {}

        /**
         * Sets how many models the refit of a rating model trains with the chosen settings (seeds {@code seed},
         * {@code seed + 1}, …) and averages into the one model returned ({@link SeedAverage}; default {@value
         * SeedAverage#DEFAULT_MODELS}, as {@code train --average}'s), 1 for a single fit. The budget keeps room for
         * all of them. A ranking model's refit is one model.
         *
         * @param models the number of models, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code models < 1}
         */
        public Builder optRefitModels(int models) {
            if (models < 1) {
                throw new IllegalArgumentException("the refit averages at least 1 model (1: a single fit), got "
                        + models);
            }
            this.refitModels = models;
            return this;
        }

        /**
         * Sets the entries per column an EASE choice's refit keeps ({@code EaseTrainer.Builder#optKeep}; default
         * {@value EaseTrainer#DEFAULT_KEEP}, all of them). Trials score the dense matrix, as {@code EaseTrainer}
         * chooses λ.
         *
         * @param keep entries per column, or 0 for all
         * @return this builder
         */
        public Builder optEaseKeep(int keep) {
            if (keep < 0) {
                throw new IllegalArgumentException("keep must be 0 (all) or a number of entries per column, got "
                        + keep);
            }
            this.easeKeep = keep;
            return this;
        }

        /**
         * Sets the training data: ratings, or for a ranking model interactions whose values are weights (1 for a
         * positive; rows below 1 are weak evidence, trained on but never held out as relevant).
         *
         * @param train the data
         * @return this builder
         */
        public Builder setTrainData(Ratings train) {
            this.train = Objects.requireNonNull(train, "train");
            return this;
        }

        /**
         * Sets whether the model ranks items (implicit feedback, chosen by NDCG@10) rather than predicting ratings
         * (chosen by RMSE) (default {@code false}).
         *
         * @param ranking whether it ranks
         * @return this builder
         */
        public Builder optRanking(boolean ranking) {
            this.ranking = ranking;
            return this;
        }

        /**
         * Sets the time budget of the search and the refit (default {@link TuneBudget#DEFAULT}).
         *
         * @param budget the budget, positive
         * @return this builder
         */
        public Builder optBudget(Duration budget) {
            if (budget == null || budget.isNegative() || budget.isZero()) {
                throw new IllegalArgumentException("the tuning budget must be positive, got " + budget);
            }
            this.budget = budget;
            return this;
        }

        /**
         * Sets the seed of the inner split, the configurations drawn and every trial (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets a rating model's y-range (default 0 to 5.5).
         *
         * @param yRange the range
         * @return this builder
         */
        public Builder optYRange(YRange yRange) {
            this.yRange = Objects.requireNonNull(yRange, "yRange");
            return this;
        }

        /**
         * Sets the ranking objectives searched (default every registered one, {@link Objectives#rankingNames()}).
         *
         * @param names registered ranking objectives' names
         * @return this builder
         * @throws IllegalArgumentException for a name that is not a registered ranking objective
         */
        public Builder optObjectives(List<String> names) {
            if (names.isEmpty()) {
                throw new IllegalArgumentException("name at least one ranking objective: "
                        + Objectives.rankingNames());
            }
            for (String name : names) {
                if (!Objectives.parse(name).isRanking()) {
                    throw new IllegalArgumentException(name + " is not a ranking objective: use "
                            + Objectives.rankingNames());
                }
            }
            this.objectives = List.copyOf(names);
            return this;
        }

        /**
         * Sets where a line per trial is printed (default nowhere).
         *
         * @param out the stream, or {@code null}
         * @return this builder
         */
        public Builder optProgress(PrintStream out) {
            this.progress = out;
            return this;
        }

        /**
         * Sets the clock the budget is read from (default {@link System#nanoTime()}).
         *
         * @param nanos a monotonic clock in nanoseconds
         * @return this builder
         */
        public Builder optClock(LongSupplier nanos) {
            this.clock = Objects.requireNonNull(nanos, "nanos");
            return this;
        }

        /**
         * Builds the tuner.
         *
         * @return the tuner
         * @throws IllegalArgumentException without training data
         */
        public CollabTuner build() {
            if (train == null) {
                throw new IllegalArgumentException("the tuner needs training data: call setTrainData");
            }
            if (ranking && refitModels != null && refitModels > 1) {
                throw new IllegalArgumentException("only a rating model's refit averages models; a ranking model's"
                        + " refit is one model: drop optRefitModels(" + refitModels + "), or set it to 1");
            }
            return new CollabTuner(this);
        }
    }
}
