package org.collab4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

class EmbeddingDotBiasTest {

    @Test
    void predictsSigmoidOfDotPlusBiasesScaledIntoTheRange() {
        EmbeddingDotBias block = EmbeddingDotBias.builder().setNumUsers(2).setNumItems(3).optFactors(2).build();
        try (NDManager manager = BlockTesting.manager()) {
            BlockTesting.init(block, manager);
            BlockTesting.set(block, "userFactors", new float[] {1, 2, 0.5f, -1});
            BlockTesting.set(block, "itemFactors", new float[] {1, 0, 0, 1, 0.2f, 0.1f});
            BlockTesting.set(block, "userBias", new float[] {0.1f, -0.2f});
            BlockTesting.set(block, "itemBias", new float[] {0f, 0.3f, -0.1f});
            float[] out = BlockTesting.predict(block, manager, new long[] {0, 1, 1}, new long[] {2, 0, 1}, false);
            // u0·i2 = 0.2 + 0.2 = 0.4, + 0.1 - 0.1 = 0.4
            assertEquals(5.5 * BlockTesting.sigmoid(0.4), out[0], 1e-5);
            // u1·i0 = 0.5, - 0.2 + 0 = 0.3
            assertEquals(5.5 * BlockTesting.sigmoid(0.3), out[1], 1e-5);
            // u1·i1 = -1, - 0.2 + 0.3 = -0.9
            assertEquals(5.5 * BlockTesting.sigmoid(-0.9), out[2], 1e-5);
        }
    }

    @Test
    void staysInsideAnyYRangeEvenForHugeScores() {
        YRange range = new YRange(1f, 10f);
        EmbeddingDotBias block =
                EmbeddingDotBias.builder().setNumUsers(1).setNumItems(2).optFactors(1).optYRange(range).build();
        try (NDManager manager = BlockTesting.manager()) {
            BlockTesting.init(block, manager);
            BlockTesting.set(block, "userFactors", new float[] {100});
            BlockTesting.set(block, "itemFactors", new float[] {100, -100});
            float[] out = BlockTesting.predict(block, manager, new long[] {0, 0}, new long[] {0, 1}, false);
            assertEquals(10f, out[0], 1e-5);
            assertEquals(1f, out[1], 1e-5);
            for (float v : out) {
                assertTrue(v >= range.low() && v <= range.high(), "outside the range: " + v);
            }
        }
    }

    @Test
    void defaultsToTheMovieLensRange() {
        EmbeddingDotBias block = EmbeddingDotBias.builder().setNumUsers(1).setNumItems(1).build();
        assertEquals(new YRange(0f, 5.5f), block.getYRange());
        assertEquals(50, block.getFactors());
    }

    @Test
    void rejectsAnEmptyRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new YRange(5f, 1f));
        assertTrue(e.getMessage().contains("low < high"), e.getMessage());
    }
}
