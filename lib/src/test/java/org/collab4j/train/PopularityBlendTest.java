package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;

import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Side;
import org.collab4j.train.objective.Objective;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** The popularity blend of the default ranking model: chosen where popularity helps, and only there. */
class PopularityBlendTest {

    private static final int USERS = 300;
    private static final int ITEMS = 120;

    @Test
    void popularityIsEachItemsPositivesOverTheLargestCount() {
        Ratings r = Ratings.ofIndices(ids("u", 3), ids("i", 3), new int[] {0, 1, 2, 0, 1}, new int[] {0, 0, 0, 1, 2},
                new float[] {1f, 2f, 1f, 1f, 0.3f});
        assertArrayEquals(new float[] {1f, 1f / 3, 0f}, PopularityBlend.popularity(r), 1e-6f,
                "a row below weight 1 (a below-threshold row) is no positive");
    }

    @Test
    void noBlendWhereTasteAloneDecides() {
        // Two tastes, every item as popular as any other: popularity cannot tell the held-out items apart.
        SplittableRandom random = new SplittableRandom(3);
        List<int[]> rows = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            int from = u % 2 == 0 ? 0 : ITEMS / 2;
            for (int i : distinct(random, 12, ITEMS / 2)) {
                rows.add(new int[] {u, from + i});
            }
        }
        try (CollabLearner learner = learner(ratings(rows))) {
            learner.fitAls(5);
            PopularityBlend.Choice choice = learner.popularityBlend().orElseThrow();
            assertEquals(0f, choice.weight(), "popularity does not help here: " + choice);
            assertEquals(64, learner.fittedModel().getConfig().itemFactors(), "no blend, no extra factor");
        }
    }

    @Test
    void blendsWherePopularityDecides() {
        // No taste at all: every user draws items in proportion to a steep popularity.
        SplittableRandom random = new SplittableRandom(5);
        double[] cumulative = new double[ITEMS];
        double total = 0;
        for (int i = 0; i < ITEMS; i++) {
            total += 1.0 / Math.pow(i + 1, 1.2);
            cumulative[i] = total;
        }
        List<int[]> rows = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            java.util.Set<Integer> chosen = new java.util.TreeSet<>();
            while (chosen.size() < 12) {
                double x = random.nextDouble() * total;
                int i = 0;
                while (cumulative[i] < x) {
                    i++;
                }
                chosen.add(i);
            }
            for (int i : chosen) {
                rows.add(new int[] {u, i});
            }
        }
        Ratings train = ratings(rows);
        try (CollabLearner learner = learner(train)) {
            learner.fitAls(5);
            PopularityBlend.Choice choice = learner.popularityBlend().orElseThrow();
            assertTrue(choice.weight() > 0f, "popularity decides here: " + choice);
            assertTrue(choice.ndcg()[indexOf(choice.weight())] > choice.ndcg()[0], choice.toString());
            TrainedModel model = learner.fittedModel();
            assertEquals(65, model.getConfig().itemFactors(), "the blend is one more factor");
            float[] p = PopularityBlend.popularity(train);
            float[] user = model.factors(Side.USERS).row(7);
            float[] item = model.factors(Side.ITEMS).row(3);
            assertEquals(choice.weight(), user[64]);
            assertEquals(p[3], item[64]);
            float[] trainedUser = NdRows.row(learner.getBlock().getUserTables(), 7);
            float[] trainedItem = NdRows.row(learner.getBlock().getItemTables(), 3);
            float dot = 0;
            for (int f = 0; f < 64; f++) {
                dot += trainedUser[f] * trainedItem[f];
            }
            assertEquals(dot + choice.weight() * p[3], model.factors(Side.USERS).dot(item, 0, 7), 1e-3f,
                    "score = x_u·y_i + w·p_i");
        }
        try (CollabLearner off = CollabLearner.builder().setTrainData(train).optObjective(Objective.ials())
                .optDevice(Device.cpu()).optOutput(null).optProgressBar(false).optPopularityBlend(false).build()) {
            off.fitAls(2);
            assertTrue(off.popularityBlend().isEmpty());
            assertEquals(64, off.fittedModel().getConfig().itemFactors());
        }
    }

    private static int indexOf(float weight) {
        for (int k = 0; k < PopularityBlend.WEIGHTS.length; k++) {
            if (PopularityBlend.WEIGHTS[k] == weight) {
                return k;
            }
        }
        throw new AssertionError(weight);
    }

    private static CollabLearner learner(Ratings train) {
        return CollabLearner.builder().setTrainData(train).optObjective(Objective.ials()).optDevice(Device.cpu())
                .optOutput(null).optProgressBar(false).build();
    }

    private static int[] distinct(SplittableRandom random, int n, int bound) {
        int[] all = IntStream.range(0, bound).toArray();
        for (int a = 0; a < n; a++) {
            int b = a + random.nextInt(bound - a);
            int t = all[a];
            all[a] = all[b];
            all[b] = t;
        }
        return java.util.Arrays.copyOf(all, n);
    }

    private static Ratings ratings(List<int[]> rows) {
        int[] u = rows.stream().mapToInt(r -> r[0]).toArray();
        int[] i = rows.stream().mapToInt(r -> r[1]).toArray();
        float[] v = new float[u.length];
        java.util.Arrays.fill(v, 1f);
        return Ratings.ofIndices(ids("u", USERS), ids("i", ITEMS), u, i, v);
    }

    private static IdMap ids(String prefix, int n) {
        return IdMap.of(IntStream.range(0, n).mapToObj(k -> prefix + k).toList());
    }

    /** A row of a block's factor table. */
    private static final class NdRows {
        static float[] row(List<ai.djl.nn.Parameter> tables, int row) {
            float[] all = org.collab4j.util.NDArrays.toFloatArray(tables.get(0).getArray());
            int k = (int) tables.get(0).getArray().getShape().get(1);
            return java.util.Arrays.copyOfRange(all, row * k, (row + 1) * k);
        }
    }
}
