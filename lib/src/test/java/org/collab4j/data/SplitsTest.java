package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SplitsTest {

    /** Ratings whose timestamp is the row number, so every row can be recognised after a split. */
    private static Ratings numbered(int n) {
        Ratings.Builder builder = Ratings.builder();
        for (int row = 0; row < n; row++) {
            builder.add("u" + row % 13, "i" + row % 17, row % 5 + 1, row);
        }
        return builder.build();
    }

    private static long[] rowsOf(Ratings ratings) {
        return LongStream.range(0, ratings.size()).map(k -> ratings.timestamp((int) k)).toArray();
    }

    @Test
    void randomSplitHasTheRoundedSizeAndPartitionsTheRows() {
        Ratings ratings = numbered(1001);
        Split split = Splits.random(ratings, 0.2, 42);

        assertEquals(200, split.valid().size()); // round(1001 * 0.2) = round(200.2)
        assertEquals(801, split.train().size());
        long[] all = LongStream.concat(Arrays.stream(rowsOf(split.train())), Arrays.stream(rowsOf(split.valid())))
                .sorted()
                .toArray();
        assertArrayEquals(LongStream.range(0, 1001).toArray(), all);
        assertSame(ratings.users(), split.train().users());
        assertSame(ratings.items(), split.valid().items());
    }

    @Test
    void partsKeepTheInputRowOrder() {
        Split split = Splits.random(numbered(100), 0.3, 1);
        long[] valid = rowsOf(split.valid());
        long[] sorted = valid.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, valid);
    }

    @Test
    void sameSeedSameSplitDifferentSeedDifferentSplit() {
        Ratings ratings = numbered(500);
        long[] first = rowsOf(Splits.random(ratings, 0.2, 7).valid());
        long[] again = rowsOf(Splits.random(ratings, 0.2, 7).valid());
        long[] other = rowsOf(Splits.random(ratings, 0.2, 8).valid());
        assertArrayEquals(first, again);
        assertFalse(Arrays.equals(first, other));
    }

    @Test
    void validationRowsLookRandom() {
        // Not the first or last rows: the shuffle reaches the whole table.
        long[] valid = rowsOf(Splits.random(numbered(1000), 0.1, 3).valid());
        assertTrue(valid[0] < 100, Arrays.toString(valid));
        assertTrue(valid[valid.length - 1] >= 900, Arrays.toString(valid));
    }

    @Test
    void byTimeHoldsOutTheLatestRatings() {
        Ratings ratings = Ratings.builder()
                .add("a", "x", 1f, 50)
                .add("b", "x", 2f, 10)
                .add("c", "y", 3f, 40)
                .add("d", "y", 4f, 30)
                .add("e", "z", 5f, 20)
                .build();
        Split split = Splits.byTime(ratings, 0.4);

        assertArrayEquals(new float[] {1f, 3f}, split.valid().ratingValues());
        assertArrayEquals(new float[] {2f, 4f, 5f}, split.train().ratingValues());
        assertSame(ratings.users(), split.valid().users());
    }

    @Test
    void byTimeBreaksTiesByRowOrder() {
        Ratings ratings = Ratings.builder()
                .add("a", "x", 1f, 5)
                .add("b", "x", 2f, 7)
                .add("c", "x", 3f, 5)
                .add("d", "x", 4f, 5)
                .add("e", "x", 5f, 1)
                .build();
        // Three ratings held out: the one at time 7, then the later two of the three at time 5.
        Split split = Splits.byTime(ratings, 0.6);
        assertArrayEquals(new float[] {2f, 3f, 4f}, split.valid().ratingValues());
        assertArrayEquals(new float[] {1f, 5f}, split.train().ratingValues());
    }

    @Test
    void byTimeNeedsTimestamps() {
        Ratings ratings = Ratings.builder().add("a", "x", 1f).add("b", "x", 2f).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Splits.byTime(ratings, 0.5));
        assertTrue(e.getMessage().contains("needs timestamps"), e.getMessage());
    }

    @Test
    void fractionsOutsideZeroOneAreRejected() {
        Ratings ratings = numbered(10);
        for (double fraction : new double[] {0, 1, -0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Splits.random(ratings, fraction, 1));
            assertTrue(e.getMessage().contains("strictly between 0 and 1"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Splits.byTime(ratings, fraction));
        }
    }

    @Test
    void fractionsThatLeaveAPartEmptyAreRejected() {
        Ratings ratings = numbered(10);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Splits.random(ratings, 0.01, 1));
        assertTrue(e.getMessage().contains("validation set empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Splits.byTime(ratings, 0.99));
    }

    @Test
    void splitRequiresSharedIdMaps() {
        Ratings a = Ratings.builder().add("a", "x", 1f).build();
        Ratings b = Ratings.builder().add("b", "x", 1f).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Split(a, b));
        assertTrue(e.getMessage().contains("reindex"), e.getMessage());
    }

    @Test
    void combinePutsSeparateFilesIntoOneIdSpaceKeepingTrainIndices() {
        Ratings train = Ratings.builder().add("a", "x", 1).add("b", "y", 2).build();
        Ratings valid = Ratings.builder().add("c", "y", 3).add("a", "z", 4).build();
        Split split = Splits.combine(train, valid);

        assertEquals(java.util.List.of("a", "b", "c"), split.train().users().ids());
        assertEquals(java.util.List.of("x", "y", "z"), split.valid().items().ids());
        assertArrayEquals(train.userIndices(), split.train().userIndices());
        assertEquals(2, split.valid().size());
        assertEquals("c", split.valid().users().id(split.valid().user(0)));
        assertEquals("z", split.valid().items().id(split.valid().item(1)));
        assertEquals(4f, split.valid().rating(1));
    }

    @Test
    void byUserHoldsOutTheRoundedShareOfEachUserAndKeepsOneInTraining() {
        Ratings.Builder builder = Ratings.builder();
        long row = 0;
        // a: 10 ratings -> 2 held out; b: 3 -> round(0.6) = 1; c: 1 -> round(0.2) = 0; d: 2 -> round(0.4) = 0.
        for (String[] user : new String[][] {{"a", "10"}, {"b", "3"}, {"c", "1"}, {"d", "2"}}) {
            for (int i = 0; i < Integer.parseInt(user[1]); i++) {
                builder.add(user[0], "i" + i, 4, row++);
            }
        }
        Ratings ratings = builder.build();
        Split split = Splits.byUser(ratings, 0.2, 7);
        int[] held = new int[4];
        for (int r = 0; r < split.valid().size(); r++) {
            held[split.valid().user(r)]++;
        }
        assertArrayEquals(new int[] {2, 1, 0, 0}, held);
        assertEquals(13, split.train().size());
        long[] all = LongStream.concat(Arrays.stream(rowsOf(split.train())), Arrays.stream(rowsOf(split.valid())))
                .sorted().toArray();
        assertArrayEquals(LongStream.range(0, 16).toArray(), all);
        // Never every rating of a user: with a fraction of 0.9, b (3 ratings) keeps one.
        Split most = Splits.byUser(ratings, 0.9, 7);
        assertEquals(4, most.train().size()); // one each for a, b, c, d
        assertArrayEquals(rowsOf(split.valid()), rowsOf(Splits.byUser(ratings, 0.2, 7).valid()));
        assertFalse(Arrays.equals(rowsOf(Splits.byUser(numbered(1001), 0.2, 7).valid()),
                rowsOf(Splits.byUser(numbered(1001), 0.2, 8).valid())));
        assertThrows(IllegalArgumentException.class, () -> Splits.byUser(ratings, 1.0, 7));
        Ratings single = Ratings.builder().add("a", "x", 4).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Splits.byUser(single, 0.2, 7));
        assertTrue(e.getMessage().contains("holds out none"), e.getMessage());
    }
}
