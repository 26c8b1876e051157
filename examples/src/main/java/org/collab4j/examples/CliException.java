package org.collab4j.examples;

/**
 * A problem found by a command before or while it works, already worded for the command line: one line saying
 * what, where (the option and its value) and what to do. {@link Main} prints it as {@code error: ...} and exits
 * with status 2.
 */
final class CliException extends org.collab4j.cli.CliException {

    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
