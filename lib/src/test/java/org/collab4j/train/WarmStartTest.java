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
import org.collab4j.train.objective.Objective;
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

    private static CollabLearnerBuilder warm(Ratings data) {
        return CollabLearner.builder().setTrainData(data).optInitModel(saved).optOutput(null).optProgressBar(false)
                .optBatchSize(32);
    }

    @Test
    void tablesGrowOldRowsAreKeptAndNewRowsInitialisedAsUsual() {
        try (CollabLearner learner = warm(all).optFoldInNewRows(false).build()) {
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
    void newRowsAreFoldedIntoTheModelFromTheirTrainingRows() {
        // u40 rates only a new item: no row on the model's ids, so it keeps its random init.
        Ratings.Builder data = Ratings.builder();
        for (int row = 0; row < all.size(); row++) {
            data.add(all.users().id(all.user(row)), all.items().id(all.item(row)), all.rating(row));
        }
        Ratings withLoner = data.add("u40", "i29", 5).build();
        org.collab4j.recommend.Recommender model = org.collab4j.recommend.Recommender.of(saved);
        try (CollabLearner learner = warm(withLoner).build()) {
            int k = saved.getConfig().userFactors();
            float[] userFactors = NDArrays.toFloatArray(learner.getBlock().getParameters().get("userFactors")
                    .getArray());
            float[] userBias = NDArrays.toFloatArray(learner.getBlock().getParameters().get("userBias").getArray());
            float[] itemFactors = NDArrays.toFloatArray(learner.getBlock().getParameters().get("itemFactors")
                    .getArray());
            float[] itemBias = NDArrays.toFloatArray(learner.getBlock().getParameters().get("itemBias").getArray());
            int newUsers = 0;
            for (int u = saved.users().size(); u < learner.users().size(); u++) {
                String id = learner.users().id(u);
                org.collab4j.recommend.RatingHistory.Builder history = org.collab4j.recommend.RatingHistory.builder();
                for (int row = 0; row < withLoner.size(); row++) {
                    String item = withLoner.items().id(withLoner.item(row));
                    if (withLoner.users().id(withLoner.user(row)).equals(id) && saved.items().contains(item)) {
                        history.add(item, withLoner.rating(row));
                    }
                }
                float[] now = Arrays.copyOfRange(userFactors, u * k, u * k + k);
                if (id.equals("u40")) {
                    assertTrue(Math.abs(now[0]) <= 0.02 + 1e-6 && Math.abs(userBias[u]) <= 0.02 + 1e-6,
                            "no history on the model's items: random init");
                    continue;
                }
                float[] expected = model.foldInUser(history.build());
                assertArrayEquals(Arrays.copyOf(expected, k), now, 1e-6f, id);
                assertEquals(expected[k], userBias[u], 1e-6f, id + " bias");
                newUsers++;
            }
            assertEquals(10, newUsers);
            for (int i = saved.items().size(); i < learner.items().size(); i++) {
                String id = learner.items().id(i);
                org.collab4j.recommend.RatingHistory.Builder raters = org.collab4j.recommend.RatingHistory.builder();
                for (int row = 0; row < withLoner.size(); row++) {
                    String user = withLoner.users().id(withLoner.user(row));
                    if (withLoner.items().id(withLoner.item(row)).equals(id) && saved.users().contains(user)) {
                        raters.add(user, withLoner.rating(row));
                    }
                }
                float[] expected = model.foldInItem(raters.build());
                assertArrayEquals(Arrays.copyOf(expected, k), Arrays.copyOfRange(itemFactors, i * k, i * k + k),
                        1e-6f, id);
                assertEquals(expected[k], itemBias[i], 1e-6f, id + " bias");
            }
            // Folded in, a new user predicts as the model's fold-in of the same history does.
            org.collab4j.recommend.Recommender folding = org.collab4j.recommend.Recommender.builder()
                    .setModel(saved).optUnknownIdPolicy(org.collab4j.recommend.UnknownIdPolicy.FOLD_IN).build();
            org.collab4j.recommend.RatingHistory.Builder u31 = org.collab4j.recommend.RatingHistory.builder();
            for (int row = 0; row < all.size(); row++) {
                String item = all.items().id(all.item(row));
                if (all.users().id(all.user(row)).equals("u31") && saved.items().contains(item)) {
                    u31.add(item, all.rating(row));
                }
            }
            assertEquals(folding.predict("u31", "i3", u31.build()), learner.predict("u31", "i3"), 1e-5);
        }
    }

    @Test
    void foldedInNewRowsStartCloserThanRandomOnes() {
        Split split = Splits.random(all, 0.25, 8);
        double[] rmse = new double[2];
        for (int n = 0; n < 2; n++) {
            try (CollabLearner learner = warm(split.train()).optFoldInNewRows(n == 0).build()) {
                Ratings valid = split.valid();
                Ratings.Builder newOnes = Ratings.builder();
                for (int row = 0; row < valid.size(); row++) {
                    String u = valid.users().id(valid.user(row));
                    String i = valid.items().id(valid.item(row));
                    if ((!saved.users().contains(u) || !saved.items().contains(i))
                            && learner.users().contains(u) && learner.items().contains(i)) {
                        newOnes.add(u, i, valid.rating(row));
                    }
                }
                rmse[n] = learner.evaluate(newOnes.build().reindex(learner.users(), learner.items())).rmse();
            }
        }
        assertTrue(rmse[0] < rmse[1] - 0.05, "held-out ratings of new users and items: folded in " + rmse[0]
                + ", random " + rmse[1]);
    }

    @Test
    void anIalsModelContinuesFromItsFactorsWithNewRowsFoldedIn() {
        java.util.Random random = new java.util.Random(3);
        Ratings.Builder oldData = Ratings.builder();
        Ratings.Builder allData = Ratings.builder();
        for (int u = 0; u < 50; u++) {
            for (int i = 0; i < 40; i++) {
                if (random.nextDouble() < ((u + i) % 4 == 0 ? 0.6 : 0.08)) {
                    float w = random.nextDouble() < 0.7 ? 1f : 0.3f;
                    allData.add("u" + u, "i" + i, w);
                    if (u < 40 && i < 34) {
                        oldData.add("u" + u, "i" + i, w);
                    }
                }
            }
        }
        Ratings interactions = allData.build();
        TrainedModel ials;
        try (CollabLearner learner = CollabLearner.builder().setTrainData(oldData.build())
                .optObjective(Objective.ials()).optModel(org.collab4j.model.EmbeddingDot.builder().optFactors(6)
                        .optYRange(null)).optOutput(null).optProgressBar(false).build()) {
            learner.fitAls(15);
            ials = learner.fittedModel();
        }
        float[] firstLoss = new float[2];
        for (int n = 0; n < 2; n++) {
            CollabLearnerBuilder builder = CollabLearner.builder().setTrainData(interactions)
                    .optObjective(Objective.ials()).optOutput(null).optProgressBar(false);
            builder = n == 0 ? builder.optInitModel(ials)
                    : builder.optModel(org.collab4j.model.EmbeddingDot.builder().optFactors(6).optYRange(null));
            try (CollabLearner learner = builder.build()) {
                if (n == 0) {
                    float[] users = NDArrays.toFloatArray(learner.getBlock().getParameters().get("userFactors")
                            .getArray());
                    float[] before = ials.parameter("userFactors");
                    assertArrayEquals(before, Arrays.copyOf(users, before.length), "old users keep their factors");
                    // A new user's row is its fold-in under the iALS objective, from its interaction weights.
                    org.collab4j.recommend.RatingHistory.Builder h = org.collab4j.recommend.RatingHistory.builder();
                    for (int row = 0; row < interactions.size(); row++) {
                        String item = interactions.items().id(interactions.item(row));
                        if (interactions.users().id(interactions.user(row)).equals("u45")
                                && ials.items().contains(item)) {
                            h.add(item, interactions.rating(row));
                        }
                    }
                    org.collab4j.recommend.Recommender r = org.collab4j.recommend.Recommender.of(ials);
                    assertEquals(org.collab4j.recommend.FoldIn.Objective.IMPLICIT, r.getFoldInObjective());
                    int u = learner.users().indexOf("u45");
                    assertArrayEquals(r.foldInUser(h.build()), Arrays.copyOfRange(users, u * 6, u * 6 + 6), 1e-6f);
                }
                firstLoss[n] = (float) learner.fitAls(1).get(0).trainLoss();
                assertEquals("ials", learner.fittedModel().objective());
            }
        }
        assertTrue(firstLoss[0] < firstLoss[1] * 0.9, "the first sweep's objective from the saved model "
                + firstLoss[0] + " vs from random " + firstLoss[1]);
    }

    @Test
    void theBlockIsTheModelsAndOptModelIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> warm(all).optModel(EmbeddingNet.builder()).build());
        assertTrue(e.getMessage().contains("optInitModel fixes the block"), e.getMessage());
    }
}
