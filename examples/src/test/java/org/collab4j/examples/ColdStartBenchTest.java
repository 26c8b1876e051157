package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cold-start-bench} and {@code onboarding-bench} on generated data: two groups of users, each liking the
 * items of one genre (and tag), so the content baseline finds each user's cold items; a top-N file and a saved model
 * give the figures the bench's own reference gives; the warm training file has no cold item.
 */
class ColdStartBenchTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() throws IOException {
        Random random = new Random(3);
        StringBuilder train = new StringBuilder("userId,movieId,rating,timestamp\n");
        StringBuilder valid = new StringBuilder("userId,movieId,rating,timestamp\n");
        StringBuilder movies = new StringBuilder("movieId,title,genres\n");
        StringBuilder tags = new StringBuilder("userId,movieId,tag,timestamp\n");
        for (int i = 0; i < 50; i++) {
            movies.append(i).append(",Film ").append(i).append(" (1999),").append(i % 2 == 0 ? "Comedy" : "Drama")
                    .append('\n');
            tags.append("1,").append(i).append(',').append(i % 2 == 0 ? "funny" : "sad").append(",0\n");
        }
        for (int u = 0; u < 60; u++) {
            for (int i = 0; i < 50; i++) {
                boolean liked = u % 2 == i % 2;
                if (random.nextDouble() < (liked ? 0.5 : 0.1)) {
                    int r = liked ? 4 + random.nextInt(2) : 1 + random.nextInt(2);
                    (random.nextDouble() < 0.8 ? train : valid).append(u).append(',').append(i).append(',')
                            .append(r).append(",0\n");
                }
            }
        }
        Files.writeString(dir.resolve("train.csv"), train);
        Files.writeString(dir.resolve("valid.csv"), valid);
        Files.writeString(dir.resolve("movies.csv"), movies);
        Files.writeString(dir.resolve("tags.csv"), tags);
    }

    private static double ndcg(String out, String row) {
        Matcher m = Pattern.compile(Pattern.quote(row) + "\\s+NDCG@10 ([0-9.]+)").matcher(out);
        assertTrue(m.find(), "no row '" + row + "' in:\n" + out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void itemColdStartRowsAgreeAndTheWarmFileHasNoColdItem() throws IOException {
        Path model = dir.resolve("full.c4j");
        Path topn = dir.resolve("full-topn.csv");
        String[] r = run("train", "--ratings", dir.resolve("train.csv").toString(), "--implicit",
                "--positive-threshold", "4", "--save", model.toString());
        assertEquals("0", r[0], r[2]);
        r = run("recommend", "--model", model.toString(), "--all", "-k", "100", "--out", topn.toString());
        assertEquals("0", r[0], r[2]);
        Path out = dir.resolve("cold");
        r = run("cold-start-bench", "--train", dir.resolve("train.csv").toString(), "--test",
                dir.resolve("valid.csv").toString(), "--movies", dir.resolve("movies.csv").toString(), "--tags",
                dir.resolve("tags.csv").toString(), "--users", "0", "--models", "ranking", "--out-dir",
                out.toString(), "--model", "saved=" + model, "--topn", "file=" + topn, "--tag-min-count", "1");
        assertEquals("0", r[0], r[2]);
        String text = r[1];
        double reference = ndcg(text, "ranking model trained with the cold items' interactions");
        assertEquals(reference, ndcg(text, "saved (full.c4j)"), 1e-9, text);
        assertEquals(reference, ndcg(text, "file (full-topn.csv)"), 1e-9, text);
        // The genres and tags split the users' tastes exactly: the content baseline finds their cold items.
        double content = ndcg(text, "content baseline, liked profile (genres + tags)");
        assertTrue(content > 0.5, text);
        assertTrue(content > ndcg(text, "content baseline, centered profile (genres + tags)") - 0.2, text);

        List<String> cold = Files.readAllLines(out.resolve("cold-items.csv"));
        assertEquals("movieId", cold.get(0));
        assertEquals(10, cold.size() - 1, "20 % of 50 items");
        Set<String> coldIds = new HashSet<>(cold.subList(1, cold.size()));
        List<String> warm = Files.readAllLines(out.resolve("warm-train.csv"));
        long trainRows = Files.readAllLines(dir.resolve("train.csv")).size() - 1;
        long coldRows = Files.readAllLines(dir.resolve("train.csv")).stream().skip(1)
                .filter(l -> coldIds.contains(l.split(",")[1])).count();
        assertEquals(trainRows - coldRows, warm.size() - 1);
        for (String line : warm.subList(1, warm.size())) {
            assertFalse(coldIds.contains(line.split(",")[1]), line);
        }
    }

    @Test
    void userColdStartFoldsInFromMoreHistoryBetter() {
        String[] r = run("cold-start-bench", "--train", dir.resolve("train.csv").toString(), "--test",
                dir.resolve("valid.csv").toString(), "--items", "0", "--models", "ranking", "--users", "0.3");
        assertEquals("0", r[0], r[2]);
        double one = ndcg(r[1], "ranking model, 1 history rating folded in");
        double ten = ndcg(r[1], "ranking model, 10 history ratings folded in");
        assertTrue(ten > one, r[1]);
        assertTrue(r[1].contains("most popular (no history)"), r[1]);
    }

    @Test
    void onboardingBenchPrintsBothStrategiesForEveryRound() {
        String[] r = run("onboarding-bench", "--ratings", dir.resolve("train.csv").toString(), "--models",
                "ranking", "--rounds", "2", "--questions", "5", "--users", "0.25");
        assertEquals("0", r[0], r[2]);
        Matcher m = Pattern.compile("  onboarding +([0-9.]+) +([0-9.]+) \\( *([0-9.]+) ans\\) +([0-9.]+) \\("
                + " *([0-9.]+) ans\\)").matcher(r[1]);
        assertTrue(m.find(), r[1]);
        // Answers only grow, and at most 5 a round.
        double first = Double.parseDouble(m.group(3));
        double second = Double.parseDouble(m.group(5));
        assertTrue(first > 0 && first <= 5 && second >= first && second <= 10, r[1]);
        assertTrue(r[1].contains("  most popular "), r[1]);
        assertTrue(r[1].contains("onboarding / most popular after round 2"), r[1]);
        r = run("onboarding-bench", "--ratings", dir.resolve("train.csv").toString(), "--users", "1.5");
        assertEquals("2", r[0]);
    }
}
