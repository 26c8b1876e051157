package org.collab4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.collab4j.kernel.FeatureMatrix;
import org.junit.jupiter.api.Test;

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
