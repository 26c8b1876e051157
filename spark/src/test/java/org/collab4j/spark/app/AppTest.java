package org.collab4j.spark.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The app's commands end to end on a tiny csv: train, recommend-all, verify-topn, and refused input. */
class AppTest {

    @TempDir
    Path dir;

    /** Runs a command, returning its exit status and what it printed (stdout, then stderr). */
    private static Object[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            int status = Main.run(args);
            return new Object[] {status, bytes.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static float[] scaled(float[] values, float by) {
        float[] out = values.clone();
        for (int k = 0; k < out.length; k++) {
            out[k] *= by;
        }
        return out;
    }

    @Test
    void trainThenRecommendAllWritesTheTopNTableThatTheSingleJvmRecommenderGives() throws IOException {
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 30; u++) {
            for (int i = 0; i < 25; i++) {
                if ((u * 31 + i * 17) % 5 < 2) {
                    csv.append(u).append(',').append(100 + i).append(',').append(1 + (u + 2 * i) % 5).append(",0\n");
                }
            }
        }
        Path ratings = dir.resolve("ratings.csv");
        Files.writeString(ratings, csv);
        Path model = dir.resolve("model.c4j");
        Object[] train = run("train", "--master", "local[2]", "--ratings", ratings.toString(), "--epochs", "2",
                "--factors", "4", "--bs", "32", "--save", model.toString());
        assertEquals(0, train[0], (String) train[1]);
        assertTrue(((String) train[1]).contains("RMSE "), (String) train[1]);
        assertTrue(Files.exists(model));
        int rows = (int) csv.toString().lines().count() - 1;
        assertTrue(((String) train[1]).contains("refitting on all " + rows + " ratings"), (String) train[1]);
        org.collab4j.io.TrainedModel saved = org.collab4j.io.TrainedModel.load(model);
        assertEquals(rows, saved.getProvenance().trainRatings(), "without --valid the model saved trains on every row");
        int known = 0;
        for (int u = 0; u < saved.users().size(); u++) {
            known += saved.ratedItems(u).length;
        }
        assertEquals(rows, known, "it knows every (distinct) row of its input");

        Path out = dir.resolve("top");
        Object[] recommend = run("recommend-all", "--master", "local[2]", "--model", model.toString(), "-k", "3",
                "--out", out.toString());
        assertEquals(0, recommend[0], (String) recommend[1]);
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        List<Path> parts;
        try (Stream<Path> files = Files.list(out)) {
            parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
        }
        assertTrue(!parts.isEmpty());
        for (Path part : parts) {
            List<String> lines = Files.readAllLines(part);
            if (!lines.isEmpty()) {
                assertEquals("user,item,rank,score", lines.get(0));
            }
        }
        Object[] verify = run("verify-topn", "--model", model.toString(), "-k", "3", "--spark-out", out.toString());
        assertEquals(0, verify[0], (String) verify[1]);
        assertTrue(((String) verify[1]).contains("IDENTICAL"), (String) verify[1]);
        Object[] wrongK = run("verify-topn", "--model", model.toString(), "-k", "2", "--spark-out", out.toString());
        assertEquals(1, wrongK[0], (String) wrongK[1]);

        // A hybrid model (made by hand: one feature whose vector is item 100's row, scaled up) serves new items.
        org.collab4j.io.TrainedModel hybrid = saved.withFeatures(org.collab4j.kernel.Side.ITEMS,
                new org.collab4j.io.FeatureEmbeddings(List.of("kind=x"), 4, java.util.Arrays.copyOf(
                        scaled(saved.factors(org.collab4j.kernel.Side.ITEMS).rows(), 3f), 4), new float[] {2f}, true));
        Path hybridFile = dir.resolve("hybrid.c4j");
        hybrid.save(hybridFile);
        Path newItems = Files.writeString(dir.resolve("new-items.csv"), "movieId,kind\n900,x\n");
        Path hybridOut = dir.resolve("top-hybrid");
        Object[] withNew = run("recommend-all", "--master", "local[2]", "--model", hybridFile.toString(), "-k", "3",
                "--out", hybridOut.toString(), "--item-features", newItems.toString(), "--item-feature-columns",
                "id=movieId,cat=kind");
        assertEquals(0, withNew[0], (String) withNew[1]);
        long rowsOfNew = 0;
        try (Stream<Path> files = Files.list(hybridOut)) {
            for (Path part : files.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
                rowsOfNew += Files.readAllLines(part).stream().filter(l -> l.split(",")[1].equals("900")).count();
            }
        }
        assertTrue(rowsOfNew > 0, "no user got the new item 900");

        // Nothing is overwritten; a missing model and a missing column are named.
        long before = Files.getLastModifiedTime(out.resolve("_SUCCESS")).toMillis();
        Object[] again = run("recommend-all", "--master", "local[2]", "--model", model.toString(), "-k", "3",
                "--out", out.toString());
        assertEquals(2, again[0]);
        assertTrue(((String) again[1]).contains("error: --out " + out + " already exists"), (String) again[1]);
        assertEquals(before, Files.getLastModifiedTime(out.resolve("_SUCCESS")).toMillis());
        Object[] noModel = run("recommend-all", "--master", "local[2]", "--model", dir.resolve("none.c4j").toString(),
                "-k", "3", "--out", dir.resolve("top2").toString());
        assertEquals(2, noModel[0]);
        assertTrue(((String) noModel[1]).contains("none.c4j: no such file"), (String) noModel[1]);
        Object[] noColumn = run("train", "--master", "local[2]", "--ratings", ratings.toString(), "--item-col",
                "itemId", "--save", dir.resolve("m2.c4j").toString());
        assertEquals(2, noColumn[0]);
        // In the app's words: its option and the file, not setItemCol(...).
        assertTrue(((String) noColumn[1]).contains("no column 'itemId' for the item ids in --ratings " + ratings
                + ", whose columns are [userId, movieId, rating, timestamp]; name the right one with --item-col"),
                (String) noColumn[1]);
        assertTrue(!((String) noColumn[1]).contains("setItemCol"), (String) noColumn[1]);
        assertTrue(!Files.exists(dir.resolve("m2.c4j")));
    }
}
