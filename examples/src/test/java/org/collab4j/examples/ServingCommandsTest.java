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
import java.util.List;
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

    @Test
    void recommendWithAHistoryWritesTopKCsvForUsersAbsentFromTheModel() throws IOException {
        Path history = dir.resolve("history.csv");
        // newbie is not in the model; 3 is; ghost rated only items the model does not know.
        Files.writeString(history, "userId,movieId,rating,timestamp\nnewbie,1,5,0\nnewbie,2,4.5,0\nnewbie,3,1,0\n"
                + "3,4,2,0\nghost,999,4,0\nnewbie,2,4.5,0\n");
        String[] result = run("recommend", "--model", model.toString(), "--history", history.toString(), "-k", "5");
        assertEquals("0", result[0], result[2]);
        List<String> lines = result[1].lines().toList();
        assertEquals("user,item,rank,score", lines.get(0));
        assertEquals(16, lines.size(), result[1]);
        for (int n = 1; n < lines.size(); n++) {
            String[] f = lines.get(n).split(",");
            String user = n <= 5 ? "newbie" : n <= 10 ? "3" : "ghost";
            assertEquals(user, f[0], lines.get(n));
            assertEquals(String.valueOf((n - 1) % 5 + 1), f[2]);
            if (user.equals("newbie")) {
                assertTrue(!List.of("1", "2", "3").contains(f[1]), "history items are left out: " + lines.get(n));
            }
            assertTrue(!(user.equals("3") && f[1].equals("4")), lines.get(n));
        }
        assertTrue(result[2].contains("3 users in " + history + ": 1 known to the model, 1 folded in from their"
                + " history, 1 answered by the fallback"), result[2]);

        Path out = dir.resolve("out/top5.csv");
        result = run("recommend", "--model", model.toString(), "--history", history.toString(), "-k", "5",
                "--out", out.toString());
        assertEquals("0", result[0], result[2]);
        assertEquals(String.join("\n", lines) + "\n", Files.readString(out));
        assertEquals("", result[1]);
    }

    @Test
    void aBadHistoryIsAClearErrorAndLeavesTheOutputAlone() throws IOException {
        Path out = dir.resolve("kept.csv");
        Files.writeString(out, "previous\n");
        Path history = dir.resolve("bad-history.csv");
        Files.writeString(history, "userId,movieId,rating,timestamp\nnewbie,1,5,0\nnewbie,2,9,0\n");
        String[] result = run("recommend", "--model", model.toString(), "--history", history.toString(),
                "--out", out.toString());
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("bad-history.csv line 3, field 'rating'"), result[2]);
        Files.writeString(history, "userId,movieId,rating,timestamp\nnewbie,1,5,0\nnewbie,1,2,0\n");
        result = run("recommend", "--model", model.toString(), "--history", history.toString(),
                "--out", out.toString());
        assertEquals("2", result[0]);
        // The file, the ids, both ratings and the option that resolves it (issue 25: it named neither file nor option).
        assertTrue(result[2].contains("user \"newbie\" rated item \"1\" twice with different ratings, 5.0 and then"
                + " 2.0"), result[2]);
        assertTrue(result[2].contains("--history " + history) && result[2].contains("--duplicates KEEP_LAST or MEAN"),
                result[2]);
        assertEquals("previous\n", Files.readString(out));
    }

    @Test
    void trainContinuesFromASavedModel() throws IOException {
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        Random random = new Random(9);
        for (int u = 40; u < 60; u++) {
            for (int i = 20; i < 35; i++) {
                if (random.nextDouble() < 0.5) {
                    csv.append(u).append(',').append(i).append(',').append(1 + random.nextInt(5)).append(",0\n");
                }
            }
        }
        Path more = dir.resolve("more.csv");
        Files.writeString(more, csv);
        Path next = dir.resolve("models/next.c4j");
        String[] result = run("train", "--ratings", more.toString(), "--init-model", model.toString(), "--epochs",
                "1", "--save", next.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].contains("continuing from " + model), result[1]);
        assertTrue(Files.isRegularFile(next));
        result = run("recommend", "--model", next.toString(), "--user", "55", "-k", "3");
        assertEquals("0", result[0], result[2]);
        // Without --epochs a warm start runs CollabLearnerBuilder.DEFAULT_WARM_EPOCHS.
        Path history = dir.resolve("warm-history");
        result = run("train", "--ratings", more.toString(), "--init-model", model.toString(), "--history",
                history.toString());
        assertEquals("0", result[0], result[2]);
        assertEquals(1 + org.collab4j.train.CollabLearnerBuilder.DEFAULT_WARM_EPOCHS,
                Files.readAllLines(history.resolve("history.csv")).size());
    }

    @Test
    void missingHistoryAndInitModelFilesAreCheckedBeforeAnyWork() throws IOException {
        Path missing = dir.resolve("nowhere.csv");
        String[] result = run("recommend", "--model", model.toString(), "--history", missing.toString());
        assertEquals("2", result[0], result[1]);
        assertTrue(result[2].contains("--history") && result[2].contains("nowhere.csv"), result[2]);
        Path next = dir.resolve("next.c4j");
        result = run("train", "--ratings", missing.toString().replace("nowhere", "nothing"), "--init-model",
                dir.resolve("none.c4j").toString(), "--save", next.toString());
        assertEquals("2", result[0], result[1]);
        assertTrue(!Files.exists(next), "nothing saved");
    }
}
