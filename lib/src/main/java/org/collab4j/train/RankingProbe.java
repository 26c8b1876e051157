package org.collab4j.train;

import ai.djl.nn.Parameter;

import org.collab4j.data.Ratings;
import org.collab4j.kernel.Csr;
import org.collab4j.model.CollabBlock;
import org.collab4j.train.als.ImplicitAlsSolver;
import org.collab4j.util.NDArrays;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The epoch table's ranking figures for a ranking objective: NDCG@k and recall@k (hits / min(k, relevant)) over
 * a seeded sample of the validation users, scoring every item by {@code U[u]·I[i] (+ b_i[i])} with the user's
 * training items excluded. A validation row is relevant when its weight is positive. The sample is drawn once,
 * so epochs are compared on the same users.
 */
final class RankingProbe {

    private final CollabBlock block;
    private final int k;
    private final int[] users;
    private final int[][] relevant;
    private final Csr seen;
    private final float[] scores;
    private final int[] top;
    /** The item table factor-major, one array per factor, refilled for every measurement. */
    private float[][] itemColumns;

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
        top = new int[k];
    }

    int k() {
        return k;
    }

    /** @return {NDCG@k, recall@k} averaged over the sampled users, or NaN for both when there are none */
    double[] measure() {
        if (users.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Parameter userTable = block.getUserTables().get(0);
        Parameter itemTable = block.getItemTables().get(0);
        float[] uf = NDArrays.toFloatArray(userTable.getArray());
        float[] itf = NDArrays.toFloatArray(itemTable.getArray());
        float[] ib = block.getItemTables().size() > 1
                ? NDArrays.toFloatArray(block.getItemTables().get(1).getArray()) : null;
        int factors = Math.toIntExact(userTable.getArray().getShape().get(1));
        int items = scores.length;
        if (itemColumns == null || itemColumns.length != factors) {
            itemColumns = new float[factors][items];
        }
        for (int i = 0; i < items; i++) {
            for (int f = 0; f < factors; f++) {
                itemColumns[f][i] = itf[i * factors + f];
            }
        }
        double ndcg = 0;
        double recall = 0;
        for (int s = 0; s < users.length; s++) {
            int u = users[s];
            score(uf, u * factors, factors, ib);
            for (int e = seen.start(u); e < seen.end(u); e++) {
                scores[seen.columns()[e]] = Float.NEGATIVE_INFINITY;
            }
            int n = topK(items);
            double dcg = 0;
            int hits = 0;
            for (int r = 0; r < n; r++) {
                if (Arrays.binarySearch(relevant[s], top[r]) >= 0) {
                    dcg += 1 / log2(r + 2);
                    hits++;
                }
            }
            int ideal = Math.min(k, relevant[s].length);
            double idcg = 0;
            for (int r = 0; r < ideal; r++) {
                idcg += 1 / log2(r + 2);
            }
            ndcg += dcg / idcg;
            recall += (double) hits / ideal;
        }
        return new double[] {ndcg / users.length, recall / users.length};
    }

    /**
     * {@code scores[i] = U[u]·I[i] (+ b_i[i])} for every item, as {@code Σ_f U[u][f]·I[:, f]} over the
     * factor-major item table: the loops run along all the items with no reduction, which the JIT vectorises
     * (see {@link ImplicitAlsSolver#addMultiples}); each score still sums its factors from the first to the last.
     */
    private void score(float[] uf, int uo, int factors, float[] ib) {
        int items = scores.length;
        Arrays.fill(scores, 0f);
        int f = 0;
        for (; f + 3 < factors; f += 4) {
            ImplicitAlsSolver.addMultiples(scores, uf[uo + f], itemColumns[f], uf[uo + f + 1], itemColumns[f + 1],
                    uf[uo + f + 2], itemColumns[f + 2], uf[uo + f + 3], itemColumns[f + 3], items);
        }
        for (; f < factors; f++) {
            ImplicitAlsSolver.addMultiple(scores, uf[uo + f], itemColumns[f], items);
        }
        if (ib != null) {
            ImplicitAlsSolver.addMultiple(scores, 1f, ib, items);
        }
    }

    /** The best {@code k} finite scores into {@code top}, best first (ties: lower index first). */
    private int topK(int items) {
        int n = 0;
        for (int i = 0; i < items; i++) {
            float v = scores[i];
            if (v == Float.NEGATIVE_INFINITY || n == k && !(v > scores[top[n - 1]])) {
                continue;
            }
            int at = n == k ? k - 1 : n++;
            while (at > 0 && v > scores[top[at - 1]]) {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = i;
        }
        return n;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
