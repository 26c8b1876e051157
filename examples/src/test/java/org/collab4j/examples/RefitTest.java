package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.io.TrainedModel;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * {@code train --save} without {@code --valid}: the model saved learns from every row of {@code --ratings} (a refit
 * after the measured fit), and knows every row, so {@code recommend} never returns one of a user's input items.
 */
class RefitTest {

    @TempDir
    static Path dir;
    private static Path input;
    private static int rows;
    private static int positives;

    /** Two groups of users, each rating 12 items of its own half 4 or 5 and one of the other half 1. */
    @BeforeAll
    static void files() throws IOException {
        Random random = new Random(21);
        StringBuilder t = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 60; u++) {
            Set<Integer> items = new java.util.LinkedHashSet<>();
            while (items.size() < 12) {
                items.add(random.nextInt(20) + (u % 2) * 20);
            }
            for (int item : items) {
                t.append(u).append(',').append(item).append(',').append(4 + random.nextInt(2)).append(",0\n");
                positives++;
            }
            t.append(u).append(',').append(random.nextInt(20) + (1 - u % 2) * 20).append(",1,0\n");
        }
        rows = (int) t.chars().filter(c -> c == '\n').count() - 1;
        input = Files.writeString(dir.resolve("input.csv"), t);
    }

    /** The "user/item" pairs of a ratings or top-N CSV (header skipped). */
    private static Set<String> pairs(Path csv) throws IOException {
        Set<String> pairs = new HashSet<>();
        for (String line : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
            String[] f = line.split(",");
            pairs.add(f[0] + "/" + f[1]);
        }
        return pairs;
    }

    private static Set<String> known(TrainedModel model) {
        Set<String> pairs = new HashSet<>();
        for (int u = 0; u < model.users().size(); u++) {
            for (int i : model.ratedItems(u)) {
                pairs.add(model.users().id(u) + "/" + model.items().id(i));
            }
        }
        return pairs;
    }

    /** Every user's top 30 of the saved model, as pairs: {@code recommend --all}. */
    private static Set<String> recommended(Path model) throws IOException {
        Path top = dir.resolve(model.getFileName() + "-top.csv");
        String[] result = run("recommend", "--model", model.toString(), "--all", "-k", "30", "--out", top.toString());
        assertEquals("0", result[0], result[2]);
        return pairs(top);
    }

    private static String[] train(Path save, String... options) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--ratings", input.toString(), "--save",
                save.toString()));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    private static void neverRecommendsTheInput(Path model) throws IOException {
        Set<String> again = recommended(model);
        assertFalse(again.isEmpty());
        again.retainAll(pairs(input));
        assertEquals(Set.of(), again, "recommend returned items of the users' input");
    }

    @Test
    void theRankingModelSavedWithoutValidIsRefitOnEveryRowAndKnowsThemAll() throws IOException {
        Path model = dir.resolve("refit.c4j");
        String[] result = train(model, "--implicit", "--positive-threshold", "4");
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("refitting on all " + rows + " interactions"), result[1]);
        String last = result[1].strip().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(last.startsWith("NDCG@10 "), "the last line is still the held-out measurement: " + last);
        TrainedModel saved = TrainedModel.load(model);
        assertEquals(rows, saved.getProvenance().trainRatings(), "the refit trains on every row");
        assertEquals(pairs(input), known(saved));
        neverRecommendsTheInput(model);
    }

    @Test
    void noRefitSavesTheMeasuredFitWhichStillKnowsTheHeldOutRows() throws IOException {
        Path model = dir.resolve("first.c4j");
        String[] result = train(model, "--implicit", "--positive-threshold", "4", "--no-refit");
        assertEquals("0", result[0], result[2]);
        assertFalse(result[1].contains("refitting"), result[1]);
        TrainedModel saved = TrainedModel.load(model);
        assertEquals(rows - Math.round(rows * 0.2), saved.getProvenance().trainRatings());
        assertEquals(pairs(input), known(saved), "held-out rows are known though not trained on");
        neverRecommendsTheInput(model);
    }

    @Test
    void rowsTheThresholdWeighsZeroAreKnownThoughNotTrainedOn() throws IOException {
        Path model = dir.resolve("positives.c4j");
        String[] result = train(model, "--implicit", "--positive-threshold", "4", "--below-threshold-weight", "0");
        assertEquals("0", result[0], result[2]);
        TrainedModel saved = TrainedModel.load(model);
        assertEquals(positives, saved.getProvenance().trainRatings());
        assertEquals(pairs(input), known(saved));
        neverRecommendsTheInput(model);
    }

    @Test
    void theRatingModelIsRefitToo() throws IOException {
        Path model = dir.resolve("rating.c4j");
        String[] result = train(model, "--epochs", "1");
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("refitting on all " + rows + " ratings"), result[1]);
        assertTrue(result[1].strip().lines().reduce((a, b) -> b).orElseThrow().startsWith("RMSE "), result[1]);
        TrainedModel saved = TrainedModel.load(model);
        assertEquals(rows, saved.getProvenance().trainRatings());
        assertEquals(pairs(input), known(saved));
        neverRecommendsTheInput(model);
    }

    @Test
    void aWarmStartWithoutValidRefitsAndKnowsTheOldAndTheNewRows() throws IOException {
        Path old = dir.resolve("warm-old.c4j");
        assertEquals("0", train(old, "--implicit", "--positive-threshold", "4")[0]);
        StringBuilder more = new StringBuilder("userId,movieId,rating,timestamp\n");
        Random random = new Random(22);
        int moreRows = 0;
        for (int u = 100; u < 110; u++) {
            for (int n = 0; n < 8; n++) {
                more.append(u).append(',').append(n + (u % 2) * 20).append(",5,0\n");
                moreRows++;
            }
            more.append(u).append(',').append(40 + random.nextInt(5)).append(",4,0\n");
            moreRows++;
        }
        Path moreFile = Files.writeString(dir.resolve("more.csv"), more);
        Path next = dir.resolve("warm-next.c4j");
        String[] result = run("train", "--ratings", moreFile.toString(), "--implicit", "--positive-threshold", "4",
                "--init-model", old.toString(), "--save", next.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("refitting on all " + moreRows + " interactions"), result[1]);
        TrainedModel saved = TrainedModel.load(next);
        assertEquals(moreRows, saved.getProvenance().trainRatings());
        Set<String> expected = pairs(input);
        expected.addAll(pairs(moreFile));
        assertEquals(expected, known(saved));
        Set<String> again = recommended(next);
        again.retainAll(expected);
        assertEquals(Set.of(), again);
    }

    @Test
    void noRefitWithValidIsRefused() {
        String[] result = run("train", "--ratings", input.toString(), "--valid", input.toString(), "--no-refit");
        assertEquals("2", result[0], result[2]);
        assertTrue(result[2].contains("--no-refit applies without --valid"), result[2]);
    }
}
