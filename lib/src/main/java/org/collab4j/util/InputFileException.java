package org.collab4j.util;

import java.nio.file.Path;

/**
 * Thrown by {@link InputFiles} when an input file cannot be used at all: it is missing, unreadable, a directory,
 * empty, compressed, or not in UTF-8. The message says what, where and what to do, e.g.
 *
 * <pre>
 * cannot read /data/ratings.csv.gz: a gzip-compressed file, not text; decompress it first, e.g. gunzip -k ratings.csv.gz
 * </pre>
 *
 * {@link #problem()} and {@link #advice()} give the two parts apart, so that a command line can name its option
 * instead.
 */
public final class InputFileException extends FileProblemException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with an input file. */
    public enum Kind {
        /** Nothing exists at the path. */
        MISSING,
        /** A directory where a file is needed. */
        DIRECTORY,
        /** The file exists but this process may not read it. */
        UNREADABLE,
        /** The file has no bytes. */
        EMPTY,
        /** The file is a gzip, zip or other compressed archive. */
        COMPRESSED,
        /** The file is text in another encoding than UTF-8 (UTF-16, UTF-32). */
        NOT_UTF8,
        /** The parent of the path is not a directory. */
        NOT_A_FOLDER,
        /** Binary data (a zero byte among the first bytes) where text is needed. */
        BINARY,
        /** A pipe, FIFO or device gave more than {@link InputFiles#streamLimit()} bytes. */
        TOO_LARGE
    }

    private final Kind kind;

    InputFileException(Path file, Kind kind, String problem, String advice) {
        super("read", file, problem, advice, null);
        this.kind = kind;
    }


    /**
     * Returns what is wrong.
     *
     * @return the kind of problem
     */
    public Kind kind() {
        return kind;
    }


}
