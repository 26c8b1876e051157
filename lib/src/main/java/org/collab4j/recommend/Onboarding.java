package org.collab4j.recommend;

import org.collab4j.kernel.Side;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The items to ask a new user about ({@link Recommender#onboarding}): those whose answers will tell the fold-in
 * the most. The fold-in ({@link FoldIn}) fits the user's row {@code w} with a prior; its curvature {@code H} at the
 * answers so far ({@link DotFoldIn#information}) is the inverse of the row's posterior covariance. An answer about
 * item {@code i} adds {@code ω_i a_i a_iᵀ} to {@code H} ({@code a_i = [v_i; 1]}, {@code ω_i} the answer's weight:
 * {@code s_i²/σ²} for ratings, {@code s_i} the y-range sigmoid's slope at the current prediction), but only if the
 * user knows the item, which we take to happen with probability {@code π_i} = the share of training users who
 * rated it. The K questions greedily maximise
 *
 * <pre>
 *     log det(H + Σ_{i ∈ S} π_i ω_i a_i a_iᵀ)
 * </pre>
 *
 * <p>the volume of the expected posterior precision (D-optimal design): each step takes the item with the largest
 * gain {@code log(1 + π_i ω_i a_iᵀ C a_i)}, {@code C = H⁻¹} the current covariance, then updates {@code C} by
 * Sherman–Morrison. The gain rewards items that are known (π), whose factors point where the posterior is still
 * wide, and, after one is chosen, no longer in that direction: the questions spread over the factor space instead
 * of piling up on one cluster of blockbusters. The objective is submodular, so the greedy choice is within
 * {@code 1 − 1/e} of the best set. Cost: {@code O(items · m²)} for the first gains, then {@code O(items · m)} per
 * question.
 *
 * <p>Immutable and thread-safe; the same answers give the same questions, ties going to the more rated item, then
 * to the lower row.
 */
final class Onboarding {

    private final Catalogue catalogue;
    private final FoldIns foldIns;

    Onboarding(Catalogue catalogue, FoldIns foldIns) {
        this.catalogue = catalogue;
        this.foldIns = foldIns;
    }

    /**
     * The next {@code k} questions.
     *
     * @param answers what the user answered so far, folded in
     * @param skipped items asked before that the user did not know: never asked again, and no answer
     * @param k how many questions
     * @return up to {@code k} items, the first chosen first, scored with their gain in nats
     */
    List<ScoredId> questions(RatingHistory answers, Collection<String> skipped, int k) {
        DotFoldIn solver = foldIns.userSolver();
        float[][] values = new float[1][];
        int[] rows = foldIns.knownItems(answers, values);
        int n = rows.length;
        int m = solver.size();
        double[] w = solver.solveExact(rows, values[0], n);
        double[] covariance = Cholesky.invert(solver.information(rows, values[0], n, w), m);
        if (covariance == null) {
            throw new IllegalStateException("the fold-in's posterior is degenerate (regularization 0 and too few"
                    + " answers?): no question can be chosen");
        }
        int[] candidates = candidates(answers, skipped);
        double[] weight = new double[candidates.length];
        double[] spread = new double[candidates.length];
        double[] a = new double[m];
        double[] ca = new double[m];
        double users = Math.max(1, knownUsers());
        for (int i = 0; i < catalogue.ids(Side.ITEMS).size(); i++) {
            // An item side keeps the items' counts but not their users: no share above 1.
            users = Math.max(users, catalogue.count(Side.ITEMS, i));
        }
        for (int c = 0; c < candidates.length; c++) {
            int item = candidates[c];
            solver.fixed(item, a);
            weight[c] = catalogue.count(Side.ITEMS, item) / users * solver.answerWeight(item, w, a);
            multiply(covariance, a, ca, m);
            spread[c] = Math.max(0, dot(a, ca, m));
        }
        boolean[] taken = new boolean[candidates.length];
        List<ScoredId> result = new ArrayList<>(Math.min(k, candidates.length));
        double[] u = new double[m];
        while (result.size() < k && result.size() < candidates.length) {
            int best = -1;
            double bestGain = -1;
            for (int c = 0; c < candidates.length; c++) {
                if (taken[c]) {
                    continue;
                }
                double gain = Math.log1p(weight[c] * spread[c]);
                if (best < 0 || gain > bestGain || gain == bestGain && catalogue.count(Side.ITEMS, candidates[c])
                        > catalogue.count(Side.ITEMS, candidates[best])) {
                    best = c;
                    bestGain = gain;
                }
            }
            taken[best] = true;
            result.add(catalogue.scored(Side.ITEMS, candidates[best], (float) bestGain));
            // Sherman–Morrison: C ← C − ω/(1 + ω aᵀCa) · (Ca)(Ca)ᵀ, and each spread aᵢᵀCaᵢ with it.
            solver.fixed(candidates[best], a);
            multiply(covariance, a, u, m);
            double scale = weight[best] / (1 + weight[best] * spread[best]);
            if (!(scale > 0)) {
                continue;
            }
            for (int p = 0; p < m; p++) {
                for (int q = 0; q < m; q++) {
                    covariance[p * m + q] -= scale * u[p] * u[q];
                }
            }
            for (int c = 0; c < candidates.length; c++) {
                if (!taken[c]) {
                    solver.fixed(candidates[c], a);
                    double t = dot(a, u, m);
                    spread[c] = Math.max(0, spread[c] - scale * t * t);
                }
            }
        }
        return result;
    }

    /** The known items neither answered nor skipped, ascending. */
    private int[] candidates(RatingHistory answers, Collection<String> skipped) {
        Set<String> asked = new HashSet<>(answers.entries().keySet());
        for (String id : skipped) {
            if (id == null) {
                throw new NullPointerException("skipped holds a null id; pass the original ids of the items asked");
            }
            asked.add(id);
        }
        boolean[] known = catalogue.known(Side.ITEMS);
        int[] rows = new int[known.length];
        int n = 0;
        for (int i = 0; i < known.length; i++) {
            if (known[i] && !asked.contains(catalogue.ids(Side.ITEMS).id(i))) {
                rows[n++] = i;
            }
        }
        return java.util.Arrays.copyOf(rows, n);
    }

    private int knownUsers() {
        int n = 0;
        for (boolean b : catalogue.known(Side.USERS)) {
            n += b ? 1 : 0;
        }
        return n;
    }

    private static void multiply(double[] matrix, double[] x, double[] out, int m) {
        for (int p = 0; p < m; p++) {
            double s = 0;
            for (int q = 0; q < m; q++) {
                s += matrix[p * m + q] * x[q];
            }
            out[p] = s;
        }
    }

    private static double dot(double[] x, double[] y, int m) {
        double s = 0;
        for (int p = 0; p < m; p++) {
            s += x[p] * y[p];
        }
        return s;
    }
}
