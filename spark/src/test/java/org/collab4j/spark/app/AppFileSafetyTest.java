package org.collab4j.spark.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The Spark app's files: an output aimed at an input is refused before Spark starts (the examples' checks, shared
 * through the cli module), the ratings untouched byte for byte; a FIFO is read once; problems are named in the
 * app's options and the file, never in Java calls.
 */
class AppFileSafetyTest {

    @TempDir
    Path dir;

    private static Object[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            return new Object[] {Main.run(args), bytes.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String csv(boolean withNullUser) {
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 12; u++) {
            for (int i = 0; i < 10; i++) {
                if ((u * 7 + i * 3) % 4 < 2) {
                    csv.append(u).append(',').append(100 + i).append(',').append(1 + (u + i) % 5).append(",0\n");
                }
            }
        }
        if (withNullUser) {
            csv.append(",105,4,0\n");
        }
        return csv.toString();
    }

    @Test
    void anOutputAimedAtAnInputIsRefusedBeforeSparkStarts() throws IOException {
        Path ratings = Files.writeString(dir.resolve("r.csv"), csv(false));
        Path valid = Files.writeString(dir.resolve("v.csv"), csv(false));
        byte[] before = Files.readAllBytes(ratings);
        for (List<String> args : List.of(
                List.of("train", "--master", "local[1]", "--ratings", ratings.toString(), "--save",
                        ratings.toString()),
                List.of("train", "--master", "local[1]", "--ratings", ratings.toString(), "--save",
                        dir.resolve("x/../r.csv").toString()),
                List.of("train", "--master", "local[1]", "--ratings", ratings.toString(), "--valid",
                        valid.toString(), "--save", valid.toString()),
                List.of("train", "--master", "local[1]", "--ratings", dir.toString(), "--save",
                        dir.resolve("m.c4j").toString()))) {
            Object[] result = run(args.toArray(String[]::new));
            String what = args + ": " + result[1];
            assertEquals(2, result[0], what);
            assertTrue(((String) result[1]).startsWith("error: ") && ((String) result[1]).contains("--save")
                    && ((String) result[1]).contains("choose"), what);
            assertArrayEquals(before, Files.readAllBytes(ratings), what);
            assertArrayEquals(before, Files.readAllBytes(valid), what);
        }
        Object[] missing = run("train", "--master", "local[1]", "--ratings", dir.resolve("none.csv").toString(),
                "--save", dir.resolve("m.c4j").toString());
        assertEquals(2, missing[0]);
        assertTrue(((String) missing[1]).contains("no such file, --ratings " + dir.resolve("none.csv")),
                (String) missing[1]);
    }

    @Test
    void aFifoIsReadOnceAndBadRowsAreNamedInTheAppsWords() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.csv"), csv(true));
        Object[] result = run("train", "--master", "local[1]", "--ratings", bad.toString(), "--epochs", "1",
                "--save", dir.resolve("m.c4j").toString());
        String line = (String) result[1];
        assertEquals(2, result[0], line);
        assertTrue(line.contains("a null user id in column 'userId'") && line.contains("(--user-col) of --ratings "
                + bad) && line.contains("remove or fix those rows in the file"), line);
        assertFalse(line.contains("na().drop") || line.contains("setUserCol"), line);
        assertFalse(Files.exists(dir.resolve("m.c4j")));
        // A duplicate under --duplicates ERROR: the option that resolves it, not DuplicatePolicy.
        Path twice = Files.writeString(dir.resolve("twice.csv"), csv(false) + "0,100,2,0\n");
        result = run("train", "--master", "local[1]", "--ratings", twice.toString(), "--duplicates", "ERROR",
                "--epochs", "1", "--save", dir.resolve("m.c4j").toString());
        line = (String) result[1];
        assertEquals(2, result[0], line);
        assertTrue(line.contains("more than once") && line.contains("--duplicates KEEP_LAST or MEAN")
                && line.contains("--ratings " + twice), line);
        assertFalse(line.contains("DuplicatePolicy"), line);

        boolean linux = Files.isDirectory(Path.of("/proc/self")) && new ProcessBuilder("mkfifo", "--version")
                .start().waitFor() == 0;
        if (!linux) {
            return;
        }
        Path fifo = dir.resolve("fifo.csv");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        byte[] content = csv(false).getBytes(StandardCharsets.UTF_8);
        Thread writer = new Thread(() -> {
            try {
                Files.write(fifo, content);
            } catch (IOException e) {
                // the reader went away
            }
        });
        writer.setDaemon(true);
        writer.start();
        // --valid through a pipe, as bash's <(...) gives it: /dev/fd/N.
        Set<String> before = pipeFds();
        Pipe pipe = Pipe.open();
        Set<String> fresh = pipeFds();
        fresh.removeAll(before);
        String readEnd = null;
        for (String fd : fresh) {
            for (String info : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                if (info.startsWith("flags:") && (Integer.parseInt(info.substring(6).trim(), 8) & 3) == 0) {
                    readEnd = "/dev/fd/" + fd;
                }
            }
        }
        assertTrue(readEnd != null, "the pipe's read end in /proc/self/fd");
        Thread pipeWriter = new Thread(() -> {
            try (Pipe.SinkChannel sink = pipe.sink()) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    sink.write(buffer);
                }
            } catch (IOException e) {
                // the reader went away
            }
        });
        pipeWriter.setDaemon(true);
        pipeWriter.start();
        Path model = dir.resolve("fifo.c4j");
        try {
            result = run("train", "--master", "local[1]", "--ratings", fifo.toString(), "--valid", readEnd,
                    "--epochs", "1", "--factors", "2", "--save", model.toString());
        } finally {
            pipe.source().close();
        }
        assertEquals(0, result[0], (String) result[1]);
        assertTrue(Files.isRegularFile(model));
        writer.join(10_000);
        assertFalse(writer.isAlive());
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
