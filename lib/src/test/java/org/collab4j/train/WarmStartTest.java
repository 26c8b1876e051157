package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.TestModels;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.util.NDArrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

/** Training on from a saved model, with new users and items in the new data. */
class WarmStartTest {

    private static Ratings all;
    /** Users u0..u29 and items i0..i24 only. */
    private static Ratings old;
    private static TrainedModel saved;

    @BeforeAll
    static void train() {
        all = TestModels.ratings(40, 30, 0.4, 3);
        Ratings.Builder builder = Ratings.builder();
        for (int row = 0; row < all.size(); row++) {
            String u = all.users().id(all.user(row));
            String i = all.items().id(all.item(row));
            if (Integer.parseInt(u.substring(1)) < 30 && Integer.parseInt(i.substring(1)) < 25) {
                builder.add(u, i, all.rating(row));
            }
        }
        old = builder.build();
        try (CollabLearner learner = TestModels.trained(old, null, 32, 4, 2e-2f)) {
            saved = learner.fittedModel();
        }
    }

    private static CollabLearner.Builder warm(Ratings data) {
        return CollabLearner.builder().setTrainData(data).optInitModel(saved).optOutput(null).optProgressBar(false)
                .optBatchSize(32);
    }

    @Test
    void tablesGrowOldRowsAreKeptAndNewRowsInitialisedAsUsual() {
        try (CollabLearner learner = warm(all).build()) {
            assertEquals(saved.users().ids(), learner.users().ids().subList(0, saved.users().size()),
                    "old ids keep their indices");
            assertEquals(40, learner.users().size());
            assertEquals(30, learner.items().size());
            assertEquals(all.size(), learner.getTrainData().size());
            for (String name : List.of("userFactors", "itemFactors", "userBias", "itemBias")) {
                float[] now = NDArrays.toFloatArray(learner.getBlock().getParameters().get(name).getArray());
                float[] before = saved.parameter(name);
                assertArrayEquals(before, Arrays.copyOf(now, before.length), name);
                // New rows: the block's truncated-normal init (std 0.01), not zeros and not copies.
                double sq = 0;
                for (int k = before.length; k < now.length; k++) {
                    sq += now[k] * now[k];
                    assertTrue(Math.abs(now[k]) <= 0.02 + 1e-6, name + "[" + k + "] = " + now[k]);
                }
                double std = Math.sqrt(sq / (now.length - before.length));
                assertTrue(std > 0.003 && std < 0.02, name + " new rows std " + std);
            }
            // The ratings keep their ids through the remapping.
            Ratings remapped = learner.getTrainData();
            assertEquals(all.users().id(all.user(7)), remapped.users().id(remapped.user(7)));
            assertEquals(all.items().id(all.item(7)), remapped.items().id(remapped.item(7)));
            assertEquals(saved.getConfig().yRange(), learner.getBlock().getYRange());
        }
    }

    @Test
    void continuingFromTheModelStartsWhereItLeftOff() {
        Split split = Splits.random(all, 0.2, 5);
        org.collab4j.recommend.Recommender before = org.collab4j.recommend.Recommender.of(saved);
        try (CollabLearner learner = warm(split.train()).optValidData(split.valid()).build()) {
            // Before any epoch the learner predicts what the saved model predicts, for the model's users and items.
            int compared = 0;
            for (int row = 0; row < old.size(); row += 7) {
                String u = old.users().id(old.user(row));
                String i = old.items().id(old.item(row));
                assertEquals(before.predict(u, i), learner.predict(u, i), 1e-5, u + ", " + i);
                compared++;
            }
            assertTrue(compared > 10);
            learner.fitOneCycle(1, 1e-2f);
            assertEquals(1, learner.history().size());
            assertTrue(Double.isFinite(learner.history().get(0).validRmse()));
            TrainedModel next = learner.fittedModel();
            assertEquals(40, next.users().size());
            assertTrue(org.collab4j.recommend.Recommender.of(next).knowsUser("u35"), "a new user is now known");
        }
        // Trained on new ratings only, the snapshot still knows the old users and their training items.
        Ratings.Builder onlyNew = Ratings.builder().add("u35", "i27", 4).add("u36", "i2", 3);
        try (CollabLearner learner = warm(onlyNew.build()).build()) {
            learner.fitOneCycle(1, 1e-3f);
            TrainedModel next = learner.fittedModel();
            org.collab4j.recommend.Recommender r = org.collab4j.recommend.Recommender.of(next);
            assertTrue(r.knowsUser("u0") && r.knowsUser("u35") && r.knowsItem("i27"));
            int u0 = next.users().indexOf("u0");
            assertArrayEquals(saved.ratedItems(saved.users().indexOf("u0")), next.ratedItems(u0));
            int u36 = next.users().indexOf("u36");
            assertEquals(List.of(30, 31), List.of(next.users().indexOf("u35"), u36), "new users come after the old");
            assertTrue(Arrays.stream(next.ratedItems(u36)).anyMatch(i -> i == next.items().indexOf("i2")));
        }
    }

    @Test
    void theBlockIsTheModelsAndOptModelIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> warm(all).optModel(EmbeddingNet.builder()).build());
        assertTrue(e.getMessage().contains("optInitModel fixes the block"), e.getMessage());
    }
}
