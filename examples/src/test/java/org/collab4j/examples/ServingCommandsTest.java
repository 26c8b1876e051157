package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** train --save, then the commands that use the saved model. */
class ServingCommandsTest {

    @TempDir
    static Path dir;
    static Path model;
    static Path titles;

    @BeforeAll
    static void trainAndSave() throws IOException {
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        StringBuilder movies = new StringBuilder("movieId,title,genres\n");
        for (int i = 0; i < 30; i++) {
            movies.append(i).append(",\"Movie ").append(i).append(", The (1999)\",Drama\n");
        }
        for (int u = 0; u < 50; u++) {
            for (int i = 0; i < 30; i++) {
                if (random.nextDouble() < 0.4) {
                    double r = Math.max(1, Math.min(5, Math.round(3 + (u % 3 - 1) + (i % 2) + random.nextGaussian())));
                    csv.append(u).append(',').append(i).append(',').append(r).append(",0\n");
                }
            }
        }
        Path ratings = dir.resolve("ratings.csv");
        Files.writeString(ratings, csv);
        titles = dir.resolve("movies.csv");
        Files.writeString(titles, movies);
        model = dir.resolve("models/tiny.c4j");
        String[] result = run("train", "--ratings", ratings.toString(), "--epochs", "2", "--factors", "6",
                "--save", model.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("saved the model to " + model), result[1]);
        assertTrue(result[1].lines().reduce((a, b) -> b).orElseThrow().startsWith("RMSE "), result[1]);
        assertTrue(Files.isRegularFile(model));
    }

    @Test
    void recommendShowsTitles() {
        String[] result = run("recommend", "--model", model.toString(), "--user", "3", "-k", "4", "--titles",
                titles.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("Movie ") && result[1].contains(", The (1999)"), result[1]);
        assertEquals(4, result[1].lines().filter(l -> l.contains("Movie ")).count(), result[1]);
    }

    @Test
    void anUnknownUserIsAClearErrorOrAFallback() {
        String[] result = run("recommend", "--model", model.toString(), "--user", "nobody");
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("Unknown user id 'nobody'"), result[2]);
        result = run("recommend", "--model", model.toString(), "--user", "nobody", "--unknown", "FALLBACK");
        assertEquals("0", result[0], result[2]);
    }

    @Test
    void aDamagedModelIsAClearError() throws IOException {
        Path bad = dir.resolve("bad.c4j");
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length / 2] ^= 1;
        Files.write(bad, bytes);
        String[] result = run("similar", "--model", bad.toString(), "--item", "1");
        assertEquals("2", result[0]);
        assertTrue(result[2].contains(bad + " is damaged"), result[2]);
    }

    @Test
    void similarExplainAndEvaluate() {
        String[] result = run("similar", "--model", model.toString(), "--item", "1", "-k", "3", "--min-ratings",
                "1");
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("items like 1"), result[1]);
        result = run("similar", "--model", model.toString(), "--user", "1", "-k", "3");
        assertEquals("0", result[0], result[2]);

        result = run("explain", "--model", model.toString(), "--titles", titles.toString(), "-n", "3",
                "--min-ratings", "5", "--components", "2");
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("seed 42") && result[1].contains("liked less than predicted")
                && result[1].contains("principal component 2"), result[1]);

        Path plots = dir.resolve("plots");
        result = run("explain", "--model", model.toString(), "--titles", titles.toString(), "--min-ratings", "5",
                "--plots", plots.toString(), "--ratings", dir.resolve("ratings.csv").toString());
        assertEquals("0", result[0], result[2]);
        for (String png : new String[] {"biases.png", "pca.png", "predicted-vs-actual.png"}) {
            assertTrue(result[1].contains(plots.resolve(png).toAbsolutePath().normalize().toString()), result[1]);
            assertTrue(Files.isRegularFile(plots.resolve(png)), png);
        }

        result = run("evaluate-ranking", "--model", model.toString(), "--ratings",
                dir.resolve("ratings.csv").toString(), "-k", "5", "--popularity");
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("RMSE ") && result[1].contains("precision@5")
                && result[1].contains("popularity baseline: precision@5"), result[1]);

        result = run("recommend", "--model", model.toString(), "--all", "--repeat", "1");
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("top-10 for all 50 users"), result[1]);
    }

    @Test
    void recommendAllOutWritesEveryUsersTopKAsRecommendDoes() throws IOException {
        Path csv = dir.resolve("out/top.csv");
        String[] result = run("recommend", "--model", model.toString(), "--all", "-k", "3", "--out", csv.toString());
        assertEquals("0", result[0], result[2]);
        java.util.List<String> lines = Files.readAllLines(csv);
        assertEquals("user,item,rank,score", lines.get(0));
        org.collab4j.recommend.Recommender recommender =
                org.collab4j.recommend.Recommender.of(org.collab4j.io.TrainedModel.load(model));
        java.util.List<String> expected = new java.util.ArrayList<>();
        expected.add("user,item,rank,score");
        java.util.Set<String> users = new java.util.LinkedHashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            users.add(line.split(",")[0]);
        }
        assertEquals(50, users.size());
        for (String user : users) {
            java.util.List<org.collab4j.recommend.ScoredId> top = recommender.recommend(user, 3);
            assertEquals(3, top.size());
            for (int rank = 1; rank <= top.size(); rank++) {
                expected.add(user + "," + top.get(rank - 1).id() + "," + rank + "," + top.get(rank - 1).score());
            }
        }
        assertEquals(expected, lines);
        result = run("recommend", "--model", model.toString(), "--user", "3", "--out", csv.toString());
        assertEquals("2", result[0], result[1]);
        assertTrue(result[2].contains("--out needs --all"), result[2]);
    }
}
