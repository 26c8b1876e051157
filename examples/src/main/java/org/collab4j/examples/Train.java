package org.collab4j.examples;

import org.collab4j.cli.FeatureOptions;
import org.collab4j.cli.RunFiles;
import org.collab4j.cli.RatingsFileOptions;
import org.collab4j.cli.TrainDataOptions;
import org.collab4j.cli.TuneOptions;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.ReadOptions;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.YRange;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.train.CollabTuner;
import org.collab4j.plot.Charts;
import org.collab4j.recommend.Evaluation;
import org.collab4j.train.History;
import org.collab4j.train.SeedAverage;
import org.collab4j.train.TrainingDivergedException;

import org.collab4j.recommend.RankingEvaluation;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.ease.EaseTrainer;
import org.collab4j.train.objective.Ease;
import org.collab4j.train.objective.Objective;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code train}: any ratings file in, a trained model's validation errors out. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on a ratings file and print its validation errors. The last line is"
                + " 'RMSE <value> MAE <value>' (with --implicit 'NDCG@10 ...'); with --tune it chooses its own settings"
                + " on an inner split of --ratings and prints a table of its trials. With --item-features FILE (and"
                + " --user-features FILE) the model is a hybrid one: each row is its id embedding plus the mean of its"
                + " features' vectors, which the saved model carries so that 'recommend --item-features' serves items it"
                + " has not seen; with --block net the features are side columns of the network instead (categorical"
                + " ones embedded and averaged, numeric ones as they are), and new items get a zero id embedding.")
final class Train implements Callable<Integer> {

    @Option(names = "--ratings", required = true, description = "the ratings file")
    Path ratings;

    @Option(names = "--valid", description = "a separate validation file in the same format")
    Path valid;

    @Mixin
    RatingsFileOptions layout;

    @Mixin
    TrainDataOptions data;

    @Option(names = "--history", description = "a folder to write history.csv and losses.png into")
    Path history;

    @Option(names = "--save", paramLabel = "FILE", description = "save the trained model to FILE (one file,"
            + " written atomically; load it with recommend, similar, explain or TrainedModel.load). Without --valid"
            + " the epoch table and the last line measure a fit on the rows --valid-fraction does not hold out;"
            + " the model saved is then refit on every row of --ratings with the same settings and epochs, so it"
            + " learns from all of them (--no-refit keeps the first fit). Every saved model knows each user's"
            + " items in --ratings, held-out and below-threshold rows included, and recommend leaves them out")
    Path save;

    @Option(names = "--no-refit", description = "with --save and without --valid: save the fit the epoch table"
            + " measured (trained on the rows not held out) instead of refitting on every row, which takes a second"
            + " training run. Without --save nothing is refit: a model that is not kept cannot change the figures")
    boolean noRefit;

    @Option(names = "--init-model", paramLabel = "FILE", description = "continue training from a model saved by"
            + " 'train --save' (a warm start): its block, weights and ids are kept, new users and items in the data"
            + " get new rows folded into the saved model; --block, --factors, --y-range and --dropout are then the"
            + " saved model's. The optimizer state starts fresh; --epochs and --lr default to 1 and 1e-3 here. With"
            + " --implicit (a model saved by 'train --implicit', same --loss) the iALS sweeps start from its factors"
            + " (1 sweep unless --epochs)")
    Path initModel;

    @Option(names = "--implicit", description = "train a ranking model on implicit feedback (clicks, plays,"
            + " views): every row is a positive unless --positive-threshold is given, its value a count whose"
            + " confidence is 1 + 2 ln(1 + count/10) (every row 1 when all values are equal); the default ranking"
            + " model is iALS on EmbeddingDot with 64 factors and 10 sweeps, popularity blended in where an inner"
            + " holdout says it helps (--no-popularity-blend)")
    boolean implicit;

    @Option(names = "--positive-threshold", paramLabel = "T", description = "with --implicit: rows whose rating"
            + " is at least T are positives (weight 1); rows below T stay as weak evidence that the user saw the"
            + " item (weight --below-threshold-weight); in --valid only rows >= T count as relevant")
    Float positiveThreshold;

    @Option(names = "--below-threshold-weight", paramLabel = "W", description = "with --positive-threshold: the"
            + " weight of rows below T, in [0, 1]; 0 drops them (default: ${DEFAULT-VALUE})")
    float belowThresholdWeight = ImplicitData.DEFAULT_BELOW_THRESHOLD_WEIGHT;

    @Option(names = "--no-popularity-blend", description = "with --implicit (iALS): do not blend item popularity"
            + " in. By default a second fit on 80 %% of each user's rows scores popularity weights on the other 20 %%"
            + " and the model adds the best one times each item's popularity to its scores, where it beats no"
            + " blend by more than two standard errors (else nothing is added)")
    boolean noPopularityBlend;

    @Option(names = "--loss", paramLabel = "NAME", description = "with --implicit: ials (the default), bpr,"
            + " softmax (sampled, log-Q corrected), warp (LightFM's WARP) or ease (EASE, the item-item model"
            + " solved in closed form, λ and its input chosen on an inner per-user split of the training rows; up"
            + " to " + EaseTrainer.MAX_ITEMS + " items; --seed seeds the inner split)")
    String loss;

    @Option(names = "--ease-keep", paramLabel = "M", description = "with --loss ease: keep the M largest entries"
            + " of each column of the item-item matrix (a sparse model of about 8·M bytes per item) instead of all"
            + " of them (a dense n × n matrix, 4·n bytes per item), where 2·M is below the number of items; 0 keeps"
            + " all (default: ${DEFAULT-VALUE})")
    int easeKeep = EaseTrainer.DEFAULT_KEEP;

    @Option(names = "--average", paramLabel = "N", description = "the rating model (--block dot or dotbias): train"
            + " N models alike with seeds --seed, --seed+1, ... and save one model that scores as the mean of their"
            + " raw scores, squashed into the y-range only then (N times the factors and the training time); 1"
            + " trains one model. Each model prints its epoch table (--history records the first's); the last line"
            + " measures the average. With --tune: the refit of the chosen settings averages N models (the trials"
            + " measure one each; the budget keeps room for N fits). Default: " + SeedAverage.DEFAULT_MODELS
            + " (on inner splits of MovieLens' and FilmTrust's training files 2 models were 0.0034-0.0039 and"
            + " 0.0015-0.0017 RMSE better than one); 1 with --block net, --init-model and side features")
    Integer average;

    @Mixin
    TrainingOptions training;

    /**
     * {@code --item-features FILE [--user-features FILE]}: train a hybrid model (LightFM's form), which the model
     * file carries and {@code recommend --item-features} serves new items from.
     */
    @Mixin
    FeatureOptions features;

    @Mixin
    TuneOptions tuning;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        training.validate();
        ImplicitData implicitData = implicit ? ImplicitData.fromOptions(spec.commandLine().getParseResult(),
                positiveThreshold, belowThresholdWeight, loss, training) : ImplicitData.refuseWithoutImplicit(
                        spec.commandLine().getParseResult());
        if (spec.commandLine().getParseResult().hasMatchedOption("--ease-keep")
                && !(implicit && ImplicitData.objective(loss) instanceof Ease)) {
            throw new CliException("--ease-keep applies to --implicit --loss ease: drop it, or add those");
        }
        if (easeKeep < 0) {
            throw new CliException("--ease-keep must be 0 (all) or a number of entries per column, got " + easeKeep);
        }
        data.validate(valid != null);
        tuning.validate(spec.commandLine().getParseResult());
        if (tuning.tune) {
            for (String[] option : new String[][] {{"--init-model", initModel == null ? null : "x"},
                    {"--no-refit", noRefit ? "x" : null}, {"--history", history == null ? null : "x"},
                    {"--valid-fraction", spec.commandLine().getParseResult().hasMatchedOption("--valid-fraction")
                            ? "x" : null},
                    {"--item-features", spec.commandLine().getParseResult().hasMatchedOption("--item-features")
                            ? "x" : null},
                    {"--user-features", spec.commandLine().getParseResult().hasMatchedOption("--user-features")
                            ? "x" : null}}) {
                if (option[1] != null) {
                    throw new CliException(option[0] + " does not apply with --tune (it refits the chosen settings"
                            + " on every row of --ratings, holding out its own inner split to choose them, and"
                            + " shows a table of its trials instead of an epoch table): drop " + option[0]);
                }
            }
        }
        if (noRefit && valid != null) {
            throw new CliException("--no-refit applies without --valid (the model trained on all of --ratings is"
                    + " the one saved when --valid is given): drop --no-refit");
        }
        layout.validate();
        features.validate();
        if (!implicit) {
            data.requireRangeForStrict(training.range());
        }
        features.addTo(new RunFiles().text("--ratings", ratings).text("--valid", valid).binary("--init-model",
                initModel).output("--save", save).outputs("--history", history, "history.csv", "losses.png")).check();
        training.itemFeatures = features.itemFeatures().orElse(null);
        training.userFeatures = features.userFeatures().orElse(null);
        for (org.collab4j.data.FeatureTable table : java.util.Arrays.asList(training.itemFeatures,
                training.userFeatures)) {
            if (table != null) {
                System.out.println("features: " + table);
            }
        }
        int models = averagedModels();
        RatingsFormat fmt = layout.ratingsFormat();
        TrainedModel init = initModel != null ? TrainedModel.load(initModel) : null;
        // --y-range as given (a warm start's: the model's), else null until the ratings give it.
        YRange range = init != null ? init.getConfig().yRange() : training.range();
        if (init != null) {
            checkInitModel(init);
            System.out.println("continuing from " + initModel + ": " + init);
        }
        ReadOptions readOptions = data.readOptions(implicit ? null : range);
        Ratings all = Ratings.read(ratings, fmt, readOptions);
        training.checkRatings(all, ratings.toString());
        if (range == null) {
            range = training.rangeFor(all);
        }
        if (!implicit) {
            TrainDataOptions.warnOutside(all, ratings.toString(), range, System.err);
        }
        Ratings validRatings = null;
        if (valid != null) {
            validRatings = Ratings.read(valid, fmt, readOptions);
            training.checkRatings(validRatings, valid.toString());
            if (!implicit) {
                TrainDataOptions.warnOutside(validRatings, valid.toString(), range, System.err);
            }
        }
        if (tuning.tune) {
            return tune(all, validRatings, implicitData, range, models);
        }
        Split split = data.split(all, validRatings, training.seed);
        if (validRatings != null) {
            checkCoverage(split, valid);
        }

        if (implicit) {
            return trainRanking(implicitData.apply(split, ratings, valid != null ? valid : ratings),
                    split.train(), all, implicitData, init);
        }
        if (init != null) {
            // A warm start's defaults: its new rows are folded in, so a short fit at a low rate suffices.
            ParseResult parsed = spec.commandLine().getParseResult();
            training.epochs = parsed.hasMatchedOption("--epochs") ? training.epochs
                    : CollabLearnerBuilder.DEFAULT_WARM_EPOCHS;
            training.lr = parsed.hasMatchedOption("--lr") ? training.lr
                    : CollabLearnerBuilder.DEFAULT_WARM_LEARNING_RATE;
        }
        System.out.println("train " + split.train().size() + " ratings, valid " + split.valid().size()
                + " ratings, " + split.train().users().size() + " users, " + split.train().items().size()
                + " items");
        Evaluation eval;
        TrainedModel model = null;
        if (models > 1) {
            TrainedModel averaged = fitAverage(models, split.train(), split.valid(), true);
            eval = SeedAverage.evaluate(averaged, split.valid());
            System.out.println(String.format(Locale.ROOT, "the average of the %d models (--average): valid RMSE %.6f"
                    + " MAE %.6f", models, eval.rmse(), eval.mae()));
            model = save != null && !refits() ? averaged : null;
        } else {
            try (CollabLearner learner = training.learner(split, init)) {
                fitAndRecord(learner, training::fit, true);
                eval = learner.evaluate(learner.getValidData());
                model = save != null && !refits() ? learner.fittedModel() : null;
            }
        }
        if (refits()) {
            announceRefit(all.size() + " ratings");
            if (models > 1) {
                model = fitAverage(models, all, null, false);
            } else {
                try (CollabLearner learner = training.learner(all, null, init)) {
                    fitAndRecord(learner, training::fit, false);
                    model = learner.fittedModel();
                }
            }
        }
        save(model, all);
        System.out.println(String.format(Locale.ROOT, "RMSE %.6f MAE %.6f", eval.rmse(), eval.mae()));
        return 0;
    }

    /**
     * {@code --tune}: chooses the settings on an inner split of {@code all} (never of --valid), prints every trial and
     * the choice, refits the choice on all of {@code all}, saves it with --save, and only then measures it on
     * --valid when given.
     */
    private int tune(Ratings all, Ratings validRatings, ImplicitData weights, YRange range, int models)
            throws IOException {
        Split outer = validRatings != null ? Splits.combine(all, validRatings)
                : new Split(all, Ratings.ofIndices(all.users(), all.items(), new int[0], new int[0], new float[0]));
        if (validRatings != null) {
            checkCoverage(outer, valid);
        }
        Split weighted = implicit ? weights.apply(outer, ratings, valid != null ? valid : ratings) : outer;
        System.out.println("tuning on " + weighted.train().size() + (implicit ? " interactions" : " ratings") + ", "
                + weighted.train().users().size() + " users, " + weighted.train().items().size() + " items, within "
                + org.collab4j.train.tune.TuneBudget.format(tuning.budget) + " (seed " + training.seed + ")"
                + (validRatings != null ? "; --valid is measured after the refit, never used to choose" : ""));
        CollabTuner.Builder builder = CollabTuner.builder().setTrainData(weighted.train()).optRanking(implicit)
                .optBudget(tuning.budget).optSeed(training.seed).optYRange(range).optProgress(System.out)
                .optEaseKeep(easeKeep).optRefitModels(models);
        if (implicit && loss != null) {
            builder.optObjectives(java.util.List.of(ImplicitData.objective(loss).name()));
        }
        CollabTuner tuner = builder.build();
        long start = System.nanoTime();
        CollabTuner.Search search;
        try {
            search = tuner.search();
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage().replace("a larger budget", "a larger --tune-budget"));
        }
        System.out.print(CollabTuner.table(search.tuning()));
        System.out.println("refitting trial " + search.tuning().chosen() + "'s settings on all "
                + weighted.train().size() + (implicit ? " interactions" : " ratings") + " of " + ratings
                + (models > 1 ? ": " + models + " models, seeds " + training.seed + " to "
                        + (training.seed + models - 1) + ", averaged into one (--average)" : ""));
        long refitStart = System.nanoTime();
        TrainedModel model;
        try {
            model = tuner.refit(search);
        } catch (TrainingDivergedException e) {
            throw new TrainingDivergedException(e.getMessage()
                    + (save != null ? " Nothing was saved to " + save + "." : ""));
        }
        long end = System.nanoTime();
        System.out.println(String.format(Locale.ROOT, "tuning took %.1fs: search %.1fs, refit %.1fs",
                (end - start) / 1e9, (refitStart - start) / 1e9, (end - refitStart) / 1e9));
        save(model, all);
        if (validRatings == null) {
            return 0;
        }
        if (implicit) {
            RankingEvaluation eval = Recommender.of(model.withRatedItems(outer.train()))
                    .evaluateRanking(weighted.valid(), 10, 1f);
            System.out.println(String.format(Locale.ROOT, "NDCG@10 %.6f recall@10 %.6f cappedRecall@10 %.6f",
                    eval.ndcg(), eval.recall(), eval.cappedRecall()));
        } else {
            Evaluation eval = Recommender.of(model).evaluate(outer.valid());
            System.out.println(String.format(Locale.ROOT, "RMSE %.6f MAE %.6f", eval.rmse(), eval.mae()));
        }
        return 0;
    }

    /**
     * Whether the model saved is refit on every row of --ratings: with --save, without --valid (the first fit
     * trained on what --valid-fraction did not hold out), unless --no-refit.
     */
    private boolean refits() {
        return save != null && valid == null && !noRefit;
    }

    /**
     * The number of rating models to average: --average, or {@link SeedAverage#DEFAULT_MODELS} for a dot model
     * trained from scratch without side features, --tune's refit included (1 otherwise, and --average &gt; 1
     * refused there).
     */
    private int averagedModels() {
        boolean given = average != null;
        if (given && average < 1) {
            throw new CliException("--average must be at least 1 (1 trains one model), got " + average);
        }
        String single = implicit ? "--implicit trains a ranking model"
                : initModel != null ? "--init-model continues one model"
                : training.block == org.collab4j.model.BlockKind.EMBEDDING_NET
                        ? "--block net cannot be averaged into one model"
                : training.itemFeatures != null || training.userFeatures != null
                        ? "a hybrid model (side features) cannot be averaged into one model" : null;
        if (single == null) {
            return given ? average : SeedAverage.DEFAULT_MODELS;
        }
        if (given && average > 1) {
            throw new CliException("--average " + average + " does not apply here: " + single + "; drop --average");
        }
        return 1;
    }

    /**
     * Trains {@code models} rating models alike on {@code train}, seeds --seed, --seed+1, ..., each with its epoch
     * table (the first recorded to --history with {@code record}), and returns their average.
     */
    private TrainedModel fitAverage(int models, Ratings train, Ratings validRatings, boolean record)
            throws IOException {
        long first = training.seed;
        System.out.println("averaging " + models + " models trained alike, seeds " + first + " to "
                + (first + models - 1) + " (--average; their raw scores are averaged, then squashed into the y-range)");
        try {
            return SeedAverage.fit(models, first, s -> training.learner(train, validRatings, null, s), learner -> {
                System.out.println("model " + (learner.getSeed() - first + 1) + " of " + models + ":");
                try {
                    fitAndRecord(learner, training::fit, record && learner.getSeed() == first);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void announceRefit(String rows) {
        System.out.println("refitting on all " + rows + " of " + ratings + " with the same settings and epochs;"
                + " the figures above measure the first fit, the model saved is the refit (--no-refit keeps the"
                + " first)");
    }

    /**
     * Saves the model with --save, knowing each user's items in {@code input} (every row read from --ratings,
     * those the fit did not train on included), so that recommend does not return them.
     */
    private void save(TrainedModel model, Ratings input) throws IOException {
        if (save != null) {
            model.withRatedItems(input).save(save);
            System.out.println("saved the model to " + save);
        }
    }

    /**
     * Prints the learner and runs the fit; with {@code record}, writes the --history files. A divergence says
     * nothing was saved.
     */
    private void fitAndRecord(CollabLearner learner, java.util.function.Consumer<CollabLearner> fit,
            boolean record) throws IOException {
        System.out.println(learner);
        try {
            fit.accept(learner);
        } catch (TrainingDivergedException e) {
            throw new TrainingDivergedException(e.getMessage()
                    + (save != null ? " Nothing was saved to " + save + "." : ""));
        }
        if (record && history != null) {
            History.writeCsv(learner.history(), history.resolve("history.csv"));
            Charts.savePng(Charts.lossCurves(learner.history()), history.resolve("losses.png"));
            System.out.println("history: " + history.toAbsolutePath().resolve("history.csv") + ", "
                    + history.toAbsolutePath().resolve("losses.png"));
        }
    }

    /**
     * Refuses a model to continue that the command would train under another objective: a rating model with
     * {@code --implicit}, a ranking model without it or with another {@code --loss}.
     */
    private void checkInitModel(TrainedModel init) {
        String saved = init.objective();
        if (!implicit && !"mse".equals(saved)) {
            throw new CliException("--init-model " + initModel + " is a ranking model (trained with " + saved
                    + "): continue it with --implicit" + ("ials".equals(saved) ? "" : " --loss " + saved)
                    + ", as it was trained");
        }
        if (implicit) {
            String wanted = ImplicitData.objective(loss).name();
            if (!wanted.equals(saved)) {
                throw new CliException("--init-model " + initModel + " was trained with " + saved + ", and --implicit"
                        + " here trains " + wanted + ": " + ("mse".equals(saved)
                                ? "a rating model is continued without --implicit"
                                : "give --loss " + saved + " to continue it"));
            }
        }
    }

    /**
     * Trains the ranking model on the weighted split and measures it on the split's relevant rows, knowing every row
     * of {@code trained} (the training part before weighting, rows of weight 0 included); saves it, or with
     * {@link #refits()} a refit on every row of {@code all} weighted the same way.
     */
    private int trainRanking(Split split, Ratings trained, Ratings all, ImplicitData weights, TrainedModel init)
            throws IOException {
        ImplicitData.describe(split);
        ParseResult parsed = spec.commandLine().getParseResult();
        Objective objective = ImplicitData.objective(loss);
        if (objective instanceof Ease ease) {
            return trainEase(split, trained, all, weights, ease);
        }
        training.noPopularityBlend = noPopularityBlend;
        RankingEvaluation eval;
        TrainedModel model;
        try (CollabLearner learner = training.rankingLearner(split, objective, parsed::hasMatchedOption, init)) {
            fitAndRecord(learner, l -> training.fitRanking(l, parsed), true);
            model = learner.fittedModel();
            // Measured knowing the training part's rows only: the held-out ones are what it must find.
            eval = Recommender.of(model.withRatedItems(trained)).evaluateRanking(split.valid(), 10, 1f);
        }
        if (refits()) {
            Ratings every = weights.weighTraining(all);
            announceRefit(every.size() + " interactions");
            try (CollabLearner learner = training.rankingLearner(every, null, objective, parsed::hasMatchedOption,
                    init)) {
                fitAndRecord(learner, l -> training.fitRanking(l, parsed), false);
                model = learner.fittedModel();
            }
        }
        save(model, all);
        // recall@10 is hits / relevant; cappedRecall@10, hits / min(10, relevant), is the epoch table's.
        System.out.println(String.format(Locale.ROOT, "NDCG@10 %.6f recall@10 %.6f cappedRecall@10 %.6f",
                eval.ndcg(), eval.recall(), eval.cappedRecall()));
        return 0;
    }

    /**
     * {@code --loss ease}: EASE in closed form ({@link EaseTrainer}), λ and its input chosen on an inner per-user
     * split of the training part; measured as {@link #trainRanking} measures, then (with {@link #refits()}) refit
     * on every row with the setting chosen.
     */
    private int trainEase(Split split, Ratings trained, Ratings all, ImplicitData weights, Ease ease)
            throws IOException {
        if (training.itemFeatures != null || training.userFeatures != null) {
            throw new CliException("--loss ease trains an item-item model, which has no factor rows for side features"
                    + " to join: drop --item-features/--user-features, or choose --loss ials, bpr, softmax or warp");
        }
        ImplicitData.describe(split);
        EaseTrainer trainer = EaseTrainer.builder().optObjective(ease).optSeed(training.seed).optKeep(easeKeep)
                .optLog(System.out::println).build();
        TrainedModel model = trainer.fit(split.train());
        System.out.println(model);
        RankingEvaluation eval = Recommender.of(model.withRatedItems(trained)).evaluateRanking(split.valid(), 10, 1f);
        if (refits()) {
            Ratings every = weights.weighTraining(all);
            announceRefit(every.size() + " interactions");
            model = EaseTrainer.builder().optObjective(trainer.chosen()).optKeep(easeKeep)
                    .optLog(System.out::println).build().fit(every);
        }
        save(model, all);
        System.out.println(String.format(Locale.ROOT, "NDCG@10 %.6f recall@10 %.6f cappedRecall@10 %.6f",
                eval.ndcg(), eval.recall(), eval.cappedRecall()));
        return 0;
    }

    /**
     * Refuses a validation file none of whose ratings has a user and an item with training ratings (every score
     * would come from untrained embeddings), and warns when only some have.
     */
    private static void checkCoverage(Split split, Path file) {
        long known = split.knownValidCount();
        long total = split.valid().size();
        if (known == 0) {
            throw new CliException("none of the " + total + " ratings in --valid " + file + " has a user and an item"
                    + " that --ratings has, so validation would only score untrained embeddings; check that both"
                    + " files come from the same dataset (the same user and item ids)");
        }
        if (known < total) {
            System.err.println("warning: " + (total - known) + " of " + total + " ratings in --valid " + file
                    + " have a user or an item without training ratings; they are scored from untrained"
                    + " embeddings, which makes the validation error look worse");
        }
    }
}
