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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code fold-in-bench} on a small generated split: both models' fold-in protocol and the warm-start table. */
class FoldInBenchTest {

    @TempDir
    static Path dir;

    /**
     * Two groups of users, each rating mostly its own half of the items, high, and a few of the other half, low;
     * timestamps grow with the line.
     */
    @BeforeAll
    static void split() throws IOException {
        Random random = new Random(4);
        StringBuilder train = new StringBuilder("userId,movieId,rating,timestamp\n");
        StringBuilder valid = new StringBuilder("userId,movieId,rating,timestamp\n");
        long time = 0;
        for (int u = 0; u < 80; u++) {
            for (int i = 0; i < 40; i++) {
                boolean liked = (u % 2 == 0) == (i < 20);
                if (random.nextDouble() < (liked ? 0.5 : 0.08)) {
                    int r = liked ? 4 + random.nextInt(2) : 1 + random.nextInt(3);
                    (random.nextDouble() < 0.8 ? train : valid).append(u).append(',').append(i).append(',')
                            .append(r).append(',').append(time++).append('\n');
                }
            }
        }
        Files.writeString(dir.resolve("train.csv"), train);
        Files.writeString(dir.resolve("valid.csv"), valid);
    }

    @Test
    void bothModelsFoldInAndTheRankingModelBeatsMostPopular() {
        String[] result = run("fold-in-bench", "--split", dir.toString(), "--skip-warm", "--models",
                "rating,ranking");
        assertEquals("0", result[0], result[2]);
        String out = result[1];
        assertTrue(out.contains("default rating model") && out.contains("default ranking model"), out);
        Matcher ratio = Pattern.compile("folded-in / retrained: ([0-9.]+); folded-in / most popular: ([0-9.]+)")
                .matcher(out);
        assertTrue(ratio.find(), out);
        // The groups are plain in the data: the folded-in ranking model finds each user's half, most-popular not.
        assertTrue(Double.parseDouble(ratio.group(1)) > 0.8, out);
        assertTrue(Double.parseDouble(ratio.group(2)) > 1.2, out);
        assertEquals(2, out.lines().filter(l -> l.startsWith("fold-in time:")).count(), out);
    }

    @Test
    void warmStartOnAnInnerSplitListsFoldedInAndRandomNewRows() {
        String[] result = run("fold-in-bench", "--split", dir.toString(), "--skip-fold-in", "--inner", "0.2",
                "--warm-init", "foldin,random", "--warm-schedule", "onecycle,constant", "--warm-data", "all",
                "--warm-epochs", "1");
        assertEquals("0", result[0], result[2]);
        String out = result[1];
        assertTrue(out.contains("inner split of") && out.contains("valid.csv is not used"), out);
        assertTrue(out.contains("old model + new rows folded in, no training"), out);
        for (String kind : new String[] {"foldin new rows, onecycle", "foldin new rows, constant",
            "random new rows, onecycle", "random new rows, constant"}) {
            assertTrue(out.contains("warm start (" + kind + "), 1 epoch on all ratings"), kind + "\n" + out);
        }
        result = run("fold-in-bench", "--split", dir.toString(), "--skip-fold-in", "--warm-init", "zero");
        assertEquals("2", result[0], result[1]);
        assertTrue(result[2].contains("--warm-init takes foldin and/or random"), result[2]);
    }
}
