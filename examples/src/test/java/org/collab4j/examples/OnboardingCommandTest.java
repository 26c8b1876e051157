package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.RatingHistory;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.ScoredId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** {@code recommend --onboarding}: the exact CSV of {@code recommend --all --out}, the library's questions. */
class OnboardingCommandTest {

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void trainAndSave() throws IOException {
        Random random = new Random(9);
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 25; i++) {
                if (random.nextDouble() < 0.5 - i * 0.015) {
                    double r = Math.max(1, Math.min(5, Math.round(3 + (u % 3 - 1) + (i % 2) + random.nextGaussian())));
                    csv.append(u).append(',').append(i).append(',').append(r).append(",0\n");
                }
            }
        }
        Path ratings = dir.resolve("ratings.csv");
        Files.writeString(ratings, csv);
        model = dir.resolve("tiny.c4j");
        String[] result = run("train", "--ratings", ratings.toString(), "--epochs", "2", "--factors", "4",
                "--save", model.toString());
        assertEquals("0", result[0], result[2]);
    }

    /** The rows the library gives, as the CSV writes them. */
    private static List<String> expected(String user, RatingHistory answers, int k) throws IOException {
        List<String> rows = new ArrayList<>();
        List<ScoredId> items = Recommender.of(TrainedModel.load(model)).onboarding(answers, k);
        for (int n = 0; n < items.size(); n++) {
            rows.add(user + "," + items.get(n).id() + "," + (n + 1) + ","
                    + Float.toString(items.get(n).score()).toLowerCase(java.util.Locale.ROOT));
        }
        return rows;
    }

    @Test
    void withoutHistoryOneListWithAnEmptyUserColumn() throws IOException {
        Path out = dir.resolve("questions.csv");
        String[] result = run("recommend", "--model", model.toString(), "--onboarding", "-k", "5", "--out",
                out.toString());
        assertEquals("0", result[0], result[2]);
        List<String> lines = Files.readAllLines(out);
        assertEquals("user,item,rank,score", lines.get(0));
        assertEquals(expected("", RatingHistory.EMPTY, 5), lines.subList(1, lines.size()));
        // Without --out the same CSV goes to standard output.
        result = run("recommend", "--model", model.toString(), "--onboarding", "-k", "5");
        assertEquals("0", result[0], result[2]);
        assertEquals(lines, result[1].lines().toList());
    }

    @Test
    void withAHistoryEachUsersNextQuestionsLeaveTheirAnswersOut() throws IOException {
        Path history = dir.resolve("answers.csv");
        Files.writeString(history, "userId,movieId,rating,timestamp\nnew-a,0,5,0\nnew-a,1,4,0\nnew-b,2,1,0\n");
        Path out = dir.resolve("next.csv");
        String[] result = run("recommend", "--model", model.toString(), "--onboarding", "-k", "3", "--history",
                history.toString(), "--out", out.toString());
        assertEquals("0", result[0], result[2]);
        List<String> lines = Files.readAllLines(out);
        List<String> want = new ArrayList<>(List.of("user,item,rank,score"));
        want.addAll(expected("new-a", RatingHistory.builder().add("0", 5).add("1", 4).build(), 3));
        want.addAll(expected("new-b", RatingHistory.builder().add("2", 1).build(), 3));
        assertEquals(want, lines);
        for (String line : lines) {
            assertFalse(line.startsWith("new-a,0,") || line.startsWith("new-a,1,") || line.startsWith("new-b,2,"),
                    "an answered item asked again: " + line);
        }
    }

    @Test
    void onboardingRefusesUserAndAll() {
        String[] result = run("recommend", "--model", model.toString(), "--onboarding", "--all");
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("--onboarding takes --history FILE"), result[2]);
        result = run("recommend", "--model", model.toString());
        assertEquals("2", result[0]);
        assertTrue(result[2].contains("--onboarding is needed"), result[2]);
    }
}
