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
        // User 3: [E], nothing relevant: not averaged, but its list counts for coverage.
        RankingEvaluation e = RankingEvaluation.compute(3,
                List.of(List.of("A", "B", "C", "X"), List.of("D", "A"), List.of("E")),
                List.of(Set.of("B", "D"), List.of("A"), Set.of()), 10);
        double g = 1 / (Math.log(3) / Math.log(2));
        assertEquals(2, e.users());
        assertEquals(1.0 / 3, e.precision(), 1e-12);
        assertEquals(0.75, e.recall(), 1e-12);
        assertEquals((g / (1 + g) + g) / 2, e.ndcg(), 1e-12);
        assertEquals(5.0 / 10, e.coverage(), 1e-12);
        assertEquals("precision@3 0.3333 recall@3 0.7500 NDCG@3 0.5089 coverage 0.5000 (2 users)", e.toString());
    }

    @Test
    void perfectAndEmpty() {
        RankingEvaluation perfect = RankingEvaluation.compute(2, List.of(List.of("A", "B")),
                List.of(Set.of("A", "B", "C")), 3);
        assertEquals(1, perfect.precision());
        assertEquals(2.0 / 3, perfect.recall(), 1e-12);
        assertEquals(1, perfect.ndcg(), 1e-12);
        assertEquals(Double.NaN, RankingEvaluation.compute(2, List.of(), List.of(), 3).precision());
        assertThrows(IllegalArgumentException.class,
                () -> RankingEvaluation.compute(0, List.of(), List.of(), 3));
        assertThrows(IllegalArgumentException.class,
                () -> RankingEvaluation.compute(2, List.of(List.of("A")), List.of(), 3));
    }
}
