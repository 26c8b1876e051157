package org.collab4j.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.collab4j.data.Ratings;
import org.collab4j.engine.Engines;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.YRange;
import org.collab4j.recommend.Evaluation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A hand-built EmbeddingDotBias model, small enough to compute every answer by hand.
 *
 * <pre>
 * training ratings: a: i0 4, i1 3 | b: i1 5, i2 2, i3 4 | c: i4 3, i0 5     (mean 26/7)
 * d and i5 are in the id maps (rating d-i5 is held out) but have no training ratings
 * user factors  a (1, 0)  b (0, 1)  c (1, 1)  d (0, 0)     user bias  a 0.1  b -0.2  c 0.3  d 0
 * item factors  i0 (1, 0)  i1 (0.9, 0.1)  i2 (0, 1)  i3 (-1, 0)  i4 (0.5, 0.5)  i5 (1, 0)
 * item bias     i0 0  i1 0.5  i2 -0.5  i3 0.2  i4 -0.1  i5 2
 * </pre>
 */
class RecommenderTest {

    private static final double MEAN = 26.0 / 7;
    private static NDManager manager;
    private static TrainedModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        manager = Engines.pytorch().newBaseManager();
        Ratings all = Ratings.builder()
                .add("a", "i0", 4).add("a", "i1", 3)
                .add("b", "i1", 5).add("b", "i2", 2).add("b", "i3", 4)
                .add("c", "i4", 3).add("c", "i0", 5)
                .add("d", "i5", 1)
                .build();
        Ratings train = all.select(new int[] {0, 1, 2, 3, 4, 5, 6});
        CollabBlock block = EmbeddingDotBias.builder().setNumUsers(4).setNumItems(6).optFactors(2).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1), new Shape(1));
        set(block, "userFactors", 1, 0, 0, 1, 1, 1, 0, 0);
        set(block, "itemFactors", 1, 0, 0.9f, 0.1f, 0, 1, -1, 0, 0.5f, 0.5f, 1, 0);
        set(block, "userBias", 0.1f, -0.2f, 0.3f, 0);
        set(block, "itemBias", 0, 0.5f, -0.5f, 0.2f, -0.1f, 2);
        model = TrainedModel.of(block, train, null);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static void set(CollabBlock block, String name, float... values) {
        block.getParameters().get(name).getArray().set(values);
    }

    private static float stars(double raw) {
        return (float) (5.5 / (1 + Math.exp(-raw)));
    }

    private static List<String> ids(List<ScoredId> scored) {
        return scored.stream().map(ScoredId::id).toList();
    }

    @Test
    void predictsWhatTheFormulaSays() {
        Recommender r = Recommender.of(model);
        assertEquals(stars(0 + 0.1 - 0.5), r.predict("a", "i2"), 1e-6);
        assertEquals(stars(0.9 + 0.1 + 0.3 + 0.5), r.predict("c", "i1"), 1e-6);
        float[] batch = r.predict(List.of("a", "c"), List.of("i2", "i1"));
        assertEquals(r.predict("a", "i2"), batch[0]);
        assertEquals(r.predict("c", "i1"), batch[1]);
        assertEquals(MEAN, model.getGlobalMean(), 1e-9);
    }

    @Test
    void recommendsUnratedKnownItemsBestFirst() {
        Recommender r = Recommender.of(model);
        // a rated i0 and i1; i5 has no training ratings. Raw scores: i4 0.5, i2 -0.4, i3 -0.7.
        List<ScoredId> top = r.recommend("a", 10);
        assertEquals(List.of("i4", "i2", "i3"), ids(top));
        for (ScoredId item : top) {
            assertEquals(r.predict("a", item.id()), item.score());
        }
        assertEquals(List.of("i4"), ids(r.recommend("a", 1)));
        assertEquals(3, r.recommend("a", Integer.MAX_VALUE).size());
        assertEquals(List.of("i1", "i2"), ids(r.recommend("c", 2)));
    }

    @Test
    void recommendsUsersForAnItemLeavingOutItsRaters() {
        Recommender r = Recommender.of(model);
        // i2 was rated by b; raw scores: c 1 + 0.3 - 0.5 = 0.8, a 0 + 0.1 - 0.5 = -0.4; d has no training ratings.
        List<ItemRecommendations> top = r.recommendUsers(List.of("i2", "i1"), 5);
        assertEquals("i2", top.get(0).itemId());
        assertEquals(List.of("c", "a"), ids(top.get(0).users()));
        for (ScoredId user : top.get(0).users()) {
            assertEquals(r.predict(user.id(), "i2"), user.score());
        }
        assertEquals(List.of("c"), ids(top.get(1).users()));
        assertEquals(List.of("c"), ids(r.recommendUsers(List.of("i2"), 1).get(0).users()));
        assertThrows(UnknownIdException.class, () -> r.recommendUsers(List.of("i5"), 3));
        Recommender lenient = Recommender.builder().setModel(model).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK)
                .build();
        assertEquals(List.of(), lenient.recommendUsers(List.of("i5"), 3).get(0).users());
    }

    @Test
    void unknownIdsThrowByDefaultNamingTheId() {
        Recommender r = Recommender.of(model);
        UnknownIdException e = assertThrows(UnknownIdException.class, () -> r.predict("zz", "i0"));
        assertEquals("user", e.kind());
        assertEquals("zz", e.id());
        assertEquals("Unknown user id 'zz': the model was trained on 4 users and this one was not among them. Build"
                + " the Recommender with UnknownIdPolicy.FALLBACK to predict from the global mean instead.",
                e.getMessage());
        e = assertThrows(UnknownIdException.class, () -> r.predict("a", "i5"));
        assertTrue(e.getMessage().contains("item id 'i5'") && e.getMessage().contains("no training ratings"),
                e.getMessage());
        assertThrows(UnknownIdException.class, () -> r.recommend("d", 3));
        assertThrows(UnknownIdException.class, () -> r.recommend(List.of("a", "zz"), 3));
        assertThrows(UnknownIdException.class, () -> r.similarItems("i5", 3));
        assertTrue(r.knowsUser("a") && !r.knowsUser("d") && !r.knowsUser("zz"));
        assertTrue(r.knowsItem("i4") && !r.knowsItem("i5"));
    }

    @Test
    void fallbackUsesTheGlobalMeanAndTheKnownSidesBias() {
        Recommender r = Recommender.builder().setModel(model).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK).build();
        double logitMean = Math.log(MEAN / 5.5 / (1 - MEAN / 5.5));
        double meanItemBias = (0 + 0.5 - 0.5 + 0.2 - 0.1) / 5;
        double meanUserBias = (0.1 - 0.2 + 0.3) / 3;
        assertEquals(stars(logitMean + 0.5 - meanItemBias), r.predict("zz", "i1"), 1e-6);
        assertEquals(stars(logitMean + 0.1 - meanUserBias), r.predict("a", "i5"), 1e-6);
        assertEquals(MEAN, r.predict("zz", "nope"), 1e-5);
        assertEquals(r.predict("zz", "i1"), r.predict("d", "i1"));
        // A known pair is unaffected by the policy.
        assertEquals(Recommender.of(model).predict("a", "i2"), r.predict("a", "i2"));

        List<ScoredId> top = r.recommend("zz", 2);
        assertEquals(List.of("i1", "i3"), ids(top));
        assertEquals(r.predict("zz", "i1"), top.get(0).score());

        Evaluation strict = Recommender.of(model).evaluate(Ratings.builder().add("a", "i2", 3).add("zz", "i1", 4)
                .build());
        assertEquals(1, strict.count());
        assertEquals(Math.abs(3 - r.predict("a", "i2")), strict.mae(), 1e-6);
        assertEquals(2, r.evaluate(Ratings.builder().add("a", "i2", 3).add("zz", "i1", 4).build()).count());
    }

    @Test
    void modelsWithoutBiasesFallBackToTheGlobalMean() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            Ratings train = Ratings.builder().add("a", "x", 2).add("b", "y", 4).build();
            CollabBlock block = EmbeddingDot.builder().setNumUsers(2).setNumItems(2).optFactors(1).optYRange(null)
                    .build();
            block.initialize(m, DataType.FLOAT32, new Shape(1), new Shape(1));
            set(block, "userFactors", 1, 2);
            set(block, "itemFactors", 3, 4);
            Recommender r = Recommender.builder().setModel(TrainedModel.of(block, train, null))
                    .optUnknownIdPolicy(UnknownIdPolicy.FALLBACK).build();
            assertEquals(8f, r.predict("b", "y"));
            assertEquals(3f, r.predict("a", "new"));
            assertEquals(3f, r.predict("new", "x"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.itemBiases(3, 1));
            assertTrue(e.getMessage().contains("EmbeddingDot"), e.getMessage());
        }
    }

    @Test
    void aModelWithoutYRangeRanksAndScoresByTheRawDotProduct() {
        // EmbeddingDot: EmbeddingDotBias does not accept optYRange(null) yet (issue 13's lead adds it).
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            Ratings train = Ratings.builder().add("a", "x", 1).add("b", "y", 1).add("b", "z", 1).build();
            CollabBlock block = EmbeddingDot.builder().setNumUsers(2).setNumItems(3).optFactors(1)
                    .optYRange(null).build();
            block.initialize(m, DataType.FLOAT32, new Shape(1), new Shape(1));
            set(block, "userFactors", 4, 1);
            set(block, "itemFactors", 1, 2, 3);
            Recommender r = Recommender.of(TrainedModel.of(block, train, null));
            // Raw scores for a: y = 8, z = 12; a star range would squash both below 5.5.
            List<ScoredId> top = r.recommend("a", 2);
            assertEquals(List.of("z", "y"), ids(top));
            assertEquals(12f, top.get(0).score(), 1e-5);
            assertEquals(8f, top.get(1).score(), 1e-5);
        }
    }

    @Test
    void similarItemsAndUsersByCosine() {
        Recommender r = Recommender.of(model);
        List<ScoredId> similar = r.similarItems("i0", 3);
        assertEquals(List.of("i1", "i4", "i2"), ids(similar));
        assertEquals(0.9 / Math.sqrt(0.82), similar.get(0).score(), 1e-6);
        assertEquals(Math.sqrt(0.5), similar.get(1).score(), 1e-6);
        assertEquals(0, similar.get(2).score(), 1e-6);
        assertEquals(List.of("i3"), ids(r.similarItems("i0", 10).subList(3, 4)));
        // i0 and i1 are the only items with two raters.
        assertEquals(List.of("i1"), ids(r.similarItems("i0", 10, 2)));
        assertEquals(List.of("c", "b"), ids(r.similarUsers("a", 5)));
    }

    @Test
    void biasRankings() {
        Recommender r = Recommender.of(model);
        BiasRanking items = r.itemBiases(2, 1);
        assertEquals(List.of("i1", "i3"), ids(items.highest()));
        assertEquals(List.of("i2", "i4"), ids(items.lowest()));
        assertEquals(-0.5f, items.lowest().get(0).score());
        assertEquals(List.of("i1", "i0"), ids(r.itemBiases(2, 2).highest()));
        BiasRanking users = r.userBiases(1, 1);
        assertEquals(List.of("c"), ids(users.highest()));
        assertEquals(List.of("b"), ids(users.lowest()));
        assertEquals(List.of("b"), ids(r.userBiases(3, 3).highest()));
    }

    @Test
    void titlesFromAMoviesCsv() throws IOException {
        Path movies = dir.resolve("movies.csv");
        Files.writeString(movies, "movieId,title,genres\ni4,\"Good, the Bad\",Western\ni2,Two,Drama\n");
        Titles titles = Titles.read(movies);
        Recommender r = Recommender.builder().setModel(model).optTitles(titles).build();
        List<ScoredId> top = r.recommend("a", 3);
        assertEquals("Good, the Bad", top.get(0).label());
        assertEquals("Two", top.get(1).title());
        assertEquals(null, top.get(2).title());
        assertEquals("i3", top.get(2).label());
        assertEquals(2, Titles.of(Map.of("x", "X", "y", "Y")).size());
    }

    @Test
    void rankingMetricsOnHeldOutRatings() {
        Ratings heldOut = Ratings.builder()
                .add("a", "i4", 5).add("a", "i3", 4.5f)
                .add("b", "i0", 2)
                .add("c", "i2", 4)
                .add("zz", "i1", 5)
                .build();
        // a: top-2 [i4, i2], relevant {i4, i3}: P 1/2, R 1/2, NDCG 1/(1 + 1/log2 3).
        // c: top-2 [i1, i2], relevant {i2}: P 1/2, R 1, NDCG 1/log2 3. b has nothing relevant; zz is unknown.
        RankingEvaluation e = Recommender.of(model).evaluateRanking(heldOut, 2, 4f);
        double log3 = Math.log(3) / Math.log(2);
        assertEquals(2, e.users());
        assertEquals(1, e.skippedUsers());
        assertEquals(0.5, e.precision(), 1e-12);
        assertEquals(0.75, e.recall(), 1e-12);
        assertEquals((1 / (1 + 1 / log3) + 1 / log3) / 2, e.ndcg(), 1e-12);
        assertEquals(3.0 / 5, e.coverage(), 1e-12);
        // AP@2: a (1/1) / min(2, 2) = 1/2, c (1/2) / 1 = 1/2. Capped recall: a 1/2, c 1. Both users hit.
        assertEquals(0.5, e.map(), 1e-12);
        assertEquals(0.75, e.cappedRecall(), 1e-12);
        assertEquals(1, e.hitRate(), 1e-12);

        RankingEvaluation fallback = Recommender.builder().setModel(model)
                .optUnknownIdPolicy(UnknownIdPolicy.FALLBACK).build().evaluateRanking(heldOut, 2, 4f);
        // zz gets the bias ranking [i1, i3] and finds i1 first.
        assertEquals(3, fallback.users());
        assertEquals(0, fallback.skippedUsers());
        assertEquals((1 + 1 + 1) / 3.0 / 2, fallback.precision(), 1e-12);
    }

    @Test
    void pcaFindsTheDirectionTheItemsSpreadAlong() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            // Items at t·(0.6, 0.8) + o·(-0.8, 0.6), t = -2..3, with offsets o uncorrelated with t.
            float[] t = {-2, -1, 0, 1, 2, 3};
            float[] o = {0.1f, -0.1f, 0, 0, -0.1f, 0.1f};
            float[] factors = new float[12];
            Ratings.Builder ratings = Ratings.builder();
            for (int i = 0; i < 6; i++) {
                factors[2 * i] = 0.6f * t[i] - 0.8f * o[i];
                factors[2 * i + 1] = 0.8f * t[i] + 0.6f * o[i];
                ratings.add("u", "i" + i, 3);
            }
            CollabBlock block = EmbeddingDot.builder().setNumUsers(1).setNumItems(6).optFactors(2).build();
            block.initialize(m, DataType.FLOAT32, new Shape(1), new Shape(1));
            set(block, "itemFactors", factors);
            List<PrincipalComponent> pca = Recommender.of(TrainedModel.of(block, ratings.build(), null))
                    .itemPca(2, 2, 1);
            PrincipalComponent first = pca.get(0);
            assertEquals(1, first.number());
            assertEquals(3.5, first.variance(), 1e-5);
            assertEquals(3.5 / 3.508, first.varianceShare(), 1e-5);
            assertEquals(List.of("i5", "i4"), ids(first.positive()));
            assertEquals(2.5, first.positive().get(0).score(), 1e-5);
            assertEquals(List.of("i0", "i1"), ids(first.negative()));
            assertEquals(-2.5, first.negative().get(0).score(), 1e-5);
            PrincipalComponent second = pca.get(1);
            assertEquals(0.008, second.variance(), 1e-6);
            // The second direction is ±(-0.8, 0.6); its largest coefficient is made positive: (0.8, -0.6).
            assertEquals(java.util.Set.of("i1", "i4"), java.util.Set.copyOf(ids(second.positive())));
            assertThrows(IllegalArgumentException.class, () -> Recommender.of(model).itemPca(3, 2, 1));

            // Every item's coordinates on the same components: t - mean(t) on the first, ±o on the second.
            List<ItemProjection> map = Recommender.of(TrainedModel.of(block, ratings.build(), null))
                    .itemPcaProjection(2, 1);
            // One rating each: equal counts keep the model's item order.
            assertEquals(List.of("i0", "i1", "i2", "i3", "i4", "i5"), map.stream().map(ItemProjection::id).toList());
            assertEquals(1, map.get(0).ratingCount());
            for (ItemProjection item : map) {
                int i = Integer.parseInt(item.id().substring(1));
                assertEquals(t[i] - 0.5, item.coordinate(1), 1e-5, item.id());
                assertEquals(0.1, Math.abs(item.coordinate(2)) + (o[i] == 0 ? 0.1 : 0), 1e-5, item.id());
                assertEquals(item.id(), item.label());
            }
            assertThrows(IllegalArgumentException.class, () -> Recommender.of(model).itemPcaProjection(3, 1));
            assertThrows(IllegalArgumentException.class, () -> Recommender.of(model).itemPcaProjection(2, 99));
        }
    }

    @Test
    void symmetricEigenOnKnownMatrices() {
        SymmetricEigen e = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
        assertEquals(3, e.values[0], 1e-12);
        assertEquals(1, e.values[1], 1e-12);
        assertEquals(1, Math.abs(e.vectors[0][0] + e.vectors[0][1]) / Math.sqrt(2), 1e-12);

        java.util.Random random = new java.util.Random(3);
        int n = 40;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = random.nextGaussian();
                a[j][i] = a[i][j];
            }
        }
        e = SymmetricEigen.of(a);
        for (int c = 0; c < n; c++) {
            if (c > 0) {
                assertTrue(e.values[c] <= e.values[c - 1]);
            }
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) {
                    av += a[i][j] * e.vectors[c][j];
                }
                assertEquals(e.values[c] * e.vectors[c][i], av, 1e-9);
            }
        }
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        Recommender r = Recommender.of(model);
        assertThrows(IllegalArgumentException.class, () -> r.recommend("a", 0));
        assertThrows(IllegalArgumentException.class, () -> r.predict(List.of("a"), List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Recommender.builder().build());
        assertTrue(e.getMessage().contains("setModel"), e.getMessage());
        assertTrue(r.toString().contains("EmbeddingDotBias") && r.toString().contains("THROW"));
        assertEquals(YRange.MOVIELENS, model.getConfig().yRange());
    }

    @Test
    void nullIdsAreNamedNotTreatedAsUnknown() {
        Recommender r = Recommender.builder().setModel(model).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK).build();
        assertNull("userId", () -> r.predict(null, "i0"));
        assertNull("itemId", () -> r.predict("a", null));
        assertNull("userId", () -> r.recommend((String) null, 3));
        assertNull("userIds.get(1)", () -> r.recommend(java.util.Arrays.asList("a", null), 3));
        assertNull("itemIds.get(0)", () -> r.predict(List.of("a"), java.util.Arrays.asList((String) null)));
        assertNull("userIds", () -> r.predict(null, List.of()));
        assertNull("itemId", () -> r.similarItems(null, 3));
        assertNull("userId", () -> r.similarUsers(null, 3));
        assertNull("userId", () -> r.knowsUser(null));
        assertNull("heldOut", () -> r.evaluate(null));
        assertNull("sink", () -> r.recommendAll(3, 10, null));
    }

    private static void assertNull(String argument, org.junit.jupiter.api.function.Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertTrue(e.getMessage().startsWith(argument + " is null"), e.getMessage());
    }

    @Test
    void sizesAreCappedByWhatExists() {
        Recommender r = Recommender.of(model);
        List<UserRecommendations> all = new java.util.ArrayList<>();
        // A batch of two billion users would need 8 GB for its indices alone: it is capped at the 3 known users.
        r.recommendAll(Integer.MAX_VALUE, Integer.MAX_VALUE, all::addAll);
        assertEquals(List.of("a", "b", "c"), all.stream().map(UserRecommendations::userId).toList());
        assertEquals(3, all.get(0).items().size());
        assertEquals(4, r.similarItems("i0", Integer.MAX_VALUE).size());
        assertEquals(2, r.similarUsers("a", Integer.MAX_VALUE).size());
        // The same cap on the path with histories (issue 25: new ArrayList(batchSize) threw OutOfMemoryError).
        List<UserRecommendations> folded = new java.util.ArrayList<>();
        r.recommendWithHistories(Ratings.builder().add("a", "i4", 5).add("b", "i0", 3).build(), 3,
                Integer.MAX_VALUE, folded::addAll);
        assertEquals(List.of("a", "b"), folded.stream().map(UserRecommendations::userId).toList());
    }

    @Test
    void aThresholdMustBeANumber() {
        Recommender r = Recommender.of(model);
        Ratings heldOut = Ratings.builder().add("a", "i4", 5).build();
        for (float threshold : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> r.evaluateRanking(heldOut, 3, threshold));
            assertTrue(e.getMessage().startsWith("relevantThreshold must be a finite rating, got "), e.getMessage());
        }
    }

    @Test
    void similarOnAnUnknownIdDoesNotSuggestTheFallback() {
        Recommender r = Recommender.builder().setModel(model).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK).build();
        UnknownIdException e = assertThrows(UnknownIdException.class, () -> r.similarItems("zz", 3));
        assertTrue(!e.fallbackHelps() && !e.getMessage().contains("FALLBACK"), e.getMessage());
        assertTrue(e.getMessage().contains("check the id"), e.getMessage());
        e = assertThrows(UnknownIdException.class, () -> Recommender.of(model).predict("zz", "i0"));
        assertTrue(e.fallbackHelps() && e.getMessage().contains("FALLBACK"), e.getMessage());
        // Control characters in an id do not reach the message raw.
        e = assertThrows(UnknownIdException.class, () -> Recommender.of(model).predict("z\u001b[2Jz", "i0"));
        assertTrue(e.getMessage().contains("z\\u001B[2Jz") && e.id().equals("z\u001b[2Jz"), e.getMessage());
    }
}
