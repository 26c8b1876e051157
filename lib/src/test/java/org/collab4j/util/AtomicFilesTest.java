package org.collab4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

class AtomicFilesTest {

    @TempDir
    Path dir;

    /** The written file has the permissions of any new file of this process (the umask's), not 0600. */
    @Test
    void newFilesGetTheUmasksPermissions() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
        Path reference = Files.writeString(dir.resolve("reference.txt"), "x");
        Path file = dir.resolve("out/chart.csv");
        AtomicFiles.writeText(file, w -> w.write("a,b\n"));
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(file));
        assertEquals("a,b\n", Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void failedWriteKeepsThePreviousFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("history.csv");
        AtomicFiles.writeText(file, w -> w.write("old"));
        assertThrows(IOException.class, () -> AtomicFiles.writeText(file, w -> {
            w.write("half");
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(file, StandardCharsets.UTF_8));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }
}
