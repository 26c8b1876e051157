package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.collab4j.util.InputFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Every command of the examples' command line with each of its outputs aimed at each of its inputs and at each
 * of its other outputs (refused before any work, exit 2, every input byte for byte unchanged), and with each of
 * its inputs given as a FIFO and as a pipe (read once, with the result a regular file gives). On tiny generated
 * data, so that it runs in seconds; the FIFO and pipe cases only where {@code mkfifo} and {@code /proc} exist
 * (Linux).
 */
class RunMatrixTest {

    /** What an input holds. */
    enum Content {
        RATINGS, MODEL, TITLES, TOPN
    }

    /** An input: a file option, or a folder option whose named files are inputs. */
    record In(String option, Content content, String... folderFiles) {
        boolean folder() {
            return folderFiles.length > 0;
        }
    }

    /** An output: a file option, or a folder option and the files the command writes in it. */
    record Out(String option, String... folderFiles) {
        boolean folder() {
            return folderFiles.length > 0;
        }
    }

    /** A command: its fixed arguments, inputs and outputs. */
    record Cmd(String name, List<String> args, List<In> inputs, List<Out> outputs) {}

    @TempDir
    static Path shared;
    static Map<Content, byte[]> contents = new LinkedHashMap<>();

    @TempDir
    Path dir;

    private int cases;

    @BeforeAll
    static void data() throws IOException {
        Random random = new Random(5);
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 24; u++) {
            for (int i = 0; i < 16; i++) {
                if (random.nextDouble() < 0.5) {
                    csv.append(u).append(',').append(i).append(',').append(1 + random.nextInt(5)).append(",0\n");
                }
            }
        }
        contents.put(Content.RATINGS, csv.toString().getBytes(StandardCharsets.UTF_8));
        Path ratings = Files.write(shared.resolve("ratings.csv"), contents.get(Content.RATINGS));
        Path model = shared.resolve("model.c4j");
        String[] result = timed("train", "--ratings", ratings.toString(), "--epochs", "1", "--factors", "3",
                "--save", model.toString());
        assertEquals("0", result[0], result[2]);
        contents.put(Content.MODEL, Files.readAllBytes(model));
        StringBuilder titles = new StringBuilder("movieId,title,genres\n");
        for (int i = 0; i < 16; i++) {
            titles.append(i).append(",Movie ").append(i).append(" (2000),Drama\n");
        }
        contents.put(Content.TITLES, titles.toString().getBytes(StandardCharsets.UTF_8));
        Path topn = shared.resolve("pop.csv");
        result = timed("popular-topn", "--train", ratings.toString(), "-k", "3", "--out", topn.toString());
        assertEquals("0", result[0], result[2]);
        contents.put(Content.TOPN, Files.readAllBytes(topn));
    }

    /**
     * One thread runs every command, with a time limit: a command that hangs (a FIFO opened twice) fails the test
     * instead of stopping it. One thread, not one per run: DJL's grad mode is per thread, and the lesson commands
     * (crosstab) expect the state that training leaves on their thread.
     */
    private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "run-matrix");
        thread.setDaemon(true);
        return thread;
    });

    private static String[] timed(String... args) {
        Future<String[]> result = RUNNER.submit(() -> run(args));
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("hangs: " + String.join(" ", args), e);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(String.join(" ", args), e);
        }
    }

    /** Every command that reads or writes files, with cheap settings. */
    static List<Cmd> commands() {
        In ratings = new In("--ratings", Content.RATINGS);
        In model = new In("--model", Content.MODEL);
        In titles = new In("--titles", Content.TITLES);
        List<String> tiny = List.of("--epochs", "1", "--factors", "2");
        return List.of(
                new Cmd("train", tiny, List.of(ratings, new In("--valid", Content.RATINGS),
                        new In("--init-model", Content.MODEL)), List.of(new Out("--save"),
                        new Out("--history", "history.csv", "losses.png"))),
                new Cmd("lr-find", List.of(), List.of(ratings, new In("--valid", Content.RATINGS)),
                        List.of(new Out("--out", "lr-find.csv", "lr-find.png"))),
                new Cmd("recommend", List.of("-k", "3"), List.of(model, titles, new In("--history",
                        Content.RATINGS)), List.of(new Out("--out"))),
                new Cmd("recommend", List.of("--user", "1", "-k", "3"), List.of(model, titles), List.of()),
                new Cmd("similar", List.of("--item", "1", "--min-ratings", "1"), List.of(model, titles), List.of()),
                new Cmd("explain", List.of("--min-ratings", "1"), List.of(model, titles, ratings),
                        List.of(new Out("--plots", "biases.png", "pca.png", "predicted-vs-actual.png"))),
                new Cmd("evaluate-ranking", List.of(), List.of(model, titles, ratings), List.of()),
                new Cmd("score-topn", List.of(), List.of(new In("--train", Content.RATINGS), new In("--test",
                        Content.RATINGS), new In("--topn", Content.TOPN)), List.of(new Out("--csv"))),
                new Cmd("popular-topn", List.of("-k", "3"), List.of(new In("--train", Content.RATINGS)),
                        List.of(new Out("--out"))),
                new Cmd("split-ratings", List.of(), List.of(ratings), List.of(new Out("--train-out"),
                        new Out("--valid-out"))),
                new Cmd("crosstab", List.of("--size", "5", "--steps", "2", "--every", "1"),
                        List.of(new In("--data", Content.RATINGS, "ratings.csv")),
                        List.of(new Out("--out", "crosstab-rmse.png"))),
                new Cmd("quickstart", List.of("--epochs", "1", "--factors", "2", "--show", "2"),
                        List.of(new In("--data", Content.RATINGS, "ratings.csv")), List.of()),
                new Cmd("soak", List.of("--epochs", "2", "--warmup", "1", "--predictions", "1000",
                        "--max-growth", "100000"),
                        List.of(ratings), List.of()),
                new Cmd("read-ratings", List.of(), List.of(ratings), List.of()),
                new Cmd("bench", tiny, List.of(new In("--split", Content.RATINGS, "train.csv", "valid.csv")),
                        List.of()));
    }

    /** Writes an input's content at {@code file} (a folder input: each of its files). */
    private static void materialize(In input, Path path) throws IOException {
        if (input.folder()) {
            Files.createDirectories(path);
            for (String name : input.folderFiles()) {
                Files.write(path.resolve(name), contents.get(input.content()));
            }
        } else {
            Files.createDirectories(path.getParent());
            Files.write(path, contents.get(input.content()));
        }
    }

    /** The arguments of one run: the command's own, then each input and output at the given paths. */
    private static List<String> args(Cmd cmd, Map<In, Path> inputs, Map<Out, Path> outputs) {
        List<String> args = new ArrayList<>(List.of(cmd.name()));
        args.addAll(cmd.args());
        for (Map.Entry<In, Path> in : inputs.entrySet()) {
            args.add(in.getKey().option());
            args.add(in.getValue().toString());
        }
        for (Map.Entry<Out, Path> out : outputs.entrySet()) {
            args.add(out.getKey().option());
            args.add(out.getValue().toString());
        }
        return args;
    }

    /** Fresh paths for every input (written) and output (not yet there) of a command, in a new folder. */
    private Map<In, Path> freshInputs(Cmd cmd, Path folder) throws IOException {
        Map<In, Path> inputs = new LinkedHashMap<>();
        int n = 0;
        for (In in : cmd.inputs()) {
            Path path = folder.resolve("in" + n++ + (in.folder() ? "" : in.content() == Content.MODEL ? ".c4j"
                    : ".csv"));
            materialize(in, path);
            inputs.put(in, path);
        }
        return inputs;
    }

    private static Map<Out, Path> freshOutputs(Cmd cmd, Path folder) {
        Map<Out, Path> outputs = new LinkedHashMap<>();
        int n = 0;
        for (Out out : cmd.outputs()) {
            outputs.put(out, folder.resolve("out" + n++ + (out.folder() ? "" : ".csv")));
        }
        return outputs;
    }

    /** Every regular file under a folder with its bytes. */
    private static Map<Path, byte[]> snapshot(Path folder) throws IOException {
        Map<Path, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
                files.put(p, Files.readAllBytes(p));
            }
        }
        return files;
    }

    /** Runs and expects a refusal before any work with every part in one error line; nothing under it changed. */
    private void refused(Path folder, List<String> args, String... parts) throws IOException {
        cases++;
        Map<Path, byte[]> before = snapshot(folder);
        String[] result = timed(args.toArray(String[]::new));
        String what = String.join(" ", args) + "\nstdout: " + result[1] + "\nstderr: " + result[2];
        assertEquals("2", result[0], what);
        assertTrue(result[2].startsWith("error: ") && result[2].lines().count() == 1, what);
        for (String part : parts) {
            assertTrue(result[2].contains(part), "'" + part + "' missing: " + what);
        }
        Map<Path, byte[]> after = snapshot(folder);
        assertEquals(before.keySet(), after.keySet(), "files appeared or vanished: " + what);
        for (Map.Entry<Path, byte[]> file : before.entrySet()) {
            assertArrayEquals(file.getValue(), after.get(file.getKey()), file.getKey() + " changed: " + what);
        }
    }

    @Test
    void noOutputMayBeAnInputOrAnotherOutput() throws IOException {
        int n = 0;
        for (Cmd cmd : commands()) {
            for (Out out : cmd.outputs()) {
                for (In in : cmd.inputs()) {
                    Path folder = dir.resolve("c" + n++);
                    Map<In, Path> inputs = freshInputs(cmd, folder);
                    Map<Out, Path> outputs = freshOutputs(cmd, folder);
                    aim(out, in, inputs, outputs, folder);
                    refused(folder, args(cmd, inputs, outputs), "also an input of this run (" + in.option() + ")",
                            out.option());
                }
                for (Out other : cmd.outputs()) {
                    if (other == out || out.folder() && other.folder()) {
                        continue;
                    }
                    Path folder = dir.resolve("c" + n++);
                    Map<In, Path> inputs = freshInputs(cmd, folder);
                    Map<Out, Path> outputs = freshOutputs(cmd, folder);
                    // A file output aimed at a file the other output writes (the same file, or one in its folder).
                    Out file = out.folder() ? other : out;
                    Out target = file == out ? other : out;
                    outputs.put(file, target.folder() ? outputs.get(target).resolve(target.folderFiles()[0])
                            : Path.of(outputs.get(target).toString().replace(folder.toString(), folder + "/.")));
                    refused(folder, args(cmd, inputs, outputs), "written twice", out.option(), other.option());
                }
            }
        }
        assertTrue(cases >= 25, cases + " cases");
    }

    /** Makes {@code out} write {@code in}'s file: the same path, or a folder holding it (a link for folders). */
    private static void aim(Out out, In in, Map<In, Path> inputs, Map<Out, Path> outputs, Path folder)
            throws IOException {
        Path input = inputs.get(in);
        Path inputFile = in.folder() ? input.resolve(in.folderFiles()[0]) : input;
        if (!out.folder()) {
            outputs.put(out, inputFile);
            return;
        }
        // The output folder holds the input under the name the command writes; a folder input links to it.
        Path outFolder = folder.resolve("aimed");
        Path written = outFolder.resolve(out.folderFiles()[0]);
        Files.createDirectories(outFolder);
        if (in.folder()) {
            Files.move(inputFile, written);
            Files.createSymbolicLink(inputFile, written);
        } else {
            Files.move(input, written);
            inputs.put(in, written);
        }
        outputs.put(out, outFolder);
    }

    @Test
    void everyInputMayBeAFifoOrAPipe() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fdinfo")), "Linux only: /proc");
        assumeTrue(new ProcessBuilder("mkfifo", "--version").start().waitFor() == 0, "Linux only: mkfifo");
        int n = 0;
        for (Cmd cmd : commands()) {
            for (In in : cmd.inputs()) {
                if (in.content() == Content.MODEL && cmd.name().equals("train")) {
                    continue; // --init-model continues a model with other settings: its own test below
                }
                for (boolean fifo : new boolean[] {true, false}) {
                    Path folder = dir.resolve("s" + n++);
                    Map<In, Path> inputs = freshInputs(cmd, folder);
                    Map<Out, Path> outputs = freshOutputs(cmd, folder);
                    String[] regular = timed(args(cmd, inputs, outputs).toArray(String[]::new));
                    assertEquals("0", regular[0], cmd + ": " + regular[2]);
                    Map<Path, byte[]> expected = snapshot(folder);
                    outputs = freshOutputs(cmd, folder.resolve("again"));
                    List<Runnable> cleanup = new ArrayList<>();
                    try {
                        Path input = inputs.get(in);
                        if (in.folder()) {
                            Path file = input.resolve(in.folderFiles()[0]);
                            Files.delete(file);
                            if (fifo) {
                                stream(true, file, contents.get(in.content()), cleanup);
                            } else {
                                // A folder's file as a pipe: a link to the pipe's /dev/fd/N.
                                Files.createSymbolicLink(file, stream(false, folder.resolve("unused"),
                                        contents.get(in.content()), cleanup));
                            }
                        } else if (fifo) {
                            // The FIFO takes the file's place: the same name, so the same output.
                            Files.delete(input);
                            stream(true, input, contents.get(in.content()), cleanup);
                        } else {
                            inputs.put(in, stream(false, folder.resolve("unused"), contents.get(in.content()),
                                    cleanup));
                        }
                        List<String> args = args(cmd, inputs, outputs);
                        String[] result = timed(args.toArray(String[]::new));
                        String what = (fifo ? "FIFO " : "pipe ") + String.join(" ", args) + "\nstderr: " + result[2];
                        assertEquals("0", result[0], what);
                        assertFalse(result[2].contains("error"), what);
                        // The outputs equal a regular file's, where the command is deterministic.
                        // (score-topn names each system after its file: /dev/fd/N is another name.)
                        boolean named = cmd.name().equals("score-topn") && in.content() == Content.TOPN && !fifo;
                        if (!named && List.of("popular-topn", "split-ratings", "score-topn", "recommend")
                                .contains(cmd.name())) {
                            for (Map.Entry<Out, Path> out : outputs.entrySet()) {
                                Path first = freshOutputs(cmd, folder).get(out.getKey());
                                assertArrayEquals(expected.get(first), Files.readAllBytes(out.getValue()), what);
                            }
                        }
                    } finally {
                        cleanup.forEach(Runnable::run);
                    }
                }
            }
        }
    }

    @Test
    void sizesAreCappedByWhatTheDataHolds() throws IOException {
        Path ratings = Files.write(dir.resolve("r.csv"), contents.get(Content.RATINGS));
        Path model = Files.write(dir.resolve("m.c4j"), contents.get(Content.MODEL));
        // -k of two billion: every unseen item, no OutOfMemoryError.
        Path top = dir.resolve("top.csv");
        String[] result = timed("popular-topn", "--train", ratings.toString(), "-k", "2147483647", "--out",
                top.toString());
        assertEquals("0", result[0], result[2]);
        assertTrue(Files.readAllLines(top).size() > 24, "every user's unseen items");
        // A batch of two billion users with histories: capped at the users there are.
        Path out = dir.resolve("h.csv");
        result = timed("recommend", "--model", model.toString(), "--history", ratings.toString(), "-k", "2",
                "--batch", "2000000000", "--out", out.toString());
        assertEquals("0", result[0], result[2]);
        assertEquals(1 + 24 * 2, Files.readAllLines(out).size());
        // --repeat 0 times the first run alone: no 300-digit "best of 0".
        result = timed("recommend", "--model", model.toString(), "--all", "--repeat", "0");
        assertEquals("0", result[0], result[2]);
        String last = result[1].lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("top-10 for all 24 users, one thread: [0-9.]+ ms \\(CPU [0-9.]+ ms\\)"), last);
    }

    @Test
    void aModelToContinueMayComeThroughAPipe() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fdinfo")), "Linux only: /proc");
        Path ratings = Files.write(dir.resolve("r.csv"), contents.get(Content.RATINGS));
        List<Runnable> cleanup = new ArrayList<>();
        try {
            Path model = stream(false, dir.resolve("unused"), contents.get(Content.MODEL), cleanup);
            String[] result = timed("train", "--ratings", ratings.toString(), "--init-model", model.toString(),
                    "--epochs", "1", "--save", dir.resolve("next.c4j").toString());
            assertEquals("0", result[0], result[2]);
            assertTrue(result[1].contains("continuing from " + model), result[1]);
        } finally {
            cleanup.forEach(Runnable::run);
        }
    }

    @Test
    void anEndlessInputEndsAtTheLimitWithAClearError() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fdinfo")), "Linux only: /proc");
        Path model = Files.write(dir.resolve("m.c4j"), contents.get(Content.MODEL));
        // /dev/zero: binary, named at once.
        String[] zero = timed("recommend", "--model", model.toString(), "--history", "/dev/zero");
        assertEquals("2", zero[0], zero[2]);
        assertTrue(zero[2].contains("/dev/zero") && zero[2].contains("binary data"), zero[2]);
        // An endless text (as from yes): the stream limit ends it, naming the limit and how to raise it.
        System.setProperty(InputFiles.STREAM_LIMIT_PROPERTY, "100000");
        OpenPipe open = openPipe();
        Pipe pipe = open.pipe();
        Path path = open.readEnd();
        Thread writer = new Thread(() -> {
            byte[] line = "1,2,3,0\n".getBytes(StandardCharsets.UTF_8);
            try {
                pipe.sink().write(ByteBuffer.wrap("userId,movieId,rating,timestamp\n".getBytes(
                        StandardCharsets.UTF_8)));
                while (true) {
                    pipe.sink().write(ByteBuffer.wrap(line));
                }
            } catch (IOException e) {
                // the reader went away
            }
        });
        writer.setDaemon(true);
        writer.start();
        try {
            String[] endless = timed("recommend", "--model", model.toString(), "--history", path.toString());
            assertEquals("2", endless[0], endless[2]);
            assertTrue(endless[2].contains(path + ": a pipe or device that gave more than 100000 bytes")
                    && endless[2].contains("-D" + InputFiles.STREAM_LIMIT_PROPERTY), endless[2]);
        } finally {
            System.clearProperty(InputFiles.STREAM_LIMIT_PROPERTY);
            pipe.sink().close();
            pipe.source().close();
        }
    }

    /**
     * Gives {@code content} as a FIFO at {@code fifo} (written by a thread once a reader opens it) or as a pipe
     * ({@code /dev/fd/N}, as bash's process substitution gives), and registers what undoes it.
     */
    private static Path stream(boolean fifo, Path path, byte[] content, List<Runnable> cleanup) throws Exception {
        if (fifo) {
            assertEquals(0, new ProcessBuilder("mkfifo", path.toString()).start().waitFor());
            Thread writer = new Thread(() -> {
                try {
                    Files.write(path, content);
                } catch (IOException e) {
                    // the reader went away early
                }
            });
            writer.setDaemon(true);
            writer.start();
            cleanup.add(() -> {
                // A command that never opened the FIFO leaves the writer waiting: opening it for reading and
                // writing never blocks (Linux), and lets the writer finish.
                if (writer.isAlive()) {
                    try (java.nio.channels.FileChannel unblock = java.nio.channels.FileChannel.open(path,
                            java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                        writer.join(10_000);
                    } catch (IOException e) {
                        // nothing left to undo
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            return path;
        }
        OpenPipe open = openPipe();
        Pipe pipe = open.pipe();
        Path readEnd = open.readEnd();
        Thread writer = new Thread(() -> {
            try (Pipe.SinkChannel sink = pipe.sink()) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    sink.write(buffer);
                }
            } catch (IOException e) {
                // the reader went away
            }
        });
        writer.setDaemon(true);
        writer.start();
        cleanup.add(() -> {
            try {
                pipe.source().close();
            } catch (IOException e) {
                // already closed
            }
        });
        return readEnd;
    }

    /** A pipe and the {@code /dev/fd/N} path of its read end. */
    record OpenPipe(Pipe pipe, Path readEnd) {}

    /** Opens a pipe and finds its read end in /proc: the new pipe descriptor opened read-only. */
    private static synchronized OpenPipe openPipe() throws IOException {
        Set<String> before = pipeFds();
        Pipe pipe = Pipe.open();
        Set<String> fresh = pipeFds();
        fresh.removeAll(before);
        for (String fd : fresh) {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                if (line.startsWith("flags:") && (Integer.parseInt(line.substring(6).trim(), 8) & 3) == 0) {
                    return new OpenPipe(pipe, Path.of("/dev/fd/" + fd));
                }
            }
        }
        throw new AssertionError("no new read end of a pipe in /proc/self/fd: " + fresh);
    }

    private static Set<String> pipeFds() throws IOException {
        Set<String> pipes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("pipe:")) {
                        pipes.add(fd.getFileName().toString());
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return pipes;
    }
}
