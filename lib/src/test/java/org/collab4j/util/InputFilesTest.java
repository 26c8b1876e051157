package org.collab4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFileException;
import org.collab4j.data.RatingsFormat;
import org.collab4j.recommend.Titles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of unusable input file, through InputFiles and through the readers that use it. */
class InputFilesTest {

    private static final String CSV = "userId,movieId,rating,timestamp\n1,2,4,1\n";

    @TempDir
    Path dir;

    private InputFileException rejected(Path file, InputFileException.Kind kind, String... parts) {
        InputFileException e = assertThrows(InputFileException.class, () -> InputFiles.openText(file).close());
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot read " + file + ": "), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from " + e.getMessage());
        }
        // The ratings and titles readers report the same, not a missing column or bad quoting.
        assertEquals(kind, assertThrows(InputFileException.class,
                () -> Ratings.read(file, RatingsFormat.MOVIELENS_CSV)).kind());
        assertEquals(kind, assertThrows(InputFileException.class, () -> Titles.read(file)).kind());
        return e;
    }

    @Test
    void pathProblemsAreNamed() throws IOException {
        rejected(dir.resolve("nosuch.csv"), InputFileException.Kind.MISSING, "no such file", "check the path");
        rejected(dir, InputFileException.Kind.DIRECTORY, "a directory, not a file");
        Path link = Files.createSymbolicLink(dir.resolve("dangling.csv"), dir.resolve("gone.csv"));
        rejected(link, InputFileException.Kind.MISSING, "a link to a file that does not exist");
        Path file = Files.writeString(dir.resolve("plain"), "x");
        rejected(file.resolve("ratings.csv"), InputFileException.Kind.NOT_A_FOLDER, "is a file, not a folder");
    }

    @Test
    void anEmptyFileIsRefusedAndAnEmptyRatingsFileKeepsItsMessage() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.csv"));
        InputFileException e = assertThrows(InputFileException.class, () -> InputFiles.check(empty));
        assertEquals(InputFileException.Kind.EMPTY, e.kind());
        assertTrue(assertThrows(RuntimeException.class, () -> Ratings.read(empty, RatingsFormat.MOVIELENS_CSV))
                .getMessage().contains("empty.csv contains no ratings: the file is empty"));
    }

    @Test
    void unreadableFilesAreNamed() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may read any file");
        Path file = Files.writeString(dir.resolve("secret.csv"), CSV);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        rejected(file, InputFileException.Kind.UNREADABLE, "permission denied", "chmod u+r secret.csv");
    }

    @Test
    void compressedFilesAreNamedByTheirMagicBytes() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(CSV.getBytes(StandardCharsets.UTF_8));
        }
        rejected(Files.write(dir.resolve("ratings.csv.gz"), gz.toByteArray()), InputFileException.Kind.COMPRESSED,
                "gzip-compressed", "gunzip -k ratings.csv.gz");
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry("ratings.csv"));
            out.write(CSV.getBytes(StandardCharsets.UTF_8));
        }
        rejected(Files.write(dir.resolve("ratings.zip"), zip.toByteArray()), InputFileException.Kind.COMPRESSED,
                "a zip archive", "unzip ratings.zip");
        rejected(Files.write(dir.resolve("r.bz2"), new byte[] {'B', 'Z', 'h', '9', 1, 2}),
                InputFileException.Kind.COMPRESSED, "bzip2-compressed");
        rejected(Files.write(dir.resolve("r.xz"), new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0, 1}),
                InputFileException.Kind.COMPRESSED, "xz-compressed");
    }

    @Test
    void otherEncodingsThanUtf8AreNamed() throws IOException {
        rejected(Files.write(dir.resolve("le.csv"), ("\uFEFF" + CSV).getBytes(StandardCharsets.UTF_16LE)),
                InputFileException.Kind.NOT_UTF8, "UTF-16 text, not UTF-8", "iconv -f UTF-16 -t UTF-8");
        rejected(Files.write(dir.resolve("be.csv"), CSV.getBytes(StandardCharsets.UTF_16)),
                InputFileException.Kind.NOT_UTF8, "UTF-16");
        rejected(Files.write(dir.resolve("nobom.csv"), CSV.getBytes(StandardCharsets.UTF_16LE)),
                InputFileException.Kind.NOT_UTF8, "UTF-16");
        rejected(Files.write(dir.resolve("utf32.csv"), ("\uFEFF" + CSV).getBytes("UTF-32")),
                InputFileException.Kind.NOT_UTF8, "UTF-32");
    }

    @Test
    void aGoodFileIsReadFromItsFirstByte() throws IOException {
        Path file = Files.writeString(dir.resolve("ok.csv"), "\uFEFF" + CSV);
        try (InputStream in = InputFiles.openText(file)) {
            assertEquals("\uFEFF" + CSV, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals(1, Ratings.read(file, RatingsFormat.MOVIELENS_CSV).size());
        // One byte is not mistaken for anything.
        try (InputStream in = InputFiles.openText(Files.writeString(dir.resolve("one.csv"), "x"))) {
            assertEquals('x', in.read());
        }
    }

    @Test
    void binaryDataIsNamedNotParsed() throws IOException {
        byte[] binary = new byte[600];
        for (int n = 0; n < binary.length; n++) {
            binary[n] = (byte) n;
        }
        Path file = Files.write(dir.resolve("titles.bin"), binary);
        InputFileException e = assertThrows(InputFileException.class, () -> InputFiles.openText(file).close());
        assertEquals(InputFileException.Kind.BINARY, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("binary data"), e.getMessage());
        assertEquals(InputFileException.Kind.BINARY, assertThrows(InputFileException.class,
                () -> Titles.read(file)).kind());
        // For the ratings reader it is the file's content, named like any other: no "header name is missing".
        RatingsFileException r = assertThrows(RatingsFileException.class,
                () -> Ratings.read(file, RatingsFormat.MOVIELENS_CSV));
        assertTrue(r.getMessage().startsWith("titles.bin is binary data"), r.getMessage());
        // A zero byte after a text start, within the first 8 KB, too.
        Path late = Files.write(dir.resolve("late.csv"), (CSV.repeat(100) + "\u0000").getBytes(
                StandardCharsets.UTF_8));
        assertEquals(InputFileException.Kind.BINARY, assertThrows(InputFileException.class,
                () -> InputFiles.openText(late).close()).kind());
    }

    @Test
    void aFifoIsCheckedWithoutOpeningItAndReadOnceWithinTheLimit() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux only");
        Path fifo = dir.resolve("fifo.csv");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo");
        assertTrue(InputFiles.isStream(fifo));
        assertFalse(InputFiles.isStream(Files.writeString(dir.resolve("plain.csv"), CSV)));
        assertFalse(InputFiles.isStream(dir));
        // No writer yet: opening would block; the check must not.
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> InputFiles.check(fifo));
        Thread writer = writer(fifo, CSV.getBytes(StandardCharsets.UTF_8));
        Ratings ratings = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> Ratings.read(fifo, RatingsFormat.MOVIELENS_CSV));
        assertEquals(1, ratings.size());
        writer.join(5_000);
        // Past the limit: an error naming the limit and how to raise it, not a read without end.
        System.setProperty(InputFiles.STREAM_LIMIT_PROPERTY, "40");
        try {
            assertEquals(40, InputFiles.streamLimit());
            writer = writer(fifo, (CSV + CSV + CSV).getBytes(StandardCharsets.UTF_8));
            InputFileException e = assertThrows(InputFileException.class,
                    () -> Ratings.read(fifo, RatingsFormat.MOVIELENS_CSV));
            assertEquals(InputFileException.Kind.TOO_LARGE, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("more than 40 bytes") && e.getMessage().contains("-D"
                    + InputFiles.STREAM_LIMIT_PROPERTY), e.getMessage());
            writer.join(5_000);
        } finally {
            System.clearProperty(InputFiles.STREAM_LIMIT_PROPERTY);
        }
        assertEquals(InputFiles.DEFAULT_STREAM_LIMIT, InputFiles.streamLimit());
    }

    private static Thread writer(Path fifo, byte[] content) {
        Thread writer = new Thread(() -> {
            try {
                Files.write(fifo, content);
            } catch (IOException e) {
                // the reader stopped early
            }
        });
        writer.setDaemon(true);
        writer.start();
        return writer;
    }
}
