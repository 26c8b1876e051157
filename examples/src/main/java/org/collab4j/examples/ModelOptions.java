package org.collab4j.examples;

import org.collab4j.cli.FeatureOptions;
import org.collab4j.cli.RunFiles;
import org.collab4j.data.FeatureTable;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Side;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.RecommenderBuilder;
import org.collab4j.recommend.ScoredId;
import org.collab4j.recommend.Titles;
import org.collab4j.recommend.UnknownIdPolicy;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The options of the commands that use a saved model: the file, titles, and the unknown-id policy. */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "a model saved by 'train --save FILE'")
    Path model;

    @Option(names = "--titles", paramLabel = "FILE",
            description = "a MovieLens titles file to show titles instead of ids: movies.csv (movieId,title,...),"
                    + " ML-100k's u.item (id|title|...) or ML-1M's movies.dat (id::title::genres), by its name")
    Path titles;

    @Option(names = "--unknown", paramLabel = "POLICY",
            description = "unknown ids: THROW (an error naming the id), FALLBACK (global mean plus the known"
                    + " side's bias) or FOLD_IN (fit a user from the history given, else FALLBACK) (default: THROW;"
                    + " FOLD_IN for recommend --history)")
    UnknownIdPolicy unknown;

    /**
     * Returns the run's files so far: the model and the titles. A command adds its own inputs and outputs and
     * calls {@link RunFiles#check()} before loading anything.
     */
    RunFiles files() {
        return new RunFiles().binary("--model", model).text("--titles", titles);
    }

    Recommender recommender() throws IOException {
        return recommender(UnknownIdPolicy.THROW);
    }

    /** The recommender, with {@code policy} unless --unknown was given. */
    Recommender recommender(UnknownIdPolicy policy) throws IOException {
        return recommender(policy, 0);
    }

    /**
     * The recommender, with {@code policy} unless --unknown was given; with {@code approximateEf > 0}, through the
     * approximate index beside the model ({@link ApproximateIndexFiles}) searching with that many candidates.
     */
    Recommender recommender(UnknownIdPolicy policy, int approximateEf) throws IOException {
        return recommender(policy, approximateEf, null);
    }

    /**
     * {@link #recommender(UnknownIdPolicy, int)}, serving the items (and users) of {@code --item-features}
     * ({@code --user-features}) the model has not seen from their features, when {@code features} has them; what
     * each table served goes to standard error ({@link org.collab4j.recommend.ColdStartReport}).
     *
     * @throws CliException if a table cannot be served by the model (trained without features on that side, or with
     *     none of the table's features)
     */
    Recommender recommender(UnknownIdPolicy policy, int approximateEf, FeatureOptions features) throws IOException {
        TrainedModel loaded = TrainedModel.load(model);
        RecommenderBuilder builder = Recommender.builder()
                .setModel(loaded)
                .optTitles(titles != null ? Titles.read(titles) : Titles.NONE)
                .optUnknownIdPolicy(unknown != null ? unknown : policy)
                .optApproximateIndex(approximateEf > 0 ? ApproximateIndexFiles.loadOrBuild(model, loaded,
                        approximateEf) : null);
        if (features == null) {
            return builder.build();
        }
        Optional<FeatureTable> items = features.forServing().itemFeatures();
        Optional<FeatureTable> users = features.userFeatures();
        Recommender recommender;
        try {
            recommender = builder.optItemFeatures(items.orElse(null)).optUserFeatures(users.orElse(null)).build();
        } catch (IllegalArgumentException e) {
            String option = items.isPresent() && e.getMessage().contains(" item") ? "--item-features"
                    : "--user-features";
            throw new CliException(option + " cannot be served by --model " + model + ": " + e.getMessage(), e);
        }
        for (Side side : Side.values()) {
            recommender.coldStart(side).ifPresent(report -> System.err.println(report));
        }
        return recommender;
    }

    /** Prints a ranked list: rank, score, id, title. */
    static void print(String scoreName, List<ScoredId> list) {
        System.out.println(String.format(Locale.ROOT, "%4s %9s %8s  %s", "rank", scoreName, "id", "title"));
        for (int n = 0; n < list.size(); n++) {
            ScoredId s = list.get(n);
            System.out.println(String.format(Locale.ROOT, "%4d %9.4f %8s  %s", n + 1, s.score(), s.id(),
                    s.title() != null ? s.title() : ""));
        }
    }
}
