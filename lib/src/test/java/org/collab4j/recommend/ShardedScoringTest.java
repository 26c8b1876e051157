package org.collab4j.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.io.TestModels;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.train.CollabLearner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Scoring many users at once, in tiles of items, and scoring user rows against an item side on another JVM (a
 * serialization round trip): both must give the lists of scoring each user alone, bit for bit.
 */
class ShardedScoringTest {

    /** 512 factors make a tile of 256 items, so the 700 items below span three tiles, the last one short. */
    private static TrainedModel wide;
    private static TrainedModel net;

    @BeforeAll
    static void train() {
        Ratings ratings = TestModels.ratings(40, 700, 0.05, 3);
        try (CollabLearner learner = TestModels.trained(ratings, EmbeddingDotBias.builder().optFactors(512), 64, 1,
                1e-2f)) {
            wide = learner.fittedModel();
        }
        try (CollabLearner learner = TestModels.trained(TestModels.ratings(30, 50, 0.4, 5),
                EmbeddingNet.builder().optFactors(4).optHidden(8).optEmbeddingDropout(0).optHiddenDropout(0), 32,
                2, 1e-2f)) {
            net = learner.fittedModel();
        }
    }

    private static List<String> knownUsers(Recommender r) {
        List<String> ids = new ArrayList<>();
        for (String id : r.getModel().users().ids()) {
            if (r.getModel().ratedItems(r.getModel().users().indexOf(id)).length > 0) {
                ids.add(id);
            }
        }
        return ids;
    }

    @Test
    void theTileSpansFewerItemsThanTheCatalogue() {
        Scorer scorer = Scorer.of(wide);
        assertEquals(256, scorer.tile());
        assertTrue(wide.items().size() > 2 * scorer.tile(), "the test needs at least three tiles");
    }

    @Test
    void manyUsersInTilesGiveEachUsersOwnListBitForBit() {
        Recommender r = Recommender.of(wide);
        List<String> users = knownUsers(r);
        List<UserRecommendations> together = r.recommend(users, 7);
        for (int n = 0; n < users.size(); n++) {
            assertEquals(r.recommend(users.get(n), 7), together.get(n).items(), users.get(n));
        }
    }

    @Test
    void userRowsScoredByADeserializedItemSideGiveTheWholeModelsLists() throws Exception {
        for (TrainedModel model : List.of(wide, net)) {
            Recommender r = Recommender.of(model);
            List<String> users = knownUsers(r);
            ItemSide side = roundTrip(r.itemSide());
            List<UserRecommendations> expected = r.recommend(users, 5);
            List<UserRecommendations> got = new ArrayList<>();
            int half = model.users().size() / 2;
            got.addAll(side.recommender().recommend(roundTrip(r.userRows(0, half)), 5));
            got.addAll(side.recommender().recommend(roundTrip(r.userRows(half, model.users().size())), 5));
            assertEquals(expected, got, model.toString());
            assertEquals(model.items().size(), side.numItems());
        }
    }

    @Test
    void theItemSideKnowsTheWholeModelsItemsNotOnlyTheFirstUsers() {
        Recommender whole = Recommender.of(wide);
        Recommender side = whole.itemSide().recommender();
        for (String item : wide.items().ids()) {
            assertEquals(whole.knowsItem(item), side.knowsItem(item), item);
            assertEquals(whole.ratingCount(item), side.ratingCount(item), item);
        }
    }

    @Test
    void rowsOfAnotherModelAreRefused() {
        UserRows rows = Recommender.of(net).userRows(0, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recommender.of(wide).itemSide().recommender().recommend(rows, 5));
        assertTrue(e.getMessage().contains("item side of the model they were cut from"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Recommender.of(wide).userRows(2, 1));
        assertThrows(IllegalArgumentException.class, () -> Recommender.of(wide).userRows(0, 41));
    }

    @Test
    void aUserSliceKeepsItsUsersRowsAndPredictions() {
        TrainedModel slice = wide.userSlice(10, 20);
        assertEquals(10, slice.users().size());
        assertEquals(wide.users().ids().subList(10, 20), slice.users().ids());
        assertEquals(wide.items(), slice.items());
        Recommender whole = Recommender.of(wide);
        Recommender part = Recommender.of(slice);
        for (String user : slice.users().ids()) {
            assertEquals(wide.ratedItems(wide.users().indexOf(user)).length,
                    slice.ratedItems(slice.users().indexOf(user)).length);
            for (String item : wide.items().ids()) {
                if (part.knowsItem(item)) {
                    assertEquals(whole.predict(user, item), part.predict(user, item), user + " " + item);
                }
            }
        }
        // The slice knows only the items its own users rated; the item side keeps the whole model's counts.
        assertTrue(wide.items().ids().stream().filter(part::knowsItem).count()
                < wide.items().ids().stream().filter(whole::knowsItem).count());
        assertThrows(IllegalArgumentException.class, () -> wide.userSlice(5, 5));
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
