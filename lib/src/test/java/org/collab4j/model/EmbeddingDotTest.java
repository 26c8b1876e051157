package org.collab4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

class EmbeddingDotTest {

    @Test
    void predictsTheDotProductOfFixedFactors() {
        EmbeddingDot block =
                EmbeddingDot.builder().setNumUsers(2).setNumItems(3).optFactors(2).optYRange(null).build();
        try (NDManager manager = BlockTesting.manager()) {
            BlockTesting.init(block, manager);
            BlockTesting.set(block, "userFactors", new float[] {1, 2, 0.5f, -1});
            BlockTesting.set(block, "itemFactors", new float[] {1, 0, 0, 1, 3, 4});
            float[] out = BlockTesting.predict(block, manager, new long[] {0, 0, 1, 1}, new long[] {0, 2, 1, 2}, false);
            // u0·i0 = 1, u0·i2 = 3 + 8 = 11, u1·i1 = -1, u1·i2 = 1.5 - 4 = -2.5
            assertArrayEquals(new float[] {1f, 11f, -1f, -2.5f}, out, 1e-6f);
        }
        assertNull(block.getYRange());
    }

    @Test
    void squashesTheDotProductIntoTheDefaultRange() {
        EmbeddingDot block = EmbeddingDot.builder().setNumUsers(1).setNumItems(2).optFactors(2).build();
        assertEquals(YRange.MOVIELENS, block.getYRange());
        try (NDManager manager = BlockTesting.manager()) {
            BlockTesting.init(block, manager);
            BlockTesting.set(block, "userFactors", new float[] {1, 2});
            BlockTesting.set(block, "itemFactors", new float[] {0.5f, -1, 0, 0});
            float[] out = BlockTesting.predict(block, manager, new long[] {0, 0}, new long[] {0, 1}, false);
            assertEquals(5.5 * BlockTesting.sigmoid(-1.5), out[0], 1e-5);
            assertEquals(2.75, out[1], 1e-5); // an untrained item starts mid-range, not at 0 stars
        }
    }

    @Test
    void initialisesSmallNotXavier() {
        EmbeddingDot block = EmbeddingDot.builder().setNumUsers(2000).setNumItems(10).build();
        try (NDManager manager = BlockTesting.manager()) {
            BlockTesting.init(block, manager);
            float[] w = block.getParameters().get("userFactors").getArray().toFloatArray();
            double sumSq = 0;
            float maxAbs = 0;
            for (float v : w) {
                sumSq += v * v;
                maxAbs = Math.max(maxAbs, Math.abs(v));
            }
            double std = Math.sqrt(sumSq / w.length);
            // truncated normal with std 0.01 cut at 2 std: std ≈ 0.0088, nothing beyond 0.02
            assertEquals(0.0088, std, 0.001);
            assertTrue(maxAbs <= 0.0201f, "max |w| " + maxAbs);
        }
    }

    @Test
    void rejectsBadSettingsWithAMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingDot.builder().setNumUsers(0).setNumItems(3).build());
        assertTrue(e.getMessage().contains("setNumUsers"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingDot.builder().setNumUsers(1).setNumItems(3).optFactors(0).build());
        assertTrue(e.getMessage().contains("factors must be at least 1, got 0; optFactors(50) is the default"),
                e.getMessage());
    }
}
