package org.collab4j.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

class RankingEvaluationTest {

    @Test
    void handComputedExample() {
        // k = 3. User 1: [A, B, C, X] (cut to 3), relevant {B, D}: one hit at rank 2.
        //   P = 1/3, R = 1/2, DCG = 1/log2(3), IDCG = 1 + 1/log2(3).
        // User 2: [D, A], relevant {A}: one hit at rank 2. P = 1/3, R = 1, DCG = 1/log2(3), IDCG = 1.
        //   capped recall = 1/min(3, 2) = 1/2, HR = 1, AP = (1/2) / min(3, 2) = 1/4.
        //   User 2: capped recall 1, HR 1, AP = (1/2) / 1 = 1/2.
        // User 3: [E], nothing relevant: not averaged, but its list counts for coverage.
        RankingEvaluation e = RankingEvaluation.compute(3,
                List.of(List.of("A", "B", "C", "X"), List.of("D", "A"), List.of("E")),
                List.of(Set.of("B", "D"), List.of("A"), Set.of()), 10);
        double g = 1 / (Math.log(3) / Math.log(2));
        assertEquals(2, e.users());
        assertEquals(1.0 / 3, e.precision(), 1e-12);
        assertEquals(0.75, e.recall(), 1e-12);
        assertEquals(0.75, e.cappedRecall(), 1e-12);
        assertEquals((g / (1 + g) + g) / 2, e.ndcg(), 1e-12);
        assertEquals(1, e.hitRate(), 1e-12);
        assertEquals(0.375, e.map(), 1e-12);
        assertEquals(5.0 / 10, e.coverage(), 1e-12);
        assertEquals("precision@3 0.3333 recall@3 0.7500 cappedRecall@3 0.7500 NDCG@3 0.5089 HR@3 1.0000"
                + " MAP@3 0.3750 coverage 0.5000 (2 users)", e.toString());
    }

    @Test
    void theTwoRecallConventionsDifferWhenMoreItemsAreRelevantThanK() {
        // k = 2, list [A, X, B] (cut to [A, X]), relevant {A, B, C, D, E}: one hit at rank 1.
        RankingEvaluation.UserMetrics m = RankingEvaluation.UserMetrics.of(2, List.of("A", "X", "B"),
                Set.of("A", "B", "C", "D", "E"));
        assertEquals(1, m.hits());
        assertEquals(0.5, m.precision(), 1e-12);
        assertEquals(1.0 / 5, m.recall(), 1e-12);
        assertEquals(1.0 / 2, m.cappedRecall(), 1e-12);
        assertEquals(1 / (1 + Math.log(2) / Math.log(3)), m.ndcg(), 1e-12);
        assertEquals(1, m.hit());
        // AP@2 = precision@1 / min(2, 5) = 1/2.
        assertEquals(0.5, m.averagePrecision(), 1e-12);
    }

    @Test
    void averagePrecisionSumsPrecisionAtEachHit() {
        // k = 4, list [X, A, Y, B], relevant {A, B, C}: hits at ranks 2 and 4, precision 1/2 and 2/4 there.
        // AP@4 = (1/2 + 1/2) / min(4, 3) = 1/3.
        RankingEvaluation.UserMetrics m = RankingEvaluation.UserMetrics.of(4, List.of("X", "A", "Y", "B"),
                Set.of("A", "B", "C"));
        assertEquals(1.0 / 3, m.averagePrecision(), 1e-12);
        assertEquals(2.0 / 3, m.recall(), 1e-12);
        assertEquals(2.0 / 3, m.cappedRecall(), 1e-12);
    }

    @Test
    void aUserWithoutAListScoresZeroButCounts() {
        // User 1: perfect [A]; user 2: no list. Means are halved, and the empty user counts in users().
        RankingEvaluation e = RankingEvaluation.compute(1, List.of(List.of("A"), List.of()),
                List.of(Set.of("A"), Set.of("B")), 4);
        assertEquals(2, e.users());
        assertEquals(0.5, e.precision(), 1e-12);
        assertEquals(0.5, e.ndcg(), 1e-12);
        assertEquals(0.5, e.hitRate(), 1e-12);
        assertEquals(0.5, e.map(), 1e-12);
        assertEquals(0.25, e.coverage(), 1e-12);
        assertThrows(IllegalArgumentException.class,
                () -> RankingEvaluation.UserMetrics.of(1, List.of("A"), Set.of()));
    }

    @Test
    void perfectAndEmpty() {
        RankingEvaluation perfect = RankingEvaluation.compute(2, List.of(List.of("A", "B")),
                List.of(Set.of("A", "B", "C")), 3);
        assertEquals(1, perfect.precision());
        assertEquals(2.0 / 3, perfect.recall(), 1e-12);
        assertEquals(1, perfect.cappedRecall(), 1e-12);
        assertEquals(1, perfect.ndcg(), 1e-12);
        assertEquals(1, perfect.map(), 1e-12);
        assertEquals(Double.NaN, RankingEvaluation.compute(2, List.of(), List.of(), 3).precision());
        assertThrows(IllegalArgumentException.class,
                () -> RankingEvaluation.compute(0, List.of(), List.of(), 3));
        assertThrows(IllegalArgumentException.class,
                () -> RankingEvaluation.compute(2, List.of(List.of("A")), List.of(), 3));
    }
}
