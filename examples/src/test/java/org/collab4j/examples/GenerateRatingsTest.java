package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** generate-ratings writes a seeded MovieLens csv that read-ratings reads back. */
class GenerateRatingsTest {

    @TempDir
    Path dir;

    @Test
    void writesASeededCsvThatReadsBack() throws IOException {
        Path out = dir.resolve("sub/ml.csv");
        String[] result = run("generate-ratings", "--shape", "ml-25m", "--rows", "5000", "--users", "200",
                "--items", "300", "--seed", "9", "--out", out.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].startsWith("wrote 5000 ratings of 300 items by 200 users"), result[1]);
        List<String> lines = Files.readAllLines(out);
        assertEquals("userId,movieId,rating,timestamp", lines.get(0));
        assertEquals(5001, lines.size());
        assertTrue(lines.get(1).matches("\\d+,\\d+,[0-5]\\.[05],\\d+"), lines.get(1));
        byte[] first = Files.readAllBytes(out);
        assertEquals("0", run("generate-ratings", "--rows", "5000", "--users", "200", "--items", "300", "--seed",
                "9", "--out", out.toString())[0]);
        assertArrayEquals(first, Files.readAllBytes(out), "the same seed writes the same bytes");
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        result = run("read-ratings", "--ratings", out.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(result[1].startsWith("read 5000 ratings of 300 items by 200 users with timestamps in"),
                result[1]);
    }

    @Test
    void refusesAnUnknownShapeAndRowsThatCannotFit() {
        String[] result = run("generate-ratings", "--shape", "ml-1b", "--rows", "10", "--out",
                dir.resolve("x.csv").toString());
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("unknown --shape 'ml-1b'"), result[2]);
        result = run("generate-ratings", "--rows", "1000", "--users", "10", "--items", "20", "--out",
                dir.resolve("y.csv").toString());
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("set more users or items"), result[2]);
        assertTrue(Files.notExists(dir.resolve("y.csv")));
    }

    @Test
    void readRatingsRefusesARepeatItCannotHonour() throws IOException {
        Path csv = dir.resolve("r.csv");
        Files.writeString(csv, "userId,movieId,rating,timestamp\n1,2,4.0,0\n");
        String[] result = run("read-ratings", "--ratings", csv.toString(), "--repeat", "0");
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("--repeat must be at least 1"), result[2]);
        result = run("read-ratings", "--ratings", "/dev/stdin", "--repeat", "2");
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("a pipe can be read once"), result[2]);
        result = run("read-ratings", "--ratings", csv.toString(), "--repeat", "2");
        assertEquals("0", result[0], result[2]);
        assertEquals(2, result[1].lines().count(), result[1]);
    }
}
