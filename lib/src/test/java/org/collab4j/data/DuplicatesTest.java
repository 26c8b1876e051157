package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user who rated the same item more than once: every {@link DuplicatePolicy}, in memory and while reading. */
class DuplicatesTest {

    @TempDir
    Path dir;

    /** Rows: (a,x,1) (b,x,2) (a,y,3) (a,x,4) (b,x,5) (a,x,3), timestamps 10..15. */
    private static Ratings withDuplicates() {
        return Ratings.builder()
                .add("a", "x", 1, 10).add("b", "x", 2, 11).add("a", "y", 3, 12)
                .add("a", "x", 4, 13).add("b", "x", 5, 14).add("a", "x", 3, 15)
                .build();
    }

    private static String rows(Ratings r) {
        StringBuilder s = new StringBuilder();
        for (int row = 0; row < r.size(); row++) {
            s.append(r.users().id(r.user(row))).append(r.items().id(r.item(row))).append('=').append(r.rating(row))
                    .append('@').append(r.timestamp(row)).append(' ');
        }
        return s.toString().trim();
    }

    @Test
    void keepAllChangesNothing() {
        Ratings r = withDuplicates();
        assertSame(r, r.deduplicate(DuplicatePolicy.KEEP_ALL));
        Ratings unique = Ratings.builder().add("a", "x", 1).add("a", "y", 2).build();
        for (DuplicatePolicy policy : DuplicatePolicy.values()) {
            assertSame(unique, unique.deduplicate(policy), policy.name());
        }
    }

    @Test
    void keepLastKeepsTheLastRowOfEachPairWhereItIs() {
        Ratings r = withDuplicates().deduplicate(DuplicatePolicy.KEEP_LAST);
        assertEquals("ay=3.0@12 bx=5.0@14 ax=3.0@15", rows(r));
        assertEquals(List.of("a", "b"), r.users().ids());
        assertEquals(List.of("x", "y"), r.items().ids());
    }

    @Test
    void meanReplacesEachPairWithOneRowOfItsMean() {
        Ratings r = withDuplicates().deduplicate(DuplicatePolicy.MEAN);
        assertEquals("ay=3.0@12 bx=3.5@14 ax=2.6666667@15", rows(r));
        assertEquals((3 + 3.5 + 8 / 3.0) / 3, r.meanRating(), 1e-6);
    }

    @Test
    void errorNamesTheEarliestDuplicate() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withDuplicates().deduplicate(DuplicatePolicy.ERROR));
        assertEquals("user \"a\" rated item \"x\" more than once (rows 0 and 3); remove the duplicates, or choose"
                + " DuplicatePolicy.KEEP_LAST or MEAN to resolve them", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> withDuplicates().deduplicate(null));
    }

    @Test
    void aSelectionWithUnusedIdsIsDeduplicated() {
        Ratings r = withDuplicates().select(new int[] {3, 5, 3});
        assertEquals("ax=4.0@13", rows(r.deduplicate(DuplicatePolicy.KEEP_LAST))); // rows 3, 5, 3: the last is row 3
        assertEquals(2, r.deduplicate(DuplicatePolicy.KEEP_LAST).users().size());
    }

    @Test
    void matchesASimpleReferenceOnRandomData() {
        Random random = new Random(3);
        Ratings.Builder builder = Ratings.builder();
        for (int row = 0; row < 5_000; row++) {
            builder.add("u" + random.nextInt(40), "i" + random.nextInt(60), random.nextInt(10) / 2f);
        }
        Ratings r = builder.build();
        java.util.Map<String, double[]> reference = new java.util.LinkedHashMap<>();
        for (int row = 0; row < r.size(); row++) {
            String key = r.user(row) + "/" + r.item(row);
            double[] sumCountLast = reference.computeIfAbsent(key, k -> new double[3]);
            sumCountLast[0] += r.rating(row);
            sumCountLast[1]++;
            sumCountLast[2] = r.rating(row);
        }
        Ratings last = r.deduplicate(DuplicatePolicy.KEEP_LAST);
        Ratings mean = r.deduplicate(DuplicatePolicy.MEAN);
        assertEquals(reference.size(), last.size());
        assertEquals(reference.size(), mean.size());
        for (int row = 0; row < last.size(); row++) {
            double[] ref = reference.get(last.user(row) + "/" + last.item(row));
            assertEquals((float) ref[2], last.rating(row));
            assertEquals((float) (ref[0] / ref[1]), mean.rating(row));
        }
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("ratings.csv"), content, StandardCharsets.UTF_8);
    }

    @Test
    void theFormatAppliesThePolicyWhileReading() throws IOException {
        Path file = write("userId,movieId,rating,timestamp\n1,10,4,1\n2,10,3,2\n\n1,10,2,3\n");
        assertEquals(3, Ratings.read(file, RatingsFormat.MOVIELENS_CSV).size());
        RatingsFormat mean = RatingsFormat.MOVIELENS_CSV.toBuilder().optDuplicates(DuplicatePolicy.MEAN).build();
        Ratings r = Ratings.read(file, mean);
        assertArrayEquals(new float[] {3f, 3f}, r.ratingValues());
        assertEquals(3L, r.timestamp(1));

        RatingsFormat error = RatingsFormat.MOVIELENS_CSV.toBuilder().optDuplicates(DuplicatePolicy.ERROR).build();
        RatingsFileException e = assertThrows(RatingsFileException.class, () -> Ratings.read(file, error));
        assertEquals("ratings.csv line 5: user \"1\" rated item \"10\" already on line 2; remove one of the two lines,"
                + " or read the file with the duplicate policy KEEP_LAST or MEAN", e.getMessage());
        assertEquals(5, e.line());
        assertTrue(error.toString().endsWith("duplicates=ERROR]"), error.toString());
        assertThrows(IllegalArgumentException.class,
                () -> RatingsFormat.MOVIELENS_CSV.toBuilder().optDuplicates(null).build());
    }
}
