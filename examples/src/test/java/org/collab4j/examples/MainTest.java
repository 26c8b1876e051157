package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

class MainTest {

    @TempDir
    Path dir;

    private Path ratingsFile(String separator, boolean header) throws IOException {
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder(header ? "user" + separator + "item" + separator + "rating\n" : "");
        for (int u = 0; u < 60; u++) {
            for (int i = 0; i < 40; i++) {
                if (random.nextDouble() < 0.3) {
                    double r = Math.max(1, Math.min(5, Math.round(3 + (u % 3 - 1) + (i % 2) + random.nextGaussian() * 0.3)));
                    csv.append("user").append(u).append(separator).append(i).append(separator).append(r).append('\n');
                }
            }
        }
        Path file = dir.resolve("ratings.txt");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void trainEndsWithTheRmseMaeLine() throws IOException {
        Path file = ratingsFile(";", false);
        String[] result = run("train", "--ratings", file.toString(), "--sep", ";", "--no-header", "--epochs", "3",
                "--bs", "64", "--lr", "1e-2");
        assertEquals("0", result[0], result[2]);
        List<String> lines = result[1].lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("RMSE \\d+\\.\\d+ MAE \\d+\\.\\d+"), last);
        assertTrue(result[1].contains("epoch  train_loss"), result[1]);
    }

    @Test
    void trainReportsABadLineAndExitsWithTwo() throws IOException {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "userId,movieId,rating,timestamp\n1,2,4.0,10\n1,3,four,11\n");
        String[] result = run("train", "--ratings", file.toString());
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("bad.csv") && result[2].contains("line 3") && result[2].contains("rating"),
                result[2]);
    }

    @Test
    void quickstartRunsOnTheSharedMovieLens() {
        Path data = Path.of("../../shared/data/ml-latest-small");
        assumeTrue(Files.isRegularFile(data.resolve("ratings.csv")), "no shared MovieLens beside the project");
        String[] result = run("quickstart", "--data", data.toString(), "--epochs", "1", "--bs", "4096", "--show",
                "3");
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("validation: RMSE"), result[1]);
        assertTrue(result[1].contains("Toy Story") || result[1].contains("(19") || result[1].contains("(20"),
                "titles from movies.csv: " + result[1]);
    }
}
