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
import java.util.Random;

/**
 * {@code train --average N}: the rating model's default averages {@code SeedAverage.DEFAULT_MODELS} models trained
 * alike into one saved model, which {@code recommend} serves; {@code --average 1} is the single model, and the
 * models that cannot be averaged train one (and refuse {@code --average} above 1).
 */
class AverageCommandTest {

    @TempDir
    static Path dir;
    private static Path train;
    private static Path valid;
    private static int rows;

    @BeforeAll
    static void files() throws IOException {
        Random random = new Random(5);
        StringBuilder t = new StringBuilder("userId,movieId,rating,timestamp\n");
        StringBuilder v = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 50; u++) {
            for (int i = 0; i < 30; i++) {
                if (random.nextDouble() < 0.4) {
                    float r = Math.max(1, Math.min(5, Math.round(3 + (u % 3 - 1) * (i % 2 == 0 ? 1 : -1)
                            + random.nextGaussian() * 0.5)));
                    (random.nextDouble() < 0.8 || i == u % 30 ? t : v).append(u).append(',').append(i).append(',')
                            .append(r).append(",0\n");
                }
            }
        }
        rows = (int) t.chars().filter(c -> c == '\n').count() - 1;
        train = Files.writeString(dir.resolve("train.csv"), t);
        valid = Files.writeString(dir.resolve("valid.csv"), v);
    }

    private static String lastLine(String out) {
        return out.strip().lines().reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void theDefaultAveragesTwoModelsIntoOneSavedModel() throws IOException {
        Path model = dir.resolve("avg.c4j");
        String[] result = run("train", "--ratings", train.toString(), "--valid", valid.toString(), "--epochs", "2",
                "--save", model.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("model 2 of 2:"), result[1]);
        assertTrue(result[1].contains("seed=43"), "the second model's seed is --seed + 1: " + result[1]);
        String rmse = lastLine(result[1]);
        assertTrue(rmse.startsWith("RMSE "), rmse);
        assertTrue(result[1].contains("the average of the 2 models (--average): valid " + rmse), result[1]);
        TrainedModel saved = TrainedModel.load(model);
        assertEquals(100, saved.getConfig().userFactors(), "two models of 50 factors side by side");
        assertTrue(saved.getProvenance().model().contains("average of 2 models"), saved.getProvenance().model());

        String[] one = run("train", "--ratings", train.toString(), "--valid", valid.toString(), "--epochs", "2",
                "--average", "1", "--save", dir.resolve("one.c4j").toString());
        assertEquals("0", one[0], one[2]);
        assertFalse(one[1].contains("averaging"), one[1]);
        assertEquals(50, TrainedModel.load(dir.resolve("one.c4j")).getConfig().userFactors());
        assertFalse(lastLine(one[1]).equals(rmse), "one model is not the average: " + lastLine(one[1]));

        Path top = dir.resolve("top.csv");
        String[] served = run("recommend", "--model", model.toString(), "--all", "-k", "5", "--out", top.toString());
        assertEquals("0", served[0], served[2]);
        assertEquals(1 + 50 * 5, Files.readAllLines(top).size());
    }

    @Test
    void theRefitWithoutValidAveragesToo() throws IOException {
        Path model = dir.resolve("refit.c4j");
        String[] result = run("train", "--ratings", train.toString(), "--epochs", "1", "--save", model.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("refitting on all " + rows + " ratings"), result[1]);
        assertEquals(2, result[1].split("averaging 2 models", -1).length - 1, "the measured fit and the refit");
        TrainedModel saved = TrainedModel.load(model);
        assertEquals(rows, saved.getProvenance().trainRatings());
        assertEquals(100, saved.getConfig().userFactors());
    }

    @Test
    void modelsThatCannotBeAveragedTrainOneAndRefuseMore() {
        String[] net = run("train", "--ratings", train.toString(), "--valid", valid.toString(), "--epochs", "1",
                "--block", "net");
        assertEquals("0", net[0], net[2]);
        assertFalse(net[1].contains("averaging"), net[1]);
        String[] refused = run("train", "--ratings", train.toString(), "--block", "net", "--average", "2");
        assertEquals("2", refused[0], refused[2]);
        assertTrue(refused[2].contains("--average 2 does not apply here: --block net"), refused[2]);
        String[] ranking = run("train", "--ratings", train.toString(), "--implicit", "--average", "3");
        assertEquals("2", ranking[0], ranking[2]);
        assertTrue(ranking[2].contains("--implicit trains a ranking model"), ranking[2]);
        String[] zero = run("train", "--ratings", train.toString(), "--average", "0");
        assertEquals("2", zero[0], zero[2]);
        assertTrue(zero[2].contains("--average must be at least 1"), zero[2]);
    }
}
