package org.collab4j.recommend;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How well top-k recommendations find held-out items a user liked, averaged over users.
 *
 * <p>For one user with recommendations {@code r_1..r_k} and relevant held-out items {@code R} (non-empty):
 *
 * <pre>
 * precision@k = |top-k ∩ R| / k
 * recall@k    = |top-k ∩ R| / |R|
 * NDCG@k      = Σ_{j: r_j ∈ R} 1/log2(j+1)  /  Σ_{j=1..min(|R|,k)} 1/log2(j+1)
 * </pre>
 *
 * <p>Precision divides by {@code k} even when fewer than {@code k} items could be recommended. Catalogue coverage
 * is the share of recommendable items that appear in at least one user's top-k.
 *
 * @param k the cut-off
 * @param precision mean precision@k
 * @param recall mean recall@k
 * @param ndcg mean NDCG@k (binary relevance)
 * @param coverage catalogue coverage, in {@code [0, 1]}
 * @param users the number of users averaged over (those with at least one relevant held-out item)
 * @param skippedUsers users with relevant held-out items that could not be evaluated (unknown to the model under
 *     {@link UnknownIdPolicy#THROW})
 */
public record RankingEvaluation(int k, double precision, double recall, double ndcg, double coverage, int users,
        int skippedUsers) {

    /**
     * Computes the metrics from recommendation lists and relevant sets.
     *
     * @param k the cut-off, at least 1; lists longer than {@code k} are cut
     * @param recommended each user's recommended item ids, best first
     * @param relevant each user's relevant held-out item ids, in the same user order; users with an empty set are
     *     left out of the averages
     * @param catalogueSize the number of items that could be recommended, for coverage
     * @return the metrics, {@code skippedUsers} 0
     * @throws IllegalArgumentException if the lists differ in length or {@code k < 1}
     */
    public static RankingEvaluation compute(int k, List<? extends List<String>> recommended,
            List<? extends Collection<String>> relevant, int catalogueSize) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (recommended.size() != relevant.size()) {
            throw new IllegalArgumentException("need one relevant set per recommendation list, got "
                    + recommended.size() + " lists and " + relevant.size() + " sets");
        }
        double precision = 0;
        double recall = 0;
        double ndcg = 0;
        int users = 0;
        Set<String> shown = new HashSet<>();
        for (int u = 0; u < recommended.size(); u++) {
            List<String> top = recommended.get(u).subList(0, Math.min(k, recommended.get(u).size()));
            shown.addAll(top);
            Collection<String> rel = relevant.get(u);
            if (rel.isEmpty()) {
                continue;
            }
            Set<String> relSet = rel instanceof Set ? (Set<String>) rel : new HashSet<>(rel);
            int hits = 0;
            double dcg = 0;
            for (int j = 0; j < top.size(); j++) {
                if (relSet.contains(top.get(j))) {
                    hits++;
                    dcg += 1 / log2(j + 2);
                }
            }
            double idcg = 0;
            for (int j = 0; j < Math.min(relSet.size(), k); j++) {
                idcg += 1 / log2(j + 2);
            }
            precision += (double) hits / k;
            recall += (double) hits / relSet.size();
            ndcg += dcg / idcg;
            users++;
        }
        return new RankingEvaluation(k, users == 0 ? Double.NaN : precision / users,
                users == 0 ? Double.NaN : recall / users, users == 0 ? Double.NaN : ndcg / users,
                catalogueSize == 0 ? Double.NaN : (double) shown.size() / catalogueSize, users, 0);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "precision@%d %.4f recall@%d %.4f NDCG@%d %.4f coverage %.4f (%d users%s)",
                k, precision, k, recall, k, ndcg, coverage, users,
                skippedUsers == 0 ? "" : ", " + skippedUsers + " unknown users skipped");
    }
}
