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
        super(fileName(file) + " line " + line + (field == null ? "" : ", field '" + field + "'") + ": " + problem,
                cause);
        this.file = file.toString();
        this.line = line;
        this.field = field;
    }

    /** Creates an exception about the whole file, such as an empty one. */
    RatingsFileException(Path file, String problem) {
        super(fileName(file) + " " + problem);
        this.file = file.toString();
        this.line = 0;
        this.field = null;
    }

    private static String fileName(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
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
