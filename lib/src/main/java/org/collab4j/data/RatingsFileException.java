package org.collab4j.data;

import java.nio.file.Path;

/**
 * Thrown when a ratings file cannot be read as its {@link RatingsFormat} describes. The message
 * names the file, the line and the field, and says what was expected, e.g.
 *
 * <pre>
 * ratings.csv line 17, field 'rating': expected a number, found "abc"
 * </pre>
 */
public final class RatingsFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The file's path; a String rather than a Path, which is not serializable. */
    private final String file;
    /** The 1-based line number, or 0 for the whole file. */
    private final long line;
    /** The column name or {@code "column N"}, or null. */
    private final String field;
    /** What was wrong, without the place and the advice. */
    private final String problem;
    /** The kind of change that fixes it. */
    private final Fix fix;

    /**
     * The kind of change that fixes a file, so that each caller can word the advice for its own surface: the
     * message itself names {@link RatingsFormat.Builder} methods, a command line names its options.
     */
    public enum Fix {
        /** Nothing beyond correcting the value the message shows. */
        NONE,
        /** Convert the file to UTF-8. */
        CONVERT_TO_UTF8,
        /** Correct the quoting, or read the file without quoting (the format's quote character). */
        QUOTING,
        /** The first line looks like a header the format does not expect. */
        HEADER,
        /** The line has one field: the delimiter is probably wrong. */
        DELIMITER,
        /** The rating lies outside the format's rating range. */
        RATING_RANGE,
        /** A user rated an item twice under the duplicate policy ERROR. */
        DUPLICATES
    }

    /**
     * Creates an exception for one field, or for a whole line when {@code field} is null.
     *
     * @param file the file being read
     * @param line the 1-based physical line number, counting the header
     * @param field the column name or {@code "column N"}, or null
     * @param problem what was wrong, e.g. {@code expected a number, found "abc"}
     * @param cause the underlying exception, or null
     */
    RatingsFileException(Path file, long line, String field, String problem, Throwable cause) {
        this(file, line, field, problem, Fix.NONE, "", cause);
    }

    /**
     * Creates an exception with advice: the message is {@code problem; advice}.
     *
     * @param fix the kind of change that fixes it
     * @param advice what to do, in the library's terms (format builder methods, policies), or empty
     */
    RatingsFileException(Path file, long line, String field, String problem, Fix fix, String advice,
            Throwable cause) {
        super(location(file, line, field) + ": " + problem + (advice.isEmpty() ? "" : "; " + advice), cause);
        this.file = file.toString();
        this.line = line;
        this.field = field;
        this.problem = problem;
        this.fix = fix;
    }

    /** Creates an exception about the whole file, such as an empty one. */
    RatingsFileException(Path file, String problem) {
        super(fileName(file) + " " + problem);
        this.file = file.toString();
        this.line = 0;
        this.field = null;
        this.problem = problem;
        this.fix = Fix.NONE;
    }

    private static String location(Path file, long line, String field) {
        return fileName(file) + " line " + line + (field == null ? "" : ", field '" + field + "'");
    }

    /**
     * Returns where the problem is, e.g. {@code ratings.csv line 17, field 'rating'}, or the file name for a
     * problem of the whole file.
     *
     * @return the place
     */
    public String location() {
        return line == 0 ? fileName(file()) : location(file(), line, field);
    }

    /**
     * Returns what was wrong, without the place and the advice, e.g. {@code expected a number, found "abc"}.
     *
     * @return the problem
     */
    public String problem() {
        return problem;
    }

    /**
     * Returns the kind of change that fixes the file, for callers that word their own advice.
     *
     * @return the fix
     */
    public Fix fix() {
        return fix;
    }

    private static String fileName(Path file) {
        Path name = file.getFileName();
        // A pipe or device is shown as typed: the last part of /dev/stdin or of process substitution's /dev/fd/63
        // ("stdin", "63") names nothing the user wrote.
        return name == null || org.collab4j.util.InputFiles.isStream(file) ? file.toString() : name.toString();
    }

    /**
     * Returns the file that could not be read.
     *
     * @return the path as given to {@link Ratings#read(Path, RatingsFormat)}
     */
    public Path file() {
        return Path.of(file);
    }

    /**
     * Returns the 1-based physical line number of the problem, counting the header line.
     *
     * @return the line number, or 0 when the problem concerns the whole file (e.g. it contains no
     *     ratings)
     */
    public long line() {
        return line;
    }

    /**
     * Returns the field that was wrong: the header name of its column, or {@code "column N"} (0-based,
     * as in {@link RatingsFormat.Builder#optRatingColumn(int)}) for files without a header.
     *
     * @return the field, or null when the problem is not tied to one field (malformed quoting, an
     *     empty file)
     */
    public String field() {
        return field;
    }
}
