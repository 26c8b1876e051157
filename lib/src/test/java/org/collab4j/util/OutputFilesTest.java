package org.collab4j.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output paths checked before work starts, temporary names that fit, and failures while writing. */
class OutputFilesTest {

    @TempDir
    Path dir;

    private OutputFileException refused(Path file, Map<String, Path> inputs, OutputFileException.Kind kind,
            String... parts) {
        OutputFileException e = assertThrows(OutputFileException.class, () -> OutputFiles.check(file, inputs));
        assertEquals(kind, e.kind(), e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot write " + file + ": "), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from " + e.getMessage());
        }
        return e;
    }

    @Test
    void anInputIsNeverAnOutputHoweverItIsSpelled() throws IOException {
        Path ratings = Files.writeString(dir.resolve("r.csv"), "data");
        Map<String, Path> inputs = Map.of("the ratings", ratings);
        refused(ratings, inputs, OutputFileException.Kind.IS_INPUT, "also an input of this run (the ratings)",
                "choose another file");
        refused(dir.resolve("sub/../r.csv"), inputs, OutputFileException.Kind.IS_INPUT);
        Files.createDirectory(dir.resolve("sub"));
        refused(Files.createSymbolicLink(dir.resolve("link.csv"), ratings), inputs,
                OutputFileException.Kind.IS_INPUT);
        refused(Files.createLink(dir.resolve("hard.csv"), ratings), inputs, OutputFileException.Kind.IS_INPUT);
        refused(Path.of("").toAbsolutePath().relativize(ratings), inputs, OutputFileException.Kind.IS_INPUT);
        // The list form names the input by path.
        assertThrows(OutputFileException.class, () -> OutputFiles.check(ratings, List.of(ratings)));
        OutputFiles.check(dir.resolve("model.c4j"), inputs);
        assertEquals("data", Files.readString(ratings));
    }

    @Test
    void pathsThatCannotBeWrittenAreNamed() throws IOException {
        refused(dir, Map.of(), OutputFileException.Kind.DIRECTORY, "a directory");
        Path file = Files.writeString(dir.resolve("plain"), "x");
        refused(file.resolve("model.c4j"), Map.of(), OutputFileException.Kind.NOT_A_FOLDER,
                file + " is a file, not a folder");
        refused(file.resolve("a/b/model.c4j"), Map.of(), OutputFileException.Kind.NOT_A_FOLDER);
        refused(dir.resolve("m".repeat(256)), Map.of(), OutputFileException.Kind.NAME_TOO_LONG,
                "a name of 256 bytes (file systems allow 255)");
        // Missing folders are fine: they will be created.
        OutputFiles.check(dir.resolve("new/folder/model.c4j"), Map.of());
    }

    @Test
    void aReadOnlyFolderIsNamedBeforeAnythingIsWritten() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            refused(readOnly.resolve("model.c4j"), Map.of(), OutputFileException.Kind.NOT_WRITABLE,
                    "its folder " + readOnly, "not writable");
            OutputFileException e = assertThrows(OutputFileException.class,
                    () -> AtomicFiles.writeText(readOnly.resolve("h.csv"), w -> w.write("x")));
            assertTrue(e.getMessage().contains("h.csv") && e.getMessage().contains("permission denied"),
                    e.getMessage());
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void temporaryNamesFitForTheLongestLegalName() throws IOException {
        for (String name : List.of("m".repeat(255), "\u00e9".repeat(127), "\ud83d\ude00".repeat(63) + "abc",
                "model.c4j")) {
            String prefix = OutputFiles.temporaryPrefix(name);
            int bytes = (prefix + "0123456789abcdef" + OutputFiles.TEMP_SUFFIX).getBytes(StandardCharsets.UTF_8).length;
            assertTrue(bytes <= OutputFiles.MAX_NAME_BYTES, name.length() + " chars: " + bytes + " bytes");
            assertTrue(("." + name + ".").startsWith(prefix.substring(0, prefix.length() - 1)), prefix);
        }
        assertEquals(".model.c4j.", OutputFiles.temporaryPrefix("model.c4j"));
        // A 255-byte name is written through a legal temporary name, and nothing else is left behind.
        Path longName = dir.resolve("h".repeat(251) + ".csv");
        AtomicFiles.writeText(longName, w -> w.write("user,item\n"));
        assertEquals("user,item\n", Files.readString(longName));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(longName), files.toList());
        }
    }

    @Test
    void writeFailuresNameTheFileAndWhatToDo() throws IOException {
        Path target = dir.resolve("model.c4j");
        assertFailure(target, new IOException("No space left on device"), "the disk is full", "free some space");
        assertFailure(target, new FileSystemException(target + ".tmp", null, "Disk quota exceeded"), "quota");
        assertFailure(target, new FileSystemException(target.toString(), null, "Read-only file system"),
                "read-only", "choose a writable folder");
        assertFailure(target, new AccessDeniedException(target.toString()), "permission denied");
        assertFailure(target, new NoSuchFileException(target.toString()), "its folder does not exist");
        assertFailure(target, new IOException("Input/output error"), "Input/output error", "try again");
        // A failing write leaves the previous file as it was, and no temporary file.
        Path csv = Files.writeString(dir.resolve("h.csv"), "previous");
        OutputFileException e = assertThrows(OutputFileException.class, () -> AtomicFiles.write(csv, out -> {
            out.write(1);
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().startsWith("cannot write " + csv + ": the disk is full"), e.getMessage());
        assertArrayEquals("previous".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(csv));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(csv), files.toList());
        }
    }

    private static void assertFailure(Path target, IOException cause, String... parts) {
        OutputFileException e = OutputFiles.failure(target, cause);
        assertEquals(OutputFileException.Kind.WRITE_FAILED, e.kind());
        assertTrue(e.getMessage().startsWith("cannot write " + target + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("the previous file, if any, is unchanged"), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from " + e.getMessage());
        }
    }

    @Test
    void theOutputsOfOneRunAreDistinctHoweverTheyAreSpelled() throws Exception {
        Path a = dir.resolve("s.csv");
        OutputFiles.checkDistinct(new java.util.LinkedHashMap<>(Map.of("the training CSV", a)));
        java.util.LinkedHashMap<String, Path> two = new java.util.LinkedHashMap<>();
        two.put("the training CSV", a);
        two.put("the validation CSV", dir.resolve("x/../s.csv"));
        OutputFileException e = assertThrows(OutputFileException.class, () -> OutputFiles.checkDistinct(two));
        assertEquals(OutputFileException.Kind.IS_OTHER_OUTPUT, e.kind());
        assertTrue(e.getMessage().contains("also written by this run as the training CSV"), e.getMessage());
        two.put("the validation CSV", dir.resolve("v.csv"));
        OutputFiles.checkDistinct(two);
        // Through a link to the folder: still one file, though neither exists yet.
        Path link = java.nio.file.Files.createSymbolicLink(dir.resolve("link"), dir);
        assertTrue(OutputFiles.sameFile(a, link.resolve("s.csv")));
        // A FIFO is not replaced by a rename.
        Path fifo = dir.resolve("fifo");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            OutputFileException f = assertThrows(OutputFileException.class, () -> OutputFiles.check(fifo,
                    List.of()));
            assertEquals(OutputFileException.Kind.NOT_A_FILE, f.kind());
        }
    }
}
