package org.collab4j.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.ann.ApproximateIndex;
import org.collab4j.data.FeatureTable;
import org.collab4j.data.IdMap;
import org.collab4j.io.FeatureEmbeddings;
import org.collab4j.io.HybridModels;
import org.collab4j.io.SyntheticModels;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.FeatureMatrix;
import org.collab4j.kernel.Kernel;
import org.collab4j.kernel.Side;
import org.collab4j.model.YRange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Items and users the model has not seen, served from their features (issue 27, cold start). */
class ColdStartTest {

    private static final TrainedModel MODEL = HybridModels.dotBias();

    /**
     * A table from rows of feature names (weight 1 each): {@code rows[n][0]} is the id, the rest its features.
     */
    static FeatureTable table(String source, List<String> names, String[]... rows) {
        List<String> ids = new ArrayList<>();
        int[] offsets = new int[rows.length + 1];
        List<Integer> columns = new ArrayList<>();
        for (int r = 0; r < rows.length; r++) {
            ids.add(rows[r][0]);
            for (int c = 1; c < rows[r].length; c++) {
                int column = names.indexOf(rows[r][c]);
                assertTrue(column >= 0, rows[r][c]);
                columns.add(column);
            }
            offsets[r + 1] = columns.size();
        }
        float[] values = new float[columns.size()];
        java.util.Arrays.fill(values, 1f);
        return FeatureTable.of(IdMap.of(ids), names, FeatureMatrix.of(offsets,
                columns.stream().mapToInt(Integer::intValue).toArray(), values, names.size()), source);
    }

    private static Recommender withItems(String[]... rows) {
        return Recommender.builder().setModel(MODEL).optItemFeatures(table("items.csv", HybridModels.ITEM_FEATURES,
                rows)).build();
    }

    private static float score(List<ScoredId> list, String id) {
        return list.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError(id
                + " not in " + list)).score();
    }

    @Test
    void aNewItemWithAKnownItemsFeaturesGetsThatItemsScore() {
        // i1 was trained with genre=A only and i2 with A and B (no id embeddings): their rows are those features'.
        Recommender r = withItems(new String[] {"n1", "genre=A"}, new String[] {"n2", "genre=B", "genre=A"});
        assertTrue(r.knowsItem("n1") && r.servesFromFeatures("n1") && !r.servesFromFeatures("i1"));
        assertFalse(Recommender.of(MODEL).knowsItem("n1"));
        for (String user : List.of("u1", "u2", "u3")) {
            assertEquals(r.predict(user, "i1"), r.predict(user, "n1"), user);
            assertEquals(r.predict(user, "i2"), r.predict(user, "n2"), user);
        }
        // u1 rated i3 only: every other item, the new ones among them, is recommended with its predicted rating.
        List<ScoredId> top = r.recommend("u1", 10);
        assertEquals(5, top.size());
        assertEquals(score(top, "i1"), score(top, "n1"));
        assertEquals(r.predict("u1", "n2"), score(top, "n2"));
        // The hand computation: u1 = (0.9, -0.3), bias 0.1; n1 = A = (1.0, 0.5), bias 0.2.
        float raw = 0.9f * 1.0f + -0.3f * 0.5f + 0.1f + 0.2f;
        assertEquals(Kernel.sigmoidRange(raw, YRange.MOVIELENS.low(), YRange.MOVIELENS.high()), r.predict("u1", "n1"), 1e-6f);
        // The model itself is unchanged.
        assertEquals(MODEL, r.getModel());
        assertEquals(4, r.getModel().items().size());
    }

    @Test
    void unknownFeaturesAreIgnoredAndCounted() {
        List<String> names = List.of("genre=A", "genre=Z", "genre=Y", "genre=B");
        Recommender r = Recommender.builder().setModel(MODEL).optItemFeatures(table("items.csv", names,
                new String[] {"n1", "genre=A", "genre=Z"}, new String[] {"n3", "genre=Z", "genre=Y"},
                new String[] {"i3", "genre=B"})).build();
        // n1's unknown Z is ignored: its row is A's, as i1's.
        assertEquals(r.predict("u2", "i1"), r.predict("u2", "n1"));
        assertFalse(r.knowsItem("n3"));
        // i3 was trained: its trained row stays.
        assertEquals(Recommender.of(MODEL).predict("u2", "i3"), r.predict("u2", "i3"));
        ColdStartReport report = r.coldStart(Side.ITEMS).orElseThrow();
        assertEquals(new ColdStartReport(Side.ITEMS, "items.csv", 3, 1, 1, 1, 4, 0, 2, List.of("genre=Z", "genre=Y")),
                report);
        assertEquals("items.csv: 1 items served from their features (1 already trained, 1 without a known feature);"
                + " 2 of its 4 features unknown to the model and ignored (genre=Z, genre=Y)", report.toString());
        assertTrue(r.coldStart(Side.USERS).isEmpty());
    }

    @Test
    void aValueTheModelPooledCountsAsItsColumnsOther() {
        TrainedModel pooled = MODEL.withFeatures(Side.ITEMS, new FeatureEmbeddings(List.of("genre=A", "tag=<other>",
                "tag=funny"), 2, HybridModels.ITEM_VECTORS, HybridModels.ITEM_BIASES, false));
        List<String> names = List.of("tag=brand-new", "genre=A", "tag=funny", "year");
        Recommender r = Recommender.builder().setModel(pooled).optItemFeatures(table("items.csv", names,
                new String[] {"n1", "tag=brand-new"}, new String[] {"n2", "tag=funny", "year"})).build();
        // tag=brand-new is served as tag=<other>: as an item whose only feature is tag=<other>.
        Recommender byHand = Recommender.builder().setModel(pooled).optItemFeatures(table("items.csv",
                List.of("tag=<other>"), new String[] {"n1", "tag=<other>"})).build();
        assertEquals(byHand.predict("u1", "n1"), r.predict("u1", "n1"));
        // Two values the model pooled are one tag=<other>, as the reader counts a pooled value once per id: n3 is
        // genre=A and tag=<other> with equal weights, not tag=<other> twice.
        List<String> more = List.of("genre=A", "tag=rare", "tag=rarer");
        Recommender twice = Recommender.builder().setModel(pooled).optItemFeatures(table("items.csv", more,
                new String[] {"n3", "genre=A", "tag=rare", "tag=rarer"})).build();
        Recommender once = Recommender.builder().setModel(pooled).optItemFeatures(table("items.csv",
                List.of("genre=A", "tag=<other>"), new String[] {"n3", "genre=A", "tag=<other>"})).build();
        assertEquals(once.predict("u1", "n3"), twice.predict("u1", "n3"));
        ColdStartReport report = r.coldStart(Side.ITEMS).orElseThrow();
        assertEquals(1, report.pooledFeatures());
        assertEquals(List.of("year"), report.unknownSample());
        assertEquals(2, report.served());
    }

    @Test
    void aTableThatContradictsTheModelIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recommender.builder()
                .setModel(MODEL).optItemFeatures(table("/data/users.csv", HybridModels.USER_FEATURES,
                        new String[] {"n1", "age"})).build());
        assertEquals("/data/users.csv (line 1, the header): none of its 3 item features (\"country=FR\","
                + " \"country=DE\", \"age\") is one the model was trained with (3, e.g. \"genre=A\", \"genre=B\","
                + " \"genre=C\"): read the file with the columns and format used in training, and check it holds item"
                + " features", e.getMessage());
        TrainedModel plain = MODEL.withFeatures(Side.ITEMS, null);
        e = assertThrows(IllegalArgumentException.class, () -> Recommender.builder().setModel(plain)
                .optItemFeatures(table("items.csv", HybridModels.ITEM_FEATURES, new String[] {"n1", "genre=A"}))
                .build());
        assertEquals("the model was trained without item features, so it cannot serve items from theirs: train it"
                + " with --item-features (CollabLearnerBuilder.optItemFeatures)", e.getMessage());
    }

    @Test
    void exclusionsCandidatesAndFiltersApplyToNewItems() {
        Recommender r = withItems(new String[] {"n1", "genre=A"}, new String[] {"n2", "genre=C"});
        List<String> all = ids(r.recommend("u1", 10));
        assertTrue(all.containsAll(List.of("n1", "n2")), all.toString());
        assertFalse(ids(r.recommend("u1", 10, RecommendOptions.builder().optExclude(List.of("n1")).build()))
                .contains("n1"));
        assertEquals(List.of("n2"), ids(r.recommend("u1", 10, RecommendOptions.builder()
                .optCandidates(List.of("n2", "i3")).build())));
        assertEquals(List.of("n1", "n2"), ids(r.recommend("u1", 10, RecommendOptions.builder()
                .optFilter(id -> id.startsWith("n")).build())).stream().sorted().toList());
        // Many users at once and recommendAll list them as one user at a time does.
        List<List<ScoredId>> batch = new ArrayList<>();
        r.recommendAll(10, 2, b -> b.forEach(u -> batch.add(u.items())));
        assertEquals(List.of(r.recommend("u1", 10), r.recommend("u2", 10), r.recommend("u3", 10)), batch);
    }

    @Test
    void similarItemsFindsNeighboursForANewItemAndNewItemsAmongNeighbours() {
        Recommender r = withItems(new String[] {"n1", "genre=A"});
        List<ScoredId> ofNew = r.similarItems("n1", 3);
        assertEquals("i1", ofNew.get(0).id());
        assertEquals(1f, ofNew.get(0).score(), 1e-6f);
        List<ScoredId> ofKnown = r.similarItems("i1", 3);
        assertEquals("n1", ofKnown.get(0).id());
        // An item served from its features has no ratings: asked for items with 2+, it is left out.
        assertFalse(ids(r.similarItems("i1", 3, 2)).contains("n1"));
        // With raters, a new item is folded in from them toward its feature row: its neighbours move.
        RatingHistory raters = RatingHistory.builder().add("u1", 0.5f).add("u2", 5f).add("u3", 5f).build();
        List<ScoredId> folded = r.similarItems("n1", raters, 3, 1);
        assertNotEquals(ofNew, folded);
        assertFalse(ids(folded).contains("n1"));
    }

    @Test
    void withItemFeaturesAddsItemsToAServingRecommender() {
        Recommender before = Recommender.builder().setModel(MODEL).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK)
                .build();
        Recommender after = before.withItemFeatures(table("new.csv", HybridModels.ITEM_FEATURES,
                new String[] {"n1", "genre=A"}));
        assertFalse(before.knowsItem("n1"));
        assertTrue(after.knowsItem("n1"));
        assertEquals(UnknownIdPolicy.FALLBACK, after.getUnknownIdPolicy());
        assertEquals(after.predict("u3", "i1"), after.predict("u3", "n1"));
    }

    @Test
    void theItemSideCarriesNewItemsToAnotherJvm() throws Exception {
        Recommender r = withItems(new String[] {"n1", "genre=A"}, new String[] {"n2", "genre=C", "genre=B"});
        ItemSide side = r.itemSide();
        assertEquals(6, side.numItems());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(side);
            out.writeObject(r.userRows(0, 3));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            ItemSide shipped = (ItemSide) in.readObject();
            UserRows rows = (UserRows) in.readObject();
            assertEquals(r.recommend(List.of("u1", "u2", "u3"), 10), shipped.recommender().recommend(rows, 10));
            assertTrue(shipped.recommender().servesFromFeatures("n2"));
            assertEquals(r.similarItems("n2", 3), shipped.recommender().similarItems("n2", 3));
        }
    }

    @Test
    void theApproximateIndexScoresNewItemsExactlyBesideTheGraph() {
        TrainedModel model = SyntheticModels.clustered(60, 400, 8, 10, true, 20, 7);
        List<String> vocabulary = List.of("f0", "f1", "f2", "f3", "f4");
        SplittableRandom random = new SplittableRandom(3);
        float[] vectors = new float[5 * 8];
        for (int k = 0; k < vectors.length; k++) {
            vectors[k] = (float) random.nextGaussian();
        }
        model = model.withFeatures(Side.ITEMS, new FeatureEmbeddings(vocabulary, 8, vectors, new float[5], true));
        String[][] rows = new String[30][];
        for (int n = 0; n < rows.length; n++) {
            rows[n] = new String[] {"new" + n, "f" + (n % 5), "f" + ((n / 5) % 5)};
        }
        FeatureTable table = table("new.csv", vocabulary, rows);
        Recommender exact = Recommender.builder().setModel(model).optItemFeatures(table).build();
        Recommender approximate = Recommender.builder().setModel(model).optItemFeatures(table)
                .optApproximateIndex(ApproximateIndex.builder().optEfSearch(400).build(model)).build();
        int withNew = 0;
        for (String user : model.users().ids()) {
            List<ScoredId> expected = exact.recommend(user, 10);
            assertEquals(expected, approximate.recommend(user, 10), user);
            withNew += expected.stream().anyMatch(s -> s.id().startsWith("new")) ? 1 : 0;
        }
        assertTrue(withNew > 0, "no list holds a new item: the test proves nothing");
        // An item side's index is built over the served items, new ones included: they are searched in its graph.
        ItemSide side = exact.itemSide().withApproximateIndex(500);
        assertEquals(exact.recommend(model.users().ids(), 10), side.recommender().recommend(exact.userRows(0, 60),
                10));
    }

    @Test
    void newUsersAreServedFromTheirFeaturesAndFoldedInTowardThemWithAHistory() {
        FeatureTable users = table("users.csv", HybridModels.USER_FEATURES, new String[] {"v1", "country=FR"},
                new String[] {"u1", "country=DE"});
        Recommender r = Recommender.builder().setModel(MODEL).optUserFeatures(users).build();
        assertTrue(r.knowsUser("v1"));
        // v1 = FR = (0.5, 0.5), bias 0.05; i1 = (1.0, 0.5), bias 0.2.
        float raw = 0.5f * 1.0f + 0.5f * 0.5f + 0.05f + 0.2f;
        assertEquals(Kernel.sigmoidRange(raw, YRange.MOVIELENS.low(), YRange.MOVIELENS.high()), r.predict("v1", "i1"), 1e-6f);
        List<ScoredId> fromTable = r.recommend("v1", 4);
        assertEquals(4, fromTable.size());
        assertEquals(fromTable, r.recommendForFeatures(Map.of("country=FR", 1f), RatingHistory.EMPTY, 4));
        // Unknown feature names are ignored; none known is an error.
        assertEquals(fromTable, r.recommendForFeatures(Map.of("country=FR", 1f, "plan=gold", 1f),
                RatingHistory.EMPTY, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.recommendForFeatures(Map.of("plan=gold", 1f), RatingHistory.EMPTY, 4));
        assertTrue(e.getMessage().startsWith("none of the 1 features given is one the model's users were trained"
                + " with"), e.getMessage());
        // u1 was trained: its row stays.
        assertEquals(Recommender.of(MODEL).recommend("u1", 4), r.recommend("u1", 4));
        // With a history, the user is folded in toward the feature row: the rated item is left out and the scores
        // move toward the ratings.
        RatingHistory history = RatingHistory.builder().add("i4", 5f).build();
        List<ScoredId> folded = r.recommend("v1", history, 4);
        assertFalse(ids(folded).contains("i4"));
        assertEquals(3, folded.size());
        float before = r.predict("v1", "i4");
        float after = r.predict("v1", "i4", history);
        assertTrue(after > before, before + " -> " + after);
        assertEquals(folded, r.recommendForFeatures(Map.of("country=FR", 1f), history, 4));
        // Centred on the feature row, not on the average user: another feature row folds in elsewhere.
        assertNotEquals(folded, r.recommendForFeatures(Map.of("country=DE", 1f), history, 4));
        // recommendAll includes the users served from features.
        List<String> all = new ArrayList<>();
        r.recommendAll(3, 10, b -> b.forEach(u -> all.add(u.userId())));
        assertTrue(all.contains("v1"), all.toString());
    }

    @Test
    void implicitFoldInsPullTowardTheFeatureRowInsteadOfZero() {
        // Two trained users, three items; a strong ridge leaves the row where the ridge pulls it.
        org.collab4j.kernel.FactorTable users = org.collab4j.kernel.FactorTable.of(new float[] {1, 0, 0, 1}, 2, null);
        org.collab4j.kernel.FactorTable items = org.collab4j.kernel.FactorTable.of(new float[] {1, 0, 0, 1, 1, 1}, 2,
                null);
        FoldIn settings = FoldIn.builder().optObjective(FoldIn.Objective.IMPLICIT).optImplicitWeights(1, 0.2, 1e6)
                .build();
        DotFoldIn solver = new DotFoldIn(users, new boolean[] {true, true}, items, new boolean[] {true, true, true},
                null, FoldIn.Objective.IMPLICIT, settings, 1);
        float[] toward = solver.solve(new int[] {2}, new float[] {1}, 1, new float[] {0.7f, -0.4f});
        assertArrayEquals(new float[] {0.7f, -0.4f}, toward, 1e-4f);
        float[] plain = solver.solve(new int[] {2}, new float[] {1}, 1);
        assertArrayEquals(new float[] {0, 0}, plain, 1e-4f);
        // With the usual ridge the history moves the row away from the centre, toward item 2.
        DotFoldIn usual = new DotFoldIn(users, new boolean[] {true, true}, items, new boolean[] {true, true, true},
                null, FoldIn.Objective.IMPLICIT, FoldIn.builder().optObjective(FoldIn.Objective.IMPLICIT).build(), 1);
        float[] moved = usual.solve(new int[] {2}, new float[] {1}, 1, new float[] {0.7f, -0.4f});
        assertTrue(moved[1] > -0.4f, java.util.Arrays.toString(moved));
    }

    @Test
    void aModelsOwnRowsAreTheFeatureRowsForEntitiesItTrainedWithoutIdEmbeddings() {
        // The contract the cold start rests on: i1's row is A's vector, i2's the mean of A's and B's.
        FeatureEmbeddings items = MODEL.features(Side.ITEMS).orElseThrow();
        FeatureMatrix a = FeatureMatrix.of(new int[] {0, 1, 3}, new int[] {0, 0, 1}, new float[] {1, 1, 1}, 3)
                .rowNormalized();
        assertArrayEquals(MODEL.factors(Side.ITEMS).row(0), items.combine(a, 0));
        assertArrayEquals(java.util.Arrays.copyOfRange(MODEL.factors(Side.ITEMS).rows(), 2, 4), items.combine(a, 1));
        assertEquals(MODEL.factors(Side.ITEMS).bias(1), items.combineBias(a, 1), 1e-7f);
    }

    private static List<String> ids(List<ScoredId> list) {
        return list.stream().map(ScoredId::id).toList();
    }
}
