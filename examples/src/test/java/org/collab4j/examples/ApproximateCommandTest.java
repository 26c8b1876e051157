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

/** {@code recommend --approximate}: the index beside the model, built once, loaded after, refused when stale. */
class ApproximateCommandTest {

    @TempDir
    static Path dir;
    static Path ratings;

    @BeforeAll
    static void ratings() throws IOException {
        Random random = new Random(9);
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 60; i++) {
                if (random.nextDouble() < 0.3) {
                    csv.append(u).append(',').append(i).append(',').append(1 + random.nextInt(5)).append(",0\n");
                }
            }
        }
        ratings = dir.resolve("ratings.csv");
        Files.writeString(ratings, csv);
    }

    private static Path train(String name, String... more) {
        Path model = dir.resolve(name);
        String[] args = new String[] {"train", "--ratings", ratings.toString(), "--epochs", "1", "--factors", "4",
            "--save", model.toString()};
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(more))
                .toArray(String[]::new);
        String[] result = run(all);
        assertEquals("0", result[0], result[2]);
        return model;
    }

    @Test
    void theIndexIsBuiltBesideTheModelThenLoadedAndRefusedForAnotherModel() throws IOException {
        Path model = train("a.c4j");
        String[] exact = run("recommend", "--model", model.toString(), "--user", "3", "-k", "5");
        String[] first = run("recommend", "--model", model.toString(), "--user", "3", "-k", "5", "--approximate");
        assertEquals("0", first[0], first[2]);
        Path index = dir.resolve("a.c4j.hnsw");
        assertTrue(Files.isRegularFile(index));
        assertTrue(first[2].contains("saved it to " + index), first[2]);
        // 60 items and ef 50: the search keeps every item it reaches, all of them here, so the list is exact.
        assertEquals(exact[1].lines().skip(1).toList(), first[1].lines().skip(1).toList());
        String[] second = run("recommend", "--model", model.toString(), "--user", "3", "-k", "5", "--approximate");
        assertEquals("0", second[0], second[2]);
        assertTrue(second[2].contains("loaded the approximate index " + index), second[2]);

        Path other = train("b.c4j", "--seed", "7");
        Files.copy(index, dir.resolve("b.c4j.hnsw"));
        String[] stale = run("recommend", "--model", other.toString(), "--user", "3", "--approximate");
        assertEquals("2", stale[0], stale[1]);
        assertTrue(stale[2].contains("is an approximate index for another model"), stale[2]);
    }

    @Test
    void anEmbeddingNetIsRefusedWithAClearMessage() {
        Path model = train("net.c4j", "--block", "net");
        String[] result = run("recommend", "--model", model.toString(), "--user", "3", "--approximate");
        assertEquals("2", result[0], result[1]);
        assertTrue(result[2].contains("EmbeddingNet") && result[2].contains("without --approximate"), result[2]);
    }
}
