package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.io.Provenance;
import org.collab4j.io.TrainedModel;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/** {@code train --tune} and {@code --tune-budget}: bad values, options it refuses, and short real runs. */
class TuneCommandTest {

    @TempDir
    static Path dir;
    private static Path train;
    private static Path valid;

    /** Two groups of users, each rating items of its own half 4 or 5 and one of the other half 1. */
    @BeforeAll
    static void files() throws IOException {
        TwoGroupFiles files = TwoGroupFiles.write(dir, 26, 50, 10);
        train = files.train;
        valid = files.valid;
    }

    private static void refused(String expected, String... args) {
        String[] result = run(args);
        assertEquals("2", result[0], result[1] + result[2]);
        assertTrue(result[2].contains(expected), "expected '" + expected + "' in: " + result[2]);
    }

    @Test
    void badBudgetsAreRefusedSayingTheFormExpected() {
        refused("every number needs a unit", "train", "--ratings", train.toString(), "--tune", "--tune-budget", "60");
        refused("such as 60s, 2m or 1m30s", "train", "--ratings", train.toString(), "--tune", "--tune-budget",
                "soon");
        refused("--tune-budget", "train", "--ratings", train.toString(), "--tune", "--tune-budget", "0.5s");
        refused("largest first", "train", "--ratings", train.toString(), "--tune", "--tune-budget", "30s2m");
    }

    @Test
    void optionsTuningChoosesOrCannotHonourAreRefused() {
        refused("--tune-budget applies with --tune", "train", "--ratings", train.toString(), "--tune-budget", "2m");
        refused("--factors is chosen by --tune", "train", "--ratings", train.toString(), "--tune", "--factors",
                "8");
        refused("--epochs is chosen by --tune", "train", "--ratings", train.toString(), "--implicit", "--tune",
                "--epochs", "3");
        refused("--no-refit does not apply with --tune", "train", "--ratings", train.toString(), "--tune",
                "--no-refit", "--save", dir.resolve("x.c4j").toString());
        refused("--valid-fraction does not apply with --tune", "train", "--ratings", train.toString(), "--tune",
                "--valid-fraction", "0.1");
    }

    @Test
    void aRankingModelIsTunedRefitAndSavedWithItsTrials() throws IOException {
        Path model = dir.resolve("ranking.c4j");
        String[] result = run("train", "--ratings", train.toString(), "--implicit", "--positive-threshold", "4",
                "--tune", "--tune-budget", "4s", "--save", model.toString());
        assertEquals("0", result[0], result[2]);
        String out = result[1];
        assertTrue(out.contains("tune   1 "), "a progress line per trial: " + out);
        assertTrue(out.contains("trial rung settings"), "the table: " + out);
        assertTrue(out.contains("chose trial "), out);
        assertTrue(out.indexOf("chose trial ") < out.indexOf("refitting trial "), "the table comes before the refit");
        assertFalse(out.contains("NDCG@10"), "without --valid nothing is measured after the refit");
        Provenance.Tuning tuning = TrainedModel.load(model).getProvenance().tuning();
        assertNotNull(tuning);
        assertTrue(out.contains(tuning.choice()), out);
        assertEquals(550, TrainedModel.load(model).getProvenance().trainRatings(),
                "the refit trains on every row of --ratings (500 positives, 50 below the threshold at weight"
                        + " 0.3)");
    }

    /** The factors of the settings a search chose, from its choice, e.g. {@code mse factors=50 lr=...}. */
    private static int chosenFactors(Provenance.Tuning tuning) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("factors=(\\d+) ").matcher(tuning.choice());
        assertTrue(m.find(), tuning.choice());
        return Integer.parseInt(m.group(1));
    }

    @Test
    void aTunedRatingModelIsTheAverageOfTwoRefitsByDefaultAndOfAverageNWithIt() throws IOException {
        Path model = dir.resolve("tuned-rating.c4j");
        String[] result = run("train", "--ratings", train.toString(), "--tune", "--tune-budget", "4s", "--seed", "7",
                "--save", model.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("the refit averages 2 models"), "the table says so: " + result[1]);
        assertTrue(result[1].contains(": 2 models, seeds 7 to 8, averaged into one (--average)"), result[1]);
        TrainedModel saved = TrainedModel.load(model);
        Provenance.Tuning tuning = saved.getProvenance().tuning();
        assertEquals(2, tuning.refitModels());
        assertEquals(2 * chosenFactors(tuning), saved.getConfig().userFactors(),
                "two refits of the chosen factors side by side");
        assertTrue(saved.getProvenance().model().contains("the average of 2 models trained alike (seeds 7, 8;"),
                saved.getProvenance().model());

        Path three = dir.resolve("tuned-three.c4j");
        result = run("train", "--ratings", train.toString(), "--tune", "--tune-budget", "4s", "--average", "3",
                "--save", three.toString());
        assertEquals("0", result[0], result[2]);
        saved = TrainedModel.load(three);
        assertEquals(3, saved.getProvenance().tuning().refitModels());
        assertEquals(3 * chosenFactors(saved.getProvenance().tuning()), saved.getConfig().userFactors());
    }

    @Test
    void averageWithTuneIsRefusedBelowOneAndForARankingModel() {
        refused("--average must be at least 1", "train", "--ratings", train.toString(), "--tune", "--average", "0");
        refused("--average 2 does not apply here: --implicit trains a ranking model", "train", "--ratings",
                train.toString(), "--implicit", "--tune", "--average", "2");
    }

    @Test
    void aRatingModelIsMeasuredOnValidOnlyAfterTheRefit() {
        String[] result = run("train", "--ratings", train.toString(), "--valid", valid.toString(), "--tune",
                "--tune-budget", "5s");
        assertEquals("0", result[0], result[2]);
        String out = result[1];
        assertTrue(out.contains("--valid is measured after the refit, never used to choose"), out);
        assertTrue(out.indexOf("refitting trial ") < out.lastIndexOf("RMSE "), out);
        assertTrue(out.strip().lines().reduce((a, b) -> b).orElseThrow().startsWith("RMSE "), out);
        assertTrue(out.contains("rmse"), out);
    }
}
