package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.ScoredId;
import org.collab4j.recommend.Titles;
import org.collab4j.recommend.UnknownIdPolicy;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

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
        TrainedModel loaded = TrainedModel.load(model);
        return Recommender.builder()
                .setModel(loaded)
                .optTitles(titles != null ? Titles.read(titles) : Titles.NONE)
                .optUnknownIdPolicy(unknown != null ? unknown : policy)
                .optApproximateIndex(approximateEf > 0 ? ApproximateIndexFiles.loadOrBuild(model, loaded,
                        approximateEf) : null)
                .build();
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
