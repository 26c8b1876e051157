package org.collab4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.collab4j.util.InputFileException;
import org.collab4j.util.InputFiles;
import org.collab4j.util.Shown;

/**
 * Streams a delimited ratings file into a {@link Ratings.Builder}, reporting problems by line and field: the reader
 * behind {@link RatingsFile}, which checks the {@link ReadOptions} line by line.
 */
final class RatingsReader {

    private static final char REPLACEMENT = '\uFFFD';

    private final Path file;
    private final RatingsFormat format;
    private final ReadOptions options;
    /** Where the rating range came from, for the advice when a rating is outside it. */
    private final String rangeName;
    private final Ratings.Builder builder = Ratings.builder();

    private List<String> header;
    private int expectedFields = -1;
    private long firstLine;
    private int rows;
    private int user;
    private int item;
    private int rating;
    private int timestamp = -1;
    /** Each row's line, kept only to name both lines of a duplicate under {@link DuplicatePolicy#ERROR}. */
    private long[] lines;

    private RatingsReader(Path file, RatingsFormat format, ReadOptions options, String rangeName) {
        this.file = file;
        this.format = format;
        this.options = options;
        this.rangeName = rangeName;
    }

    /** Reads with the read options the format carries (its deprecated {@code optDuplicates} and range). */
    static Ratings read(Path file, RatingsFormat format) throws IOException {
        if (format == null) {
            throw new IllegalArgumentException("file and format must not be null");
        }
        return read(file, format, format.readOptions(), "the format's rating range");
    }

    /** Reads with {@code options}; the format's own read settings are not used. */
    static Ratings read(Path file, RatingsFormat format, ReadOptions options) throws IOException {
        return read(file, format, options, "the rating range");
    }

    private static Ratings read(Path file, RatingsFormat format, ReadOptions options, String rangeName)
            throws IOException {
        if (file == null || format == null || options == null) {
            throw new IllegalArgumentException("file, format and read options must not be null");
        }
        try {
            InputFiles.check(file);
        } catch (InputFileException e) {
            if (e.kind() == InputFileException.Kind.EMPTY) {
                throw new RatingsFileException(file, "contains no ratings: the file is empty");
            }
            throw e;
        }
        Ratings plain = PlainRatingsReader.tryRead(file, format, options);
        return plain != null ? plain : readGeneral(file, format, options, rangeName);
    }

    /** Reads any file the format describes with commons-csv, the path every problem is reported from. */
    static Ratings readGeneral(Path file, RatingsFormat format, ReadOptions options, String rangeName)
            throws IOException {
        // Undecodable bytes become U+FFFD so that they can be reported by line and field (see checkId)
        // instead of somewhere in the reader's look-ahead buffer.
        try (BufferedReader in = new BufferedReader(new InputStreamReader(openText(file), StandardCharsets.UTF_8));
                CSVParser parser = new CSVParser(in, format.csvFormat())) {
            return new RatingsReader(file, format, options, rangeName).readAll(parser);
        }
    }

    /** Opens the file once; binary data is a ratings problem (a file's first line), like any other content. */
    private static java.io.InputStream openText(Path file) throws IOException {
        try {
            return InputFiles.openText(file);
        } catch (InputFileException e) {
            if (e.kind() == InputFileException.Kind.BINARY) {
                throw new RatingsFileException(file, "is " + e.problem() + ": it holds no ratings");
            }
            throw e;
        }
    }

    private Ratings readAll(CSVParser parser) throws IOException {
        CsvRecords<RatingsFileException> records = new CsvRecords<>(parser, this::malformed);
        while (records.next()) {
            String[] fields = records.fields();
            long line = records.line();
            if (expectedFields < 0) {
                firstLine = line;
                if (format.hasHeader()) {
                    readHeader(List.of(fields), line);
                    continue;
                }
                resolveColumns(fields.length, line);
            }
            readRow(fields, line);
            if (options.duplicates() == DuplicatePolicy.ERROR) {
                if (lines == null || rows == lines.length) {
                    lines = Arrays.copyOf(lines == null ? new long[0] : lines, Math.max(1024, rows + (rows >> 1)));
                }
                lines[rows] = line;
            }
            rows++;
        }
        if (rows == 0) {
            throw new RatingsFileException(file, header == null
                    ? "contains no ratings: the file is empty"
                    : "contains no ratings, only the header on line " + firstLine);
        }
        Ratings ratings = builder.build();
        return Duplicates.apply(ratings, options.duplicates(), (first, second) -> new RatingsFileException(file,
                lines[second], null, "user " + shown(ratings.users().id(ratings.user(second))) + " rated item "
                        + shown(ratings.items().id(ratings.item(second))) + " already on line " + lines[first],
                RatingsFileException.Fix.DUPLICATES, "remove one of the two lines, or read the file with the"
                        + " duplicate policy KEEP_LAST or MEAN", null));
    }

    private void readHeader(List<String> names, long line) {
        header = names;
        user = resolve(format.userColumn(), line);
        item = resolve(format.itemColumn(), line);
        rating = resolve(format.ratingColumn(), line);
        timestamp = format.timestampColumn() == null ? -1 : resolve(format.timestampColumn(), line);
        resolveColumns(names.size(), line);
    }

    private int resolve(Column column, long line) {
        if (!column.byName()) {
            return column.index();
        }
        int index = header.indexOf(column.name());
        if (index < 0) {
            throw new RatingsFileException(file, line, column.name(),
                    "no column named '" + column.name() + "' in the header; its columns are " + Shown.list(header),
                    delimiterFix(header.size()), delimiterHint(header.size()), null);
        }
        return index;
    }

    /** Checks the resolved columns against the first line's field count, which all lines must have. */
    private void resolveColumns(int fieldCount, long line) {
        if (header == null) {
            user = format.userColumn().index();
            item = format.itemColumn().index();
            rating = format.ratingColumn().index();
            timestamp = format.timestampColumn() == null ? -1 : format.timestampColumn().index();
        }
        int[] columns = {user, item, rating, timestamp};
        String[] roles = {"user", "item", "rating", "timestamp"};
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] >= fieldCount) {
                throw new RatingsFileException(file, line, fieldName(columns[i]),
                        "the format reads the " + roles[i] + " from column " + columns[i] + " (0-based) but "
                                + (header == null ? "the line" : "the header") + " has only " + fieldCount
                                + " fields", delimiterFix(fieldCount), delimiterHint(fieldCount), null);
            }
            for (int j = 0; j < i; j++) {
                if (columns[i] >= 0 && columns[i] == columns[j]) {
                    throw new RatingsFileException(file, line, fieldName(columns[i]),
                            "the " + roles[j] + " and " + roles[i] + " columns are both column " + columns[i]
                                    + "; give each role its own column", null);
                }
            }
        }
        expectedFields = fieldCount;
    }

    private void readRow(String[] fields, long line) {
        if (fields.length != expectedFields) {
            int column = Math.min(fields.length, expectedFields);
            throw new RatingsFileException(file, line, fieldName(column),
                    "expected " + expectedFields + " fields (as " + (header == null ? "on" : "in the header on")
                            + " line " + firstLine + "), found " + fields.length, null);
        }
        String userId = checkId(fields[user], user, line, "a user id");
        String itemId = checkId(fields[item], item, line, "an item id");
        float value = parseRating(fields[rating], line);
        if (timestamp < 0) {
            builder.add(userId, itemId, value);
        } else {
            builder.add(userId, itemId, value, parseTimestamp(fields[timestamp], line));
        }
    }

    private String checkId(String id, int column, long line, String expected) {
        if (id.isEmpty()) {
            throw new RatingsFileException(file, line, fieldName(column),
                    "expected " + expected + ", found an empty value", null);
        }
        if (id.indexOf(REPLACEMENT) >= 0) {
            throw new RatingsFileException(file, line, fieldName(column),
                    "expected " + expected + " in UTF-8, found bytes that are not valid UTF-8 (" + shown(id) + ")",
                    RatingsFileException.Fix.CONVERT_TO_UTF8, "convert the file to UTF-8", null);
        }
        return id;
    }

    private float parseRating(String text, long line) {
        float value;
        try {
            value = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new RatingsFileException(file, line, fieldName(rating),
                    "expected a number, found " + shown(text), headerFix(line), headerHint(line), e);
        }
        if (!Float.isFinite(value)) {
            throw new RatingsFileException(file, line, fieldName(rating),
                    "expected a finite number, found " + shown(text), null);
        }
        if (options.positiveValues() && !(value > 0)) {
            throw new RatingsFileException(file, line, fieldName(rating),
                    "expected a positive interaction weight, found " + shown(text) + "; an interaction's weight"
                            + " or count must be greater than 0 (drop the line, or read the file without aggregating"
                            + " weights)", null);
        }
        if (options.hasRatingRange() && !(value >= options.minRating() && value <= options.maxRating())) {
            throw new RatingsFileException(file, line, fieldName(rating),
                    "expected a rating in [" + options.minRating() + ", " + options.maxRating() + "], found "
                            + shown(text), RatingsFileException.Fix.RATING_RANGE,
                    "fix the line, or widen " + rangeName, null);
        }
        return value;
    }

    private long parseTimestamp(String text, long line) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new RatingsFileException(file, line, fieldName(timestamp),
                    "expected an integer timestamp, found " + shown(text), headerFix(line), headerHint(line), e);
        }
    }

    /** The error for a record with bad quoting (commons-csv's plain IOException), starting on {@code line}. */
    private RatingsFileException malformed(IOException cause, long line) {
        String hint = format.csvFormat().getQuoteCharacter() == null
                ? ""
                : "if the file never quotes fields, build its format with optQuote(null)";
        return new RatingsFileException(file, line, null,
                "malformed quoting in the record starting on this line (" + Shown.plain(cause.getMessage(), 120) + ")",
                RatingsFileException.Fix.QUOTING, hint, cause);
    }

    private String fieldName(int column) {
        return header != null && column < header.size() ? header.get(column) : "column " + column;
    }

    private String headerHint(long line) {
        return header == null && line == firstLine
                ? "if line " + line + " is a header, build the format with optHeader(true)"
                : "";
    }

    private RatingsFileException.Fix headerFix(long line) {
        return header == null && line == firstLine ? RatingsFileException.Fix.HEADER : RatingsFileException.Fix.NONE;
    }

    private String delimiterHint(int fieldCount) {
        return fieldCount == 1
                ? "check the delimiter (the format uses \"" + format.csvFormat().getDelimiterString()
                        .replace("\t", "\\t") + "\")"
                : "";
    }

    private static RatingsFileException.Fix delimiterFix(int fieldCount) {
        return fieldCount == 1 ? RatingsFileException.Fix.DELIMITER : RatingsFileException.Fix.NONE;
    }

    /** A value for a message: quoted, cut short when long, control characters escaped. */
    static String shown(String text) {
        return Shown.quoted(text);
    }
}
