package org.collab4j.util;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@link InputFileException} and {@link OutputFileException} share: the file, what is wrong with it and what
 * to do, in a message of the form {@code cannot VERB FILE: PROBLEM; ADVICE}. {@link #problem()} and
 * {@link #advice()} give the two parts apart, so that a command line can name its option instead.
 */
public abstract class FileProblemException extends IOException {

    private static final long serialVersionUID = 1L;

    /** A String rather than a Path, which is not serializable. */
    private final String file;
    private final String problem;
    private final String advice;

    protected FileProblemException(String verb, Path file, String problem, String advice, Throwable cause) {
        super("cannot " + verb + " " + Shown.plain(file.toString(), 300) + ": " + problem
                + (advice.isEmpty() ? "" : "; " + advice), cause);
        this.file = file.toString();
        this.problem = problem;
        this.advice = advice;
    }

    /**
     * Returns the file.
     *
     * @return the path as given
     */
    public Path file() {
        return Path.of(file);
    }

    /**
     * Returns what is wrong, without the path, e.g. {@code a directory}.
     *
     * @return the problem
     */
    public String problem() {
        return problem;
    }

    /**
     * Returns what to do, e.g. {@code check the path}; empty when nothing more can be said.
     *
     * @return the advice
     */
    public String advice() {
        return advice;
    }
}
