package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Files through the command line: no run of any command overwrites or truncates one of its inputs, and every
 * problem with a path that can be found before training is reported before training, with exit status 2 and one
 * line {@code error: <what>, <where>; <what to do>}.
 */
class FileSafetyTest {

    @TempDir
    static Path shared;
    static Path model;
    static String ratingsCsv;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainAModel() throws IOException {
        Random random = new Random(11);
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 30; u++) {
            for (int i = 0; i < 20; i++) {
                if (random.nextDouble() < 0.5) {
                    csv.append(u).append(',').append(i).append(',').append(1 + random.nextInt(5)).append(",0\n");
                }
            }
        }
        ratingsCsv = csv.toString();
        Path ratings = Files.writeString(shared.resolve("ratings.csv"), ratingsCsv);
        model = shared.resolve("model.c4j");
        String[] result = run("train", "--ratings", ratings.toString(), "--epochs", "1", "--factors", "3",
                "--save", model.toString());
        assertEquals("0", result[0], result[2]);
    }

    /** Runs a command; expects exit 2, one error line with every part, nothing trained, and the files unchanged. */
    private static String refused(List<Path> untouched, List<String> args, String... parts) throws IOException {
        Map<Path, byte[]> before = new LinkedHashMap<>();
        for (Path file : untouched) {
            before.put(file, Files.readAllBytes(file));
        }
        String[] result = run(args.toArray(String[]::new));
        String what = String.join(" ", args) + "\nstdout: " + result[1] + "\nstderr: " + result[2];
        assertEquals("2", result[0], what);
        assertTrue(result[2].startsWith("error: ") && result[2].lines().count() == 1, what);
        for (String part : parts) {
            assertTrue(result[2].contains(part), "'" + part + "' missing from " + what);
        }
        assertFalse(result[1].contains("epoch"), "nothing trained: " + what);
        for (Map.Entry<Path, byte[]> file : before.entrySet()) {
            assertArrayEquals(file.getValue(), Files.readAllBytes(file.getKey()), file.getKey() + " changed: " + what);
        }
        return result[2];
    }

    private Path ratings(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, ratingsCsv);
    }

    private Path copyOfModel(Path to) throws IOException {
        Files.createDirectories(to.getParent());
        return Files.copy(model, to);
    }

    @Test
    void noCommandWritesOverItsInputs() throws IOException {
        Path r = ratings("r.csv");
        Path v = ratings("v.csv");
        refused(List.of(r), List.of("train", "--ratings", r.toString(), "--save", r.toString()),
                "also an input of this run (--ratings)", "--save " + r, "choose another file");
        refused(List.of(r, v), List.of("train", "--ratings", r.toString(), "--valid", v.toString(), "--save",
                v.toString()), "(--valid)");
        // Another spelling, a symbolic link, a hard link: the same file.
        refused(List.of(r), List.of("train", "--ratings", r.toString(), "--save",
                dir.resolve("x/../r.csv").toString()), "(--ratings)");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), r);
        refused(List.of(r), List.of("train", "--ratings", link.toString(), "--save", r.toString()), "(--ratings)");
        Path hard = Files.createLink(dir.resolve("hard.csv"), r);
        refused(List.of(r), List.of("train", "--ratings", r.toString(), "--save", hard.toString()), "(--ratings)");
        Path history = ratings("history/history.csv");
        refused(List.of(history), List.of("train", "--ratings", history.toString(), "--history",
                history.getParent().toString()), "--history " + history);
        refused(List.of(r), List.of("train", "--ratings", r.toString(), "--history", dir.toString(), "--save",
                dir.resolve("losses.png").toString()), "written twice");

        Path curve = ratings("out/lr-find.csv");
        refused(List.of(curve), List.of("lr-find", "--ratings", curve.toString(), "--out",
                curve.getParent().toString()), "(--ratings)", "--out " + curve);
        Path png = ratings("out2/lr-find.png");
        refused(List.of(r, png), List.of("lr-find", "--ratings", r.toString(), "--valid", png.toString(), "--out",
                png.getParent().toString()), "(--valid)");

        Path plots = dir.resolve("plots");
        Path modelAsPlot = copyOfModel(plots.resolve("pca.png"));
        refused(List.of(modelAsPlot), List.of("explain", "--model", modelAsPlot.toString(), "--plots",
                plots.toString()), "(--model)");
        Path titlesAsPlot = ratings("plots2/biases.png");
        refused(List.of(titlesAsPlot, model), List.of("explain", "--model", model.toString(), "--titles",
                titlesAsPlot.toString(), "--plots", titlesAsPlot.getParent().toString()), "(--titles)");
        Path heldOutAsPlot = ratings("plots3/predicted-vs-actual.png");
        refused(List.of(heldOutAsPlot), List.of("explain", "--model", model.toString(), "--ratings",
                heldOutAsPlot.toString(), "--plots", heldOutAsPlot.getParent().toString()), "(--ratings)");

        // crosstab reads DATA/ratings.csv: here a link to the very file --out would write.
        Path out = dir.resolve("crosstab-out");
        Path target = ratings("crosstab-out/crosstab-rmse.png");
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.createSymbolicLink(data.resolve("ratings.csv"), target);
        refused(List.of(target), List.of("crosstab", "--data", data.toString(), "--out", out.toString()),
                "(--data)");

        // The commands without outputs still leave their inputs alone.
        for (List<String> args : List.of(
                List.of("recommend", "--model", model.toString(), "--user", "1"),
                List.of("recommend", "--model", model.toString(), "--all", "--repeat", "0"),
                List.of("similar", "--model", model.toString(), "--item", "1", "--min-ratings", "1"),
                List.of("evaluate-ranking", "--model", model.toString(), "--ratings", r.toString()))) {
            byte[] modelBytes = Files.readAllBytes(model);
            String[] result = run(args.toArray(String[]::new));
            assertEquals("0", result[0], args + ": " + result[2]);
            assertArrayEquals(modelBytes, Files.readAllBytes(model));
            assertEquals(ratingsCsv, Files.readString(r));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files");
        }
    }

    @Test
    void unusableInputsAreNamedBeforeTraining() throws IOException {
        Path r = ratings("r.csv");
        Path save = dir.resolve("m.c4j");
        refused(List.of(), List.of("train", "--ratings", dir.resolve("nosuch.csv").toString()),
                "error: no such file, --ratings " + dir.resolve("nosuch.csv"), "check the path");
        refused(List.of(), List.of("train", "--ratings", dir.toString()), "a directory, not a file, --ratings");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(ratingsCsv.getBytes(StandardCharsets.UTF_8));
        }
        Path gzip = Files.write(dir.resolve("r.csv.gz"), gz.toByteArray());
        refused(List.of(gzip), List.of("train", "--ratings", gzip.toString()), "gzip-compressed", "gunzip");
        Path utf16 = Files.write(dir.resolve("r16.csv"), ratingsCsv.getBytes(StandardCharsets.UTF_16));
        refused(List.of(utf16), List.of("train", "--ratings", r.toString(), "--valid", utf16.toString()),
                "UTF-16 text, not UTF-8, --valid", "iconv");
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        refused(List.of(), List.of("train", "--ratings", r.toString(), "--valid", empty.toString()),
                "an empty file (0 bytes), --valid");
        assertFalse(Files.exists(save));

        refused(List.of(), List.of("recommend", "--model", dir.resolve("none.c4j").toString(), "--user", "1"),
                "no such file, --model");
        refused(List.of(), List.of("similar", "--model", dir.toString(), "--item", "1"), "a directory, not a file,"
                + " --model");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.c4j"), dir.resolve("gone.c4j"));
        refused(List.of(), List.of("explain", "--model", dangling.toString()), "a link to a file that does not"
                + " exist, --model");
        refused(List.of(), List.of("recommend", "--model", model.toString(), "--user", "1", "--titles",
                dir.toString()), "a directory, not a file, --titles");
        refused(List.of(), List.of("evaluate-ranking", "--model", model.toString(), "--ratings", gzip.toString()),
                "gzip-compressed", "--ratings");
        refused(List.of(), List.of("quickstart", "--data", dir.resolve("nothing").toString()), "no such folder,"
                + " --data");
    }

    @Test
    void unusableOutputsAreNamedBeforeTraining() throws IOException {
        Path r = ratings("r.csv");
        Path file = Files.writeString(dir.resolve("plain"), "x");
        refused(List.of(r, file), List.of("train", "--ratings", r.toString(), "--save",
                file.resolve("m.c4j").toString()), file + " is a file, not a folder, --save");
        refused(List.of(r, file), List.of("train", "--ratings", r.toString(), "--history", file.toString()),
                "is a file, not a folder, --history");
        refused(List.of(r), List.of("train", "--ratings", r.toString(), "--save", dir.toString()),
                "a directory, --save");
        refused(List.of(r), List.of("train", "--ratings", r.toString(), "--save",
                dir.resolve("m".repeat(256)).toString()), "a name of 256 bytes");
        refused(List.of(r), List.of("lr-find", "--ratings", r.toString(), "--out", file.toString()),
                "is a file, not a folder, --out");
        // A legal 244-character name is saved: its temporary name fits too.
        Path longest = dir.resolve("m".repeat(240) + ".c4j");
        String[] result = run("train", "--ratings", r.toString(), "--epochs", "1", "--factors", "2", "--save",
                longest.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(Files.isRegularFile(longest));
    }

    @Test
    void dataProblemsAreReportedInTheCommandLinesWords() throws IOException {
        Path r = ratings("r.csv");
        // A validation file with other ids only would be scored on untrained embeddings.
        Path other = Files.writeString(dir.resolve("other.csv"), "userId,movieId,rating,timestamp\nx,y,4,0\n");
        refused(List.of(), List.of("train", "--ratings", r.toString(), "--valid", other.toString()),
                "none of the 1 ratings in --valid", "same dataset");
        // One absurd rating is a data error, not a learning rate to lower.
        Path huge = Files.writeString(dir.resolve("huge.csv"), ratingsCsv + "1,99,1e30,0\n");
        String line = refused(List.of(), List.of("train", "--ratings", huge.toString()), "a rating of 1.0E30",
                "fix the line", "--strict-range");
        assertFalse(line.contains("learning rate"), line);
        // Bad quoting: no library call is suggested.
        Path quotes = Files.writeString(dir.resolve("q.csv"), ratingsCsv + "1,\"3,4,0\n");
        line = refused(List.of(), List.of("train", "--ratings", quotes.toString()), "malformed quoting",
                "fix the quotes");
        assertFalse(line.contains("optQuote"), line);
        // A header the format does not expect: the option, not optHeader(true).
        Path header = Files.writeString(dir.resolve("h.tsv"), "user\titem\trating\tts\n1\t2\t3\t4\n");
        line = refused(List.of(), List.of("train", "--ratings", header.toString(), "--format", "tsv"),
                "if line 1 is a header, remove it");
        assertFalse(line.contains("optHeader"), line);
        // Options, not builder methods.
        line = refused(List.of(), List.of("train", "--ratings", r.toString(), "--sep", ""), "--sep must be a"
                + " delimiter");
        assertFalse(line.contains("setDelimiter"), line);
        line = refused(List.of(), List.of("train", "--ratings", r.toString(), "--sep", "\""), "--sep must be");
        assertFalse(line.contains("optQuote"), line);
        refused(List.of(), List.of("train", "--ratings", r.toString(), "--format", "x\u001b"),
                "unknown ratings format \"x\\u001B\"");
        // Escape sequences from a file never reach the terminal.
        Path escape = Files.writeString(dir.resolve("e.csv"), "userId,movieId,rating,timestamp\n1,2,4\u001b[2Jx,0\n");
        line = refused(List.of(), List.of("train", "--ratings", escape.toString()), "\\u001B[2J");
        assertFalse(line.contains("\u001b"), line);
    }

    @Test
    void aModelTooLargeForTheMachineIsRefusedBeforeAllocating() throws IOException {
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int i = 0; i < 3000; i++) {
            csv.append(i % 11).append(',').append(i).append(",4,0\n");
            csv.append((i + 1) % 11).append(',').append(i).append(",3,0\n");
        }
        Path r = Files.writeString(dir.resolve("wide.csv"), csv);
        refused(List.of(r), List.of("train", "--ratings", r.toString(), "--factors", "1000000"),
                "--factors 1000000 is too large for this machine", "lower --factors");
    }

    @Test
    void servingCommandsSayWhatHelps() throws IOException {
        String line = refused(List.of(), List.of("similar", "--model", model.toString(), "--item", "nosuch"),
                "Unknown item id 'nosuch'", "check the id");
        assertFalse(line.contains("FALLBACK") || line.contains("UnknownIdPolicy"), line);
        line = refused(List.of(), List.of("recommend", "--model", model.toString(), "--user", "nosuch"),
                "Unknown user id 'nosuch'", "pass --unknown FALLBACK");
        assertFalse(line.contains("UnknownIdPolicy"), line);
        refused(List.of(), List.of("evaluate-ranking", "--model", model.toString(), "--ratings",
                ratings("r.csv").toString(), "--threshold", "NaN"), "--threshold a finite rating");
        Path other = Files.writeString(shared.resolve("other.csv"), "userId,movieId,rating,timestamp\nx,y,4,0\n");
        refused(List.of(), List.of("evaluate-ranking", "--model", model.toString(), "--ratings", other.toString()),
                "none of the 1 ratings in --ratings", "--unknown FALLBACK");
        // A batch of two billion users is capped at the users there are: no OutOfMemoryError.
        String[] result = run("recommend", "--model", model.toString(), "--all", "--batch", "2000000000",
                "--repeat", "0");
        assertEquals("0", result[0], result[2]);
        List<String> lines = new ArrayList<>(result[1].lines().toList());
        assertTrue(lines.get(lines.size() - 1).contains("for all 30 users"), result[1]);
    }
}
