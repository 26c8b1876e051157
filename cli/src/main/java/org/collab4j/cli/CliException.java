package org.collab4j.cli;

/**
 * A problem found by a command before or while it works, already worded for the command line: one line saying
 * what, where (the option and its value) and what to do. Both command lines print it as {@code error: ...} and
 * exit with status 2.
 */
public class CliException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the whole line after {@code error: }
     */
    public CliException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message the whole line after {@code error: }
     * @param cause what the library threw
     */
    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
