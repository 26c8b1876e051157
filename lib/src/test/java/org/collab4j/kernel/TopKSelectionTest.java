package org.collab4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Top-k with exclusions: what it leaves out, ties, and independence from how the candidates are cut. */
class TopKSelectionTest {

    private static final float[] SCORES = {5, 9, 9, 1, 7, 8, 3, 8, 2, 6};

    @Test
    void leavesOutTheExcludedTheIneligibleAndTheRefusedAndBreaksTiesByIndex() {
        boolean[] eligible = new boolean[SCORES.length];
        java.util.Arrays.fill(eligible, true);
        eligible[5] = false;
        // The exclusion list is a slice of a larger array: {1} of [0, 1, 9).
        TopKSelection selection = new TopKSelection(4, SCORES.length, new int[] {0, 1, 9}, 1, 2, eligible,
                i -> i != 4);
        selection.offer(SCORES, 0, SCORES.length);
        float[] scores = new float[selection.size()];
        // 1 is excluded, 5 not eligible, 4 refused: 2 (9), 7 (8), 9 (6), 0 (5).
        assertArrayEquals(new int[] {2, 7, 9, 0}, selection.sorted(scores));
        assertArrayEquals(new float[] {9, 8, 6, 5}, scores);
    }

    @Test
    void theRangesTheScoresComeInDoNotMatter() {
        int[] excluded = {2, 3, 8};
        TopKSelection whole = new TopKSelection(3, SCORES.length, excluded, 0, 3, null, null);
        whole.offer(SCORES, 0, SCORES.length);
        TopKSelection tiled = new TopKSelection(3, SCORES.length, excluded, 0, 3, null, null);
        for (int from = 0; from < SCORES.length; from += 3) {
            tiled.offer(SCORES, from, Math.min(SCORES.length, from + 3));
        }
        float[] a = new float[3];
        float[] b = new float[3];
        assertArrayEquals(whole.sorted(a), tiled.sorted(b));
        assertArrayEquals(a, b);
        assertArrayEquals(new int[] {1, 5, 7}, whole.sorted(a));
        // More wanted than there are: everything there is.
        TopKSelection all = new TopKSelection(50, SCORES.length, null, 0, 0, null, null);
        all.offer(SCORES, 0, SCORES.length);
        assertEquals(SCORES.length, all.size());
    }
}
