package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.collab4j.kernel.FeatureMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureTableTest {

    private static FeatureTable genres() {
        // a: Comedy|Drama, b: Drama, c: none
        FeatureMatrix m = FeatureMatrix.of(new int[] {0, 2, 3, 3}, new int[] {0, 1, 1}, new float[] {1, 1, 1}, 2);
        return FeatureTable.of(IdMap.of(List.of("a", "b", "c")), List.of("genre=Comedy", "genre=Drama"), m, "g.csv");
    }

    @Test
    void combineIsTheWeightedSumAndRowNormalizedTheMean() {
        FeatureMatrix m = genres().matrix();
        float[] table = {1, 2, 10, 20};
        float[] out = new float[2];
        m.combine(0, table, 2, out);
        assertArrayEquals(new float[] {11, 22}, out);
        float[] mean = new float[2];
        m.rowNormalized().combine(0, table, 2, mean);
        assertArrayEquals(new float[] {5.5f, 11f}, mean, 1e-6f);
        float[] empty = new float[2];
        m.rowNormalized().combine(2, table, 2, empty);
        assertArrayEquals(new float[] {0, 0}, empty);
    }

    @Test
    void alignedToFollowsTheModelsOrderWithEmptyRowsForUnlistedIds() {
        FeatureTable aligned = genres().alignedTo(IdMap.of(List.of("b", "z", "a")));
        assertEquals(List.of("b", "z", "a"), aligned.ids().ids());
        FeatureMatrix m = aligned.matrix();
        assertArrayEquals(new int[] {0, 1, 1, 3}, m.offsets());
        assertArrayEquals(new int[] {1, 0, 1}, m.columns());
        assertEquals(List.of("c"), genres().idsNotIn(IdMap.of(List.of("a", "b"))));
    }

    @Test
    void joinPutsTablesSideBySideOverTheUnionOfIds() {
        FeatureMatrix years = FeatureMatrix.of(new int[] {0, 1, 2}, new int[] {0, 0}, new float[] {-1f, 0.5f}, 1);
        FeatureTable year = FeatureTable.of(IdMap.of(List.of("c", "d")), List.of("year"), years, "y.csv");
        FeatureTable joined = genres().join(year);
        assertEquals(List.of("a", "b", "c", "d"), joined.ids().ids());
        assertEquals(List.of("genre=Comedy", "genre=Drama", "year"), joined.featureNames());
        assertArrayEquals(new int[] {0, 2, 3, 4, 5}, joined.matrix().offsets());
        assertArrayEquals(new int[] {0, 1, 1, 2, 2}, joined.matrix().columns());
        assertArrayEquals(new float[] {1, 1, 1, -1f, 0.5f}, joined.matrix().values());
        assertThrows(IllegalArgumentException.class, () -> genres().join(genres()));
    }

    @Test
    void theReaderRecordsEachNumericColumnsScaleAndJoinAndAlignedToCarryThem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("items.csv");
        Files.write(file, List.of("item,genre,year,price", "a,X,1990,", "b,Y,2000,3", "c,X,,5"));
        FeatureTable table = FeatureFormat.builder().setIdColumn("item").addColumn(FeatureColumn.categorical("genre"))
                .addColumn(FeatureColumn.numeric("year")).addColumn(FeatureColumn.numeric("price")).build()
                .read(file);
        // Population sd over the ids with a number: year 1990, 2000 → mean 1995, sd 5; price 3, 5 → 4, 1.
        assertEquals(Map.of("year", new NumericScale(1995, 5), "price", new NumericScale(4, 1)),
                table.numericScales());
        assertEquals(List.of("year", "price"), List.copyOf(table.numericScales().keySet()));
        assertEquals(file + ", line 1 (the header), column 'year'", table.origin("year"));
        assertEquals(file + ", line 1 (the header), column 'genre'", table.origin("genre"));
        FeatureTable aligned = table.alignedTo(IdMap.of(List.of("c", "z")));
        assertEquals(table.numericScales(), aligned.numericScales());
        assertEquals(table.origin("price"), aligned.origin("price"));
        FeatureTable joined = genres().join(table);
        assertEquals(table.numericScales(), joined.numericScales());
        assertEquals(table.origin("year"), joined.origin("year"));
        assertEquals("g.csv + " + file + ", column 'tag'", joined.origin("tag"));
        assertEquals(Map.of(), genres().numericScales());
        // A scale must name a feature; a scale's parts must be finite, the deviation >= 0.
        assertThrows(IllegalArgumentException.class, () -> FeatureTable.of(genres().ids(), genres().featureNames(),
                genres().matrix(), "g.csv", Map.of("year", new NumericScale(0, 1))));
        assertThrows(IllegalArgumentException.class, () -> new NumericScale(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new NumericScale(0, -1));
        // Re-standardising: 1 on (1995, 5) is 2000, which is 0.5 on (1990, 20); on a constant column, 0.
        assertEquals(0.5f, new NumericScale(1990, 20).restandardised(1f, new NumericScale(1995, 5)), 1e-7f);
        assertEquals(0f, new NumericScale(1990, 0).restandardised(1f, new NumericScale(1995, 5)));
        assertEquals(0.25f, new NumericScale(1990, 20).restandardised(0f, new NumericScale(1995, 0)), 1e-7f);
    }

    @Test
    void refusesInconsistentParts() {
        assertThrows(IllegalArgumentException.class,
                () -> FeatureMatrix.of(new int[] {0, 1}, new int[] {2}, new float[] {1}, 2));
        assertThrows(IllegalArgumentException.class,
                () -> FeatureMatrix.of(new int[] {0, 1}, new int[] {0}, new float[] {Float.NaN}, 2));
        FeatureMatrix m = FeatureMatrix.empty(2, 1);
        assertThrows(IllegalArgumentException.class,
                () -> FeatureTable.of(IdMap.of(List.of("a")), List.of("x"), m, "f"));
    }
}
