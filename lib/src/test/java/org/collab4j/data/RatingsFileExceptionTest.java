package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed file names the file, the line and the field, and says what was expected. */
class RatingsFileExceptionTest {

    private static final String HEADER = "userId,movieId,rating,timestamp\n";

    @TempDir
    Path dir;

    private RatingsFileException fail(String content, RatingsFormat format) throws IOException {
        Path file = Files.writeString(dir.resolve("ratings.csv"), content, StandardCharsets.UTF_8);
        return assertThrows(RatingsFileException.class, () -> Ratings.read(file, format));
    }

    private RatingsFileException failCsv(String content) throws IOException {
        return fail(content, RatingsFormat.MOVIELENS_CSV);
    }

    private static void assertMessage(RatingsFileException e, long line, String field, String... parts) {
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith("ratings.csv line " + line
                + (field == null ? ":" : ", field '" + field + "':")), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void nonNumericRatingHasTheExactMessage() throws IOException {
        RatingsFileException e = failCsv(HEADER + "1,1,4.0,1\n1,2,abc,2\n");
        assertEquals("ratings.csv line 3, field 'rating': expected a number, found \"abc\"", e.getMessage());
        assertEquals(dir.resolve("ratings.csv"), e.file());
    }

    @Test
    void tooFewFieldsNamesTheFirstMissingColumn() throws IOException {
        RatingsFileException e = failCsv(HEADER + "1,1,4.0,1\n1,2,4.0,2\n1,3,4.0\n");
        assertMessage(e, 4, "timestamp", "expected 4 fields", "found 3");
    }

    @Test
    void tooManyFields() throws IOException {
        RatingsFileException e = failCsv(HEADER + "1,1,4.0,1,extra\n");
        assertMessage(e, 2, "column 4", "expected 4 fields", "found 5");
    }

    @Test
    void nanAndInfiniteRatingsAreRejected() throws IOException {
        assertMessage(failCsv(HEADER + "1,1,NaN,1\n"), 2, "rating", "expected a finite number, found \"NaN\"");
        assertMessage(failCsv(HEADER + "1,1,-Infinity,1\n"), 2, "rating", "expected a finite number");
        assertMessage(failCsv(HEADER + "1,1,1e40,1\n"), 2, "rating", "expected a finite number");
        assertMessage(failCsv(HEADER + "1,1,,1\n"), 2, "rating", "expected a number, found an empty value");
    }

    @Test
    void nonIntegerTimestamp() throws IOException {
        RatingsFileException e = failCsv(HEADER + "1,1,4.0,1\n1,1,4.0,2020-01-01\n");
        assertMessage(e, 3, "timestamp", "expected an integer timestamp, found \"2020-01-01\"");
    }

    @Test
    void emptyIds() throws IOException {
        assertMessage(failCsv(HEADER + ",1,4.0,1\n"), 2, "userId", "expected a user id, found an empty value");
        assertMessage(failCsv(HEADER + "1, ,4.0,1\n"), 2, "movieId", "expected an item id, found an empty value");
    }

    @Test
    void columnMissingFromTheHeaderListsTheHeader() throws IOException {
        RatingsFileException e = failCsv("user,movieId,rating,timestamp\n1,1,4.0,1\n");
        assertMessage(e, 1, "userId", "no column named 'userId'", "[user, movieId, rating, timestamp]");
    }

    @Test
    void wrongDelimiterIsHinted() throws IOException {
        RatingsFileException e = fail("1::2::3::4\n", RatingsFormat.ML_100K);
        assertMessage(e, 1, "column 1", "has only 1 fields", "check the delimiter", "\\t");
    }

    @Test
    void emptyFileAndHeaderOnly() throws IOException {
        RatingsFileException empty = failCsv("");
        assertEquals("ratings.csv contains no ratings: the file is empty", empty.getMessage());
        assertEquals(0, empty.line());
        assertNull(empty.field());

        RatingsFileException headerOnly = failCsv(HEADER);
        assertTrue(headerOnly.getMessage().contains("ratings.csv contains no ratings"), headerOnly.getMessage());
        assertTrue(headerOnly.getMessage().contains("header on line 1"), headerOnly.getMessage());

        assertTrue(failCsv("\n\n").getMessage().contains("contains no ratings"));
    }

    @Test
    void filesWithoutHeaderNameColumnsByIndexAndHintAtHeaders() throws IOException {
        RatingsFileException data = fail("1\t2\t3\t4\n1\t2\tx\t4\n", RatingsFormat.ML_100K);
        assertMessage(data, 2, "column 2", "expected a number, found \"x\"");
        assertTrue(!data.getMessage().contains("optHeader"), data.getMessage());

        RatingsFileException header = fail("user\titem\trating\ttime\n1\t2\t3\t4\n", RatingsFormat.ML_100K);
        assertMessage(header, 1, "column 2", "expected a number, found \"rating\"", "optHeader(true)");
    }

    @Test
    void lineNumbersCountCrlfBlankLinesAndMultiLineRecords() throws IOException {
        assertMessage(failCsv("userId,movieId,rating,timestamp\r\n1,1,4,1\r\n1,2,4,2\r\n1,3,x,3\r\n"),
                4, "rating", "found \"x\"");
        assertMessage(failCsv(HEADER + "\n1,1,4,1\n\n\n1,2,x,2\n"), 6, "rating", "found \"x\"");
        // The quoted id spans lines 2-3, so the bad rating on the next record is on line 4.
        assertMessage(failCsv(HEADER + "1,\"two\nlines\",4,1\n1,2,x,2\n"), 4, "rating", "found \"x\"");
        assertMessage(failCsv(HEADER + "1,2,4,1\n1,2,x,2"), 3, "rating", "found \"x\"");
    }

    @Test
    void malformedQuotingIsReportedWithItsLine() throws IOException {
        RatingsFileException unterminated = failCsv(HEADER + "1,1,4,1\n1,\"2,4,1\n1,3,4,1\n");
        assertMessage(unterminated, 3, null, "malformed quoting", "optQuote(null)");
        assertTrue(unterminated.getCause() instanceof IOException);

        RatingsFileException stray = failCsv(HEADER + "1,1,4,1\n1,\"2\"x,4,1\n");
        assertMessage(stray, 3, null, "malformed quoting");
    }

    @Test
    void invalidUtf8IsReportedWithItsField() throws IOException {
        Path file = dir.resolve("ratings.csv");
        byte[] latin1 = (HEADER + "1,1,4,1\nJos\u00e9,2,4,2\n").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(file, latin1);
        RatingsFileException e =
                assertThrows(RatingsFileException.class, () -> Ratings.read(file, RatingsFormat.MOVIELENS_CSV));
        assertMessage(e, 3, "userId", "not valid UTF-8");
    }

    @Test
    void columnsResolvingToTheSameIndexAreReported() throws IOException {
        RatingsFormat format = RatingsFormat.builder().setDelimiter(",").optItemColumn("userId").build();
        RatingsFileException clash = fail(HEADER + "1,1,4,1\n", format);
        assertMessage(clash, 1, "userId", "user and item columns are both column 0");
    }

    @Test
    void ratingsOutsideTheFormatsRangeAreRejectedWhenAsked() throws IOException {
        String content = HEADER + "1,1,0.5,1\n1,2,5,2\n1,3,5.5,3\n";
        Path file = Files.writeString(dir.resolve("ratings.csv"), content, StandardCharsets.UTF_8);
        assertEquals(3, Ratings.read(file, RatingsFormat.MOVIELENS_CSV).size()); // no range: accepted
        RatingsFormat stars = RatingsFormat.MOVIELENS_CSV.toBuilder().optRatingRange(0.5f, 5f).build();
        assertMessage(fail(content, stars), 4, "rating", "expected a rating in [0.5, 5.0], found \"5.5\"",
                "widen the format's rating range");
        assertMessage(fail(HEADER + "1,1,-1,1\n", stars), 2, "rating", "found \"-1\"");
        assertTrue(stars.toString().endsWith("ratingRange=[0.5, 5.0]]"), stars.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RatingsFormat.MOVIELENS_CSV.toBuilder().optRatingRange(5f, 1f).build());
        assertTrue(e.getMessage().contains("min <= max"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RatingsFormat.MOVIELENS_CSV.toBuilder().optRatingRange(Float.NaN, 1f).build());
    }

    @Test
    void aVeryLongBadValueIsCutShortInTheMessage() throws IOException {
        String longValue = "9".repeat(100_000) + "x";
        RatingsFileException e = failCsv(HEADER + "1,1," + longValue + ",1\n");
        assertMessage(e, 2, "rating", "expected a number, found \"" + "9".repeat(40) + "...(100001 characters)\"");
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @Test
    void missingFileIsAnIOException() {
        assertThrows(IOException.class, () -> Ratings.read(dir.resolve("missing.csv"), RatingsFormat.MOVIELENS_CSV));
    }
}
