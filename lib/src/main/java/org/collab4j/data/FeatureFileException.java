package org.collab4j.data;

import java.nio.file.Path;

import org.collab4j.util.FileProblemException;

/**
 * Thrown when a feature file cannot be read as its {@link FeatureFormat} describes, or holds something a feature
 * table cannot: an I/O-level input problem like {@link org.collab4j.util.InputFileException} (so the command lines
 * report it as bad input, exit status 2), with the line and column of the content problem like
 * {@link RatingsFileException}. The message says what, where and what to do, e.g.
 *
 * <pre>
 * cannot read /data/movies.csv: line 17, column 'year': expected a number, found "abc"; fix the value, or leave it empty for a missing value
 * </pre>
 *
 * <p>{@link #line()}, {@link #column()} and {@link #kind()} give the parts apart; {@link #problem()} is the message
 * without the path and the advice.
 */
public final class FeatureFileException extends FileProblemException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with a feature file. */
    public enum Kind {
        /** The file has a header, or not even that, but no rows. */
        NO_ROWS,
        /** A column the format reads is not in the header, or beyond the fields of a file without one. */
        MISSING_COLUMN,
        /** A line has another number of fields than the header (or the first line). */
        FIELD_COUNT,
        /** A line's id is empty. */
        EMPTY_ID,
        /** An id is on two lines of a format whose rows do not accumulate. */
        DUPLICATE_ID,
        /** Text in a numeric column. */
        NOT_A_NUMBER,
        /** NaN or an infinity in a numeric column (or a number too large for a float). */
        NOT_FINITE,
        /** A value the column's mapping refuses (e.g. a genre flag other than 0 or 1). */
        BAD_VALUE,
        /** More distinct feature values than the format's cap. */
        TOO_MANY_FEATURES,
        /** Bytes that are not valid in the format's character set. */
        ENCODING,
        /** A quoted field that does not end. */
        QUOTING
    }

    private final long line;
    private final String column;
    private final Kind kind;

    /**
     * Creates the exception.
     *
     * @param file the feature file
     * @param line the 1-based physical line of the problem (counting the header), or 0 for the whole file
     * @param column the column's header name or {@code column N} (0-based), or null when no one column is wrong
     * @param kind what is wrong
     * @param problem what is wrong in words, without the place, e.g. {@code expected a number, found "abc"}
     * @param advice what to do, or empty
     */
    public FeatureFileException(Path file, long line, String column, Kind kind, String problem, String advice) {
        this(file, line, column, kind, problem, advice, null);
    }

    FeatureFileException(Path file, long line, String column, Kind kind, String problem, String advice,
            Throwable cause) {
        super("read", file, place(line, column) + problem, advice, cause);
        this.line = line;
        this.column = column;
        this.kind = kind;
    }

    private static String place(long line, String column) {
        String at = (line > 0 ? "line " + line : "") + (column == null ? ""
                : (line > 0 ? ", " : "") + "column '" + column + "'");
        return at.isEmpty() ? "" : at + ": ";
    }

    /**
     * Returns the 1-based physical line of the problem, counting the header.
     *
     * @return the line, or 0 when the problem is the whole file's (no rows, too many features)
     */
    public long line() {
        return line;
    }

    /**
     * Returns the column that is wrong: its header name, or {@code column N} (0-based) in a file without a header.
     *
     * @return the column, or null when the problem is not one column's (a line's field count, bad quoting)
     */
    public String column() {
        return column;
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
