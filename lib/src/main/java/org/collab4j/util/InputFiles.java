package org.collab4j.util;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one place that opens input files. Before anything is parsed it says what is wrong with the path, in words
 * a user can act on, as an {@link InputFileException}: nothing there, a directory, unreadable, empty, and for
 * text files compressed (gzip, zip, bzip2, xz, zstd, 7z, by their magic bytes) or UTF-16/UTF-32 (by the byte
 * order mark, or the zero bytes of UTF-16 without one), binary (a zero byte). A JDK exception would only print
 * the path.
 *
 * <p><b>Pipes and devices.</b> An input that is not a regular file (a pipe such as {@code /dev/stdin}, a FIFO made
 * with {@code mkfifo}, process substitution's {@code /dev/fd/63}, a device) can be read only once: {@link #check}
 * never opens it, so checking all inputs before work does not consume them, and {@link #openText} reads it once,
 * as it comes, up to {@link #streamLimit()} bytes ({@value #DEFAULT_STREAM_LIMIT} by default, or the system
 * property {@value #STREAM_LIMIT_PROPERTY}), so an endless input ({@code /dev/zero}, {@code yes}) ends in an
 * {@link InputFileException} instead of reading forever. A reader that needs random access (model files) copies
 * such an input once to a temporary file ({@link #copyToTemporary}), within the same limit.
 */
public final class InputFiles {

    /** How many leading bytes {@link #openText} looks at for magic bytes and byte order marks. */
    private static final int SNIFF = 64;
    /** How many leading bytes {@link #openText} searches for a zero byte, the mark of binary data. */
    private static final int SNIFF_BINARY = 8192;

    /** The most bytes read from a pipe or device by default: 4 GiB (MovieLens 25M's ratings are 0.68 GB). */
    public static final long DEFAULT_STREAM_LIMIT = 4L << 30;
    /** The system property that overrides {@link #DEFAULT_STREAM_LIMIT}, in bytes. */
    public static final String STREAM_LIMIT_PROPERTY = "collab4j.maxStreamBytes";

    private InputFiles() {}

    /**
     * Returns the most bytes read from an input that is not a regular file: the system property
     * {@value #STREAM_LIMIT_PROPERTY} when it is a positive number, else {@link #DEFAULT_STREAM_LIMIT}.
     *
     * @return the limit in bytes
     */
    public static long streamLimit() {
        String value = System.getProperty(STREAM_LIMIT_PROPERTY);
        if (value != null) {
            try {
                long limit = Long.parseLong(value.trim());
                if (limit > 0) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // fall through to the default: a bad property must not stop every read
            }
        }
        return DEFAULT_STREAM_LIMIT;
    }

    /**
     * Tells whether a path is an input that can be read only once: it exists and is neither a regular file nor a
     * directory (a pipe, a FIFO, {@code /dev/stdin}, {@code /dev/fd/N}, a device).
     *
     * @param file the path
     * @return true for a pipe, FIFO or device
     */
    public static boolean isStream(Path file) {
        return Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file);
    }

    /**
     * Checks that a file exists, is a regular file (not a directory) and can be read, and that it is not empty.
     *
     * @param file the file
     * @throws InputFileException if it cannot be used
     */
    public static void check(Path file) throws InputFileException {
        if (file == null) {
            throw new NullPointerException("file");
        }
        if (Files.isDirectory(file)) {
            throw new InputFileException(file, InputFileException.Kind.DIRECTORY, "a directory, not a file",
                    "give the path of a file");
        }
        if (!Files.exists(file)) {
            Path parent = file.toAbsolutePath().getParent();
            if (Files.isSymbolicLink(file)) {
                throw new InputFileException(file, InputFileException.Kind.MISSING,
                        "a link to a file that does not exist", "check the link's target");
            }
            if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
                throw new InputFileException(file, InputFileException.Kind.NOT_A_FOLDER,
                        "its parent " + Shown.plain(parent.toString(), 300) + " is a file, not a folder",
                        "check the path");
            }
            throw new InputFileException(file, InputFileException.Kind.MISSING, "no such file",
                    "check the path (relative paths start in " + Shown.plain(Path.of("").toAbsolutePath()
                            .toString(), 300) + ")");
        }
        if (!Files.isReadable(file)) {
            throw unreadable(file);
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw unreadable(file);
        }
        if (size == 0 && Files.isRegularFile(file)) {
            throw new InputFileException(file, InputFileException.Kind.EMPTY, "an empty file (0 bytes)",
                    "check that it was written completely");
        }
    }

    /**
     * Opens a file that must be UTF-8 text, after {@link #check} and a look at its first bytes.
     *
     * @param file the file
     * @return a stream from the file's first byte; the caller closes it
     * @throws InputFileException if the file cannot be used or is compressed or not UTF-8
     * @throws IOException if reading fails otherwise
     */
    public static InputStream openText(Path file) throws IOException {
        check(file);
        InputStream in = open(file);
        try {
            if (isStream(file)) {
                in = new Limited(in, file, streamLimit());
            }
            BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
            buffered.mark(SNIFF_BINARY);
            byte[] head = buffered.readNBytes(SNIFF_BINARY);
            buffered.reset();
            String problem = textProblem(head);
            if (problem != null) {
                throw notText(file, problem);
            }
            return buffered;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /**
     * Opens a binary file after {@link #check}.
     *
     * @param file the file
     * @return a stream; the caller closes it
     * @throws InputFileException if the file cannot be used
     * @throws IOException if reading fails otherwise
     */
    public static InputStream openBinary(Path file) throws IOException {
        check(file);
        InputStream in = open(file);
        return isStream(file) ? new Limited(in, file, streamLimit()) : in;
    }

    /**
     * Copies a pipe or device once to a temporary file, for readers that need random access; the caller deletes
     * the copy. At most {@link #streamLimit()} bytes are copied.
     *
     * @param file the pipe or device (any readable input works)
     * @param prefix the start of the temporary file's name
     * @return the temporary file
     * @throws InputFileException if the input cannot be used or gives more than the limit
     * @throws IOException if reading or writing fails otherwise
     */
    public static Path copyToTemporary(Path file, String prefix) throws IOException {
        Path copy = Files.createTempFile(prefix, ".tmp");
        try (InputStream in = openBinary(file); OutputStream out = Files.newOutputStream(copy)) {
            in.transferTo(out);
            return copy;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(copy);
            throw e;
        }
    }

    /** A stream that fails with {@link InputFileException.Kind#TOO_LARGE} past its limit. */
    private static final class Limited extends FilterInputStream {

        private final Path file;
        private final long limit;
        private long read;

        Limited(InputStream in, Path file, long limit) {
            super(in);
            this.file = file;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) throws InputFileException {
            read += n;
            if (read > limit) {
                throw new InputFileException(file, InputFileException.Kind.TOO_LARGE, "a pipe or device that gave"
                        + " more than " + limit + " bytes (is it endless?)", "save the data to a file first, or"
                        + " raise the limit with java -D" + STREAM_LIMIT_PROPERTY + "=BYTES");
            }
        }
    }

    private static InputStream open(Path file) throws IOException {
        try {
            if (isStream(file)) {
                // Files.newInputStream's available() asks a pipe for its position ("Illegal seek"), which the
                // decoders call; FileInputStream asks the system how much is waiting.
                try {
                    return new java.io.FileInputStream(file.toFile());
                } catch (java.io.FileNotFoundException e) {
                    throw Files.isReadable(file) ? e : unreadable(file);
                }
            }
            return Files.newInputStream(file);
        } catch (AccessDeniedException e) {
            throw unreadable(file);
        } catch (NoSuchFileException e) {
            throw new InputFileException(file, InputFileException.Kind.MISSING, "no such file (it was removed while"
                    + " being opened)", "check the path");
        }
    }

    private static InputFileException unreadable(Path file) {
        return new InputFileException(file, InputFileException.Kind.UNREADABLE,
                "not readable by this user (permission denied)", "check its permissions, e.g. chmod u+r "
                        + Shown.plain(String.valueOf(file.getFileName()), 100));
    }

    /** What the first bytes say is wrong with a UTF-8 text file, or null. */
    static String textProblem(byte[] bytes) {
        byte[] head = bytes.length > SNIFF ? java.util.Arrays.copyOf(bytes, SNIFF) : bytes;
        if (starts(head, 0x1F, 0x8B)) {
            return "gzip";
        }
        if (starts(head, 'P', 'K', 3, 4) || starts(head, 'P', 'K', 5, 6) || starts(head, 'P', 'K', 7, 8)) {
            return "zip";
        }
        if (starts(head, 'B', 'Z', 'h')) {
            return "bzip2";
        }
        if (starts(head, 0xFD, '7', 'z', 'X', 'Z', 0)) {
            return "xz";
        }
        if (starts(head, 0x28, 0xB5, 0x2F, 0xFD)) {
            return "zstd";
        }
        if (starts(head, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C)) {
            return "7z";
        }
        if (starts(head, 0, 0, 0xFE, 0xFF) || starts(head, 0xFF, 0xFE, 0, 0)) {
            return "UTF-32";
        }
        if (starts(head, 0xFE, 0xFF) || starts(head, 0xFF, 0xFE) || looksUtf16(head)) {
            return "UTF-16";
        }
        for (byte b : bytes) {
            if (b == 0) {
                return "binary"; // text never holds a zero byte; /dev/zero and binary files soon give one
            }
        }
        return null;
    }

    /** UTF-16 without a byte order mark: ASCII characters with a zero byte beside each one. */
    private static boolean looksUtf16(byte[] head) {
        int pairs = head.length / 2;
        if (pairs < 2) {
            return false;
        }
        boolean little = true;
        boolean big = true;
        for (int n = 0; n < pairs; n++) {
            byte even = head[2 * n];
            byte odd = head[2 * n + 1];
            little &= even != 0 && odd == 0;
            big &= even == 0 && odd != 0;
        }
        return little || big;
    }

    private static boolean starts(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int n = 0; n < magic.length; n++) {
            if ((head[n] & 0xFF) != magic[n]) {
                return false;
            }
        }
        return true;
    }

    private static InputFileException notText(Path file, String kind) {
        String name = Shown.plain(String.valueOf(file.getFileName()), 100);
        return switch (kind) {
            case "binary" -> new InputFileException(file, InputFileException.Kind.BINARY,
                    "binary data (a zero byte in its first 8 KB), not text", "give a UTF-8 text file");
            case "UTF-16", "UTF-32" -> new InputFileException(file, InputFileException.Kind.NOT_UTF8,
                    kind + " text, not UTF-8", "convert it to UTF-8, e.g. iconv -f " + kind
                            + " -t UTF-8 " + name + " > utf8-" + name);
            case "zip" -> new InputFileException(file, InputFileException.Kind.COMPRESSED,
                    "a zip archive, not text", "extract the file you need from it first, e.g. unzip "
                            + name);
            case "gzip" -> new InputFileException(file, InputFileException.Kind.COMPRESSED,
                    "a gzip-compressed file, not text", "decompress it first, e.g. gunzip -k " + name);
            default -> new InputFileException(file, InputFileException.Kind.COMPRESSED,
                    "a " + kind + "-compressed file, not text", "decompress it first");
        };
    }
}
