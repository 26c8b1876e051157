package org.collab4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The non-blank records of a delimited file read with commons-csv, each with the line it starts on: the record loop
 * shared by {@link RatingsReader} and {@link FeatureReader}. A cursor ({@link #next()}, then {@link #fields()} and
 * {@link #line()}), so that the reader's own checked errors propagate from its loop body as they are.
 *
 * <ul>
 *   <li>A record's line is the line after the one the previous record ended on: right for records that span lines
 *       (a quoted field holding line breaks) and after blank lines.</li>
 *   <li>A record commons-csv cannot parse (bad quoting, reported as a plain {@link IOException} wrapped in an
 *       {@link UncheckedIOException}) becomes the reader's own error, made by its {@link QuotingError} at the line
 *       the record starts on; any other {@link IOException} (a real I/O failure) is rethrown as it is.</li>
 *   <li>A UTF-8 byte order mark at the start of the first field is dropped (and that field trimmed) until the first
 *       non-blank record.</li>
 *   <li>Blank lines (one empty field) are skipped.</li>
 * </ul>
 *
 * @param <X> the reader's error for a malformed record
 */
final class CsvRecords<X extends Exception> {

    /**
     * Makes a reader's error for a record commons-csv could not parse.
     *
     * @param <X> the error
     */
    @FunctionalInterface
    interface QuotingError<X extends Exception> {
        /**
         * @param cause commons-csv's report (a plain {@link IOException})
         * @param line the line the record starts on (1-based)
         * @return the error to throw
         */
        X at(IOException cause, long line);
    }

    private static final char BOM = '\uFEFF';

    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final QuotingError<? extends X> quotingError;
    /** The line the previous record ended on, 0 before the first. */
    private long endOfPrevious;
    private boolean seenContent;
    private String[] fields;
    private long line;

    CsvRecords(CSVParser parser, QuotingError<? extends X> quotingError) {
        this.parser = parser;
        this.records = parser.iterator();
        this.quotingError = quotingError;
    }

    /**
     * Moves to the next non-blank record.
     *
     * @return false at the end of the file
     * @throws X if the record is malformed (bad quoting)
     * @throws IOException if reading fails
     */
    boolean next() throws IOException, X {
        while (true) {
            long start = endOfPrevious + 1;
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    fields = null;
                    return false;
                }
                record = records.next();
            } catch (UncheckedIOException e) {
                IOException cause = e.getCause();
                // commons-csv reports bad quoting with a plain IOException; anything more specific is a real
                // I/O failure and stays an IOException.
                if (cause.getClass() != IOException.class) {
                    throw cause;
                }
                throw quotingError.at(cause, start);
            }
            // After a record the parser's line number is the line the record ends on.
            endOfPrevious = parser.getCurrentLineNumber();
            String[] values = record.values();
            if (!seenContent && values[0].indexOf(BOM) == 0) {
                values[0] = values[0].substring(1).trim();
            }
            if (values.length == 1 && values[0].isEmpty()) {
                continue; // a blank line
            }
            seenContent = true;
            fields = values;
            line = start;
            return true;
        }
    }

    /** @return the current record's fields (the caller may change them) */
    String[] fields() {
        return fields;
    }

    /** @return the line the current record starts on (1-based) */
    long line() {
        return line;
    }
}
