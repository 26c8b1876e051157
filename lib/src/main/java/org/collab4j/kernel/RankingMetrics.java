package org.collab4j.kernel;

import java.util.Arrays;

/**
 * One ranked list's quality against its relevant items, by index: the one implementation of the ranking metrics,
 * behind the training's epoch table (the ranking probe), {@code Recommender.evaluateRanking} and
 * {@code RankingEvaluation} (hence {@code evaluate-ranking} and {@code score-topn}).
 *
 * <p>For a list {@code r_1..r_k} and relevant items {@code R} (non-empty), with {@code hits = |top-k ∩ R|}:
 *
 * <pre>
 * precision@k     = hits / k
 * recall@k        = hits / |R|                (share of the relevant items found)
 * cappedRecall@k  = hits / min(k, |R|)        (share of what a list of k could find; 1 for a perfect list)
 * NDCG@k          = Σ_{j: r_j ∈ R} 1/log2(j+1)  /  Σ_{j=1..min(|R|,k)} 1/log2(j+1)
 * HR@k            = 1 if hits &gt; 0, else 0     (hit rate)
 * AP@k            = Σ_{j: r_j ∈ R} precision@j  /  min(k, |R|)
 * </pre>
 *
 * <p>Precision divides by {@code k} even when the list is shorter, and an empty list scores 0 on every metric.
 * The two recalls have these two names everywhere (the epoch table shows {@code cappedRecall@k}).
 *
 * @param hits the number of relevant items in the top-k
 * @param precision precision@k
 * @param recall hits / |R|
 * @param cappedRecall hits / min(k, |R|)
 * @param ndcg NDCG@k (binary relevance)
 * @param hit 1 if the top-k holds a relevant item, else 0
 * @param averagePrecision AP@k
 */
public record RankingMetrics(int hits, double precision, double recall, double cappedRecall, double ndcg,
        double hit, double averagePrecision) {

    /**
     * Scores one list.
     *
     * @param k the cut-off, at least 1; a longer list is cut to its first {@code k} items
     * @param ranked the list, best first: {@code ranked[0 .. length)}
     * @param length how many of {@code ranked} are the list
     * @param relevant the relevant items, ascending and distinct, at least one (an item that cannot appear in a
     *     list, e.g. one the model does not know, still counts: give it an index no list holds, such as a negative)
     * @return the metrics
     * @throws IllegalArgumentException if {@code k < 1} or {@code relevant} is empty
     */
    public static RankingMetrics of(int k, int[] ranked, int length, int[] relevant) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (relevant.length == 0) {
            throw new IllegalArgumentException("a user needs at least one relevant item to be scored");
        }
        int n = Math.min(k, length);
        int hits = 0;
        double dcg = 0;
        double precisionSum = 0;
        for (int j = 0; j < n; j++) {
            if (Arrays.binarySearch(relevant, ranked[j]) >= 0) {
                hits++;
                dcg += discount(j);
                precisionSum += (double) hits / (j + 1);
            }
        }
        int reachable = Math.min(k, relevant.length);
        double idcg = 0;
        for (int j = 0; j < reachable; j++) {
            idcg += discount(j);
        }
        return new RankingMetrics(hits, (double) hits / k, (double) hits / relevant.length,
                (double) hits / reachable, dcg / idcg, hits > 0 ? 1 : 0, precisionSum / reachable);
    }

    /** The gain of a hit at 0-based position {@code j}: 1 / log2(j + 2). */
    private static double discount(int j) {
        return Math.log(2) / Math.log(j + 2);
    }

    /** The means of {@link RankingMetrics} over lists, summed in the order they are added. */
    public static final class Mean {

        private final double[] sums = new double[6];
        private int count;

        /**
         * Adds one list's metrics.
         *
         * @param m the metrics
         */
        public void add(RankingMetrics m) {
            sums[0] += m.precision();
            sums[1] += m.recall();
            sums[2] += m.cappedRecall();
            sums[3] += m.ndcg();
            sums[4] += m.hit();
            sums[5] += m.averagePrecision();
            count++;
        }

        /** @return how many lists were added */
        public int count() {
            return count;
        }

        private double mean(int j) {
            return count == 0 ? Double.NaN : sums[j] / count;
        }

        /** @return mean precision@k, NaN without lists */
        public double precision() {
            return mean(0);
        }

        /** @return mean recall@k (hits / |R|), NaN without lists */
        public double recall() {
            return mean(1);
        }

        /** @return mean cappedRecall@k (hits / min(k, |R|)), NaN without lists */
        public double cappedRecall() {
            return mean(2);
        }

        /** @return mean NDCG@k, NaN without lists */
        public double ndcg() {
            return mean(3);
        }

        /** @return mean HR@k, NaN without lists */
        public double hitRate() {
            return mean(4);
        }

        /** @return MAP@k, NaN without lists */
        public double map() {
            return mean(5);
        }
    }
}
