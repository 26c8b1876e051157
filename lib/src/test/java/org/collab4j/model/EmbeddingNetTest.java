package org.collab4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.Test;

class EmbeddingNetTest {

    private static EmbeddingNet tinyNet() {
        // users and items of 1 factor each, one hidden layer of 2 units
        return EmbeddingNet.builder().setNumUsers(2).setNumItems(2).optFactors(1).optHidden(2).build();
    }

    @Test
    void computesTheMlpOnConcatenatedEmbeddings() {
        EmbeddingNet block = tinyNet();
        try (NDManager manager = BlockTesting.manager()) {
            BlockTesting.init(block, manager);
            BlockTesting.set(block, "userFactors", new float[] {1f, -2f});
            BlockTesting.set(block, "itemFactors", new float[] {0.5f, 3f});
            // hidden weight (2 units x 2 inputs), row per unit
            BlockTesting.set(block, "01hidden0_weight", new float[] {1f, 2f, -1f, 1f});
            BlockTesting.set(block, "01hidden0_bias", new float[] {0.1f, -0.5f});
            BlockTesting.set(block, "02output_weight", new float[] {0.5f, -0.25f});
            BlockTesting.set(block, "02output_bias", new float[] {0.2f});
            float[] out = BlockTesting.predict(block, manager, new long[] {0, 1}, new long[] {0, 1}, false);
            assertEquals(expected(1f, 0.5f), out[0], 1e-5);
            assertEquals(expected(-2f, 3f), out[1], 1e-5);
        }
    }

    private static double expected(float u, float i) {
        double h0 = Math.max(0, 1 * u + 2 * i + 0.1);
        double h1 = Math.max(0, -1 * u + 1 * i - 0.5);
        return 5.5 * BlockTesting.sigmoid(0.5 * h0 - 0.25 * h1 + 0.2);
    }

    @Test
    void appendsItemSideColumnsToTheMlpInput() {
        // items' features: g=a, g=b (categorical), year (numeric); vectors of 2 for the categorical ones
        org.collab4j.kernel.FeatureMatrix features = org.collab4j.kernel.FeatureMatrix.of(new int[] {0, 2, 4, 4},
                new int[] {0, 2, 0, 1}, new float[] {1f, 0.5f, 1f, 1f}, 3);
        EmbeddingNet block = EmbeddingNet.builder().setNumUsers(2).setNumItems(3).optFactors(1).optHidden(2)
                .optItemFeatures(features, new boolean[] {false, false, true}).optFeatureFactors(2).build();
        assertEquals(3, block.sideWidth(org.collab4j.kernel.Side.ITEMS));
        try (NDManager manager = BlockTesting.manager()) {
            BlockTesting.init(block, manager);
            BlockTesting.set(block, "userFactors", new float[] {1f, -2f});
            BlockTesting.set(block, "itemFactors", new float[] {0.5f, 3f, -1f});
            BlockTesting.set(block, EmbeddingNet.ITEM_FEATURE_VECTORS, new float[] {1f, 2f, 3f, -1f});
            // input [u, i, side(2), year]
            BlockTesting.set(block, "01hidden0_weight", new float[] {1f, 2f, 0.5f, -1f, 1f, -1f, 1f, 1f, 0.5f, -2f});
            BlockTesting.set(block, "01hidden0_bias", new float[] {0.1f, -0.5f});
            BlockTesting.set(block, "02output_weight", new float[] {0.5f, -0.25f});
            BlockTesting.set(block, "02output_bias", new float[] {0.2f});
            float[] out = BlockTesting.predict(block, manager, new long[] {0, 1, 1}, new long[] {0, 1, 2}, false);
            // item 0: a and year 0.5 -> side (1, 2, 0.5); item 1: mean of a and b -> (2, 0.5, 0); item 2: none
            assertEquals(expectedSide(1f, 0.5f, 1f, 2f, 0.5f), out[0], 1e-5);
            assertEquals(expectedSide(-2f, 3f, 2f, 0.5f, 0f), out[1], 1e-5);
            assertEquals(expectedSide(-2f, -1f, 0f, 0f, 0f), out[2], 1e-5);
            // The folded form: the item table widened by the side columns.
            assertArrayEquals(new float[] {0.5f, 1f, 2f, 0.5f, 3f, 2f, 0.5f, 0f, -1f, 0f, 0f, 0f},
                    block.foldedWeights().get("itemFactors"), 1e-6f);
            // Feature rows of the folded table: a new item's row is their weighted sum, with a zero id part.
            assertArrayEquals(new float[] {0f, 1f, 2f, 0f, 0f, 3f, -1f, 0f, 0f, 0f, 0f, 1f},
                    block.servedFeatureVectors(org.collab4j.kernel.Side.ITEMS), 1e-6f);
        }
    }

    @Test
    void appendsUserSideColumnsAfterTheUserEmbedding() {
        // users' features: x (categorical), age (numeric); user 1 has none
        org.collab4j.kernel.FeatureMatrix features = org.collab4j.kernel.FeatureMatrix.of(new int[] {0, 2, 2},
                new int[] {0, 1}, new float[] {1f, 2f}, 2);
        EmbeddingNet block = EmbeddingNet.builder().setNumUsers(2).setNumItems(2).optFactors(1).optHidden()
                .optUserFeatures(features, new boolean[] {false, true}).optFeatureFactors(1).build();
        try (NDManager manager = BlockTesting.manager()) {
            BlockTesting.init(block, manager);
            BlockTesting.set(block, "userFactors", new float[] {1f, -1f});
            BlockTesting.set(block, "itemFactors", new float[] {0.5f, 2f});
            BlockTesting.set(block, EmbeddingNet.USER_FEATURE_VECTORS, new float[] {0.25f});
            // input [u, x's vector, age, i]
            BlockTesting.set(block, "01output_weight", new float[] {0.1f, 0.2f, 0.3f, 0.4f});
            BlockTesting.set(block, "01output_bias", new float[] {0.5f});
            float[] out = BlockTesting.predict(block, manager, new long[] {0, 1}, new long[] {1, 0}, false);
            assertEquals(5.5 * BlockTesting.sigmoid(0.1 * 1 + 0.2 * 0.25 + 0.3 * 2 + 0.4 * 2 + 0.5), out[0], 1e-5);
            assertEquals(5.5 * BlockTesting.sigmoid(0.1 * -1 + 0.4 * 0.5 + 0.5), out[1], 1e-5);
            assertArrayEquals(new float[] {1f, 0.25f, 2f, -1f, 0f, 0f}, block.foldedWeights().get("userFactors"), 0f);
        }
    }

    private static double expectedSide(float u, float i, float s0, float s1, float year) {
        double h0 = Math.max(0, 1 * u + 2 * i + 0.5 * s0 - 1 * s1 + 1 * year + 0.1);
        double h1 = Math.max(0, -1 * u + 1 * i + 1 * s0 + 0.5 * s1 - 2 * year - 0.5);
        return 5.5 * BlockTesting.sigmoid(0.5 * h0 - 0.25 * h1 + 0.2);
    }

    @Test
    void appliesDropoutOnlyWhileTraining() {
        EmbeddingNet block = EmbeddingNet.builder().setNumUsers(1).setNumItems(1).optFactors(64)
                .optHiddenDropout(0.9f).optEmbeddingDropout(0.5f).build();
        try (NDManager manager = BlockTesting.manager()) {
            BlockTesting.init(block, manager);
            long[] users = new long[16];
            float[] eval = BlockTesting.predict(block, manager, users, users, false);
            for (float v : eval) {
                assertEquals(eval[0], v, 1e-6f);
            }
            float[] train = BlockTesting.predict(block, manager, users, users, true);
            boolean varies = false;
            for (float v : train) {
                varies |= Math.abs(v - train[0]) > 1e-6f;
            }
            assertTrue(varies, "dropout while training should make identical rows differ");
            assertNotEquals(eval[0], train[0]);
        }
    }

    @Test
    void staysInsideTheYRange() {
        EmbeddingNet block = tinyNet();
        try (NDManager manager = BlockTesting.manager()) {
            BlockTesting.init(block, manager);
            BlockTesting.set(block, "userFactors", new float[] {1000f, -1000f});
            BlockTesting.set(block, "itemFactors", new float[] {1000f, -1000f});
            float[] out = BlockTesting.predict(block, manager, new long[] {0, 1}, new long[] {0, 1}, false);
            for (float v : out) {
                assertTrue(v >= 0f && v <= 5.5f, "outside (0, 5.5): " + v);
            }
        }
    }

    @Test
    void sidesMayHaveDifferentSizesAndManyLayers() {
        EmbeddingNet block = EmbeddingNet.builder().setNumUsers(3).setNumItems(4).optUserFactors(5)
                .optItemFactors(7).optHidden(8, 4).build();
        try (NDManager manager = BlockTesting.manager()) {
            BlockTesting.init(block, manager);
            assertEquals(12, block.getParameters().get("01hidden0_weight").getArray().getShape().get(1));
            assertEquals(3, BlockTesting.predict(block, manager, new long[] {0, 1, 2}, new long[] {3, 2, 1}, false)
                    .length);
        }
    }

    @Test
    void rejectsDropoutOutsideZeroToOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingNet.builder().setNumUsers(1).setNumItems(1).optHiddenDropout(1f).build());
        assertTrue(e.getMessage().contains("hiddenDropout must be in [0, 1)")
                && e.getMessage().contains("0 turns dropout off"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingNet.builder().setNumUsers(1).setNumItems(1).optEmbeddingDropout(-0.1f).build());
        assertTrue(e.getMessage().contains("embeddingDropout must be in [0, 1), got -0.1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingNet.builder().setNumUsers(1).setNumItems(1).optFactors(0).build());
        assertTrue(e.getMessage().contains("userFactors must be at least 1, got 0; set it with optFactors"),
                e.getMessage());
    }
}
