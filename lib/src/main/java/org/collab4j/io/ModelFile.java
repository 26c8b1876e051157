package org.collab4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.collab4j.util.InputFileException;
import org.collab4j.util.InputFiles;
import org.collab4j.util.OutputFiles;

/**
 * The model file's container: a zip archive of named entries, a {@code SHA256SUMS} entry over them, and a
 * checksum of the whole file in the zip comment; written atomically, verified before it is read.
 *
 * <p>The envelope stays the same in every format version, so that any Collab4J can tell a damaged file from a
 * newer one: the file ends with the zip comment {@code collab4j-sha256:<64 hex digits>}, the SHA-256 of every
 * byte before those 64 digits, and holds an entry {@value #VERSION_ENTRY} with the format version as decimal
 * text. The whole-file checksum catches a change anywhere, zip headers included; the per-entry sums say which
 * entry changed.
 */
final class ModelFile {

    static final String VERSION_ENTRY = "format-version";
    static final String MANIFEST_ENTRY = "SHA256SUMS";
    static final String COMMENT_PREFIX = "collab4j-sha256:";
    private static final int DIGEST_HEX = 64;
    private static final int COMMENT_LENGTH = COMMENT_PREFIX.length() + DIGEST_HEX;
    /** The zip end-of-central-directory record without its comment. */
    private static final int END_RECORD = 22;
    /** A fixed entry time, so that a model saved twice gives the same entries. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);
    private static final HexFormat HEX = HexFormat.of();
    static final String TEMP_SUFFIX = OutputFiles.TEMP_SUFFIX;
    /** Entries whose names end so are written uncompressed: the raw weights. */
    static final String STORED_SUFFIX = ".f32";
    /** The most entries {@value #MANIFEST_ENTRY} may list. */
    static final int MAX_ENTRIES = 256;
    /**
     * How many bytes all the entries a file lists may inflate to, per byte of the file (plus {@link #BUDGET_BASE}):
     * far above what real entries compress by (weights are stored; ids and JSON deflate by under 10), far below a
     * zip bomb's ratio. It bounds the memory a load takes by the file's size.
     */
    static final long INFLATE_RATIO = 64;
    static final long BUDGET_BASE = 1 << 20;
    /** How old an unlocked temporary file must be before another save takes it for a dead save's leftover. */
    static final Duration STALE_AFTER = Duration.ofMinutes(1);
    /** The names of the temporary files this JVM is writing now, which no cleanup may open (see above). */
    private static final Set<String> WRITING = ConcurrentHashMap.newKeySet();

    private ModelFile() {}

    /** Encodes a model and writes it atomically. */
    static void write(TrainedModel model, Path file) throws IOException {
        writeEntries(file, ModelCodec.encode(model));
    }

    /** Reads, verifies and decodes a model file. */
    static TrainedModel read(Path file) throws IOException {
        return ModelCodec.decode(file, readEntries(file));
    }

    /**
     * Writes entries (the format version first) plus a {@code SHA256SUMS} entry and the whole-file checksum:
     * to a temporary file in the target's directory, forced to the disk, then renamed over the target. Temporary
     * files that earlier saves to the same target left behind when their process died are removed first
     * ({@link #removeStaleTempFiles}).
     */
    static void writeEntries(Path file, Map<String, byte[]> entries) throws IOException {
        try {
            writeEntriesTo(file.toAbsolutePath(), entries);
        } catch (IOException e) {
            throw OutputFiles.failure(file, e);
        }
    }

    private static void writeEntriesTo(Path target, Map<String, byte[]> entries) throws IOException {
        Path dir = target.getParent();
        Files.createDirectories(dir);
        String name = target.getFileName().toString();
        removeStaleTempFiles(dir, name);
        String tmpName = null;
        Path tmp = null;
        boolean moved = false;
        try {
            FileChannel opened = null;
            for (int attempt = 0; opened == null; attempt++) {
                tmpName = OutputFiles.temporaryPrefix(name) + Long.toHexString(ThreadLocalRandom.current().nextLong())
                        + TEMP_SUFFIX;
                tmp = dir.resolve(tmpName);
                WRITING.add(tmpName);
                try {
                    // CREATE_NEW with the default permissions (Files.createTempFile would make the file, and so the
                    // model after the rename, readable by its owner only).
                    opened = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    WRITING.remove(tmpName);
                    tmp = null;
                    if (attempt == 10) {
                        throw e;
                    }
                }
            }
            FileChannel channel = opened;
            try (channel) {
                lock(channel); // released when the channel closes
                try (ZipOutputStream zip = new ZipOutputStream(
                        new BufferedOutputStream(new ChannelOutput(channel), 1 << 16))) {
                    // A placeholder of the final length: the checksum covers the comment's length field.
                    zip.setComment(COMMENT_PREFIX + "0".repeat(DIGEST_HEX));
                    StringBuilder sums = new StringBuilder();
                    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                        put(zip, e.getKey(), e.getValue());
                        sums.append(sha256(e.getValue())).append("  ").append(e.getKey()).append('\n');
                    }
                    put(zip, MANIFEST_ENTRY, sums.toString().getBytes(StandardCharsets.UTF_8));
                }
                long size = channel.size();
                byte[] digest = HEX.formatHex(sha256(channel, size - DIGEST_HEX)).getBytes(StandardCharsets.US_ASCII);
                ByteBuffer buffer = ByteBuffer.wrap(digest);
                long position = size - DIGEST_HEX;
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                channel.force(true);
                // Between the unlock and the rename, only its age keeps another process from taking the file for a
                // dead save's leftover: make it young, however long the checksum and the force took.
                Files.setLastModifiedTime(tmp, FileTime.from(Instant.now()));
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
            forceDirectory(dir);
        } finally {
            if (tmp != null && !moved) {
                Files.deleteIfExists(tmp);
            }
            if (tmpName != null) {
                WRITING.remove(tmpName);
            }
        }
    }

    /** Locks a new temporary file for as long as it is written, where the file system can lock files. */
    private static void lock(FileChannel channel) {
        try {
            channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            // Unlockable here: the age rule alone protects the file from other processes' cleanups.
        }
    }

    /**
     * Removes the temporary files of earlier saves to {@code dir/name} whose process died before renaming them
     * (a kill, a crash, a power cut): files named {@code .NAME.HEX.tmp} that no save in this JVM is writing, that
     * were last modified over {@link #STALE_AFTER} ago, and that no process holds a lock on (a live save holds
     * one until it has written and forced the file). Anything that cannot be checked or deleted is left alone: a
     * leftover is harmless, only disk space; {@link TrainedModel#load} never reads it.
     *
     * @return the number of files removed
     */
    static int removeStaleTempFiles(Path dir, String name) {
        String prefix = OutputFiles.temporaryPrefix(name);
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, p -> isTempName(p, prefix))) {
            Instant staleBefore = Instant.now().minus(STALE_AFTER);
            for (Path candidate : files) {
                if (WRITING.contains(candidate.getFileName().toString())
                        || !Files.getLastModifiedTime(candidate, LinkOption.NOFOLLOW_LINKS).toInstant()
                                .isBefore(staleBefore)
                        || !Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                try (FileChannel channel = FileChannel.open(candidate, StandardOpenOption.WRITE);
                        FileLock lock = channel.tryLock()) {
                    if (lock != null && Files.deleteIfExists(candidate)) {
                        removed++;
                    }
                } catch (IOException | OverlappingFileLockException e) {
                    // Locked by a live save, unlockable here, or gone already: leave it.
                }
            }
        } catch (IOException | RuntimeException e) {
            // Cleaning up is a courtesy; it never makes a save fail.
        }
        return removed;
    }

    private static boolean isTempName(Path path, String prefix) {
        String name = path.getFileName().toString();
        if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) {
            return false;
        }
        String hex = name.substring(prefix.length(), name.length() - TEMP_SUFFIX.length());
        return !hex.isEmpty() && hex.length() <= 16 && hex.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a'
                && c <= 'f');
    }

    /** Makes the rename itself durable; not every platform can open a directory, and there it is skipped. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // The model is complete and in place; only its durability across a power cut is not guaranteed.
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(ENTRY_TIME);
        if (name.endsWith(STORED_SUFFIX)) {
            // Weights hardly compress; stored, they are read without inflating and their size is the file's.
            CRC32 crc = new CRC32();
            crc.update(data);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(data.length);
            entry.setCompressedSize(data.length);
            entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }

    /**
     * Verifies the whole-file checksum, the format version and the per-entry checksums, and returns the entries
     * {@code SHA256SUMS} lists, in its order.
     */
    static Map<String, byte[]> readEntries(Path file) throws IOException {
        try {
            InputFiles.check(file);
        } catch (InputFileException e) {
            if (e.kind() != InputFileException.Kind.EMPTY) {
                throw e;
            }
            // An empty file is not a model: the checks below say so as ModelFormatException.
        }
        if (!InputFiles.isStream(file)) {
            return readEntries(file, file);
        }
        // A pipe or device is read once; the checks need random access (the checksum at the end, the zip's
        // directory), so it is copied to a temporary file first, and messages still name the input as given.
        Path copy = InputFiles.copyToTemporary(file, "collab4j-model-");
        try {
            return readEntries(file, copy);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** {@link #readEntries(Path)} of the bytes in {@code data}, named {@code file} in messages. */
    private static Map<String, byte[]> readEntries(Path file, Path bytes) throws IOException {
        long size = Files.size(bytes);
        verifyWholeFile(file, bytes, size);
        try (ZipFile zip = new ZipFile(bytes.toFile())) {
            Budget budget = new Budget(file, size);
            checkVersion(file, zip, budget);
            Map<String, byte[]> entries = new LinkedHashMap<>();
            for (String line : manifest(file, zip, budget)) {
                String name = line.substring(DIGEST_HEX + 2);
                if (entries.containsKey(name)) {
                    throw new ModelFormatException(file, "lists entry '" + name + "' twice in " + MANIFEST_ENTRY,
                            null);
                }
                byte[] data = entry(file, zip, name, budget);
                if (!sha256(data).equals(line.substring(0, DIGEST_HEX))) {
                    throw new ModelFormatException(file, "is damaged: entry '" + name + "' does not match its"
                            + " SHA-256 in " + MANIFEST_ENTRY, null);
                }
                entries.put(name, data);
            }
            return entries;
        } catch (ZipException e) {
            throw new ModelFormatException(file, "is damaged: it cannot be read as a zip archive (" + e.getMessage()
                    + ")", e);
        }
    }

    /**
     * What is left of the bytes a file's entries may inflate to ({@link #INFLATE_RATIO}); every entry is checked
     * against it before it is allocated, and read no further than its declared size.
     */
    static final class Budget {

        private final Path file;
        private final long fileSize;
        private long left;

        Budget(Path file, long fileSize) {
            this.file = file;
            this.fileSize = fileSize;
            left = BUDGET_BASE + INFLATE_RATIO * fileSize;
        }

        /** Reads an entry, at most {@code max} bytes of it, charging what its header declares to the budget. */
        byte[] read(ZipFile zip, ZipEntry entry, long max) throws IOException {
            long declared = entry.getSize();
            if (declared < 0) {
                throw new ModelFormatException(file, "is damaged: entry '" + entry.getName() + "' does not declare"
                        + " its size", null);
            }
            if (declared > max || declared > left) {
                throw new ModelFormatException(file, "is damaged or not a Collab4J model: entry '" + entry.getName()
                        + "' declares " + declared + " bytes, more than " + (declared > max ? "such an entry may"
                        + " hold (" + max + ")" : "a file of " + fileSize + " bytes can hold"), null);
            }
            left -= declared;
            byte[] data = new byte[(int) declared];
            try (InputStream in = zip.getInputStream(entry)) {
                int n = in.readNBytes(data, 0, data.length);
                if (n < data.length || in.read() >= 0) {
                    throw new ModelFormatException(file, "is damaged: entry '" + entry.getName() + "' holds "
                            + (n < data.length ? n + " bytes" : "more bytes") + " where its header says "
                            + declared, null);
                }
            }
            return data;
        }
    }

    private static void verifyWholeFile(Path file, Path data, long size) throws IOException {
        if (size == 0) {
            throw new ModelFormatException(file, "is empty: it is not a Collab4J model file", null);
        }
        try (FileChannel channel = FileChannel.open(data, StandardOpenOption.READ)) {
            byte[] head = read(channel, 0, (int) Math.min(4, size));
            boolean zip = head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
            if (!zip) {
                throw new ModelFormatException(file, "is not a Collab4J model file: it is not a zip archive", null);
            }
            String comment = size < END_RECORD + COMMENT_LENGTH ? ""
                    : new String(read(channel, size - COMMENT_LENGTH, COMMENT_LENGTH), StandardCharsets.ISO_8859_1);
            if (!comment.startsWith(COMMENT_PREFIX)) {
                throw new ModelFormatException(file, "is truncated or damaged: it does not end with the checksum"
                        + " every Collab4J model file ends with (the file was cut short, changed, or is another"
                        + " kind of zip archive)", null);
            }
            String expected = comment.substring(COMMENT_PREFIX.length());
            if (!HEX.formatHex(sha256(channel, size - DIGEST_HEX)).equals(expected)) {
                String entry = damagedEntry(file, data);
                throw new ModelFormatException(file, "is damaged: "
                        + (entry != null ? "entry '" + entry + "' does not match its SHA-256 in " + MANIFEST_ENTRY
                                : "its SHA-256 checksum does not match its content")
                        + " (the file was changed after it was written)", null);
            }
        }
    }

    /** Names the first entry whose bytes differ from their listed checksum, if the archive can still be read. */
    private static String damagedEntry(Path file, Path data) {
        try (ZipFile zip = new ZipFile(data.toFile())) {
            Budget budget = new Budget(file, Files.size(data));
            for (String line : manifest(file, zip, budget)) {
                String name = line.substring(DIGEST_HEX + 2);
                ZipEntry entry = zip.getEntry(name);
                if (entry == null || !sha256(readDamaged(zip, entry, budget)).equals(line.substring(0, DIGEST_HEX))) {
                    return name;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Too damaged to say which entry; the caller reports the whole-file mismatch.
        }
        return null;
    }

    /** An entry's bytes, or none when they cannot be inflated: a damaged entry either way. */
    private static byte[] readDamaged(ZipFile zip, ZipEntry entry, Budget budget) {
        try {
            return budget.read(zip, entry, Integer.MAX_VALUE - 8);
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }

    private static void checkVersion(Path file, ZipFile zip, Budget budget) throws IOException {
        ZipEntry entry = zip.getEntry(VERSION_ENTRY);
        if (entry == null) {
            throw new ModelFormatException(file, "is not a Collab4J model file: it has no '" + VERSION_ENTRY
                    + "' entry", null);
        }
        String text = new String(budget.read(zip, entry, 16), StandardCharsets.UTF_8).trim();
        int version;
        try {
            version = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(file, "has an unreadable format version '" + text + "'", e);
        }
        if (version > TrainedModel.FORMAT_VERSION) {
            throw new ModelFormatException(file, "was written in model format version " + version + " by a newer"
                    + " Collab4J; this Collab4J reads format version " + TrainedModel.FORMAT_VERSION
                    + " and older. Load it with a newer Collab4J.", null);
        }
        if (version < 1) {
            throw new ModelFormatException(file, "has model format version " + version + ", which no Collab4J"
                    + " writes", null);
        }
    }

    /** The manifest's lines, each {@code <64 hex>  <entry name>}. */
    private static List<String> manifest(Path file, ZipFile zip, Budget budget) throws IOException {
        List<String> lines = new String(entry(file, zip, MANIFEST_ENTRY, budget, MAX_ENTRIES * 400L),
                StandardCharsets.UTF_8).lines().toList();
        if (lines.size() > MAX_ENTRIES) {
            throw new ModelFormatException(file, "lists " + lines.size() + " entries in " + MANIFEST_ENTRY
                    + "; a Collab4J model has at most " + MAX_ENTRIES, null);
        }
        for (String line : lines) {
            if (line.length() <= DIGEST_HEX + 2 || !line.startsWith("  ", DIGEST_HEX)) {
                throw new ModelFormatException(file, "has a malformed " + MANIFEST_ENTRY + " line: '" + line + "'",
                        null);
            }
        }
        return lines;
    }

    private static byte[] entry(Path file, ZipFile zip, String name, Budget budget) throws IOException {
        return entry(file, zip, name, budget, Integer.MAX_VALUE - 8);
    }

    private static byte[] entry(Path file, ZipFile zip, String name, Budget budget, long max) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new ModelFormatException(file, "is incomplete: it has no entry '" + name + "'", null);
        }
        return budget.read(zip, entry, max);
    }

    private static byte[] read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.array();
    }

    private static byte[] sha256(FileChannel channel, long length) throws IOException {
        MessageDigest digest = newDigest();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long position = 0;
        while (position < length) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), length - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + position);
            }
            digest.update(buffer.array(), 0, n);
            position += n;
        }
        return digest.digest();
    }

    static String sha256(byte[] data) {
        return HEX.formatHex(newDigest().digest(data));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Writes to a channel and leaves it open on close, so that the checksum can be written after the zip. */
    private static final class ChannelOutput extends OutputStream {

        private final FileChannel channel;

        ChannelOutput(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }
}
