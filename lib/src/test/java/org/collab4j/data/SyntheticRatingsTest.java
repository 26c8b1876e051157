package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;

class SyntheticRatingsTest {

    @Test
    void sizesIdsRangeAndSeed() {
        SyntheticRatings generator = SyntheticRatings.builder().setUsers(50).setItems(80).setRatings(5000).build();
        Ratings ratings = generator.generate();
        assertEquals(5000, ratings.size());
        assertEquals(50, ratings.users().size());
        assertEquals("u7", ratings.users().id(7));
        assertEquals("i79", ratings.items().id(79));
        assertTrue(ratings.minRating() >= 0.5f && ratings.maxRating() <= 5f);
        for (int row = 0; row < ratings.size(); row++) {
            assertEquals(0, ratings.rating(row) * 2 % 1, 0, "half stars");
        }
        assertArrayEquals(ratings.ratingValues(), generator.generate().ratingValues());
        assertArrayEquals(ratings.itemIndices(), generator.generate().itemIndices());
    }

    @Test
    void popularItemsGetMostRatings() {
        Ratings ratings = SyntheticRatings.builder().setUsers(100).setItems(1000).setRatings(20_000)
                .optSkew(0, 1.0).build().generate();
        int[] counts = new int[1000];
        for (int i : ratings.itemIndices()) {
            counts[i]++;
        }
        java.util.Arrays.sort(counts);
        int top10 = 0;
        for (int k = 990; k < 1000; k++) {
            top10 += counts[k];
        }
        // Zipf(1) over 1000 ranks: the top 1 % hold about 39 % of the mass.
        assertTrue(top10 > 0.3 * 20_000 && top10 < 0.5 * 20_000, "top-10 items have " + top10);
    }

    @Test
    void ofIndicesChecksItsInput() {
        IdMap users = IdMap.of(List.of("a", "b"));
        IdMap items = IdMap.of(List.of("x"));
        Ratings ratings = Ratings.ofIndices(users, items, new int[] {1, 0}, new int[] {0, 0}, new float[] {4, 2});
        assertEquals("b", ratings.users().id(ratings.user(0)));
        assertEquals(3.0, ratings.meanRating(), 1e-9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ratings.ofIndices(users, items, new int[] {2}, new int[] {0}, new float[] {1}));
        assertTrue(e.getMessage().contains("user index 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Ratings.ofIndices(users, items, new int[] {0}, new int[] {0, 0}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> SyntheticRatings.builder().setUsers(0).build());
    }
}
