package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RatingsTest {

    /** Four ratings: users a, b, c; items x, y. */
    private static Ratings sample() {
        return Ratings.builder()
                .add("a", "x", 4f, 10)
                .add("b", "x", 2f, 20)
                .add("a", "y", 5f, 30)
                .add("c", "y", 1f, 40)
                .build();
    }

    @Test
    void theStepOfTheScaleIsTheSmallestGapBetweenRatingValues() {
        IdMap users = IdMap.of(List.of("u"));
        IdMap items = IdMap.of(List.of("a", "b", "c", "d"));
        int[] u = {0, 0, 0, 0};
        int[] i = {0, 1, 2, 3};
        assertEquals(0.5f, Ratings.ofIndices(users, items, u, i, new float[] {4f, 0.5f, 3.5f, 4f}).ratingStep());
        assertEquals(1f, Ratings.ofIndices(users, items, u, i, new float[] {1f, 10f, 3f, 4f}).ratingStep());
        assertEquals(0f, Ratings.ofIndices(users, items, u, i, new float[] {2f, 2f, 2f, 2f}).ratingStep(),
                "a single value has no step");
        int n = Ratings.SCALE_VALUES + 1;
        int[] many = new int[n];
        float[] values = new float[n];
        for (int row = 0; row < n; row++) {
            values[row] = row * 0.01f;
        }
        assertEquals(0f, Ratings.ofIndices(users, IdMap.of(java.util.stream.IntStream.range(0, n)
                .mapToObj(String::valueOf).toList()), many, java.util.stream.IntStream.range(0, n).toArray(), values)
                .ratingStep(), "more distinct values than a scale has: continuous");
    }

    @Test
    void builderStoresRowsAndIndicesInOrderOfFirstAppearance() {
        Ratings ratings = sample();
        assertEquals(4, ratings.size());
        assertEquals(List.of("a", "b", "c"), ratings.users().ids());
        assertEquals(List.of("x", "y"), ratings.items().ids());
        assertArrayEquals(new int[] {0, 1, 0, 2}, ratings.userIndices());
        assertArrayEquals(new int[] {0, 0, 1, 1}, ratings.itemIndices());
        assertArrayEquals(new float[] {4f, 2f, 5f, 1f}, ratings.ratingValues());
        assertEquals(30L, ratings.timestamp(2));
        assertEquals(1f, ratings.minRating());
        assertEquals(5f, ratings.maxRating());
        assertEquals(3.0, ratings.meanRating(), 1e-12);
    }

    @Test
    void arraysAreDefensiveCopies() {
        Ratings ratings = sample();
        ratings.userIndices()[0] = 99;
        ratings.itemIndices()[0] = 99;
        ratings.ratingValues()[0] = 99f;
        assertEquals(0, ratings.user(0));
        assertEquals(0, ratings.item(0));
        assertEquals(4f, ratings.rating(0));
    }

    @Test
    void rowsOutOfRangeAreRejected() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> sample().rating(4));
        assertTrue(e.getMessage().contains("row 4"), e.getMessage());
    }

    @Test
    void timestampsAreAllOrNothing() {
        Ratings none = Ratings.builder().add("a", "x", 1f).build();
        assertFalse(none.hasTimestamps());
        IllegalStateException noTimes = assertThrows(IllegalStateException.class, () -> none.timestamp(0));
        assertTrue(noTimes.getMessage().contains("optTimestampColumn"), noTimes.getMessage());

        assertThrows(IllegalArgumentException.class, () -> Ratings.builder().add("a", "x", 1f).add("a", "y", 1f, 5));
        assertThrows(IllegalArgumentException.class, () -> Ratings.builder().add("a", "x", 1f, 5).add("a", "y", 1f));
    }

    @Test
    void badRatingsAndIdsAreRejected() {
        IllegalArgumentException nan =
                assertThrows(IllegalArgumentException.class, () -> Ratings.builder().add("a", "x", Float.NaN));
        assertTrue(nan.getMessage().contains("not a finite number"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Ratings.builder().add("a", "x", Float.POSITIVE_INFINITY));
        IllegalArgumentException empty =
                assertThrows(IllegalArgumentException.class, () -> Ratings.builder().add("", "x", 1f));
        assertTrue(empty.getMessage().contains("user id is empty"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ratings.builder().add("a", null, 1f));
    }

    @Test
    void builderStaysUsableAfterBuild() {
        Ratings.Builder builder = Ratings.builder();
        for (int i = 0; i < 2000; i++) {
            builder.add("u" + i % 7, "i" + i % 11, i % 5);
        }
        Ratings first = builder.build();
        builder.add("new", "new", 3f);
        Ratings second = builder.build();
        assertEquals(2000, first.size());
        assertEquals(7, first.users().size());
        assertEquals(2001, second.size());
        assertEquals(8, second.users().size());
        assertEquals(4f, first.rating(1999));
    }

    @Test
    void emptyRatingsHaveNaNStatistics() {
        Ratings empty = Ratings.builder().build();
        assertEquals(0, empty.size());
        assertTrue(Float.isNaN(empty.minRating()));
        assertTrue(Float.isNaN(empty.maxRating()));
        assertTrue(Double.isNaN(empty.meanRating()));
    }

    @Test
    void selectKeepsIdMapsAndTimestamps() {
        Ratings ratings = sample();
        Ratings selected = ratings.select(new int[] {3, 0, 3});

        assertSame(ratings.users(), selected.users());
        assertSame(ratings.items(), selected.items());
        assertArrayEquals(new int[] {2, 0, 2}, selected.userIndices());
        assertArrayEquals(new float[] {1f, 4f, 1f}, selected.ratingValues());
        assertEquals(40L, selected.timestamp(0));

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ratings.select(new int[] {0, 4}));
        assertTrue(e.getMessage().contains("rows[1] = 4"), e.getMessage());
    }

    @Test
    void reindexMapsIdsAndDropsUnknownUsersAndItems() {
        Ratings train = sample();
        Ratings valid = Ratings.builder()
                .add("c", "x", 3f, 1) // kept: c -> 2, x -> 0
                .add("d", "x", 3f, 2) // unknown user
                .add("a", "z", 3f, 3) // unknown item
                .add("b", "y", 2f, 4) // kept: b -> 1, y -> 1
                .build();
        Ratings reindexed = valid.reindex(train.users(), train.items());

        assertSame(train.users(), reindexed.users());
        assertSame(train.items(), reindexed.items());
        assertEquals(2, valid.size() - reindexed.size());
        assertArrayEquals(new int[] {2, 1}, reindexed.userIndices());
        assertArrayEquals(new int[] {0, 1}, reindexed.itemIndices());
        assertArrayEquals(new float[] {3f, 2f}, reindexed.ratingValues());
        assertEquals(4L, reindexed.timestamp(1));
    }

    @Test
    void toStringSummarises() {
        assertEquals("Ratings[size=4, users=3, items=2, rating=1.0..5.0, mean=3.0000, timestamps=yes]",
                sample().toString());
    }
}
