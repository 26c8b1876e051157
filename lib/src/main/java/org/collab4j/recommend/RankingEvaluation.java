package org.collab4j.recommend;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How well top-k recommendations find held-out items a user liked, averaged over users.
 *
 * <p>For one user with recommendations {@code r_1..r_k} and relevant held-out items {@code R} (non-empty), with
 * {@code hits = |top-k ∩ R|}:
 *
 * <pre>
 * precision@k     = hits / k
 * recall@k        = hits / |R|                (share of the relevant items found)
 * cappedRecall@k  = hits / min(k, |R|)        (share of what a list of k could find; 1 for a perfect list)
 * NDCG@k          = Σ_{j: r_j ∈ R} 1/log2(j+1)  /  Σ_{j=1..min(|R|,k)} 1/log2(j+1)
 * HR@k            = 1 if hits &gt; 0, else 0     (hit rate)
 * AP@k            = Σ_{j: r_j ∈ R} precision@j  /  min(k, |R|);   MAP@k is its mean
 * </pre>
 *
 * <p>Precision divides by {@code k} even when fewer than {@code k} items could be recommended, and a user with an
 * empty list scores 0 on every metric. Catalogue coverage is the share of recommendable items that appear in at
 * least one user's top-k. {@link UserMetrics#of} is the one implementation of the per-user arithmetic: this
 * class's {@link #compute}, {@link Recommender#evaluateRanking} and the examples' {@code score-topn} all use it.
 *
 * @param k the cut-off
 * @param precision mean precision@k
 * @param recall mean recall@k, hits / |R|
 * @param cappedRecall mean recall@k with the denominator capped at k, hits / min(k, |R|)
 * @param ndcg mean NDCG@k (binary relevance)
 * @param hitRate mean HR@k: the share of users with at least one relevant item in their top-k
 * @param map MAP@k, the mean of AP@k
 * @param coverage catalogue coverage, in {@code [0, 1]}
 * @param users the number of users averaged over (those with at least one relevant held-out item)
 * @param skippedUsers users with relevant held-out items that could not be evaluated (unknown to the model under
 *     {@link UnknownIdPolicy#THROW})
 */
public record RankingEvaluation(int k, double precision, double recall, double cappedRecall, double ndcg,
        double hitRate, double map, double coverage, int users, int skippedUsers) {

    /**
     * One user's metrics at a cut-off; see {@link RankingEvaluation} for the formulas.
     *
     * @param hits the number of relevant items in the top-k
     * @param precision precision@k
     * @param recall hits / |R|
     * @param cappedRecall hits / min(k, |R|)
     * @param ndcg NDCG@k
     * @param hit 1 if the top-k holds a relevant item, else 0
     * @param averagePrecision AP@k
     */
    public record UserMetrics(int hits, double precision, double recall, double cappedRecall, double ndcg,
            double hit, double averagePrecision) {

        /**
         * Scores one user's list.
         *
         * @param k the cut-off, at least 1; a longer list is cut to its first {@code k} items
         * @param ranked the recommended item ids, best first (may be empty)
         * @param relevant the relevant held-out item ids, non-empty
         * @return the metrics
         * @throws IllegalArgumentException if {@code k < 1} or {@code relevant} is empty
         */
        public static UserMetrics of(int k, List<String> ranked, Set<String> relevant) {
            requireK(k);
            if (relevant.isEmpty()) {
                throw new IllegalArgumentException("a user needs at least one relevant item to be scored");
            }
            int n = Math.min(k, ranked.size());
            int hits = 0;
            double dcg = 0;
            double precisionSum = 0;
            for (int j = 0; j < n; j++) {
                if (relevant.contains(ranked.get(j))) {
                    hits++;
                    dcg += discount(j);
                    precisionSum += (double) hits / (j + 1);
                }
            }
            int reachable = Math.min(k, relevant.size());
            double idcg = 0;
            for (int j = 0; j < reachable; j++) {
                idcg += discount(j);
            }
            return new UserMetrics(hits, (double) hits / k, (double) hits / relevant.size(),
                    (double) hits / reachable, dcg / idcg, hits > 0 ? 1 : 0, precisionSum / reachable);
        }

        /** The gain of a hit at 0-based position {@code j}: 1 / log2(j + 2). */
        private static double discount(int j) {
            return Math.log(2) / Math.log(j + 2);
        }
    }

    /**
     * Computes the metrics from recommendation lists and relevant sets.
     *
     * @param k the cut-off, at least 1; lists longer than {@code k} are cut
     * @param recommended each user's recommended item ids, best first
     * @param relevant each user's relevant held-out item ids, in the same user order; users with an empty set are
     *     left out of the averages (their lists still count for coverage)
     * @param catalogueSize the number of items that could be recommended, for coverage
     * @return the metrics, {@code skippedUsers} 0
     * @throws IllegalArgumentException if the lists differ in length or {@code k < 1}
     */
    public static RankingEvaluation compute(int k, List<? extends List<String>> recommended,
            List<? extends Collection<String>> relevant, int catalogueSize) {
        requireK(k);
        if (recommended.size() != relevant.size()) {
            throw new IllegalArgumentException("need one relevant set per recommendation list, got "
                    + recommended.size() + " lists and " + relevant.size() + " sets");
        }
        double[] sums = new double[6];
        int users = 0;
        Set<String> shown = new HashSet<>();
        for (int u = 0; u < recommended.size(); u++) {
            List<String> list = recommended.get(u);
            shown.addAll(list.subList(0, Math.min(k, list.size())));
            Collection<String> rel = relevant.get(u);
            if (rel.isEmpty()) {
                continue;
            }
            UserMetrics m = UserMetrics.of(k, list, rel instanceof Set<String> set ? set : new HashSet<>(rel));
            sums[0] += m.precision();
            sums[1] += m.recall();
            sums[2] += m.cappedRecall();
            sums[3] += m.ndcg();
            sums[4] += m.hit();
            sums[5] += m.averagePrecision();
            users++;
        }
        double[] means = new double[sums.length];
        for (int j = 0; j < sums.length; j++) {
            means[j] = users == 0 ? Double.NaN : sums[j] / users;
        }
        return new RankingEvaluation(k, means[0], means[1], means[2], means[3], means[4], means[5],
                catalogueSize == 0 ? Double.NaN : (double) shown.size() / catalogueSize, users, 0);
    }

    /**
     * Returns these metrics with another count of skipped users.
     *
     * @param skipped the users that could not be evaluated
     * @return a copy with {@code skippedUsers} set
     */
    public RankingEvaluation withSkippedUsers(int skipped) {
        return new RankingEvaluation(k, precision, recall, cappedRecall, ndcg, hitRate, map, coverage, users,
                skipped);
    }

    private static void requireK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
    }

    /**
     * Returns every metric on one line, e.g. {@code precision@10 0.2022 recall@10 0.2500 cappedRecall@10 0.2752
     * NDCG@10 0.2755 HR@10 0.8000 MAP@10 0.1500 coverage 0.0590 (590 users)}.
     *
     * @return the metrics
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "precision@%d %.4f recall@%d %.4f cappedRecall@%d %.4f NDCG@%d %.4f"
                + " HR@%d %.4f MAP@%d %.4f coverage %.4f (%d users%s)", k, precision, k, recall, k, cappedRecall,
                k, ndcg, k, hitRate, k, map, coverage, users,
                skippedUsers == 0 ? "" : ", " + skippedUsers + " unknown users skipped");
    }
}
