package org.collab4j.util;

import java.nio.file.Path;

/**
 * Thrown by {@link OutputFiles} when an output file cannot be written: found before any work starts (it is one of
 * the run's inputs, a directory, in a folder that is a file or read-only, a name too long), or while writing (a
 * full disk, a folder removed). The message says what, where and what to do, e.g.
 *
 * <pre>
 * cannot write /data/ratings.csv: also an input of this run (the ratings): writing it would replace that input; choose another file
 * </pre>
 *
 * {@link #problem()} and {@link #advice()} give the two parts apart, so that a command line can name its option
 * instead.
 */
public final class OutputFileException extends FileProblemException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with an output file. */
    public enum Kind {
        /** The path is also an input of the same run (compared by real path, so links count). */
        IS_INPUT,
        /** The path is also another output of the same run (compared by real path). */
        IS_OTHER_OUTPUT,
        /** A pipe, FIFO or device exists at the path: outputs are files, replaced by an atomic rename. */
        NOT_A_FILE,
        /** A directory exists where the file would go. */
        DIRECTORY,
        /** A parent of the path is a file, not a folder. */
        NOT_A_FOLDER,
        /** The folder (or the nearest existing parent, when folders are to be created) is not writable. */
        NOT_WRITABLE,
        /** The file name is longer than file systems allow. */
        NAME_TOO_LONG,
        /** Writing failed midway (a full disk, a quota, a folder removed); the previous file is unchanged. */
        WRITE_FAILED
    }

    private final Kind kind;

    OutputFileException(Path file, Kind kind, String problem, String advice, Throwable cause) {
        super("write", file, problem, advice, cause);
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
