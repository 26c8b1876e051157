package org.collab4j.spark.app;

import org.collab4j.cli.CliException;
import org.collab4j.spark.SparkRatings;

import java.net.URI;
import java.nio.file.Path;

/**
 * The app's words for what the library says in Java terms: a column problem names the app's option
 * ({@code --user-col}, ...) and the file given with {@code --ratings} or {@code --valid}, never a Java call.
 */
final class AppMessages {

    private AppMessages() {}

    /**
     * Rewords a column problem of a table read from a file option.
     *
     * @param e what {@link SparkRatings} threw
     * @param option the file's option, e.g. {@code --ratings}
     * @param path the file as given
     * @return the command-line error
     */
    static CliException of(SparkRatings.ColumnException e, String option, String path) {
        String where = option + " " + path;
        if (e.kind() == SparkRatings.ColumnException.Kind.NO_ROWS) {
            return new CliException(where + " has no rows: there is nothing to train on; check the path and"
                    + " --format", e);
        }
        String colOption = "--" + e.role() + "-col";
        String what = e.role().equals("rating") ? "the ratings" : "the " + e.role() + " ids";
        return switch (e.kind()) {
            case MISSING -> new CliException("no column '" + e.column() + "' for " + what + " in " + where
                    + ", whose columns are " + e.detail() + "; name the right one with " + colOption, e);
            case TYPE -> new CliException("the column '" + e.column() + "' (" + colOption + ") of " + where
                    + " has type " + e.detail() + (e.role().equals("rating")
                            ? ", not a number" : ", which cannot be an id") + "; name another column with "
                    + colOption, e);
            default -> new CliException(e.detail() + " (" + colOption + ") of " + where + "; remove or fix those"
                    + " rows in the file", e);
        };
    }

    /**
     * Rewords what the read options found in a table (a duplicate under {@code --duplicates ERROR}, a rating
     * outside {@code --y-range} under {@code --strict-range}): the option to pass, not the Java policy.
     *
     * @param e what {@link org.collab4j.data.ReadOptions#applyTo} threw
     * @param option the file's option, e.g. {@code --ratings}
     * @param path the file as given
     * @return the command-line error
     */
    static CliException readOptions(IllegalArgumentException e, String option, String path) {
        String message = String.valueOf(e.getMessage())
                .replace("choose DuplicatePolicy.KEEP_LAST or MEAN to resolve them", "pass --duplicates KEEP_LAST"
                        + " or MEAN to resolve them")
                .replace("or widen the rating range", "or widen --y-range (or leave out --strict-range)");
        return new CliException(message + " (" + option + " " + path + ")", e);
    }

    /**
     * The local file a Spark path names, or null for another file system (hdfs:, s3a:, ...), which the app
     * cannot check before Spark starts.
     *
     * @param path a path as given to Spark
     * @return the local path, or null
     */
    static Path local(String path) {
        if (path == null) {
            return null;
        }
        if (path.startsWith("file:")) {
            try {
                return Path.of(URI.create(path));
            } catch (IllegalArgumentException e) {
                return Path.of(path.substring("file:".length()));
            }
        }
        return path.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*") ? null : Path.of(path);
    }
}
