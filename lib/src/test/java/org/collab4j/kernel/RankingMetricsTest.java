package org.collab4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one implementation of the ranking metrics, by index, hand-computed. */
class RankingMetricsTest {

    @Test
    void handComputedListWithAnUnreachableRelevantItem() {
        // k = 3, list [4, 7, 2, 9] (cut to 3), relevant {-1, 2, 4}: -1 is in no list (an unknown item).
        // Hits at ranks 1 and 3: P = 2/3, recall = 2/3, capped = 2/min(3, 3) = 2/3,
        // DCG = 1 + 1/log2(4), IDCG = 1 + 1/log2(3) + 1/log2(4), AP = (1 + 2/3) / 3.
        RankingMetrics m = RankingMetrics.of(3, new int[] {4, 7, 2, 9}, 4, new int[] {-1, 2, 4});
        assertEquals(2, m.hits());
        assertEquals(2.0 / 3, m.precision(), 1e-12);
        assertEquals(2.0 / 3, m.recall(), 1e-12);
        assertEquals(2.0 / 3, m.cappedRecall(), 1e-12);
        assertEquals((1 + 0.5) / (1 + Math.log(2) / Math.log(3) + 0.5), m.ndcg(), 1e-12);
        assertEquals(1, m.hit());
        assertEquals((1 + 2.0 / 3) / 3, m.averagePrecision(), 1e-12);
    }

    @Test
    void theTwoRecallsAndTheMean() {
        // k = 2, list [5], relevant {1, 5, 6, 8}: one hit; recall 1/4, capped 1/2; an empty list scores 0.
        RankingMetrics one = RankingMetrics.of(2, new int[] {5, 0}, 1, new int[] {1, 5, 6, 8});
        assertEquals(0.25, one.recall(), 1e-12);
        assertEquals(0.5, one.cappedRecall(), 1e-12);
        RankingMetrics none = RankingMetrics.of(2, new int[0], 0, new int[] {3});
        assertEquals(0, none.ndcg());
        RankingMetrics.Mean mean = new RankingMetrics.Mean();
        assertTrue(Double.isNaN(mean.ndcg()));
        mean.add(one);
        mean.add(none);
        assertEquals(2, mean.count());
        assertEquals(0.125, mean.recall(), 1e-12);
        assertEquals(0.25, mean.cappedRecall(), 1e-12);
        assertEquals(0.5, mean.hitRate(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.of(0, new int[0], 0, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.of(1, new int[0], 0, new int[0]));
    }
}
