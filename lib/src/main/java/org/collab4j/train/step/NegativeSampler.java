package org.collab4j.train.step;

import org.collab4j.train.objective.NegativeSampling;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Draws items on the host, uniformly or in proportion to their training interactions plus one, and knows each
 * item's probability (for the sampled softmax's log-Q correction).
 */
final class NegativeSampler {
    private final int items;
    private final double[] cumulative;
    private final double[] logProbability;

    /**
     * Prepares the distribution.
     *
     * @param items the number of items
     * @param itemOf the item of every training interaction
     * @param sampling the distribution
     */
    NegativeSampler(int items, int[] itemOf, NegativeSampling sampling) {
        this.items = items;
        this.logProbability = new double[items];
        if (sampling == NegativeSampling.UNIFORM) {
            cumulative = null;
            Arrays.fill(logProbability, -Math.log(items));
        } else {
            double[] counts = new double[items];
            Arrays.fill(counts, 1);
            for (int i : itemOf) {
                counts[i]++;
            }
            double total = itemOf.length + (double) items;
            cumulative = new double[items];
            double run = 0;
            for (int i = 0; i < items; i++) {
                run += counts[i] / total;
                cumulative[i] = run;
                logProbability[i] = Math.log(counts[i] / total);
            }
            cumulative[items - 1] = 1.0;
        }
    }

    /**
     * Draws one item.
     *
     * @param random the source
     * @return an item index
     */
    int draw(SplittableRandom random) {
        if (cumulative == null) {
            return random.nextInt(items);
        }
        int at = Arrays.binarySearch(cumulative, random.nextDouble());
        return Math.min(items - 1, at >= 0 ? at : -at - 1);
    }

    /**
     * Returns the log of the probability of drawing an item.
     *
     * @param item the item
     * @return {@code log q_item}
     */
    double logProbability(int item) {
        return logProbability[item];
    }
}
