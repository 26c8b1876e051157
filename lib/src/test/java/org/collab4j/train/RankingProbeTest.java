package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.util.NDArrays;
import org.collab4j.train.objective.Objective;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** The epoch table's NDCG@k and cappedRecall@k against a brute-force computation on small random data. */
class RankingProbeTest {

    private static final int USERS = 40;
    private static final int ITEMS = 70;
    /** Not a multiple of four: the kernel's four-factors-at-a-time loop has a remainder. */
    private static final int FACTORS = 7;

    private static Split randomSplit(Random random) {
        Ratings.Builder train = Ratings.builder();
        Ratings.Builder valid = Ratings.builder();
        for (int u = 0; u < USERS; u++) {
            Set<Integer> seen = new HashSet<>();
            int n = 3 + random.nextInt(15);
            while (seen.size() < n) {
                seen.add(random.nextInt(ITEMS));
            }
            int t = 0;
            for (int i : seen) {
                // Some users hold nothing out; they are not in the probe's sample.
                (t++ % 3 == 0 && u % 7 != 0 ? valid : train).add("u" + u, "i" + i, 1f);
            }
        }
        // Every user and item in training, so the tables' rows are the ids in order of first sight.
        for (int i = 0; i < ITEMS; i++) {
            train.add("u0", "i" + i, 1f);
        }
        Ratings tr = train.build();
        return new Split(tr, valid.build().reindex(tr.users(), tr.items()));
    }

    @Test
    void ndcgAndRecallAreTheBruteForceFigures() {
        Random random = new Random(8);
        Split split = randomSplit(random);
        try (CollabLearner dot = CollabLearner.builder().setData(split).optObjective(Objective.ials())
                .optModel(EmbeddingDot.builder().optFactors(FACTORS).optYRange(null)).optOutput(null).build();
                CollabLearner biased = CollabLearner.builder().setData(split).optObjective(Objective.bpr())
                        .optModel(EmbeddingDotBias.builder().optFactors(FACTORS).optYRange(null)).optOutput(null)
                        .build()) {
            for (CollabLearner learner : List.of(dot, biased)) {
                CollabBlock block = learner.getBlock();
                for (int t = 0; t < block.getUserTables().size(); t++) {
                    fill(block.getUserTables().get(t).getArray(), random);
                }
                for (int t = 0; t < block.getItemTables().size(); t++) {
                    fill(block.getItemTables().get(t).getArray(), random);
                }
                for (int k : new int[] {1, 5, 10}) {
                    double[] measured = new RankingProbe(block, split.train(), split.valid(), k, 1000, 3).measure();
                    double[] expected = bruteForce(block, split.train(), split.valid(), k);
                    assertEquals(expected[0], measured[0], 1e-12, "NDCG@" + k);
                    assertEquals(expected[1], measured[1], 1e-12, "cappedRecall@" + k);
                    assertTrue(expected[0] < 1 && (k < 10 || expected[0] > 0.05),
                            "the figures must not be trivial: NDCG@" + k + " " + expected[0]);
                }
            }
        }
    }

    private static void fill(ai.djl.ndarray.NDArray array, Random random) {
        float[] values = new float[Math.toIntExact(array.size())];
        for (int j = 0; j < values.length; j++) {
            values[j] = (float) random.nextGaussian();
        }
        array.set(values);
    }

    /**
     * Every user with a relevant held-out item: all items scored in double, training items dropped, sorted best
     * first (ties by index), the first k kept; NDCG = DCG / ideal DCG, cappedRecall = hits / min(k, relevant).
     */
    private static double[] bruteForce(CollabBlock block, Ratings train, Ratings valid, int k) {
        float[] uf = NDArrays.toFloatArray(block.getUserTables().get(0).getArray());
        float[] itf = NDArrays.toFloatArray(block.getItemTables().get(0).getArray());
        float[] ib = block.getItemTables().size() > 1
                ? NDArrays.toFloatArray(block.getItemTables().get(1).getArray()) : null;
        float[] ub = block.getUserTables().size() > 1
                ? NDArrays.toFloatArray(block.getUserTables().get(1).getArray()) : null;
        double ndcg = 0;
        double recall = 0;
        int users = 0;
        for (int u = 0; u < block.getNumUsers(); u++) {
            Set<Integer> relevant = new HashSet<>();
            for (int row = 0; row < valid.size(); row++) {
                if (valid.userIndices()[row] == u && valid.ratingValues()[row] > 0) {
                    relevant.add(valid.itemIndices()[row]);
                }
            }
            if (relevant.isEmpty()) {
                continue;
            }
            Set<Integer> seen = new HashSet<>();
            for (int row = 0; row < train.size(); row++) {
                if (train.userIndices()[row] == u) {
                    seen.add(train.itemIndices()[row]);
                }
            }
            List<Integer> candidates = new ArrayList<>();
            double[] score = new double[block.getNumItems()];
            for (int i = 0; i < block.getNumItems(); i++) {
                for (int f = 0; f < FACTORS; f++) {
                    score[i] += (double) uf[u * FACTORS + f] * itf[i * FACTORS + f];
                }
                // As served: the user's bias too, which moves every score of the user alike.
                score[i] += ib != null ? ub[u] + ib[i] : 0;
                if (!seen.contains(i)) {
                    candidates.add(i);
                }
            }
            candidates.sort((a, b) -> score[a] != score[b] ? Double.compare(score[b], score[a]) : a - b);
            double dcg = 0;
            int hits = 0;
            for (int r = 0; r < Math.min(k, candidates.size()); r++) {
                if (relevant.contains(candidates.get(r))) {
                    dcg += 1 / (Math.log(r + 2) / Math.log(2));
                    hits++;
                }
            }
            int ideal = Math.min(k, relevant.size());
            double idcg = 0;
            for (int r = 0; r < ideal; r++) {
                idcg += 1 / (Math.log(r + 2) / Math.log(2));
            }
            ndcg += dcg / idcg;
            recall += (double) hits / ideal;
            users++;
        }
        assertTrue(users > 10, "users with relevant items: " + users);
        return new double[] {ndcg / users, recall / users};
    }

    @Test
    void theSampleIsTheSameUsersEveryMeasurement() {
        Random random = new Random(9);
        Split split = randomSplit(random);
        try (CollabLearner learner = CollabLearner.builder().setData(split).optObjective(Objective.ials())
                .optModel(EmbeddingDot.builder().optFactors(FACTORS).optYRange(null)).optOutput(null).build()) {
            CollabBlock block = learner.getBlock();
            fill(block.getUserTables().get(0).getArray(), random);
            fill(block.getItemTables().get(0).getArray(), random);
            RankingProbe probe = new RankingProbe(block, split.train(), split.valid(), 10, 5, 3);
            double[] first = probe.measure();
            assertEquals(Arrays.toString(first), Arrays.toString(probe.measure()));
        }
    }
}
