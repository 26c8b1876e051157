package org.collab4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CsrTest {

    @Test
    void groupsStablyByRowAndGathersColumns() {
        int[] rows = {2, 0, 2, 1, 0};
        int[] cols = {7, 3, 5, 9, 3};
        Csr csr = Csr.of(3, rows, cols);
        assertArrayEquals(new int[] {0, 2, 3, 5}, csr.offsets());
        assertArrayEquals(new int[] {1, 4, 3, 0, 2}, csr.order());
        assertArrayEquals(new int[] {3, 3, 9, 7, 5}, csr.columns());
        assertArrayEquals(new float[] {2f, 5f, 4f, 1f, 3f}, csr.gather(new float[] {1, 2, 3, 4, 5}));
    }

    @Test
    void sortedDistinctDropsRepeatsAndAnswersMembership() {
        Csr csr = Csr.of(3, new int[] {2, 0, 2, 1, 0}, new int[] {7, 3, 5, 9, 3}).sortedDistinct();
        assertArrayEquals(new int[] {0, 1, 2, 4}, csr.offsets());
        assertArrayEquals(new int[] {3, 9, 5, 7}, csr.columns());
        assertTrue(csr.contains(2, 5));
        assertFalse(csr.contains(0, 5));
        assertThrows(IllegalStateException.class, () -> csr.gather(new int[4]));
    }

    @Test
    void refusesRowsOutOfRangeAndBadOffsets() {
        assertThrows(IllegalArgumentException.class, () -> Csr.group(2, new int[] {0, 2}));
        assertThrows(IllegalArgumentException.class, () -> Csr.wrap(new int[] {0, 3, 2}, new int[2]));
        assertThrows(IllegalArgumentException.class, () -> Csr.of(2, new int[] {0}, new int[2]));
    }

    @Test
    void selectsAndSlicesRows() {
        Csr csr = Csr.of(3, new int[] {2, 0, 2, 1, 0}, new int[] {7, 3, 5, 9, 4}).sortedDistinct();
        Csr picked = csr.select(new int[] {2, 0, 2});
        assertArrayEquals(new int[] {0, 2, 4, 6}, picked.offsets());
        assertArrayEquals(new int[] {5, 7, 3, 4, 5, 7}, picked.columns());
        Csr slice = csr.slice(1, 3);
        assertArrayEquals(new int[] {0, 1, 3}, slice.offsets());
        assertArrayEquals(new int[] {9, 5, 7}, slice.columns());
        assertArrayEquals(new int[] {5, 7}, csr.row(2));
        assertThrows(IndexOutOfBoundsException.class, () -> csr.slice(2, 4));
    }
}
