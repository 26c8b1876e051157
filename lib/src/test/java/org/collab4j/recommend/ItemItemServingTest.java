package org.collab4j.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.IdMap;
import org.collab4j.io.Provenance;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Csr;
import org.collab4j.kernel.ItemItemModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** An item-item model (EASE) served by the Recommender: the kernel's scores, EASE's fold-in, similar items. */
class ItemItemServingTest {

    private static final int USERS = 5;
    private static final int ITEMS = 7;

    /** A random B (zero diagonal) and histories; user u rated items u and u+1, and also u+2 (not in the history). */
    static TrainedModel model() {
        Random random = new Random(5);
        float[] b = new float[ITEMS * ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            for (int j = 0; j < ITEMS; j++) {
                b[i * ITEMS + j] = i == j ? 0f : (float) random.nextGaussian();
            }
        }
        int[] offsets = new int[USERS + 1];
        int[] hist = new int[USERS * 2];
        float[] values = new float[USERS * 2];
        int[] ratedOffsets = new int[USERS + 1];
        int[] rated = new int[USERS * 3];
        for (int u = 0; u < USERS; u++) {
            hist[2 * u] = u;
            hist[2 * u + 1] = u + 1;
            values[2 * u] = 1f;
            values[2 * u + 1] = 0.3f;
            offsets[u + 1] = 2 * (u + 1);
            rated[3 * u] = u;
            rated[3 * u + 1] = u + 1;
            rated[3 * u + 2] = u + 2;
            ratedOffsets[u + 1] = 3 * (u + 1);
        }
        List<String> users = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            users.add("u" + u);
        }
        List<String> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            items.add("i" + i);
        }
        return TrainedModel.itemItem(IdMap.of(users), IdMap.of(items), Csr.wrap(ratedOffsets, rated),
                Csr.wrap(offsets, hist), values, b, 1, Provenance.minimal("EASE", 15), "ease");
    }

    @Test
    void servedScoresAreTheTrainersSumsAndTheRatedItemsAreLeftOut() {
        TrainedModel model = model();
        ItemItemModel m = model.itemItem().orElseThrow();
        Recommender recommender = Recommender.of(model);
        for (int u = 0; u < USERS; u++) {
            List<ScoredId> top = recommender.recommend("u" + u, ITEMS);
            assertEquals(ITEMS - 3, top.size(), "every item but the three rated");
            float previous = Float.POSITIVE_INFINITY;
            for (ScoredId s : top) {
                int i = Integer.parseInt(s.id().substring(1));
                assertTrue(i < u || i > u + 2, "a rated item came back: " + s);
                float expected = m.weights()[u * ITEMS + i] + 0.3f * m.weights()[(u + 1) * ITEMS + i];
                assertEquals(expected, s.score(), "score of " + s);
                assertEquals(recommender.predict("u" + u, s.id()), s.score());
                assertTrue(s.score() <= previous);
                previous = s.score();
            }
        }
    }

    @Test
    void aNewUserIsFoldedInAsTheirHistoryRow() {
        TrainedModel model = model();
        float[] b = model.itemItem().orElseThrow().weights();
        Recommender recommender = Recommender.builder().setModel(model)
                .optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN).build();
        RatingHistory history = RatingHistory.builder().add("i2", 1f).add("i5", 0.5f).add("unknown", 1f).build();
        float[] row = recommender.foldInUser(history);
        float[] expectedRow = new float[ITEMS];
        expectedRow[2] = 1f;
        expectedRow[5] = 0.5f;
        assertArrayEquals(expectedRow, row);
        List<ScoredId> top = recommender.recommend("new", history, ITEMS);
        assertEquals(ITEMS - 2, top.size());
        for (ScoredId s : top) {
            int i = Integer.parseInt(s.id().substring(1));
            assertEquals(b[2 * ITEMS + i] + 0.5f * b[5 * ITEMS + i], s.score(), 1e-7f, s.toString());
        }
        IllegalArgumentException item = assertThrows(IllegalArgumentException.class,
                () -> recommender.foldInItem(RatingHistory.builder().add("u1", 1f).build()));
        assertTrue(item.getMessage().contains("cannot fold in a new item"), item.getMessage());
    }

    @Test
    void similarItemsAreTheRowOfOneItemsHistory() {
        TrainedModel model = model();
        float[] b = model.itemItem().orElseThrow().weights();
        List<ScoredId> similar = Recommender.of(model).similarItems("i3", 3);
        assertEquals(3, similar.size());
        for (ScoredId s : similar) {
            int j = Integer.parseInt(s.id().substring(1));
            assertEquals(b[3 * ITEMS + j], s.score());
        }
        float best = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < ITEMS; j++) {
            if (j != 3) {
                best = Math.max(best, b[3 * ITEMS + j]);
            }
        }
        assertEquals(best, similar.get(0).score());
    }
}
