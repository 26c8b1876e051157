package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.FeatureTable;
import org.collab4j.data.IdMap;
import org.collab4j.data.NumericScale;
import org.collab4j.data.Ratings;
import org.collab4j.io.FeatureEmbeddings;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.FeatureMatrix;
import org.collab4j.kernel.Side;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.step.StepChoice;
import org.collab4j.train.step.StepKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@link EmbeddingNet} with item side columns (lesson 4's tabular form) trained through {@link CollabLearner}: it
 * beats the plain net on held-out ratings of a world whose ratings follow the items' features, the Java scorer
 * serves exactly the DJL forward, the model file round-trips, and new items are served from their features.
 */
class NetSideFeaturesTest {

    private static final int USERS = 300;
    private static final int ITEMS = 400;
    private static final int GENRES = 6;

    /** Ratings = 3 + the mean of the item's genres' effects + 0.6·year + a user bias + noise; a fifth of items cold. */
    private static final class World {
        final FeatureTable items;
        final Ratings train;
        final List<String[]> held = new ArrayList<>();
        final List<Float> heldValues = new ArrayList<>();
        final List<String[]> cold = new ArrayList<>();
        final List<Float> coldValues = new ArrayList<>();

        World(long seed) {
            Random random = new Random(seed);
            double[] effect = new double[GENRES];
            for (int g = 0; g < GENRES; g++) {
                effect[g] = 1.2 * random.nextGaussian();
            }
            double[] userBias = new double[USERS];
            for (int u = 0; u < USERS; u++) {
                userBias[u] = 0.3 * random.nextGaussian();
            }
            List<String> names = new ArrayList<>();
            for (int g = 0; g < GENRES; g++) {
                names.add("genre=g" + g);
            }
            names.add("year");
            int[] offsets = new int[ITEMS + 1];
            int[] columns = new int[ITEMS * 3];
            float[] values = new float[ITEMS * 3];
            double[] truth = new double[ITEMS];
            boolean[] isCold = new boolean[ITEMS];
            List<String> ids = new ArrayList<>();
            int at = 0;
            for (int i = 0; i < ITEMS; i++) {
                ids.add("i" + i);
                int a = random.nextInt(GENRES);
                int b = random.nextInt(GENRES);
                float year = (float) random.nextGaussian();
                int lo = Math.min(a, b);
                int hi = Math.max(a, b);
                columns[at] = lo;
                values[at++] = 1f;
                if (hi != lo) {
                    columns[at] = hi;
                    values[at++] = 1f;
                }
                columns[at] = GENRES;
                values[at++] = year;
                offsets[i + 1] = at;
                truth[i] = 3 + (hi != lo ? (effect[lo] + effect[hi]) / 2 : effect[lo]) + 0.6 * year;
                isCold[i] = random.nextDouble() < 0.2;
            }
            items = FeatureTable.of(IdMap.of(ids), names, FeatureMatrix.of(offsets, Arrays.copyOf(columns, at),
                    Arrays.copyOf(values, at), names.size()), "synthetic.csv", Map.of("year", new NumericScale(0, 1)));
            Ratings.Builder trainBuilder = Ratings.builder();
            for (int u = 0; u < USERS; u++) {
                for (int i = 0; i < ITEMS; i++) {
                    if (random.nextDouble() >= 0.012) {
                        continue;
                    }
                    float r = (float) Math.max(0.5, Math.min(5, truth[i] + userBias[u] + 0.3 * random.nextGaussian()));
                    String[] pair = {"u" + u, "i" + i};
                    if (isCold[i]) {
                        cold.add(pair);
                        coldValues.add(r);
                    } else if (random.nextDouble() < 0.2) {
                        held.add(pair);
                        heldValues.add(r);
                    } else {
                        trainBuilder.add(pair[0], pair[1], r);
                    }
                }
            }
            train = trainBuilder.build();
        }
    }

    private static CollabLearnerBuilder net(World world, boolean features) {
        CollabLearnerBuilder b = CollabLearner.builder().setTrainData(world.train)
                .optModel(EmbeddingNet.builder().optFactors(8).optHidden(16).optHiddenDropout(0.1f).optEmbeddingDropout(0f))
                .optBatchSize(64).optSeed(5).optOutput(null).optProgressBar(false);
        return features ? b.optItemFeatures(world.items) : b;
    }

    /** RMSE of a recommender's predictions on pairs whose users and items it knows. */
    private static double rmse(Recommender r, List<String[]> pairs, List<Float> values, World world) {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < pairs.size(); k++) {
            String[] p = pairs.get(k);
            if (world.train.users().indexOf(p[0]) < 0) {
                continue;
            }
            double e = r.predict(p[0], p[1]) - values.get(k);
            sum += e * e;
            n++;
        }
        return Math.sqrt(sum / n);
    }

    @Test
    void sideColumnsBeatThePlainNetAndServeColdItems(@TempDir Path dir) throws Exception {
        World world = new World(11);
        List<String[]> held = new ArrayList<>();
        List<Float> heldValues = new ArrayList<>();
        for (int k = 0; k < world.held.size(); k++) {
            if (world.train.items().indexOf(world.held.get(k)[1]) >= 0
                    && world.train.users().indexOf(world.held.get(k)[0]) >= 0) {
                held.add(world.held.get(k));
                heldValues.add(world.heldValues.get(k));
            }
        }
        double plainRmse;
        try (CollabLearner plain = net(world, false).build()) {
            plain.fit(15, 1e-2f);
            plainRmse = rmse(Recommender.of(plain.fittedModel()), held, heldValues, world);
        }
        try (CollabLearner hybrid = net(world, true).build()) {
            assertEquals(StepKind.DENSE, hybrid.getStepPlan().kind(), hybrid.getStepPlan().toString());
            hybrid.fit(15, 1e-2f);
            TrainedModel model = hybrid.fittedModel();
            Recommender served = Recommender.of(model);
            double hybridRmse = rmse(served, held, heldValues, world);
            assertTrue(hybridRmse < plainRmse - 0.05, "with features " + hybridRmse + ", without " + plainRmse);

            // The Java scorer serves what DJL's forward computes.
            List<String> users = new ArrayList<>();
            List<String> itemIds = new ArrayList<>();
            for (String[] p : held.subList(0, 50)) {
                users.add(p[0]);
                itemIds.add(p[1]);
            }
            assertArrayEquals(hybrid.predict(users, itemIds), served.predict(users, itemIds), 1e-5f);

            // The file holds the folded form and the feature rows; loading serves the same.
            assertEquals(8 + 8 + 1, model.getConfig().itemFactors());
            FeatureEmbeddings embeddings = model.features(Side.ITEMS).orElseThrow();
            assertEquals(17, embeddings.factors());
            Path file = dir.resolve("net.c4j");
            model.save(file);
            TrainedModel loaded = TrainedModel.load(file);
            assertArrayEquals(served.predict(users, itemIds), Recommender.of(loaded).predict(users, itemIds), 0f);

            // Cold items: served from their features with a zero id embedding, better than the training mean.
            Recommender coldServed = Recommender.builder().setModel(loaded).optItemFeatures(world.items).build();
            double mean = world.train.meanRating();
            double coldSum = 0;
            double meanSum = 0;
            int n = 0;
            for (int k = 0; k < world.cold.size(); k++) {
                String[] p = world.cold.get(k);
                if (world.train.users().indexOf(p[0]) < 0 || world.train.items().indexOf(p[1]) >= 0) {
                    continue;
                }
                double e = coldServed.predict(p[0], p[1]) - world.coldValues.get(k);
                coldSum += e * e;
                meanSum += (mean - world.coldValues.get(k)) * (mean - world.coldValues.get(k));
                n++;
            }
            assertTrue(n > 50, "cold pairs " + n);
            double coldRmse = Math.sqrt(coldSum / n);
            double meanRmse = Math.sqrt(meanSum / n);
            assertTrue(coldRmse < meanRmse - 0.2, "cold items from features " + coldRmse + ", the mean " + meanRmse);

            // A cold item's row is [0 (id embedding), its side columns]: the same as a trained item with the same
            // features whose id part is zeroed.
            String twin = world.train.items().id(0);
            int row = world.items.ids().indexOf(twin);
            FeatureMatrix m = world.items.matrix();
            FeatureTable newItem = FeatureTable.of(IdMap.of(List.of("new")), world.items.featureNames(),
                    FeatureMatrix.of(new int[] {0, m.end(row) - m.start(row)},
                            Arrays.copyOfRange(m.columns(), m.start(row), m.end(row)),
                            Arrays.copyOfRange(m.values(), m.start(row), m.end(row)), m.features()),
                    "new.csv", Map.of("year", new NumericScale(0, 1)));
            float[] zeroed = loaded.factors(Side.ITEMS).row(0);
            Arrays.fill(zeroed, 0, 8, 0f);
            float expected = Recommender.of(loaded.withRows(Side.ITEMS, List.of(twin), zeroed, null))
                    .predict(world.train.users().id(0), twin);
            float actual = Recommender.builder().setModel(loaded).optItemFeatures(newItem).build()
                    .predict(world.train.users().id(0), "new");
            assertEquals(expected, actual, 1e-5f);
        }
    }

    @Test
    void userAndItemSideColumnsTrainTogetherAndServeAsTheForward() {
        World world = new World(7);
        // Users' features: one of three groups (categorical) and a numeric score; u0 has none.
        List<String> ids = new ArrayList<>();
        int[] offsets = new int[USERS + 1];
        int[] columns = new int[2 * USERS];
        float[] values = new float[2 * USERS];
        int at = 0;
        for (int u = 0; u < USERS; u++) {
            ids.add("u" + u);
            if (u > 0) {
                columns[at] = u % 3;
                values[at++] = 1f;
                columns[at] = 3;
                values[at++] = (u % 7) / 3f - 1f;
            }
            offsets[u + 1] = at;
        }
        FeatureTable users = FeatureTable.of(IdMap.of(ids), List.of("group=a", "group=b", "group=c", "score"),
                FeatureMatrix.of(offsets, Arrays.copyOf(columns, at), Arrays.copyOf(values, at), 4), "users.csv",
                Map.of("score", new NumericScale(0, 1)));
        try (CollabLearner learner = net(world, true).optUserFeatures(users).build()) {
            learner.fit(1, 1e-2f);
            TrainedModel model = learner.fittedModel();
            assertEquals(8 + 8 + 1, model.getConfig().userFactors());
            assertEquals(4, model.features(Side.USERS).orElseThrow().featureNames().size());
            List<String> u = new ArrayList<>();
            List<String> i = new ArrayList<>();
            for (int k = 0; k < 40; k++) {
                u.add(world.train.users().id(k));
                i.add(world.train.items().id(k));
            }
            assertArrayEquals(learner.predict(u, i), Recommender.of(model).predict(u, i), 1e-5f);
        }
    }

    @Test
    void onlyTheDenseStepAndMseTrainSideColumns() {
        World world = new World(3);
        IllegalArgumentException touched = assertThrows(IllegalArgumentException.class, () -> net(world, true)
                .optTrainingStep(StepChoice.TOUCHED).build());
        assertTrue(touched.getMessage().contains("dense step"), touched.getMessage());
        IllegalArgumentException ranking = assertThrows(IllegalArgumentException.class, () -> net(world, true)
                .optObjective(org.collab4j.train.objective.Objective.bpr()).build());
        assertTrue(ranking.getMessage().contains("EmbeddingNet"), ranking.getMessage());
        IllegalArgumentException ids = assertThrows(IllegalArgumentException.class, () -> net(world, true)
                .optIdEmbeddings(false).build());
        assertTrue(ids.getMessage().contains("optIdEmbeddings(true)"), ids.getMessage());
    }
}
