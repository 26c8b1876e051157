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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The input seam: a source other than a file (here columns in memory, as a Parquet or database reader would hand
 * them over) plugs into {@link InteractionsSource}, gets the same {@link ReadOptions} semantics as the delimited
 * reader, and feeds everything downstream unchanged.
 */
class InteractionsSourceTest {

    @TempDir
    Path dir;

    /** Columns held in memory: what a columnar reader (Parquet, a database cursor) would produce. */
    private record Columns(String name, String[] users, String[] items, float[] values, long[] times)
            implements InteractionsSource {

        @Override
        public Ratings read(ReadOptions options) {
            Ratings.Builder builder = Ratings.builder();
            for (int row = 0; row < users.length; row++) {
                builder.add(users[row], items[row], values[row], times[row]);
            }
            return options.applyTo(builder.build(), description());
        }

        @Override
        public String description() {
            return "table " + name;
        }
    }

    private static final String CSV = "userId,movieId,rating,timestamp\n1,10,4,1\n2,10,3,2\n1,11,5,3\n1,10,2,4\n";

    private static Columns columns() {
        return new Columns("ratings", new String[] {"1", "2", "1", "1"}, new String[] {"10", "10", "11", "10"},
                new float[] {4, 3, 5, 2}, new long[] {1, 2, 3, 4});
    }

    private static String rows(Ratings r) {
        StringBuilder s = new StringBuilder();
        for (int row = 0; row < r.size(); row++) {
            s.append(r.users().id(r.user(row))).append('/').append(r.items().id(r.item(row))).append('=')
                    .append(r.rating(row)).append('@').append(r.timestamp(row)).append(' ');
        }
        return s.toString().trim();
    }

    @Test
    void aCustomSourceAndTheFileReaderGiveTheSameTableUnderTheSameOptions() throws IOException {
        Path file = Files.writeString(dir.resolve("ratings.csv"), CSV, StandardCharsets.UTF_8);
        List<InteractionsSource> sources = List.of(columns(), RatingsFile.of(file, RatingsFormat.MOVIELENS_CSV));
        for (ReadOptions options : List.of(ReadOptions.DEFAULTS,
                ReadOptions.builder().optDuplicates(DuplicatePolicy.KEEP_LAST).build(),
                ReadOptions.builder().optDuplicates(DuplicatePolicy.MEAN).optRatingRange(1f, 5f).build())) {
            List<String> tables = sources.stream().map(s -> {
                try {
                    return rows(s.read(options));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertEquals(tables.get(0), tables.get(1), options.toString());
        }
        assertEquals("1/10=4.0@1 2/10=3.0@2 1/11=5.0@3 1/10=2.0@4", rows(columns().read()));
        assertEquals("2/10=3.0@2 1/11=5.0@3 1/10=3.0@4", rows(columns().read(
                ReadOptions.builder().optDuplicates(DuplicatePolicy.MEAN).build())));
    }

    @Test
    void aCustomSourceNamesItselfWhenTheOptionsRefuseItsRows() {
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class, () -> columns().read(
                ReadOptions.builder().optDuplicates(DuplicatePolicy.ERROR).build()));
        assertEquals("table ratings: user \"1\" rated item \"10\" more than once (rows 0 and 3); remove the"
                + " duplicates, or choose DuplicatePolicy.KEEP_LAST or MEAN to resolve them", duplicate.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> columns().read(
                ReadOptions.builder().optRatingRange(2.5f, 4.5f).build()));
        assertEquals("2 of 4 rows of table ratings have a rating outside [2.5, 4.5], e.g. row 2 (user \"1\", item"
                + " \"11\", value 5.0); fix or drop them, or widen the rating range", range.getMessage());
        Columns zero = new Columns("plays", new String[] {"a", "b"}, new String[] {"x", "x"}, new float[] {1, 0},
                new long[] {1, 2});
        IllegalArgumentException weight = assertThrows(IllegalArgumentException.class,
                () -> Interactions.read(zero, ReadOptions.DEFAULTS, Aggregation.SUM));
        assertTrue(weight.getMessage().startsWith("1 of 2 rows of table plays have a weight that is not positive,"
                + " e.g. row 1 (user \"b\""), weight.getMessage());
    }

    @Test
    void interactionsAggregateFromAnySource() throws IOException {
        Ratings summed = Interactions.read(columns(), ReadOptions.DEFAULTS, Aggregation.SUM);
        assertEquals("1/10=6.0@4 2/10=3.0@2 1/11=5.0@3", rows(summed));
        Path file = Files.writeString(dir.resolve("plays.csv"), CSV, StandardCharsets.UTF_8);
        assertEquals(rows(summed), rows(Interactions.read(file, RatingsFormat.MOVIELENS_CSV, Aggregation.SUM)));
        Split split = Splits.random(Interactions.read(columns(), ReadOptions.DEFAULTS, Aggregation.COUNT), 0.34,
                1);
        assertEquals(3, split.train().size() + split.valid().size());
    }

    @Test
    void readOptionsApartFromTheLayoutReplaceTheFormatsOwnSettings() throws IOException {
        Path file = Files.writeString(dir.resolve("ratings.csv"), CSV, StandardCharsets.UTF_8);
        @SuppressWarnings("deprecation")
        RatingsFormat legacy = RatingsFormat.MOVIELENS_CSV.toBuilder().optDuplicates(DuplicatePolicy.MEAN).build();
        ReadOptions mean = ReadOptions.builder().optDuplicates(DuplicatePolicy.MEAN).build();
        // The old entry point reads with the format's settings, the new ones with the options given.
        assertEquals(rows(Ratings.read(file, legacy)), rows(Ratings.read(file, RatingsFormat.MOVIELENS_CSV, mean)));
        assertEquals(rows(Ratings.read(file, legacy)), rows(RatingsFile.of(file, legacy).read()));
        assertEquals(4, Ratings.read(file, legacy, ReadOptions.DEFAULTS).size());
        RatingsFileException e = assertThrows(RatingsFileException.class, () -> Ratings.read(file,
                RatingsFormat.MOVIELENS_CSV, ReadOptions.builder().optRatingRange(3f, 4f).build()));
        assertEquals(4, e.line());
        assertEquals("ratings.csv line 4, field 'rating': expected a rating in [3.0, 4.0], found \"5\"; fix the line,"
                + " or widen the rating range", e.getMessage());
        assertEquals(file.toString(), RatingsFile.of(file, legacy).description());
        assertSame(legacy, RatingsFile.of(file, legacy).format());
    }

    @Test
    void readOptionsAreCheckedWhenBuiltAndCompareByValue() {
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().optDuplicates(null).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReadOptions.builder().optRatingRange(5f, 1f).build());
        assertTrue(e.getMessage().contains("min <= max"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReadOptions.builder().optRatingRange(Float.NaN, 1f).build());
        ReadOptions strict = ReadOptions.builder().optDuplicates(DuplicatePolicy.ERROR).optRatingRange(0.5f, 5f)
                .build();
        assertEquals(strict, strict.toBuilder().build());
        assertEquals(strict.hashCode(), strict.toBuilder().build().hashCode());
        assertEquals("ReadOptions[duplicates=ERROR, ratingRange=[0.5, 5.0]]", strict.toString());
        assertEquals("ReadOptions[duplicates=KEEP_ALL]", ReadOptions.DEFAULTS.toString());
        assertTrue(!ReadOptions.DEFAULTS.hasRatingRange() && !ReadOptions.DEFAULTS.positiveValues());
        assertArrayEquals(new float[] {0.5f, 5f}, new float[] {strict.minRating(), strict.maxRating()});
        assertThrows(IllegalArgumentException.class, () -> RatingsFile.of(null, RatingsFormat.MOVIELENS_CSV));
    }
}
