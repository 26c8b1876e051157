package org.collab4j.recommend;

import org.collab4j.kernel.RankingMetrics;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * least one user's top-k. The per-user arithmetic is the kernel's {@link RankingMetrics}, over item indices: the
 * one implementation behind this class's {@link #compute} (the examples' {@code score-topn}),
 * {@link Recommender#evaluateRanking} and the training's epoch table. The two recalls have these names everywhere:
 * {@code recall} is hits / |R|, {@code cappedRecall} hits / min(k, |R|).
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
            Map<String, Integer> index = new HashMap<>();
            RankingMetrics m = metrics(k, ranked, relevant, index);
            return new UserMetrics(m.hits(), m.precision(), m.recall(), m.cappedRecall(), m.ndcg(), m.hit(),
                    m.averagePrecision());
        }
    }

    /** One list's metrics by index: {@code index} numbers the ids as they are first seen, across calls. */
    private static RankingMetrics metrics(int k, List<String> ranked, Collection<String> relevant,
            Map<String, Integer> index) {
        int[] rows = new int[relevant.size()];
        int n = 0;
        for (String id : relevant) {
            rows[n++] = index.computeIfAbsent(id, x -> index.size());
        }
        rows = Arrays.stream(rows).sorted().distinct().toArray();
        int[] list = new int[Math.min(k, ranked.size())];
        for (int j = 0; j < list.length; j++) {
            list[j] = index.computeIfAbsent(ranked.get(j), x -> index.size());
        }
        return RankingMetrics.of(k, list, list.length, rows);
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
        RankingMetrics.Mean mean = new RankingMetrics.Mean();
        Map<String, Integer> index = new HashMap<>();
        Set<String> shown = new HashSet<>();
        for (int u = 0; u < recommended.size(); u++) {
            List<String> list = recommended.get(u);
            shown.addAll(list.subList(0, Math.min(k, list.size())));
            if (!relevant.get(u).isEmpty()) {
                mean.add(metrics(k, list, relevant.get(u), index));
            }
        }
        return of(k, mean, catalogueSize == 0 ? Double.NaN : (double) shown.size() / catalogueSize, 0);
    }

    /**
     * The evaluation of lists scored one by one.
     *
     * @param k the cut-off
     * @param mean the users' metrics
     * @param coverage the catalogue coverage
     * @param skipped the users that could not be evaluated
     * @return the evaluation
     */
    static RankingEvaluation of(int k, RankingMetrics.Mean mean, double coverage, int skipped) {
        return new RankingEvaluation(k, mean.precision(), mean.recall(), mean.cappedRecall(), mean.ndcg(),
                mean.hitRate(), mean.map(), coverage, mean.count(), skipped);
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
