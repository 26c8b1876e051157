package org.collab4j.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes small output files (CSV, PNG) so that a reader, or the next run after a crash, finds either the previous
 * file or the complete new one, never half of one: the content goes to a temporary file in the same folder, is
 * forced to disk, and is moved over the target in one atomic rename. Missing parent folders are created. The
 * temporary name is {@code .NAME.HEX.tmp}, with {@code NAME} cut so that it fits the 255-byte limit on names
 * ({@link OutputFiles#temporaryPrefix}). The file gets the permissions the process's umask gives new files (as
 * model files do), whatever the previous file had.
 *
 * <p>Model files have their own, stricter writer ({@code TrainedModel.save}: fsync of the folder, locking,
 * checksums).
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Something that writes content to a stream.
     *
     * @param <T> the kind of stream
     */
    @FunctionalInterface
    public interface Content<T> {

        /**
         * Writes the content.
         *
         * @param out the stream; closed by the caller
         * @throws IOException if writing fails
         */
        void writeTo(T out) throws IOException;
    }

    /**
     * Writes bytes to a file atomically.
     *
     * @param file the file to write
     * @param content writes the bytes
     * @throws OutputFileException if the file cannot be written, naming it and what to do (a full disk, a
     *     read-only folder, ...); the previous file, if any, is then left as it was
     * @throws IOException if {@code content} fails
     */
    public static void write(Path file, Content<OutputStream> content) throws IOException {
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            Path dir = target.getParent();
            Files.createDirectories(dir);
            String prefix = OutputFiles.temporaryPrefix(target.getFileName().toString());
            for (int attempt = 0; tmp == null; attempt++) {
                Path candidate = dir.resolve(prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current()
                        .nextLong()) + OutputFiles.TEMP_SUFFIX);
                try {
                    // CREATE_NEW with the default permissions: Files.createTempFile would make the file readable
                    // by its owner only.
                    Files.newByteChannel(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                    tmp = candidate;
                } catch (FileAlreadyExistsException e) {
                    if (attempt == 10) {
                        throw e;
                    }
                }
            }
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                content.writeTo(out);
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw OutputFiles.failure(file, e);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Writes UTF-8 text to a file atomically.
     *
     * @param file the file to write
     * @param content writes the text
     * @throws IOException if the file cannot be written; the previous file, if any, is then left as it was
     */
    public static void writeText(Path file, Content<Writer> content) throws IOException {
        write(file, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            content.writeTo(writer);
            writer.flush();
        });
    }
}
