package org.collab4j.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.collab4j.data.Ratings;
import org.collab4j.engine.Engines;
import org.collab4j.io.TestModels;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.train.CollabLearner;
import org.collab4j.util.TestMatrices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Fold-in of users and items absent from the model: the fitted rows minimise the documented objectives (checked
 * against the objectives computed here independently), beat the fallback on held-out users, and every edge case
 * (no usable rating, one rating, conflicting duplicates, ratings outside the y-range, known users) has its
 * documented outcome.
 */
class FoldInTest {

    /** Users u0..u49 train the model; u50..u59 are held out of it. */
    private static Ratings all;
    private static TrainedModel dotBias;
    private static TrainedModel net;

    @BeforeAll
    static void train() {
        all = TestModels.ratings(60, 40, 0.5, 7);
        Ratings.Builder known = Ratings.builder();
        for (int row = 0; row < all.size(); row++) {
            String user = all.users().id(all.user(row));
            if (Integer.parseInt(user.substring(1)) < 50) {
                known.add(user, all.items().id(all.item(row)), all.rating(row));
            }
        }
        Ratings train = known.build();
        try (CollabLearner learner = TestModels.trained(train, null, 32, 6, 2e-2f)) {
            dotBias = learner.fittedModel();
        }
        try (CollabLearner learner = TestModels.trained(train,
                EmbeddingNet.builder().optFactors(4).optHidden(8).optEmbeddingDropout(0).optHiddenDropout(0),
                32, 4, 1e-2f)) {
            net = learner.fittedModel();
        }
    }

    private static Recommender foldIn(TrainedModel model) {
        return Recommender.builder().setModel(model).optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN).build();
    }

    /** Half of a held-out user's ratings (even positions) as history, the rest as test. */
    private static RatingHistory half(String user, boolean even, Ratings.Builder rest) {
        RatingHistory.Builder history = RatingHistory.builder();
        int n = 0;
        for (int row = 0; row < all.size(); row++) {
            if (all.users().id(all.user(row)).equals(user)) {
                if (n++ % 2 == 0 == even) {
                    history.add(all.items().id(all.item(row)), all.rating(row));
                } else if (rest != null) {
                    rest.add(user, all.items().id(all.item(row)), all.rating(row));
                }
            }
        }
        return history.build();
    }

    @Test
    void choleskySolvesASymmetricPositiveDefiniteSystem() {
        double[] a = {4, 2, 0.4, 2, 10, 4, 0.4, 4, 9};
        double[] b = {1, 2, 3};
        assertTrue(Cholesky.solve(a.clone(), 3, b));
        double[] x = b;
        double[] check = {4 * x[0] + 2 * x[1] + 0.4 * x[2], 2 * x[0] + 10 * x[1] + 4 * x[2],
            0.4 * x[0] + 4 * x[1] + 9 * x[2]};
        assertArrayEquals(new double[] {1, 2, 3}, check, 1e-12);
        assertTrue(!Cholesky.solve(new double[] {1, 2, 2, 1}, 2, new double[] {1, 1}), "indefinite");
    }

    @Test
    void theFoldedInRowMinimisesTheRatingObjectiveThroughTheSigmoid() {
        Recommender r = foldIn(dotBias);
        RatingHistory history = half("u52", true, null);
        float[] row = r.foldInUser(history);
        assertEquals(5, row.length, "4 factors and a bias");
        // The objective written out here: squared errors over σ² (the model's last training loss) plus the
        // prior from the trained users' rows (mean, covariance with the documented 1e-4 ridge).
        Objective objective = new Objective(dotBias, history);
        double best = objective.value(row);
        for (int d = 0; d < row.length; d++) {
            for (float eps : new float[] {1e-3f, -1e-3f}) {
                float[] moved = row.clone();
                moved[d] += eps;
                assertTrue(objective.value(moved) >= best - 1e-9, "moving factor " + d + " by " + eps
                        + " lowers the objective " + best + " to " + objective.value(moved));
            }
        }
        // Predictions come from that row, through the model's forward pass.
        Scorer scorer = Scorer.of(dotBias);
        assertEquals(scorer.squash(scorer.rawFolded(row, dotBias.items().indexOf("i3"))),
                r.predict("u52", "i3", history));
    }

    /** The documented RATINGS objective, computed without the library's solver. */
    private static final class Objective {
        final float[] items;
        final float[] itemBias;
        final double[] mean = new double[5];
        final double[][] precision;
        final double noise;
        final List<Integer> rows = new ArrayList<>();
        final List<Float> values = new ArrayList<>();

        Objective(TrainedModel model, RatingHistory history) {
            items = model.parameter("itemFactors");
            itemBias = model.parameter("itemBias");
            float[] users = model.parameter("userFactors");
            float[] userBias = model.parameter("userBias");
            noise = model.getProvenance().finalTrainLoss();
            List<double[]> known = new ArrayList<>();
            for (int u = 0; u < model.users().size(); u++) {
                if (model.ratedItems(u).length > 0) {
                    known.add(new double[] {users[4 * u], users[4 * u + 1], users[4 * u + 2], users[4 * u + 3],
                        userBias[u]});
                }
            }
            for (double[] w : known) {
                for (int p = 0; p < 5; p++) {
                    mean[p] += w[p] / known.size();
                }
            }
            double[][] cov = new double[5][5];
            for (double[] w : known) {
                for (int p = 0; p < 5; p++) {
                    for (int q = 0; q < 5; q++) {
                        cov[p][q] += (w[p] - mean[p]) * (w[q] - mean[q]) / (known.size() - 1);
                    }
                }
            }
            double trace = 0;
            for (int p = 0; p < 5; p++) {
                trace += cov[p][p];
            }
            for (int p = 0; p < 5; p++) {
                cov[p][p] += 1e-4 * trace / 5;
            }
            precision = TestMatrices.invert(cov);
            for (String id : history.ids()) {
                rows.add(model.items().indexOf(id));
                values.add(history.rating(id));
            }
        }

        double value(float[] w) {
            double sum = 0;
            for (int n = 0; n < rows.size(); n++) {
                int i = rows.get(n);
                double x = w[4] + itemBias[i];
                for (int d = 0; d < 4; d++) {
                    x += w[d] * items[4 * i + d];
                }
                double e = values.get(n) - 5.5 / (1 + Math.exp(-x));
                sum += e * e;
            }
            double prior = 0;
            for (int p = 0; p < 5; p++) {
                for (int q = 0; q < 5; q++) {
                    prior += (w[p] - mean[p]) * precision[p][q] * (w[q] - mean[q]);
                }
            }
            return sum / noise + prior;
        }
    }

    @Test
    void heldOutUsersAreServedBetterFoldedInThanByTheFallback() {
        Ratings.Builder test = Ratings.builder();
        Ratings.Builder histories = Ratings.builder();
        for (int u = 50; u < 60; u++) {
            RatingHistory h = half("u" + u, true, test);
            for (String id : h.ids()) {
                histories.add("u" + u, id, h.rating(id));
            }
        }
        Ratings tests = test.build();
        Ratings history = histories.build();
        Evaluation folded = foldIn(dotBias).evaluate(tests, history);
        Evaluation fallback = Recommender.builder().setModel(dotBias).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK)
                .build().evaluate(tests, history);
        assertEquals(tests.size(), folded.count());
        assertTrue(folded.rmse() < 0.9 * fallback.rmse(), "folded in " + folded + ", fallback " + fallback);
        Evaluation netFolded = foldIn(net).evaluate(tests, history);
        Evaluation netFallback = Recommender.builder().setModel(net).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK)
                .build().evaluate(tests, history);
        assertTrue(netFolded.rmse() < netFallback.rmse(), "net folded in " + netFolded + ", fallback "
                + netFallback);
        RankingEvaluation ranking = foldIn(dotBias).evaluateRanking(tests, history, 5, 4f);
        assertEquals(0, ranking.skippedUsers());
        assertTrue(ranking.users() > 0);
    }

    @Test
    void noUsableRatingGivesTheFallbackAndOneRatingMovesTowardIt() {
        Recommender folding = foldIn(dotBias);
        Recommender fallback = Recommender.builder().setModel(dotBias).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK)
                .build();
        RatingHistory unknownItems = RatingHistory.builder().add("no-such-item", 4).add("nor-this", 2).build();
        assertEquals(fallback.recommend("new", 5), folding.recommend("new", unknownItems, 5));
        assertEquals(fallback.recommend("new", 5), folding.recommend("new", RatingHistory.EMPTY, 5));
        assertEquals(fallback.predict("new", "i3"), folding.predict("new", "i3", unknownItems));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> folding.foldInUser(unknownItems));
        assertTrue(e.getMessage().contains("no item of the RatingHistory(2: no-such-item=4.0, nor-this=2.0) is known"),
                e.getMessage());

        // One rating: a row between the average user's and one that fits the rating.
        float average = folding.predict("new", "i7", RatingHistory.builder().add("i7", 3.7f)
                .build());
        float loved = folding.predict("new", "i7", RatingHistory.builder().add("i7", 5).build());
        float hated = folding.predict("new", "i7", RatingHistory.builder().add("i7", 0.5f).build());
        assertTrue(hated < average && average < loved && loved < 5 && hated > 0.5f,
                hated + " < " + average + " < " + loved);
        // The rated item is left out of the recommendations.
        assertTrue(folding.recommend("new", RatingHistory.builder().add("i7", 5).build(), 40).stream()
                .noneMatch(s -> s.id().equals("i7")));
    }

    @Test
    void aTrainedIalsUserFoldedInFromTheirInteractionsGetsBackTheirTrainedRow() {
        // The default implicit fold-in solves the iALS row update exactly (same weights as Ials.DEFAULT),
        // so after converged sweeps a training user's own interactions give back (nearly) their trained row.
        java.util.Random random = new java.util.Random(5);
        Ratings.Builder data = Ratings.builder();
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 30; i++) {
                if (random.nextDouble() < ((u + i) % 3 == 0 ? 0.6 : 0.1)) {
                    data.add("u" + u, "i" + i, 1 + random.nextInt(3));
                }
            }
        }
        Ratings train = data.build();
        TrainedModel model;
        try (CollabLearner learner = CollabLearner.builder().setTrainData(train)
                .optObjective(org.collab4j.train.objective.Objective.ials())
                .optModel(EmbeddingDot.builder().optFactors(4).optYRange(null)).optOutput(null).build()) {
            learner.fitAls(40);
            model = learner.fittedModel();
        }
        Recommender r = Recommender.builder().setModel(model).optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN).build();
        assertEquals(FoldIn.Objective.IMPLICIT, r.getFoldInObjective());
        float[] factors = model.parameter("userFactors");
        for (String user : List.of("u0", "u7", "u31")) {
            RatingHistory.Builder history = RatingHistory.builder();
            for (int row = 0; row < train.size(); row++) {
                if (train.users().id(train.user(row)).equals(user)) {
                    history.add(train.items().id(train.item(row)), train.rating(row));
                }
            }
            float[] row = r.foldInUser(history.build());
            int u = model.users().indexOf(user);
            float[] trained = java.util.Arrays.copyOfRange(factors, u * 4, u * 4 + 4);
            double cosine = org.collab4j.kernel.Kernel.dot(row, 0, trained, 0, 4)
                    / Math.sqrt(org.collab4j.kernel.Kernel.dot(row, 0, row, 0, 4)
                            * org.collab4j.kernel.Kernel.dot(trained, 0, trained, 0, 4));
            double ratio = Math.sqrt(org.collab4j.kernel.Kernel.dot(row, 0, row, 0, 4)
                    / org.collab4j.kernel.Kernel.dot(trained, 0, trained, 0, 4));
            assertTrue(cosine > 0.99 && Math.abs(ratio - 1) < 0.05, user + ": cosine " + cosine + ", norm ratio "
                    + ratio + ", folded " + java.util.Arrays.toString(row) + ", trained "
                    + java.util.Arrays.toString(trained));
        }
    }

    @Test
    void theFoldInObjectiveFollowsTheModelsRecordedLoss() {
        assertEquals(FoldIn.Objective.RATINGS, Recommender.of(dotBias).getFoldInObjective());
        assertEquals(FoldIn.Objective.IMPLICIT, Recommender.of(dotBias.withObjective("ials")).getFoldInObjective());
        assertEquals(FoldIn.Objective.IMPLICIT, Recommender.of(dotBias.withObjective("bpr")).getFoldInObjective());
        // A loss this version does not know: the block decides (this one has a y-range, so ratings).
        assertEquals(FoldIn.Objective.RATINGS, Recommender.of(dotBias.withObjective("later-loss"))
                .getFoldInObjective());
    }

    @Test
    void thePolicyDecidesAndAKnownUserKeepsTheTrainedRow() {
        RatingHistory history = RatingHistory.builder().add("i1", 5).add("i2", 1).build();
        UnknownIdException e = assertThrows(UnknownIdException.class,
                () -> Recommender.of(dotBias).recommend("new", history, 3));
        // The API's advice names the builder method; FALLBACK would also answer, so the exception says so.
        assertTrue(e.getMessage().contains("optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN) to fold the user in"),
                e.getMessage());
        assertTrue(e.fallbackHelps(), e.getMessage());
        Recommender fallback = Recommender.builder().setModel(dotBias).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK)
                .build();
        assertEquals(fallback.predict("new", "i3"), fallback.predict("new", "i3", history));

        Recommender r = foldIn(dotBias);
        assertEquals(r.predict("u3", "i5"), r.predict("u3", "i5", history));
        List<ScoredId> plain = r.recommend("u3", 40);
        List<ScoredId> withHistory = r.recommend("u3", history, 40);
        List<ScoredId> expected = plain.stream().filter(s -> !history.contains(s.id())).toList();
        assertEquals(expected, withHistory);
    }

    @Test
    void badHistoriesAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RatingHistory.builder().add("i1", 4).add("i1", 2));
        assertEquals("'i1' appears twice in the history, rated 4.0 and 2.0: keep one of them (a history says one"
                + " thing about each item)", e.getMessage());
        assertEquals(1, RatingHistory.builder().add("i1", 4).add("i1", 4).build().size());
        assertThrows(IllegalArgumentException.class, () -> RatingHistory.builder().add("i1", Float.NaN));

        Recommender r = foldIn(dotBias);
        e = assertThrows(IllegalArgumentException.class,
                () -> r.recommend("new", RatingHistory.builder().add("i1", 7).build(), 3));
        assertTrue(e.getMessage().contains("the history rates 'i1' 7.0, outside the model's y-range [0.0, 5.5]"),
                e.getMessage());

        Ratings conflicting = Ratings.builder().add("new", "i1", 4).add("new", "i1", 2).build();
        e = assertThrows(IllegalArgumentException.class,
                () -> r.recommendWithHistories(conflicting, 3, 10, batch -> { }));
        assertTrue(e.getMessage().startsWith("user 'new': 'i1' appears twice"), e.getMessage());
    }

    @Test
    void foldInIsDeterministicOrderFreeAndThreadSafe() throws Exception {
        Recommender r = foldIn(dotBias);
        Map<String, Float> forward = new LinkedHashMap<>();
        RatingHistory h = half("u55", true, null);
        for (String id : h.ids()) {
            forward.put(id, h.rating(id));
        }
        Map<String, Float> backward = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>(h.ids());
        java.util.Collections.reverse(ids);
        for (String id : ids) {
            backward.put(id, h.rating(id));
        }
        float[] expected = r.foldInUser(RatingHistory.of(forward));
        assertArrayEquals(expected, r.foldInUser(RatingHistory.of(backward)));
        assertArrayEquals(expected, foldIn(dotBias).foldInUser(h));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Recommender shared = foldIn(dotBias);
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                results.add(pool.submit(() -> shared.foldInUser(h)));
            }
            for (Future<float[]> f : results) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdown();
        }
        // recommend and predict agree to the bit for a folded-in user.
        for (ScoredId s : r.recommend("new", h, 5)) {
            assertEquals(r.predict("new", s.id(), h), s.score());
        }
    }

    @Test
    void implicitFoldInSolvesTheWeightedNormalEquations() {
        try (NDManager m = Engines.pytorch().newBaseManager()) {
            // A ranking-style model: no y-range, raw dot products.
            Ratings train = Ratings.builder().add("a", "x", 1).add("a", "y", 1).add("b", "y", 1).add("b", "z", 1)
                    .add("c", "w", 1).build();
            CollabBlock block = EmbeddingDot.builder().setNumUsers(3).setNumItems(4).optFactors(2).optYRange(null)
                    .build();
            block.initialize(m, DataType.FLOAT32, new Shape(1), new Shape(1));
            RecommenderTest.set(block, "userFactors", 1, 0, 0, 1, 0.5f, 0.5f);
            float[] v = {1, 0.2f, 0.3f, 0.9f, -0.4f, 0.6f, 0.8f, -0.5f};
            RecommenderTest.set(block, "itemFactors", v);
            TrainedModel model = TrainedModel.of(block, train, null);
            double alpha = 2;
            double w0 = 0.5;
            double lambda = 0.3;
            Recommender r = Recommender.builder().setModel(model).optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN)
                    .optFoldIn(FoldIn.builder().optObjective(FoldIn.Objective.IMPLICIT)
                            .optImplicitWeights(alpha, w0, lambda).build())
                    .build();
            assertEquals(FoldIn.Objective.IMPLICIT, r.getFoldInObjective());
            // Observed: y (strength 1) and w (strength 3); items are x, y, z, w in rows 0..3.
            RatingHistory history = RatingHistory.builder().add("y", 1).add("w", 3).build();
            float[] row = r.foldInUser(history);
            // Observed confidence α·r; every item weighs w0 toward 0; ridge λ(n + w0·N), n = 2 observed, N = 4 items.
            double[] c = {0, alpha, 0, 3 * alpha};
            double ridge = lambda * (2 + w0 * 4);
            for (int d = 0; d < 2; d++) {
                // ∂/∂row_d of Σ_obs c_j (1 − s_j)² + w0 Σ_i s_i² + ridge |row|², written out.
                double g = 2 * ridge * row[d];
                for (int i = 0; i < 4; i++) {
                    double pred = row[0] * v[2 * i] + row[1] * v[2 * i + 1];
                    g -= 2 * c[i] * (1 - pred) * v[2 * i + d];
                    g += 2 * w0 * pred * v[2 * i + d];
                }
                assertEquals(0, g, 1e-5, "gradient " + d);
            }
            // The defaults are iALS's (Ials.DEFAULT): the confidence is the interaction's weight.
            FoldIn defaults = FoldIn.builder().build();
            assertEquals(1, defaults.alpha());
            assertEquals(org.collab4j.train.objective.Ials.DEFAULT.unobservedWeight(), defaults.unobservedWeight(),
                    1e-7);
            assertEquals(org.collab4j.train.objective.Ials.DEFAULT.regularization(), defaults.regularization(), 1e-9);
            assertEquals(org.collab4j.kernel.Kernel.dot(row, 0, v, 2, 2), r.predict("new", "y", history), 1e-6);
            assertThrows(IllegalArgumentException.class,
                    () -> r.foldInUser(RatingHistory.builder().add("y", -1).build()));
        }
    }

    @Test
    void anItemFoldedInFromItsRatersPointsLikeItsTrainedFactors() {
        Recommender r = foldIn(dotBias);
        String item = "i12";
        RatingHistory.Builder raters = RatingHistory.builder();
        int trainedRaters = 0;
        for (int row = 0; row < all.size(); row++) {
            String user = all.users().id(all.user(row));
            if (all.items().id(all.item(row)).equals(item) && r.knowsUser(user)) {
                raters.add(user, all.rating(row));
                trainedRaters++;
            }
        }
        assertTrue(trainedRaters > 10);
        RatingHistory history = raters.build();
        float[] row = r.foldInItem(history);
        int index = dotBias.items().indexOf(item);
        float[] trained = java.util.Arrays.copyOfRange(dotBias.parameter("itemFactors"), index * 4, index * 4 + 4);
        double cosine = org.collab4j.kernel.Kernel.dot(row, 0, trained, 0, 4)
                / Math.sqrt(org.collab4j.kernel.Kernel.dot(row, 0, row, 0, 4) * org.collab4j.kernel.Kernel.dot(trained, 0, trained, 0, 4));
        assertTrue(cosine > 0.8, "cosine " + cosine);
        List<ScoredId> similar = r.similarItems("brand-new", history, 5, 1);
        assertEquals(5, similar.size());
        assertTrue(similar.stream().noneMatch(s -> s.id().equals("brand-new")));
        assertEquals(r.similarItems(item, 5, 1), r.similarItems(item, history, 5, 1), "a known item keeps its row");
        assertThrows(UnknownIdException.class, () -> Recommender.of(dotBias).similarItems("brand-new", history, 5, 1));
        assertThrows(IllegalArgumentException.class,
                () -> r.similarItems("brand-new", RatingHistory.builder().add("nobody", 3).build(), 5, 1));
        assertNotEquals(0, foldIn(net).foldInItem(history)[0]);
    }

    @Test
    void recommendWithHistoriesGivesEachUserTheirOwnList() {
        Recommender r = foldIn(dotBias);
        Ratings histories = Ratings.builder().add("n1", "i1", 5).add("n2", "i2", 1).add("n1", "i3", 4)
                .add("u3", "i4", 2).build();
        List<UserRecommendations> lists = new ArrayList<>();
        r.recommendWithHistories(histories, 4, 2, lists::addAll);
        assertEquals(List.of("n1", "n2", "u3"), lists.stream().map(UserRecommendations::userId).toList());
        assertEquals(r.recommend("n1", RatingHistory.builder().add("i1", 5).add("i3", 4).build(), 4),
                lists.get(0).items());
        assertEquals(r.recommend("u3", RatingHistory.builder().add("i4", 2).build(), 4), lists.get(2).items());
    }
}
