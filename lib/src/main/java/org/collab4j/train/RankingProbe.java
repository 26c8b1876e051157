package org.collab4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

import org.collab4j.data.Ratings;
import org.collab4j.kernel.Csr;
import org.collab4j.kernel.FactorModel;
import org.collab4j.kernel.FactorTable;
import org.collab4j.kernel.RankingMetrics;
import org.collab4j.kernel.Side;
import org.collab4j.kernel.TopKSelection;
import org.collab4j.model.CollabBlock;
import org.collab4j.util.NDArrays;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The epoch table's ranking figures for a ranking objective: NDCG@k and cappedRecall@k (hits / min(k, relevant))
 * over a seeded sample of the validation users, each user's items scored, their training items left out and the
 * best k kept exactly as the {@code Recommender} serves them: through the kernel's factor core
 * ({@link FactorModel}, {@link TopKSelection}), with the kernel's {@link RankingMetrics}. A validation row is
 * relevant when its weight is positive. The sample is drawn once, so epochs are compared on the same users.
 */
final class RankingProbe {

    private final CollabBlock block;
    private final int k;
    private final int[] users;
    private final int[][] relevant;
    private final Csr seen;
    private final float[] scores;

    RankingProbe(CollabBlock block, Ratings train, Ratings valid, int k, int maxUsers, long seed) {
        this.block = block;
        this.k = k;
        int numUsers = block.getNumUsers();
        seen = Csr.of(numUsers, train.userIndices(), train.itemIndices()).sortedDistinct();
        int[] vu = valid.userIndices();
        int[] vi = valid.itemIndices();
        float[] vr = valid.ratingValues();
        int[] count = new int[numUsers];
        for (int row = 0; row < vu.length; row++) {
            if (vr[row] > 0) {
                count[vu[row]]++;
            }
        }
        int[] candidates = java.util.stream.IntStream.range(0, numUsers).filter(u -> count[u] > 0).toArray();
        SplittableRandom random = new SplittableRandom(seed);
        for (int a = candidates.length - 1; a > 0; a--) {
            int b = random.nextInt(a + 1);
            int t = candidates[a];
            candidates[a] = candidates[b];
            candidates[b] = t;
        }
        users = Arrays.copyOf(candidates, Math.min(maxUsers, candidates.length));
        Arrays.sort(users);
        int[] slot = new int[numUsers];
        Arrays.fill(slot, -1);
        relevant = new int[users.length][];
        for (int s = 0; s < users.length; s++) {
            slot[users[s]] = s;
            relevant[s] = new int[count[users[s]]];
        }
        int[] fill = new int[users.length];
        for (int row = 0; row < vu.length; row++) {
            int s = slot[vu[row]];
            if (s >= 0 && vr[row] > 0) {
                relevant[s][fill[s]++] = vi[row];
            }
        }
        for (int[] r : relevant) {
            Arrays.sort(r);
        }
        scores = new float[block.getNumItems()];
    }

    int k() {
        return k;
    }

    /** @return {NDCG@k, cappedRecall@k} averaged over the sampled users, or NaN for both when there are none */
    double[] measure() {
        return measure(null, 0f);
    }

    /**
     * As {@link #measure()}, each item's score plus {@code weight · prior[item]} ({@link PopularityBlend}).
     *
     * @param prior a score per item, or {@code null} for none
     * @param weight its weight
     */
    double[] measure(float[] prior, float weight) {
        if (users.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        RankingMetrics.Mean mean = new RankingMetrics.Mean();
        each(prior, weight, m -> mean.add(m));
        return new double[] {mean.ndcg(), mean.cappedRecall()};
    }

    /**
     * Each sampled user's NDCG@k for each of some weights of a prior, scores as {@link #measure(float[], float)}
     * makes them; each user's dot products are computed once for all the weights.
     *
     * @return {@code [weight][user]}, the users in a fixed order
     */
    double[][] ndcgs(float[] prior, float[] weights) {
        double[][] out = new double[weights.length][users.length];
        if (users.length == 0) {
            return out;
        }
        FactorModel model = new FactorModel(table(block.getUserTables()), table(block.getItemTables()));
        int items = scores.length;
        float[] blended = new float[items];
        for (int s = 0; s < users.length; s++) {
            int u = users[s];
            model.scores(Side.USERS, u, 0, items, scores);
            for (int w = 0; w < weights.length; w++) {
                for (int i = 0; i < items; i++) {
                    blended[i] = scores[i] + weights[w] * prior[i];
                }
                TopKSelection top = new TopKSelection(k, items, seen.columns(), seen.start(u), seen.end(u), null,
                        null);
                top.offer(blended, 0, items);
                int[] best = top.sorted(new float[top.size()]);
                out[w][s] = RankingMetrics.of(k, best, best.length, relevant[s]).ndcg();
            }
        }
        return out;
    }

    private void each(float[] prior, float weight, java.util.function.Consumer<RankingMetrics> sink) {
        FactorModel model = new FactorModel(table(block.getUserTables()), table(block.getItemTables()));
        int items = scores.length;
        for (int s = 0; s < users.length; s++) {
            int u = users[s];
            model.scores(Side.USERS, u, 0, items, scores);
            if (prior != null && weight != 0f) {
                for (int i = 0; i < items; i++) {
                    scores[i] += weight * prior[i];
                }
            }
            TopKSelection top = new TopKSelection(k, items, seen.columns(), seen.start(u), seen.end(u), null, null);
            top.offer(scores, 0, items);
            int[] best = top.sorted(new float[top.size()]);
            sink.accept(RankingMetrics.of(k, best, best.length, relevant[s]));
        }
    }

    /** A side's factors and biases as they are now, copied from the block's tables. */
    private static FactorTable table(List<Parameter> tables) {
        NDArray factors = tables.get(0).getArray();
        return FactorTable.of(NDArrays.toFloatArray(factors), Math.toIntExact(factors.getShape().get(1)),
                tables.size() > 1 ? NDArrays.toFloatArray(tables.get(1).getArray()) : null);
    }
}
