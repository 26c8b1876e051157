package org.collab4j.kernel;

/**
 * The k best (score, index) pairs of a stream, in O(n log k): a min-heap whose root is the worst kept pair. Higher
 * scores are better; among equal scores the lower index wins, so results do not depend on the order of offers.
 * NaN scores are ignored. The one top-k of the library: recommendations, neighbours, bias rankings and the
 * principal components' extremes all keep their best with it.
 */
public final class TopK {

    private final float[] scores;
    private final int[] indices;
    private int size;

    /**
     * Creates an empty selection.
     *
     * @param k how many pairs to keep
     * @param candidates how many pairs can be offered at most: no more than that is allocated, whatever k is
     */
    public TopK(int k, int candidates) {
        scores = new float[Math.min(k, candidates)];
        indices = new int[scores.length];
    }

    /**
     * Offers a pair: kept if it ranks among the k best so far.
     *
     * @param score the score, higher is better; NaN is ignored
     * @param index the index it belongs to
     */
    public void offer(float score, int index) {
        if (Float.isNaN(score) || scores.length == 0) {
            return;
        }
        if (size < scores.length) {
            scores[size] = score;
            indices[size] = index;
            siftUp(size++);
        } else if (worse(scores[0], indices[0], score, index)) {
            scores[0] = score;
            indices[0] = index;
            siftDown(0);
        }
    }

    /** @return how many pairs are kept, at most k */
    public int size() {
        return size;
    }

    /**
     * Returns the kept indices, best first, and leaves their scores in the same order in {@code scoresOut}.
     *
     * @param scoresOut receives the scores, at least {@link #size()} long
     * @return the indices
     */
    public int[] sorted(float[] scoresOut) {
        int[] order = new int[size];
        float[] s = new float[size];
        // Insertion sort: k is small.
        for (int n = 0; n < size; n++) {
            int j = n;
            while (j > 0 && worse(s[j - 1], order[j - 1], scores[n], indices[n])) {
                s[j] = s[j - 1];
                order[j] = order[j - 1];
                j--;
            }
            s[j] = scores[n];
            order[j] = indices[n];
        }
        System.arraycopy(s, 0, scoresOut, 0, size);
        return order;
    }

    /** Whether (aScore, aIndex) ranks below (bScore, bIndex). */
    private static boolean worse(float aScore, int aIndex, float bScore, int bIndex) {
        return aScore < bScore || aScore == bScore && aIndex > bIndex;
    }

    private void siftUp(int n) {
        while (n > 0) {
            int parent = (n - 1) / 2;
            if (!worse(scores[n], indices[n], scores[parent], indices[parent])) {
                return;
            }
            swap(n, parent);
            n = parent;
        }
    }

    private void siftDown(int n) {
        while (true) {
            int left = 2 * n + 1;
            int worst = n;
            if (left < size && worse(scores[left], indices[left], scores[worst], indices[worst])) {
                worst = left;
            }
            if (left + 1 < size && worse(scores[left + 1], indices[left + 1], scores[worst], indices[worst])) {
                worst = left + 1;
            }
            if (worst == n) {
                return;
            }
            swap(n, worst);
            n = worst;
        }
    }

    private void swap(int a, int b) {
        float s = scores[a];
        scores[a] = scores[b];
        scores[b] = s;
        int i = indices[a];
        indices[a] = indices[b];
        indices[b] = i;
    }
}
