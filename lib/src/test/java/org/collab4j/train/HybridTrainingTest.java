package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import org.collab4j.data.FeatureTable;
import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.io.FeatureEmbeddings;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.FactorTable;
import org.collab4j.kernel.FeatureMatrix;
import org.collab4j.kernel.RankingMetrics;
import org.collab4j.kernel.Side;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.model.YRange;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.Sgd;
import org.collab4j.train.step.SideFeatures;
import org.collab4j.train.step.StepChoice;
import org.collab4j.train.step.StepKind;
import org.collab4j.train.step.StepPlan;
import org.collab4j.train.step.StepPlanner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Hybrid (side-feature) training: cold items ranked from their features alone, warm accuracy kept, the chain rule
 * into id embeddings and feature vectors against finite differences, and the planner's and builder's refusals.
 */
class HybridTrainingTest {

    private static final int USERS = 200;
    private static final int ITEMS = 300;
    private static final int FEATURES = 12;
    private static final int TRUE_FACTORS = 4;

    /**
     * A seeded world in which each item's true factors are the mean of its two features' factors (plus a little
     * noise); each user interacts with 20 items drawn by a softmax over true scores. A fifth of the items are cold:
     * their interactions are held out of training entirely.
     */
    private static final class World {
        final FeatureTable items;
        final Ratings train;
        final Ratings warmValid;
        /** Per user, the cold items it interacted with (indices into {@link #coldItems}). */
        final List<int[]> coldRelevant = new ArrayList<>();
        final List<String> coldItems = new ArrayList<>();
        /** Explicit ratings of the same world, warm items only (for MSE). */
        final Ratings ratings;
        final List<int[]> coldLiked = new ArrayList<>();

        World(long seed) {
            Random random = new Random(seed);
            double[][] featureTruth = gaussian(random, FEATURES, TRUE_FACTORS, 1.0);
            double[][] userTruth = gaussian(random, USERS, TRUE_FACTORS, 1.0);
            double[][] itemTruth = new double[ITEMS][TRUE_FACTORS];
            int[] offsets = new int[ITEMS + 1];
            int[] columns = new int[ITEMS * 2];
            float[] values = new float[ITEMS * 2];
            List<String> itemIds = new ArrayList<>();
            boolean[] cold = new boolean[ITEMS];
            for (int i = 0; i < ITEMS; i++) {
                itemIds.add("i" + i);
                int a = random.nextInt(FEATURES);
                int b = (a + 1 + random.nextInt(FEATURES - 1)) % FEATURES;
                columns[2 * i] = Math.min(a, b);
                columns[2 * i + 1] = Math.max(a, b);
                values[2 * i] = 1f;
                values[2 * i + 1] = 1f;
                offsets[i + 1] = 2 * i + 2;
                for (int c = 0; c < TRUE_FACTORS; c++) {
                    itemTruth[i][c] = (featureTruth[a][c] + featureTruth[b][c]) / 2 + 0.1 * random.nextGaussian();
                }
                cold[i] = random.nextDouble() < 0.2;
                if (cold[i]) {
                    coldItems.add("i" + i);
                }
            }
            List<String> names = new ArrayList<>();
            for (int f = 0; f < FEATURES; f++) {
                names.add("genre=g" + f);
            }
            items = FeatureTable.of(IdMap.of(itemIds), names, FeatureMatrix.of(offsets, columns, values, FEATURES),
                    "synthetic");
            Ratings.Builder train = Ratings.builder();
            Ratings.Builder valid = Ratings.builder();
            Ratings.Builder rated = Ratings.builder();
            for (int u = 0; u < USERS; u++) {
                double[] key = new double[ITEMS];
                Integer[] order = new Integer[ITEMS];
                for (int i = 0; i < ITEMS; i++) {
                    double s = dot(userTruth[u], itemTruth[i]);
                    key[i] = 2 * s - Math.log(-Math.log(random.nextDouble())); // Gumbel top-k = softmax draws
                    order[i] = i;
                    if (!cold[i] && random.nextDouble() < 0.15) {
                        rated.add("u" + u, "i" + i, (float) Math.max(0.5, Math.min(5, 3 + s + 0.3
                                * random.nextGaussian())));
                    }
                }
                Arrays.sort(order, (x, y) -> Double.compare(key[y], key[x]));
                List<Integer> coldHits = new ArrayList<>();
                List<Integer> coldGood = new ArrayList<>();
                for (int r = 0; r < 20; r++) {
                    int i = order[r];
                    if (cold[i]) {
                        coldHits.add(coldItems.indexOf("i" + i));
                    } else if (random.nextDouble() < 0.2) {
                        valid.add("u" + u, "i" + i, 1f);
                    } else {
                        train.add("u" + u, "i" + i, 1f);
                    }
                }
                for (int c = 0; c < coldItems.size(); c++) {
                    int i = Integer.parseInt(coldItems.get(c).substring(1));
                    if (3 + dot(userTruth[u], itemTruth[i]) >= 4) {
                        coldGood.add(c);
                    }
                }
                coldRelevant.add(coldHits.stream().mapToInt(Integer::intValue).sorted().toArray());
                coldLiked.add(coldGood.stream().mapToInt(Integer::intValue).sorted().toArray());
            }
            this.train = train.build();
            Ratings v = valid.build();
            this.warmValid = v.reindex(this.train.users(), this.train.items());
            this.ratings = rated.build();
        }
    }

    private static double[][] gaussian(Random random, int rows, int cols, double std) {
        double[][] out = new double[rows][cols];
        for (double[] row : out) {
            for (int c = 0; c < cols; c++) {
                row[c] = std * random.nextGaussian();
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int c = 0; c < a.length; c++) {
            s += a[c] * b[c];
        }
        return s;
    }

    /**
     * NDCG@10 of ranking the cold items for each user with relevant cold items, by the model's user rows and the
     * cold items' rows from their features; {@code random} scores instead when given (chance).
     */
    private static double coldNdcg(TrainedModel model, World world, List<int[]> relevantLists, Random random) {
        FeatureEmbeddings embeddings = model.features(Side.ITEMS).orElseThrow();
        FeatureTable cold = world.items.alignedTo(IdMap.of(world.coldItems));
        FeatureMatrix rows = cold.matrix().rowNormalized();
        int n = world.coldItems.size();
        float[][] itemRows = new float[n][];
        float[] itemBias = new float[n];
        for (int c = 0; c < n; c++) {
            itemRows[c] = embeddings.combine(rows, c);
            itemBias[c] = embeddings.combineBias(rows, c);
        }
        FactorTable users = model.factors(Side.USERS);
        RankingMetrics.Mean mean = new RankingMetrics.Mean();
        for (int u = 0; u < USERS; u++) {
            int[] relevant = relevantLists.get(u);
            int row = model.users().indexOf("u" + u);
            if (relevant.length == 0 || row < 0) {
                continue;
            }
            float[] userRow = users.row(row);
            double[] score = new double[n];
            Integer[] order = new Integer[n];
            for (int c = 0; c < n; c++) {
                order[c] = c;
                double s = itemBias[c];
                for (int k = 0; k < userRow.length; k++) {
                    s += userRow[k] * itemRows[c][k];
                }
                score[c] = random != null ? random.nextDouble() : s;
            }
            Arrays.sort(order, (x, y) -> Double.compare(score[y], score[x]));
            int[] ranked = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
            mean.add(RankingMetrics.of(10, ranked, ranked.length, relevant));
        }
        return mean.ndcg();
    }

    private static double chance(TrainedModel model, World world, List<int[]> relevant) {
        Random random = new Random(7);
        double sum = 0;
        for (int t = 0; t < 20; t++) {
            sum += coldNdcg(model, world, relevant, random);
        }
        return sum / 20;
    }

    private static CollabLearnerBuilder ranking(World world, Objective objective) {
        return CollabLearner.builder().setTrainData(world.train).optValidData(world.warmValid)
                .optObjective(objective).optModel(EmbeddingDotBias.builder().optFactors(16).optYRange(null))
                .optBatchSize(256).optOutput(null).optProgressBar(false).optSeed(3);
    }

    @Test
    void bprRanksColdItemsFromTheirFeaturesAndKeepsWarmAccuracy() {
        World world = new World(11);
        assertColdAndWarm(world, Objective.bpr(), 1e-2f, 20);
    }

    @Test
    void softmaxRanksColdItemsFromTheirFeatures() {
        World world = new World(12);
        assertColdAndWarm(world, Objective.softmax(), 1e-2f, 15);
    }

    @Test
    void warpRanksColdItemsFromTheirFeatures() {
        World world = new World(13);
        assertColdAndWarm(world, Objective.warp(), 1e-2f, 15);
    }

    private void assertColdAndWarm(World world, Objective objective, float lr, int epochs) {
        assertColdAndWarm(world, objective, lr, epochs, StepChoice.AUTO, StepKind.RANKING);
    }

    private void assertColdAndWarm(World world, Objective objective, float lr, int epochs, StepChoice choice,
            StepKind kind) {
        double warmPlain;
        try (CollabLearner plain = ranking(world, objective).optTrainingStep(choice).build()) {
            plain.fitOneCycle(epochs, lr);
            warmPlain = plain.history().get(plain.history().size() - 1).validNdcg();
        }
        try (CollabLearner hybrid = ranking(world, objective).optItemFeatures(world.items).optTrainingStep(choice)
                .build()) {
            assertEquals(kind, hybrid.getStepPlan().kind());
            hybrid.fitOneCycle(epochs, lr);
            double warmHybrid = hybrid.history().get(hybrid.history().size() - 1).validNdcg();
            TrainedModel model = hybrid.fittedModel();
            double cold = coldNdcg(model, world, world.coldRelevant, null);
            double chance = chance(model, world, world.coldRelevant);
            System.out.printf("%s, %s: cold NDCG@10 %.3f (chance %.3f), warm %.3f (%.3f without features)%n",
                    objective, kind, cold, chance, warmHybrid, warmPlain);
            assertTrue(cold > 2 * chance, objective.name() + ": cold NDCG@10 " + cold + " against chance " + chance);
            assertTrue(warmHybrid >= warmPlain - 0.02, objective.name() + ": warm NDCG@10 with features "
                    + warmHybrid + " against " + warmPlain + " without");
            assertTrue(model.getProvenance().model().contains("item features synthetic"),
                    model.getProvenance().model());
        }
    }

    @Test
    void theDeviceEngineRanksColdItemsFromTheirFeatures() {
        assertColdAndWarm(new World(11), Objective.bpr(), 1e-2f, 20, StepChoice.DEVICE, StepKind.DEVICE_RANKING);
        assertColdAndWarm(new World(12), Objective.softmax(), 1e-2f, 15, StepChoice.DEVICE,
                StepKind.DEVICE_RANKING);
        assertColdAndWarm(new World(13), Objective.warp(), 1e-2f, 15, StepChoice.DEVICE, StepKind.DEVICE_RANKING);
        // The default softmax's 256 negatives cover this catalogue (the full softmax: every item's combined row at
        // every step); a sampled one with its log-Q correction too.
        assertColdAndWarm(new World(12), new org.collab4j.train.objective.Softmax(32,
                org.collab4j.train.objective.NegativeSampling.POPULARITY), 1e-2f, 15, StepChoice.DEVICE,
                StepKind.DEVICE_RANKING);
    }

    @Test
    void mseRanksColdItemsFromTheirFeatures() {
        assertMseRanksColdItems(StepChoice.AUTO, StepKind.HOST);
    }

    @Test
    void mseOnTheDeviceEngineRanksColdItemsFromTheirFeatures() {
        assertMseRanksColdItems(StepChoice.DEVICE, StepKind.DEVICE);
    }

    private void assertMseRanksColdItems(StepChoice choice, StepKind kind) {
        World world = new World(14);
        try (CollabLearner hybrid = CollabLearner.builder().setTrainData(world.ratings)
                .optModel(EmbeddingDotBias.builder().optFactors(16).optYRange(YRange.MOVIELENS))
                .optItemFeatures(world.items).optBatchSize(128).optOutput(null).optProgressBar(false).optSeed(3)
                .optTrainingStep(choice).build()) {
            assertEquals(kind, hybrid.getStepPlan().kind());
            hybrid.fitOneCycle(15, 1e-2f);
            TrainedModel model = hybrid.fittedModel();
            double cold = coldNdcg(model, world, world.coldLiked, null);
            double chance = chance(model, world, world.coldLiked);
            System.out.printf("MSE, %s: cold NDCG@10 %.3f (chance %.3f)%n", kind, cold, chance);
            assertTrue(cold > 1.5 * chance, "cold NDCG@10 " + cold + " against chance " + chance);
        }
    }

    @Test
    void ialsFitsFeatureVectorsToTheSolvedRowsAndKeepsThem() {
        World world = new World(15);
        // The plain model without the popularity blend (issue 26), which a hybrid model never has: the same rows.
        try (CollabLearner plain = CollabLearner.builder().setTrainData(world.train).optObjective(Objective.ials())
                .optPopularityBlend(false).optOutput(null).optProgressBar(false).optSeed(3).build();
                CollabLearner hybrid = CollabLearner.builder().setTrainData(world.train)
                        .optObjective(Objective.ials()).optItemFeatures(world.items).optOutput(null)
                        .optProgressBar(false).optSeed(3).build()) {
            plain.fitAls(5);
            hybrid.fitAls(5);
            assertEquals(StepKind.ALS, hybrid.getStepPlan().kind());
            assertTrue(hybrid.getStepPlan().reason().contains("ridge"), hybrid.getStepPlan().reason());
            TrainedModel model = hybrid.fittedModel();
            // The rows are iALS's own, untouched by the features.
            assertArrayEquals(plain.fittedModel().factors(Side.ITEMS).rows(), model.factors(Side.ITEMS).rows(), 0f);
            double cold = coldNdcg(model, world, world.coldRelevant, null);
            double chance = chance(model, world, world.coldRelevant);
            assertTrue(cold > 2 * chance, "cold NDCG@10 " + cold + " against chance " + chance);
        }
    }

    @Test
    void withoutIdEmbeddingsItemsWithTheSameFeaturesShareARow() {
        assertWithoutIdEmbeddingsItemsShareARow(StepChoice.AUTO);
        assertWithoutIdEmbeddingsItemsShareARow(StepChoice.DEVICE);
    }

    private void assertWithoutIdEmbeddingsItemsShareARow(StepChoice choice) {
        World world = new World(16);
        try (CollabLearner hybrid = ranking(world, Objective.bpr()).optItemFeatures(world.items)
                .optIdEmbeddings(false).optTrainingStep(choice).build()) {
            hybrid.fitOneCycle(3, 1e-2f);
            TrainedModel model = hybrid.fittedModel();
            assertTrue(!model.features(Side.ITEMS).orElseThrow().idEmbeddings());
            FeatureMatrix rows = world.items.alignedTo(model.items()).matrix().rowNormalized();
            FeatureEmbeddings embeddings = model.features(Side.ITEMS).orElseThrow();
            FactorTable table = model.factors(Side.ITEMS);
            for (int i = 0; i < model.items().size(); i++) {
                assertArrayEquals(embeddings.combine(rows, i), table.row(i), 1e-6f);
            }
        }
    }

    /**
     * One SGD step over the whole data (no momentum, no decay) moves every part by {@code -lr · ∂loss/∂part}:
     * checked against central differences of the batch's MSE (y-range, biases, user and item features) as a function
     * of the parts, {@code rows = ids + X·vectors}.
     */
    @Test
    void gradientsOfTheIdsAndFeatureVectorsMatchFiniteDifferences() {
        assertGradientsMatchFiniteDifferences(StepChoice.HOST.touchedRows(true));
        assertGradientsMatchFiniteDifferences(StepChoice.HOST.touchedRows(false));
        assertGradientsMatchFiniteDifferences(StepChoice.DEVICE);
    }

    /**
     * The device engine's gradients of one batch (every part: ids, id biases, vectors, feature biases, both sides)
     * equal the host engine's from the same initial weights within 1e-5: one SGD step of learning rate 1 moves
     * every part by minus its gradient.
     */
    @Test
    void theDeviceEnginesGradientsEqualTheHostEngines() {
        double[][] host = oneSgdStep(StepChoice.HOST.touchedRows(false));
        double[][] device = oneSgdStep(StepChoice.DEVICE);
        assertEquals(host[0].length, device[0].length);
        assertArrayEquals(host[0], device[0], 0.0, "the same initial parts");
        int moved = 0;
        for (int j = 0; j < host[0].length; j++) {
            double hostGrad = host[0][j] - host[1][j];
            double deviceGrad = device[0][j] - device[1][j];
            assertEquals(hostGrad, deviceGrad, 1e-5, "gradient of part " + j + " of " + host[0].length);
            moved += Math.abs(hostGrad) > 1e-4 ? 1 : 0;
        }
        assertTrue(moved > host[0].length / 2, "most parts have a gradient: " + moved + " of " + host[0].length);
    }

    /**
     * The same for a ranking objective: one BPR step with the same fixed negatives on both engines, user and item
     * features, SGD of learning rate 1 (the user bias, which cannot change a ranking, untrained by both).
     */
    @Test
    void theDeviceRankingStepsGradientsEqualTheHostEngines() {
        double[][] host = oneBprStep(StepChoice.HOST);
        double[][] device = oneBprStep(StepChoice.DEVICE);
        int moved = 0;
        for (int j = 0; j < host[0].length; j++) {
            assertEquals(host[0][j], device[0][j], 0.0, "the same initial part " + j);
            double hostGrad = host[0][j] - host[1][j];
            assertEquals(hostGrad, device[0][j] - device[1][j], 1e-5, "gradient of part " + j);
            moved += Math.abs(hostGrad) > 1e-4 ? 1 : 0;
        }
        assertTrue(moved > host[0].length / 3, "parts with a gradient: " + moved + " of " + host[0].length);
    }

    private double[][] oneBprStep(StepChoice choice) {
        Ratings data = Ratings.builder().add("u0", "i0", 1f).add("u0", "i1", 1f).add("u1", "i0", 1f)
                .add("u1", "i2", 1f).add("u2", "i1", 1f).add("u2", "i3", 1f).build();
        FeatureTable items = FeatureTable.of(IdMap.of(List.of("i0", "i1", "i2", "i3")), List.of("a", "b", "c"),
                FeatureMatrix.of(new int[] {0, 2, 3, 5, 6}, new int[] {0, 1, 1, 0, 2, 2},
                        new float[] {1f, 1f, 1f, 1f, 1f, 1f}, 3), "items");
        FeatureTable users = FeatureTable.of(IdMap.of(List.of("u0", "u1", "u2")), List.of("x", "y"),
                FeatureMatrix.of(new int[] {0, 1, 2, 2}, new int[] {0, 1}, new float[] {1f, 1f}, 2), "users");
        long[] negatives = {2, 3, 3, 1, 0, 2};
        try (CollabLearner learner = CollabLearner.builder().setTrainData(data).optObjective(Objective.bpr())
                .optModel(EmbeddingDotBias.builder().optFactors(3).optYRange(null))
                .optOptimizer(Sgd.builder().optMomentum(0f).build()).optBatchSize(data.size())
                .optItemFeatures(items).optUserFeatures(users).optTrainingStep(choice)
                .optOutput(null).optProgressBar(false).optSeed(5).build()) {
            assertEquals(choice == StepChoice.HOST ? StepKind.RANKING : StepKind.DEVICE_RANKING,
                    learner.getStepPlan().kind());
            if (LearnerInternals.step(learner) instanceof org.collab4j.train.step.DeviceEngine d) {
                d.fixNegatives(negatives);
            } else {
                ((org.collab4j.train.step.HostEngine) LearnerInternals.step(learner)).fixNegatives(negatives);
            }
            return oneFit(learner, false);
        }
    }

    /**
     * Sets the side features' parts to seeded random values (the user biases too when asked), fits one epoch of
     * learning rate 1 and returns the parts before and after.
     */
    private static double[][] oneFit(CollabLearner learner, boolean userBiases) {
        SideFeatures itemSide = learner.sideFeatures(Side.ITEMS);
        SideFeatures userSide = learner.sideFeatures(Side.USERS);
        Random random = new Random(9);
        fill(userSide.vectors(), random);
        fill(itemSide.vectors(), random);
        if (userBiases) {
            fill(userSide.biases(), random);
        }
        fill(itemSide.biases(), random);
        double[] before = new Parts(learner, userSide, itemSide).flat();
        learner.fit(1, 1f);
        double[] after = new Parts(learner, userSide, itemSide).flat();
        return new double[][] {before, after};
    }

    /** The parts before and after one SGD step of learning rate 1 over the small hybrid model of the test above. */
    private double[][] oneSgdStep(StepChoice choice) {
        Ratings data = Ratings.builder().add("u0", "i0", 4f).add("u0", "i1", 2f).add("u1", "i0", 3.5f)
                .add("u1", "i2", 1f).add("u2", "i1", 5f).add("u2", "i2", 2.5f).build();
        FeatureTable items = FeatureTable.of(IdMap.of(List.of("i0", "i1", "i2")), List.of("a", "b", "c"),
                FeatureMatrix.of(new int[] {0, 2, 3, 5}, new int[] {0, 1, 1, 0, 2}, new float[] {1f, 1f, 1f, 1f, 1f},
                        3), "items");
        FeatureTable users = FeatureTable.of(IdMap.of(List.of("u0", "u1", "u2")), List.of("x", "y"),
                FeatureMatrix.of(new int[] {0, 1, 2, 2}, new int[] {0, 1}, new float[] {1f, 1f}, 2), "users");
        try (CollabLearner learner = CollabLearner.builder().setTrainData(data)
                .optModel(EmbeddingDotBias.builder().optFactors(3).optYRange(YRange.MOVIELENS))
                .optOptimizer(Sgd.builder().optMomentum(0f).build()).optBatchSize(data.size())
                .optItemFeatures(items).optUserFeatures(users).optTrainingStep(choice)
                .optOutput(null).optProgressBar(false).optSeed(5).build()) {
            assertEquals(choice.kind(), learner.getStepPlan().kind());
            return oneFit(learner, true);
        }
    }

    private void assertGradientsMatchFiniteDifferences(StepChoice choice) {
        boolean touchedRows = Boolean.TRUE.equals(choice.touchedRows());
        Ratings data = Ratings.builder().add("u0", "i0", 4f).add("u0", "i1", 2f).add("u1", "i0", 3.5f)
                .add("u1", "i2", 1f).add("u2", "i1", 5f).add("u2", "i2", 2.5f).build();
        FeatureMatrix itemMatrix = FeatureMatrix.of(new int[] {0, 2, 3, 5}, new int[] {0, 1, 1, 0, 2},
                new float[] {1f, 1f, 1f, 1f, 1f}, 3);
        FeatureTable items = FeatureTable.of(IdMap.of(List.of("i0", "i1", "i2")), List.of("a", "b", "c"), itemMatrix,
                "items");
        // u2 has no features: its row is its id embedding alone.
        FeatureMatrix userMatrix = FeatureMatrix.of(new int[] {0, 1, 2, 2}, new int[] {0, 1}, new float[] {1f, 1f}, 2);
        FeatureTable users = FeatureTable.of(IdMap.of(List.of("u0", "u1", "u2")), List.of("x", "y"), userMatrix,
                "users");
        int k = 3;
        float lr = 0.05f;
        try (CollabLearner learner = CollabLearner.builder().setTrainData(data)
                .optModel(EmbeddingDotBias.builder().optFactors(k).optYRange(YRange.MOVIELENS))
                .optOptimizer(Sgd.builder().optMomentum(0f).build()).optBatchSize(data.size())
                .optItemFeatures(items).optUserFeatures(users)
                .optTrainingStep(choice)
                .optOutput(null).optProgressBar(false).optSeed(5).build()) {
            assertEquals(touchedRows, learner.usesSparseUpdates());
            SideFeatures itemSide = learner.sideFeatures(Side.ITEMS);
            SideFeatures userSide = learner.sideFeatures(Side.USERS);
            // Give every part a distinct, non-trivial value: ids are the rows minus their features' mean.
            Random random = new Random(9);
            fill(userSide.vectors(), random);
            fill(itemSide.vectors(), random);
            fill(userSide.biases(), random);
            fill(itemSide.biases(), random);
            Parts before = new Parts(learner, userSide, itemSide);
            double[] numeric = before.numericGradient(data);
            learner.fit(1, lr);
            Parts after = new Parts(learner, userSide, itemSide);
            double[] p0 = before.flat();
            double[] p1 = after.flat();
            for (int j = 0; j < p0.length; j++) {
                double analytic = (p0[j] - p1[j]) / lr;
                assertEquals(numeric[j], analytic, 2e-3 * Math.max(1, Math.abs(numeric[j])),
                        "parameter " + j + " of " + p0.length);
            }
            // The block holds the combined rows of the new parts.
            TrainedModel model = learner.fittedModel();
            float[] combined = new float[3 * k];
            float[] bias = new float[3];
            itemSide.combineAll(combined, bias);
            assertArrayEquals(combined, model.factors(Side.ITEMS).rows(), 1e-6f);
            assertArrayEquals(bias, model.factors(Side.ITEMS).biases(), 1e-6f);
            assertNotNull(model.features(Side.USERS).orElseThrow().biases());
        }
    }

    private static void fill(float[] values, Random random) {
        for (int j = 0; j < values.length; j++) {
            values[j] = (float) (0.3 * random.nextGaussian());
        }
    }

    /** Every trained part of a small hybrid model: user and item ids, id biases, vectors, feature biases. */
    private static final class Parts {
        final float[][] arrays;
        final FeatureMatrix userRows;
        final FeatureMatrix itemRows;
        final int factors;

        Parts(CollabLearner learner, SideFeatures users, SideFeatures items) {
            factors = users.factors();
            userRows = users.rows();
            itemRows = items.rows();
            float[] uf = BlockParameters.get(learner, "userFactors");
            float[] ub = BlockParameters.get(learner, "userBias");
            float[] itf = BlockParameters.get(learner, "itemFactors");
            float[] ib = BlockParameters.get(learner, "itemBias");
            // The ids as the engine will split them: the block's (combined) rows minus the features' mean.
            float[] uid = minusMean(uf, userRows, users.vectors(), factors);
            float[] ubid = minusMean(ub, userRows, users.biases(), 1);
            float[] iid = minusMean(itf, itemRows, items.vectors(), factors);
            float[] ibid = minusMean(ib, itemRows, items.biases(), 1);
            arrays = new float[][] {uid, ubid, iid, ibid, users.vectors().clone(), users.biases().clone(),
                    items.vectors().clone(), items.biases().clone()};
        }

        private static float[] minusMean(float[] combined, FeatureMatrix rows, float[] vectors, int factors) {
            float[] out = combined.clone();
            float[] mean = new float[factors];
            for (int r = 0; r < rows.rows(); r++) {
                Arrays.fill(mean, 0f);
                rows.combine(r, vectors, factors, mean);
                for (int c = 0; c < factors; c++) {
                    out[r * factors + c] -= mean[c];
                }
            }
            return out;
        }

        double[] flat() {
            int n = 0;
            for (float[] a : arrays) {
                n += a.length;
            }
            double[] out = new double[n];
            int j = 0;
            for (float[] a : arrays) {
                for (float v : a) {
                    out[j++] = v;
                }
            }
            return out;
        }

        /** The batch's mean squared error through the y-range, with every part in double precision. */
        double loss(double[] p, Ratings data) {
            int users = userRows.rows();
            int items = itemRows.rows();
            int o = 0;
            double[] uid = Arrays.copyOfRange(p, o, o += users * factors);
            double[] ubid = Arrays.copyOfRange(p, o, o += users);
            double[] iid = Arrays.copyOfRange(p, o, o += items * factors);
            double[] ibid = Arrays.copyOfRange(p, o, o += items);
            double[] uv = Arrays.copyOfRange(p, o, o += userRows.features() * factors);
            double[] uvb = Arrays.copyOfRange(p, o, o += userRows.features());
            double[] iv = Arrays.copyOfRange(p, o, o += itemRows.features() * factors);
            double[] ivb = Arrays.copyOfRange(p, o, o += itemRows.features());
            double sum = 0;
            for (int r = 0; r < data.size(); r++) {
                int u = data.user(r);
                int i = data.item(r);
                double[] ur = row(uid, uv, userRows, u, factors);
                double[] ir = row(iid, iv, itemRows, i, factors);
                double x = row(ubid, uvb, userRows, u, 1)[0] + row(ibid, ivb, itemRows, i, 1)[0];
                for (int c = 0; c < factors; c++) {
                    x += ur[c] * ir[c];
                }
                double pred = 5.5 / (1 + Math.exp(-x));
                sum += (pred - data.rating(r)) * (pred - data.rating(r));
            }
            return sum / data.size();
        }

        private static double[] row(double[] ids, double[] vectors, FeatureMatrix rows, int r, int width) {
            double[] out = Arrays.copyOfRange(ids, r * width, (r + 1) * width);
            for (int e = rows.start(r); e < rows.end(r); e++) {
                for (int c = 0; c < width; c++) {
                    out[c] += rows.values()[e] * vectors[rows.columns()[e] * width + c];
                }
            }
            return out;
        }

        double[] numericGradient(Ratings data) {
            double[] p = flat();
            double[] g = new double[p.length];
            double h = 1e-5;
            for (int j = 0; j < p.length; j++) {
                double keep = p[j];
                p[j] = keep + h;
                double up = loss(p, data);
                p[j] = keep - h;
                double down = loss(p, data);
                p[j] = keep;
                g[j] = (up - down) / (2 * h);
            }
            return g;
        }
    }

    @Test
    void aRestoreBringsBackTheFeatureVectorsAndTheCombinedRows() {
        assertRestore(StepChoice.AUTO);
        assertRestore(StepChoice.DEVICE);
    }

    private void assertRestore(StepChoice choice) {
        World world = new World(18);
        try (CollabLearner learner = ranking(world, Objective.bpr()).optItemFeatures(world.items)
                .optTrainingStep(choice).build()) {
            learner.fitOneCycle(1, 1e-2f);
            WeightsSnapshot snapshot = learner.snapshotWeights();
            float[] vectors = learner.sideFeatures(Side.ITEMS).vectors().clone();
            float[] rows = BlockParameters.get(learner, "itemFactors");
            learner.fitOneCycle(2, 1e-2f);
            assertTrue(!Arrays.equals(vectors, learner.sideFeatures(Side.ITEMS).vectors()));
            learner.restoreWeights(snapshot);
            assertArrayEquals(vectors, learner.sideFeatures(Side.ITEMS).vectors(), 0f);
            assertArrayEquals(rows, BlockParameters.get(learner, "itemFactors"), 0f);
            // Training on from the restore starts from those rows: the ids were split again from them.
            learner.fitOneCycle(1, 1e-2f);
            assertTrue(Double.isFinite(learner.history().get(learner.history().size() - 1).trainLoss()));
        }
    }

    @Test
    void aWarmStartKeepsTheRowsAndTheFeatureVectorsOfTheInitialModel() {
        assertWarmStart(StepChoice.AUTO);
        assertWarmStart(StepChoice.DEVICE);
    }

    private void assertWarmStart(StepChoice choice) {
        World world = new World(19);
        TrainedModel first;
        try (CollabLearner learner = ranking(world, Objective.bpr()).optItemFeatures(world.items)
                .optTrainingStep(choice).build()) {
            learner.fitOneCycle(2, 1e-2f);
            first = learner.fittedModel();
        }
        try (CollabLearner warm = CollabLearner.builder().setTrainData(world.train).optObjective(Objective.bpr())
                .optInitModel(first).optItemFeatures(world.items).optTrainingStep(choice).optOutput(null)
                .optProgressBar(false).build()) {
            assertArrayEquals(first.features(Side.ITEMS).orElseThrow().vectors(),
                    warm.sideFeatures(Side.ITEMS).vectors(), 0f);
            // Before any step the model is the initial one: its combined rows, its vectors.
            TrainedModel same = warm.fittedModel();
            assertArrayEquals(first.factors(Side.ITEMS).rows(), same.factors(Side.ITEMS).rows(), 0f);
            warm.fitOneCycle(1, 1e-3f);
            float[] moved = warm.fittedModel().factors(Side.ITEMS).rows();
            assertTrue(!Arrays.equals(first.factors(Side.ITEMS).rows(), moved));
        }
    }

    @Test
    void thePlannerChoosesTheEngineAsWithoutFeatures() {
        CollabBlock block = EmbeddingDotBias.builder().optFactors(4).optYRange(null).setNumUsers(10).setNumItems(10)
                .build();
        // On a GPU the device engine, dense updates.
        StepPlan gpu = StepPlanner.plan(new StepPlanner.Request(StepChoice.AUTO, Device.gpu(), block,
                Adam.builder().build(), 64, 100, 20, Objective.bpr(), true));
        assertEquals(StepKind.DEVICE_RANKING, gpu.kind());
        assertTrue(gpu.reason().contains("side features' parts") && gpu.reason().contains("on the device"),
                gpu.reason());
        StepPlan rating = StepPlanner.plan(new StepPlanner.Request(StepChoice.AUTO, Device.gpu(), block,
                Adam.builder().build(), 64, 100, 20, Objective.mse(), true));
        assertEquals(StepKind.DEVICE, rating.kind());
        assertTrue(!rating.touchedRows(), rating.reason());
        // On the CPU the host engine; the device engine when asked for.
        assertEquals(StepKind.RANKING, StepPlanner.plan(new StepPlanner.Request(StepChoice.AUTO, Device.cpu(),
                block, Adam.builder().build(), 64, 100, 20, Objective.bpr(), true)).kind());
        assertEquals(StepKind.HOST, StepPlanner.plan(new StepPlanner.Request(StepChoice.AUTO, Device.cpu(),
                block, Adam.builder().build(), 64, 100, 20, Objective.mse(), true)).kind());
        assertEquals(StepKind.DEVICE_RANKING, StepPlanner.plan(new StepPlanner.Request(StepChoice.DEVICE,
                Device.cpu(), block, Adam.builder().build(), 64, 100, 20, Objective.bpr(), true)).kind());
        StepPlan device = StepPlanner.plan(new StepPlanner.Request(StepChoice.DEVICE, Device.cpu(), block,
                Adam.builder().build(), 64, 100, 20, Objective.mse(), true));
        assertEquals(StepKind.DEVICE, device.kind());
        assertTrue(device.reason().contains("chosen by the caller"), device.reason());
        // The host engine on a GPU when asked for.
        StepPlan host = StepPlanner.plan(new StepPlanner.Request(StepChoice.HOST, Device.gpu(), block,
                Adam.builder().build(), 64, 100, 20, Objective.mse(), true));
        assertEquals(StepKind.HOST, host.kind());
        assertTrue(host.reason().contains("on the CPU although"), host.reason());
        for (StepChoice refused : List.of(StepChoice.DENSE, StepChoice.TOUCHED, StepChoice.DJL)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StepPlanner.plan(
                    new StepPlanner.Request(refused, Device.cpu(), block, Adam.builder().build(), 64, 100, 20,
                            Objective.mse(), true)));
            assertTrue(e.getMessage().contains("StepChoice.HOST or StepChoice.DEVICE"), e.getMessage());
        }
        IllegalArgumentException touched = assertThrows(IllegalArgumentException.class, () -> StepPlanner.plan(
                new StepPlanner.Request(StepChoice.DEVICE.touchedRows(true), Device.cpu(), block,
                        Adam.builder().build(), 64, 100, 20, Objective.mse(), true)));
        assertTrue(touched.getMessage().contains("dense updates"), touched.getMessage());
    }

    @Test
    void stepsThatCannotTrainFeaturesAreRefused() {
        World world = new World(17);
        IllegalArgumentException djl = assertThrows(IllegalArgumentException.class, () -> ranking(world,
                Objective.bpr()).optItemFeatures(world.items).optTrainingStep(StepChoice.DJL).build());
        assertTrue(djl.getMessage().contains("side features train in the host or device engine"), djl.getMessage());
        // An EmbeddingNet takes features as side columns of its block, with a rating loss only.
        IllegalArgumentException net = assertThrows(IllegalArgumentException.class, () -> CollabLearner.builder()
                .setTrainData(world.train).optObjective(Objective.bpr()).optModel(EmbeddingNet.builder())
                .optItemFeatures(world.items).optOutput(null).build());
        assertTrue(net.getMessage().contains("EmbeddingNet"), net.getMessage());
        IllegalArgumentException ials = assertThrows(IllegalArgumentException.class, () -> CollabLearner.builder()
                .setTrainData(world.train).optObjective(Objective.ials()).optItemFeatures(world.items)
                .optIdEmbeddings(false).optOutput(null).build());
        assertTrue(ials.getMessage().contains("optIdEmbeddings"), ials.getMessage());
        FeatureTable strangers = FeatureTable.of(IdMap.of(List.of("m1", "m2")), List.of("genre=x"),
                FeatureMatrix.of(new int[] {0, 1, 2}, new int[] {0, 0}, new float[] {1f, 1f}, 1), "other.csv");
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ranking(world,
                Objective.bpr()).optItemFeatures(strangers).build());
        assertTrue(none.getMessage().contains("other.csv") && none.getMessage().contains("'m1'")
                && none.getMessage().contains("id column"), none.getMessage());
    }
}
