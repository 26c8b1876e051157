package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticMovieLensTest {

    @TempDir
    Path dir;

    private static byte[] csv(SyntheticMovieLens data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        data.writeCsv(out);
        return out.toByteArray();
    }

    @Test
    void writesExactlyTheRowsAsMovieLensCsvWithDistinctPairsOnTheStarScale() throws IOException {
        SyntheticMovieLens scaled = SyntheticMovieLens.builder().setRows(2_500_000).build();
        assertEquals(Math.round(162_541 * 2_500_000.0 / 25_000_095), scaled.users());
        assertEquals(Math.round(62_423 * 2_500_000.0 / 25_000_095), scaled.items());
        // MovieLens-25M's density, rows per user and per item, on fewer of each.
        SyntheticMovieLens data = SyntheticMovieLens.builder().setRows(200_000).optShape(1300, 2000).optSeed(3)
                .build();
        Path file = dir.resolve("ml.csv");
        Files.write(file, csv(data));
        Ratings ratings = Ratings.read(file, RatingsFormat.MOVIELENS_CSV);
        assertEquals(200_000, ratings.size());
        assertTrue(ratings.hasTimestamps());
        Set<Long> pairs = new HashSet<>();
        int[] perItem = new int[ratings.items().size()];
        int halfStars = 0;
        for (int row = 0; row < ratings.size(); row++) {
            float r = ratings.rating(row);
            assertTrue(r >= 0.5f && r <= 5f && r * 2 == Math.round(r * 2), "rating " + r);
            halfStars += r != Math.round(r) ? 1 : 0;
            assertTrue(pairs.add((long) ratings.user(row) << 32 | ratings.item(row)), "a duplicate pair");
            perItem[ratings.item(row)]++;
            long t = ratings.timestamp(row);
            assertTrue(t >= 789_652_009L && t <= 1_574_327_703L, "timestamp " + t);
        }
        assertTrue(halfStars > ratings.size() / 10, "half stars are used");
        assertTrue(Math.abs(ratings.meanRating() - 3.5) < 0.2, "mean " + ratings.meanRating());
        // Power-law popularity: the most popular item has about 9 times the mean number of ratings.
        Arrays.sort(perItem);
        assertTrue(perItem[perItem.length - 1] > 5.0 * ratings.size() / perItem.length, "popularity is skewed");
    }

    @Test
    void sameSettingsSameBytesOtherSeedOtherBytes() throws IOException {
        SyntheticMovieLens.Builder builder = SyntheticMovieLens.builder().setRows(20_000).optShape(300, 500);
        byte[] once = csv(builder.optSeed(5).build());
        assertArrayEquals(once, csv(builder.optSeed(5).build()));
        assertFalse(Arrays.equals(once, csv(builder.optSeed(6).build())));
    }

    @Test
    void refusesRowsThatCannotBeDistinctPairs() {
        assertThrows(IllegalArgumentException.class,
                () -> SyntheticMovieLens.builder().setRows(1000).optShape(10, 100).build());
        assertThrows(IllegalArgumentException.class, () -> SyntheticMovieLens.builder().setRows(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> SyntheticMovieLens.builder().setRows(100).optShape(1, 100).build());
    }
}
