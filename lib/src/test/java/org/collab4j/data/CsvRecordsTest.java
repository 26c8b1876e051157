package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.junit.jupiter.api.Test;

/** The record loop the ratings and feature readers share: lines, blank lines, byte order marks, bad quoting. */
class CsvRecordsTest {

    /** As the readers read: trimmed fields, blank lines kept for the loop to skip. */
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setTrim(true).setIgnoreEmptyLines(false)
            .build();

    /** The quoting error the tests map to: names the line and keeps commons-csv's report. */
    private static final class Quoting extends IOException {
        final long line;

        Quoting(IOException cause, long line) {
            super("line " + line, cause);
            this.line = line;
        }
    }

    /** Each record as "line: field|field". */
    private static List<String> read(String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (CSVParser parser = new CSVParser(new StringReader(text), FORMAT)) {
            CsvRecords<Quoting> records = new CsvRecords<>(parser, Quoting::new);
            while (records.next()) {
                out.add(records.line() + ": " + String.join("|", records.fields()));
            }
            assertNull(records.fields());
            assertFalse(records.next());
        }
        return out;
    }

    @Test
    void eachRecordHasTheLineItStartsOn() throws IOException {
        assertEquals(List.of("1: a|b", "2: 1|2", "3: 3|4"), read("a,b\n1,2\n3,4\n"));
        assertEquals(List.of("1: a|b", "2: 1|2"), read("a,b\r\n1,2"));
    }

    @Test
    void aRecordAfterOneThatSpansLinesStartsAfterItsEnd() throws IOException {
        assertEquals(List.of("1: a|b", "2: x\ny\nz|1", "5: c|2", "6: d\r\ne|3", "8: f|4"),
                read("a,b\n\"x\ny\nz\",1\nc,2\n\"d\r\ne\",3\r\nf,4\n"));
    }

    @Test
    void blankLinesAreSkippedButCounted() throws IOException {
        assertEquals(List.of("3: a|b", "5: 1|2", "8: 3|4"), read("\n\na,b\n   \n1,2\n\r\n\n3,4\n\n"));
        assertEquals(List.of(), read("\n \n\n"));
        assertEquals(List.of(), read(""));
    }

    @Test
    void aByteOrderMarkIsDroppedBeforeTheFirstRecordOnly() throws IOException {
        assertEquals(List.of("1: userId|item", "2: 1|2"), read("\uFEFFuserId,item\n1,2\n"));
        // Dropped, and the field trimmed again (commons-csv trimmed it with the mark in front).
        assertEquals(List.of("1: userId|item"), read("\uFEFF  userId ,item\n"));
        // A mark alone is a blank line; a mark before the first record still goes after blank lines.
        assertEquals(List.of("2: a|b"), read("\uFEFF\na,b\n"));
        assertEquals(List.of("3: a|b"), read("\n\n\uFEFFa,b\n"));
        // Once a record has been read, a mark is data.
        assertEquals(List.of("1: a|b", "2: \uFEFFc|d"), read("a,b\n\uFEFFc,d\n"));
        // Only one mark goes.
        assertEquals(List.of("1: \uFEFFa|b"), read("\uFEFF\uFEFFa,b\n"));
    }

    @Test
    void badQuotingIsTheReadersErrorAtTheLineTheRecordStartsOn() throws IOException {
        // The bad record starts on line 5, after a record that spans lines 2-3 and a blank line.
        String text = "a,b\n\"x\ny\",1\n\n\"bad\"x,2\nc,3\n";
        List<String> seen = new ArrayList<>();
        try (CSVParser parser = new CSVParser(new StringReader(text), FORMAT)) {
            CsvRecords<Quoting> records = new CsvRecords<>(parser, Quoting::new);
            Quoting e = assertThrows(Quoting.class, () -> {
                while (records.next()) {
                    seen.add(records.line() + ": " + String.join("|", records.fields()));
                }
            });
            assertEquals(5, e.line);
            assertSame(IOException.class, e.getCause().getClass());
            assertTrue(e.getCause().getMessage().contains("invalid char between encapsulated token and delimiter"),
                    e.getCause().getMessage());
        }
        assertEquals(List.of("1: a|b", "2: x\ny|1"), seen);
    }

    @Test
    void anUnclosedQuoteIsReportedAtTheLineItOpensOn() throws IOException {
        try (CSVParser parser = new CSVParser(new StringReader("a,b\n\n1,\"open\n2,3\n4,5\n"), FORMAT)) {
            CsvRecords<Quoting> records = new CsvRecords<>(parser, Quoting::new);
            assertTrue(records.next());
            Quoting e = assertThrows(Quoting.class, records::next);
            assertEquals(3, e.line);
        }
    }

    @Test
    void aRealReadFailureStaysAsItIs() throws IOException {
        AccessDeniedException denied = new AccessDeniedException("ratings.csv");
        Reader failing = new Reader() {
            @Override
            public int read(char[] buffer, int offset, int length) throws IOException {
                throw denied;
            }

            @Override
            public void close() {
            }
        };
        try (CSVParser parser = new CSVParser(failing, FORMAT)) {
            CsvRecords<Quoting> records = new CsvRecords<>(parser, (cause, line) -> {
                throw new AssertionError("a read failure is not a quoting error");
            });
            assertSame(denied, assertThrows(AccessDeniedException.class, records::next));
        }
    }
}
