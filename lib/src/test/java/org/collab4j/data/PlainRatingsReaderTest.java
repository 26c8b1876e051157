package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast path reads plain files into the very table the general reader builds, and leaves every other file, and
 * every problem, to the general reader.
 */
class PlainRatingsReaderTest {

    private static final ReadOptions DEFAULTS = ReadOptions.builder().build();

    @TempDir
    Path dir;

    @Test
    void parsesDecimalsExactlyAsParseFloat() {
        Random random = new Random(7);
        for (int n = 0; n < 200_000; n++) {
            String text = random.nextInt(10) == 0 ? "-" : "";
            text += random.nextInt(n % 3 == 0 ? 10 : 1_000_000);
            int decimals = random.nextInt(5);
            if (decimals > 0 || random.nextBoolean()) {
                text += ".";
            }
            for (int d = 0; d < decimals; d++) {
                text += random.nextInt(10);
            }
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            float fast = PlainRatingsReader.parseFloat(bytes, 0, bytes.length);
            if (!Float.isNaN(fast)) {
                assertEquals(Float.floatToIntBits(Float.parseFloat(text)), Float.floatToIntBits(fast), text);
            } else {
                String digits = text.replace("-", "").replace(".", "");
                assertTrue(digits.length() > 8 || Long.parseLong(digits) > 1 << 24, "gave up on " + text);
            }
        }
        for (String refused : new String[] {"", "-", ".", "1e3", "+1", "0x1", "NaN", "1.2.3", "123456789"}) {
            byte[] bytes = refused.getBytes(StandardCharsets.US_ASCII);
            assertTrue(Float.isNaN(PlainRatingsReader.parseFloat(bytes, 0, bytes.length)), refused);
        }
    }

    @Test
    void readsPlainFilesAsTheGeneralReaderDoes() throws IOException {
        Random random = new Random(11);
        for (int run = 0; run < 30; run++) {
            StringBuilder text = new StringBuilder("userId,movieId,rating,timestamp\n");
            int rows = 1 + random.nextInt(3000);
            for (int row = 0; row < rows; row++) {
                text.append(run % 2 == 0 ? "u" : "").append(random.nextInt(50)).append(',')
                        .append(random.nextInt(400)).append(run % 3 == 0 ? "_x," : ",")
                        .append(random.nextInt(10) / 2.0f).append(',').append(random.nextInt(Integer.MAX_VALUE))
                        .append('\n');
            }
            if (run % 4 == 1) {
                text.setLength(text.length() - 1); // no newline at the end
            }
            Path file = write("plain" + run + ".csv", text.toString());
            Ratings fast = PlainRatingsReader.tryRead(file, RatingsFormat.MOVIELENS_CSV, DEFAULTS);
            assertNotNull(fast, "a plain file takes the fast path");
            assertSame(RatingsReader.readGeneral(file, RatingsFormat.MOVIELENS_CSV, DEFAULTS, "range"), fast);
        }
    }

    @Test
    void readsTabsWithoutHeaderAndResolvesDuplicatesAlike() throws IOException {
        Path file = write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n196\t242\t5\t881250950\n");
        for (DuplicatePolicy policy : new DuplicatePolicy[] {DuplicatePolicy.KEEP_ALL, DuplicatePolicy.KEEP_LAST,
            DuplicatePolicy.MEAN}) {
            ReadOptions options = ReadOptions.builder().optDuplicates(policy).build();
            Ratings fast = PlainRatingsReader.tryRead(file, RatingsFormat.ML_100K, options);
            assertNotNull(fast);
            assertSame(RatingsReader.readGeneral(file, RatingsFormat.ML_100K, options, "range"), fast);
        }
        ReadOptions error = ReadOptions.builder().optDuplicates(DuplicatePolicy.ERROR).build();
        assertNull(PlainRatingsReader.tryRead(file, RatingsFormat.ML_100K, error), "a duplicate's message needs"
                + " the general reader's line numbers");
    }

    @Test
    void leavesAnythingElseToTheGeneralReader() throws IOException {
        String[] others = {
            "userId,movieId,rating,timestamp\n\"1\",2,3.0,4\n", // quotes
            "userId,movieId,rating,timestamp\r\n1,2,3.0,4\r\n", // CRLF
            "userId,movieId,rating,timestamp\n1, 2,3.0,4\n", // a space (the format trims)
            "userId,movieId,rating,timestamp\n1,2,3.0,4\n\n2,2,3.0,4\n", // a blank line
            "\uFEFFuserId,movieId,rating,timestamp\n1,2,3.0,4\n", // a byte-order mark
            "userId,movieId,rating,timestamp\n\u00e9,2,3.0,4\n", // not ASCII
            "userId,movieId,rating,timestamp\n1,2,3e0,4\n", // a number only parseFloat reads
            "userId,movieId,rating,timestamp\n1,2,abc,4\n", // not a number
            "userId,movieId,rating,timestamp\n1,2,3.0,4.5\n", // not an integer timestamp
            "userId,movieId,rating,timestamp\n1,2,3.0\n", // a field missing
            "userId,movieId,rating,timestamp\n1,,3.0,4\n", // an empty id
            "userId,movieId,rating,timestamp\n", // only the header
            "user,movie,rating,timestamp\n1,2,3.0,4\n", // no userId column
        };
        for (int k = 0; k < others.length; k++) {
            Path file = write("other" + k + ".csv", others[k]);
            assertNull(PlainRatingsReader.tryRead(file, RatingsFormat.MOVIELENS_CSV, DEFAULTS), others[k]);
        }
        Path outOfRange = write("range.csv", "userId,movieId,rating,timestamp\n1,2,9.0,4\n");
        assertNull(PlainRatingsReader.tryRead(outOfRange, RatingsFormat.MOVIELENS_CSV,
                ReadOptions.builder().optRatingRange(0.5f, 5f).build()));
    }

    @Test
    void mutatedFilesReadOrFailAsWithTheGeneralReader() throws IOException {
        byte[] valid = ("userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,1029,3.0,1260759179\n"
                + "2,10,4.0,835355493\n2,31,0.5,835355681\n3,1029,4.5,1260759185\n").getBytes(StandardCharsets.UTF_8);
        Random random = new Random(20_261_206L);
        for (int k = 0; k < 300; k++) {
            Path file = dir.resolve("m" + k + ".csv");
            Files.write(file, RatingsFuzzTest.mutate(valid, random, ",\n\r\" .-+e0159a\t".getBytes(
                    StandardCharsets.US_ASCII)));
            if (Files.size(file) == 0) {
                continue; // refused before either reader runs
            }
            Object viaRead = outcome(() -> Ratings.read(file, RatingsFormat.MOVIELENS_CSV, DEFAULTS));
            Object viaGeneral = outcome(() -> RatingsReader.readGeneral(file, RatingsFormat.MOVIELENS_CSV, DEFAULTS,
                    "the rating range"));
            if (viaRead instanceof Ratings a && viaGeneral instanceof Ratings b) {
                assertSame(b, a);
            } else {
                assertEquals(String.valueOf(viaGeneral), String.valueOf(viaRead), new String(Files.readAllBytes(file),
                        StandardCharsets.UTF_8));
            }
        }
    }

    private interface Read {
        Ratings read() throws IOException;
    }

    private static Object outcome(Read read) {
        try {
            return read.read();
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static void assertSame(Ratings expected, Ratings actual) {
        assertEquals(expected.users(), actual.users());
        assertEquals(expected.items(), actual.items());
        assertEquals(expected.users().ids(), actual.users().ids());
        assertEquals(expected.items().ids(), actual.items().ids());
        assertArrayEquals(expected.userIndices(), actual.userIndices());
        assertArrayEquals(expected.itemIndices(), actual.itemIndices());
        assertArrayEquals(expected.ratingValues(), actual.ratingValues());
        assertEquals(expected.hasTimestamps(), actual.hasTimestamps());
        for (int row = 0; expected.hasTimestamps() && row < expected.size(); row++) {
            assertEquals(expected.timestamp(row), actual.timestamp(row));
        }
        assertEquals(expected.toString(), actual.toString());
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
