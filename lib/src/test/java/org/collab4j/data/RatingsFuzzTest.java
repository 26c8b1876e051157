package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random byte mutations of a small valid ratings file: every one either reads, giving finite ratings and non-empty
 * ids, or fails with a {@link RatingsFileException} naming the file; nothing else is thrown and nothing hangs.
 */
class RatingsFuzzTest {

    private static final long SEED = 20_261_107L;
    private static final int CASES = 400;
    private static final byte[] VALID = ("userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,1029,3.0,1260759179\n"
            + "1,1061,3.0,1260759182\n2,10,4.0,835355493\n\"user, three\",\"movie \"\"x\"\"\",5,1\n2,31,0.5,835355681\n"
            + "3,1029,4.5,1260759185\n\u00e9t\u00e9,10,1,2\n").getBytes(StandardCharsets.UTF_8);
    /** Bytes that mean something to the reader, and some that do not decode. */
    private static final byte[] INTERESTING = ",\n\r\" .-+e0159NIaf\t".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    static byte[] mutate(byte[] valid, Random random, byte[] interesting) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = valid.clone();
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations && bytes.length > 0; m++) {
            int at = random.nextInt(bytes.length);
            byte value = switch (random.nextInt(4)) {
                case 0 -> interesting[random.nextInt(interesting.length)];
                case 1 -> (byte) (0x80 + random.nextInt(0x80)); // never valid UTF-8 on its own
                case 2 -> 0;
                default -> (byte) random.nextInt(256);
            };
            out.reset();
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    bytes[at] = value;
                    continue;
                }
                case 2 -> { // insert
                    out.write(bytes, 0, at);
                    out.write(value);
                    out.write(bytes, at, bytes.length - at);
                }
                case 3 -> { // delete a run
                    int length = 1 + random.nextInt(Math.min(8, bytes.length - at));
                    out.write(bytes, 0, at);
                    out.write(bytes, at + length, bytes.length - at - length);
                }
                default -> { // cut short or repeat a tail
                    if (random.nextBoolean()) {
                        out.write(bytes, 0, at);
                    } else {
                        out.write(bytes, 0, bytes.length);
                        out.write(bytes, at, bytes.length - at);
                    }
                }
            }
            bytes = out.toByteArray();
        }
        return bytes;
    }

    @Test
    void mutatedFilesReadOrFailWithTheirOwnException() throws IOException {
        Random random = new Random(SEED);
        List<RatingsFormat> formats = List.of(RatingsFormat.MOVIELENS_CSV,
                RatingsFormat.MOVIELENS_CSV.toBuilder().optDuplicates(DuplicatePolicy.ERROR)
                        .optRatingRange(0.5f, 5f).build(),
                RatingsFormat.MOVIELENS_CSV.toBuilder().optDuplicates(DuplicatePolicy.MEAN).optQuote(null).build());
        int read = 0;
        int rejected = 0;
        Path file = dir.resolve("fuzz.csv");
        for (int c = 0; c < CASES; c++) {
            byte[] bytes = mutate(VALID, random, INTERESTING);
            RatingsFormat format = formats.get(c % formats.size());
            Files.write(file, bytes);
            int n = c;
            boolean ok = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                try {
                    Ratings ratings = Ratings.read(file, format);
                    assertTrue(ratings.size() > 0);
                    for (int row = 0; row < ratings.size(); row++) {
                        assertTrue(Float.isFinite(ratings.rating(row)));
                        assertTrue(!ratings.users().id(ratings.user(row)).isEmpty());
                        assertTrue(!ratings.items().id(ratings.item(row)).isEmpty());
                    }
                    return true;
                } catch (RatingsFileException e) {
                    assertTrue(e.getMessage().startsWith("fuzz.csv "), e.getMessage());
                    assertTrue(e.line() >= 0, e.getMessage());
                    return false;
                } catch (RuntimeException | IOException e) {
                    throw new AssertionError("case " + n + " (seed " + SEED + ", " + format + ") threw " + e
                            + " for " + Arrays.toString(bytes), e);
                }
            }, () -> "case " + n + " hangs: " + Arrays.toString(bytes));
            if (ok) {
                read++;
            } else {
                rejected++;
            }
        }
        if (read == 0 || rejected == 0) {
            fail("the mutations should give both readable and unreadable files: " + read + " read, " + rejected
                    + " rejected");
        }
    }
}
