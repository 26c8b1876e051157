package org.collab4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Cosine neighbours, hand-computed; a row of the table and the same row from elsewhere agree bit for bit. */
class NeighboursTest {

    @Test
    void cosineSimilarityBestFirstWithZeroRowsAtZero() {
        // Rows: (1, 0), (1, 1), (0, 2), (0, 0), (-1, 0).
        FactorTable table = FactorTable.of(new float[] {1, 0, 1, 1, 0, 2, 0, 0, -1, 0}, 2, null);
        TopK top = Neighbours.of(table, 0, 5, r -> r != 0);
        float[] scores = new float[top.size()];
        assertArrayEquals(new int[] {1, 2, 3, 4}, top.sorted(scores));
        assertArrayEquals(new float[] {(float) (1 / Math.sqrt(2)), 0, 0, -1}, scores, 1e-7f);
        TopK same = Neighbours.of(table, new float[] {1, 0, 99}, 5, r -> r != 0);
        float[] again = new float[same.size()];
        assertArrayEquals(top.sorted(scores), same.sorted(again));
        for (int n = 0; n < scores.length; n++) {
            assertEquals(Float.floatToRawIntBits(scores[n]), Float.floatToRawIntBits(again[n]));
        }
        assertEquals((float) Math.sqrt(2), table.norms()[1]);
    }
}
