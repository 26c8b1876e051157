package org.collab4j.examples;

import org.collab4j.data.RatingsFileException;
import org.collab4j.recommend.UnknownIdException;
import org.collab4j.util.Shown;

import picocli.CommandLine;

/**
 * Words library errors for the command line: the library's messages name Java methods and policies
 * ({@code optQuote(null)}, {@code UnknownIdPolicy.FALLBACK}); here the advice names the command's own options,
 * or says what to change in the file where no option helps.
 */
final class CliMessages {

    private CliMessages() {}

    /**
     * Returns the message for an error raised while a command ran.
     *
     * @param e the error
     * @param command the command that ran, to know which options it has
     * @return the message, without the {@code error: } prefix
     */
    static String of(Exception e, CommandLine command) {
        if (e instanceof RatingsFileException r) {
            String advice = advice(r, command);
            return r.getMessage() == null || advice == null ? String.valueOf(r.getMessage())
                    : r.location() + ": " + r.problem() + (advice.isEmpty() ? "" : "; " + advice);
        }
        if (e instanceof UnknownIdException u) {
            String advice;
            if (!u.fallbackHelps()) {
                advice = "check the id: only " + u.kind() + "s with training ratings have factors to compare";
            } else if (has(command, "--unknown")) {
                advice = "pass --unknown FALLBACK to predict from the global mean instead";
            } else {
                advice = "check the id";
            }
            return "Unknown " + u.kind() + " id '" + Shown.plain(u.id(), 60) + "': " + u.reason() + "; " + advice;
        }
        return String.valueOf(e.getMessage());
    }

    /** The advice for a ratings file in the command's terms, or null to keep the library's message. */
    private static String advice(RatingsFileException e, CommandLine command) {
        return switch (e.fix()) {
            case NONE -> null;
            case CONVERT_TO_UTF8 -> "convert the file to UTF-8, e.g. iconv -f LATIN1 -t UTF-8";
            case QUOTING -> "fix the quotes from that line on: a field that starts with a double quote must end"
                    + " with one, and a quote inside a quoted field is written twice";
            case HEADER -> given(command, "--no-header")
                    ? "if line " + e.line() + " is a header, leave out --no-header"
                    : "if line " + e.line() + " is a header, remove it: this --format has none";
            case DELIMITER -> has(command, "--sep")
                    ? "check the delimiter: pass --sep, or --format for a MovieLens layout"
                    : "check the delimiter: pass --format for the file's layout (csv, tsv or dat)";
            case RATING_RANGE -> "fix the line, or widen --y-range (or leave out --strict-range, which makes this"
                    + " an error)";
            case DUPLICATES -> "remove one of the two lines, or pass --duplicates KEEP_LAST or MEAN";
        };
    }

    private static boolean given(CommandLine command, String option) {
        return command != null && command.getParseResult() != null
                && command.getParseResult().hasMatchedOption(option);
    }

    private static boolean has(CommandLine command, String option) {
        return command != null && command.getCommandSpec().optionsMap().containsKey(option);
    }
}
