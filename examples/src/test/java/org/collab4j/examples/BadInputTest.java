package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Bad input through the command line: each case ends with exit status 2 and one {@code error: ...} line saying
 * what, where and what to do, before any training, and leaves no model file behind.
 */
class BadInputTest {

    private static final String HEADER = "userId,movieId,rating,timestamp\n";

    @TempDir
    Path dir;

    /** Trains on {@code content} with {@code --save}; expects exit 2, one error line with every part, no model. */
    private void rejected(String content, List<String> options, String... parts) throws IOException {
        Path file = Files.writeString(dir.resolve("ratings.csv"), content, StandardCharsets.UTF_8);
        rejectedFile(file, options, parts);
    }

    private void rejectedFile(Path file, List<String> options, String... parts) {
        Path model = dir.resolve("model.c4j");
        List<String> args = new ArrayList<>(List.of("train", "--ratings", file.toString(), "--save",
                model.toString()));
        args.addAll(options);
        String[] result = run(args.toArray(String[]::new));
        String what = String.join(" ", options) + ": " + result[2];
        assertEquals("2", result[0], what);
        assertTrue(result[2].startsWith("error: ") && result[2].lines().count() == 1, what);
        for (String part : parts) {
            assertTrue(result[2].contains(part), "'" + part + "' missing from " + what);
        }
        assertFalse(result[1].contains("epoch"), "no training started: " + result[1]);
        assertFalse(Files.exists(model), "no model written");
    }

    @Test
    void malformedFiles() throws IOException {
        List<String> none = List.of();
        rejected("", none, "an empty file (0 bytes), --ratings");
        rejected(HEADER, none, "ratings.csv contains no ratings, only the header on line 1");
        rejected("user,movieId,rating,timestamp\n1,2,3,4\n", none, "ratings.csv line 1, field 'userId'",
                "no column named 'userId'", "[user, movieId, rating, timestamp]");
        rejected("userId;movieId;rating;timestamp\n1;2;3;4\n", none, "no column named 'userId'",
                "check the delimiter");
        rejected(HEADER + "1,2,4.0,1\n1,3,4.0\n", none, "ratings.csv line 3, field 'timestamp'", "expected 4 fields",
                "found 3");
        rejected(HEADER + "1,2,4.0,1\n1,3,four,2\n", none, "line 3, field 'rating': expected a number, found \"four\"");
        rejected(HEADER + "1,2,NaN,1\n", none, "line 2, field 'rating': expected a finite number, found \"NaN\"");
        rejected(HEADER + "1,2,-Infinity,1\n", none, "expected a finite number, found \"-Infinity\"");
        rejected(HEADER + "1,2,4,1\n1,\"3,4,2\n", none, "line 3: malformed quoting");
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, (HEADER + "1,2,4,1\nJos\u00e9,2,4,2\n").getBytes(StandardCharsets.ISO_8859_1));
        rejectedFile(latin1, none, "latin1.csv line 3, field 'userId'", "not valid UTF-8", "convert the file");
        rejectedFile(dir.resolve("missing.csv"), none, "missing.csv");
    }

    @Test
    void ratingsOutsideTheYRangeAreAnErrorWithStrictRange() throws IOException {
        rejected(HEADER + "1,2,4,1\n1,3,6,2\n", List.of("--strict-range", "--y-range", "0,5.5"),
                "line 3, field 'rating': expected a rating in [0.0, 5.5], found \"6\"");
        rejected(HEADER + "1,2,4,1\n1,3,6,2\n", List.of("--strict-range"),
                "--strict-range checks ratings against --y-range: give --y-range LOW,HIGH too");
        rejected(HEADER + "1,2,4,1\n1,3,-0.5,2\n", List.of("--strict-range", "--y-range", "0.5,5"),
                "line 3", "expected a rating in [0.5, 5.0]");
    }

    @Test
    void duplicatesAreAnErrorWhenAsked() throws IOException {
        rejected(HEADER + "1,2,4,1\n1,3,3,2\n\n1,2,5,3\n", List.of("--duplicates", "ERROR"),
                "ratings.csv line 5: user \"1\" rated item \"2\" already on line 2",
                "--duplicates KEEP_LAST or MEAN");
    }

    @Test
    void optionsOutOfRangeAreRejectedBeforeReadingTheFile() throws IOException {
        // The file is fine: the options are checked first.
        String ok = HEADER + "1,2,4,1\n";
        rejected(ok, List.of("--lr", "0"), "--lr must be a number > 0, got 0.0", "1e-3 to 1e-2");
        rejected(ok, List.of("--lr", "-1e-3"), "--lr must be a number > 0");
        rejected(ok, List.of("--lr", "NaN"), "--lr must be a number > 0");
        rejected(ok, List.of("--bs", "0"), "--bs must be at least 1, got 0", "64 to 8192");
        rejected(ok, List.of("--factors", "0"), "--factors must be at least 1, got 0");
        rejected(ok, List.of("--epochs", "0"), "--epochs must be at least 1");
        rejected(ok, List.of("--wd", "-0.1"), "--wd must be a number >= 0");
        rejected(ok, List.of("--model", "net", "--dropout", "1,0.5"), "--dropout rates must be in [0, 1)",
                "got 1.0");
        rejected(ok, List.of("--dropout", "0.1,-0.5"), "--dropout rates must be in [0, 1)");
        rejected(ok, List.of("--valid-fraction", "0"), "--valid-fraction must be strictly between 0 and 1");
        rejected(ok, List.of("--valid-fraction", "1.5"), "--valid-fraction must be strictly between 0 and 1");
        rejected(ok, List.of("--y-range", "5,1"), "--y-range takes two numbers LOW,HIGH with LOW < HIGH");
    }

    @Test
    void oddIdsDuplicatesAndOutOfRangeRatingsTrainServeAndWarn() throws IOException {
        String longId = "L".repeat(5_000);
        List<String> users = List.of("Doe, Jane", "quote\"d", "\u00e9\u00e8 \u4e2d\u6587 \ud83d\ude00", longId, "u4",
                "u5");
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("user,item,rating\n");
        for (String user : users) {
            for (int item = 0; item < 12; item++) {
                csv.append('"').append(user.replace("\"", "\"\"")).append("\",\"item ").append(item).append("\",")
                        .append(1 + random.nextInt(5)).append('\n');
            }
        }
        csv.append("u4,\"item 0\",12\n"); // a duplicate of u4's first rating; their mean is outside the y-range
        Path file = Files.writeString(dir.resolve("odd.csv"), csv, StandardCharsets.UTF_8);
        Path model = dir.resolve("odd.c4j");
        String[] result = run("train", "--ratings", file.toString(), "--sep", ",", "--duplicates", "MEAN",
                "--epochs", "1", "--factors", "3", "--valid-fraction", "0.1", "--y-range", "0,5.5", "--save",
                model.toString());
        assertEquals("0", result[0], result[2]);
        // 6 users x 12 items once each after the mean: 72 rows, 7 of them held out.
        assertTrue(result[1].startsWith("train 65 ratings, valid 7 ratings, 6 users, 12 items"), result[1]);
        assertTrue(result[2].contains("warning: 1 of 72 ratings in " + file + " lie outside the y-range [0.0, 5.5]"),
                result[2]);
        for (String user : users) {
            // Known under the default THROW policy: the id came through the file and the model file intact.
            result = run("recommend", "--model", model.toString(), "--user", user, "-k", "2");
            assertEquals("0", result[0], result[2]);
            assertTrue(result[1].contains("rank predicted"), result[1]);
        }
        result = run("recommend", "--model", model.toString(), "--user", longId + "x");
        assertEquals("2", result[0]);
        assertTrue(result[2].startsWith("error: Unknown user id '" + "L".repeat(60) + "...(5001 characters)': the"
                + " model was trained on 6 users"), result[2]);
    }

    @Test
    void divergenceIsReportedWithExitStatusFourAndKeepsTheSavedModel() throws IOException {
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder(HEADER);
        for (int u = 0; u < 30; u++) {
            for (int i = 0; i < 20; i++) {
                if (random.nextDouble() < 0.5) {
                    csv.append(u).append(',').append(i).append(',').append(1 + random.nextInt(5)).append(",0\n");
                }
            }
        }
        Path file = Files.writeString(dir.resolve("ratings.csv"), csv);
        Path model = dir.resolve("model.c4j");
        byte[] previous = "the previous model".getBytes(StandardCharsets.UTF_8);
        Files.write(model, previous);
        String[] result = run("train", "--ratings", file.toString(), "--model", "dot", "--optimizer", "sgd",
                "--schedule", "constant", "--lr", "1e9", "--epochs", "2", "--save", model.toString());
        assertEquals("4", result[0], result[1] + result[2]);
        // The learner logs its training step (INFO) before training; the error is the line after.
        assertTrue(result[2].lines().anyMatch(l -> l.startsWith("error: Training diverged: the loss became")),
                result[2]);
        assertTrue(result[2].contains("Lower the learning rate") && result[2].contains("Nothing was saved to "
                + model), result[2]);
        assertArrayEquals(previous, Files.readAllBytes(model));
    }
}
