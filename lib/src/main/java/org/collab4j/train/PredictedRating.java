package org.collab4j.train;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/**
 * A known rating beside the model's prediction for it: a row of {@link CollabLearner#samplePredictions} (fast.ai's
 * {@code learn.show_results()}).
 *
 * @param user the user's original id
 * @param item the item's original id
 * @param actual the rating in the data
 * @param predicted the model's prediction for the pair
 */
public record PredictedRating(String user, String item, float actual, float predicted) {

    /**
     * Draws {@code count} distinct rows out of {@code size}, uniformly and in random order, the same for the same
     * seed; all rows, shuffled, when {@code count >= size}. Costs O(count) for a small sample of a large data set.
     */
    static int[] sampleRows(int size, int count, long seed) {
        Random random = new Random(seed);
        int n = Math.min(size, count);
        int[] rows = new int[n];
        if (2L * n <= size) {
            // Rejection: at most half the rows are taken, so a draw is new with probability at least 1/2.
            Set<Integer> taken = new HashSet<>();
            for (int k = 0; k < n; ) {
                int row = random.nextInt(size);
                if (taken.add(row)) {
                    rows[k++] = row;
                }
            }
            return rows;
        }
        // A partial Fisher-Yates shuffle: size < 2n here, so the index array is as small as the sample.
        int[] all = new int[size];
        for (int k = 0; k < size; k++) {
            all[k] = k;
        }
        for (int k = 0; k < n; k++) {
            int j = k + random.nextInt(size - k);
            int t = all[k];
            all[k] = all[j];
            all[j] = t;
            rows[k] = all[k];
        }
        return rows;
    }
}
