package org.collab4j.kernel;

import java.util.function.IntPredicate;

/**
 * One query's top-k with exclusions: its scores are offered a range of candidates at a time, in ascending index
 * order ({@link FactorModel#scores} fills a range), and a candidate is left out when it is in the query's exclusion
 * list (a user's training items, the items of a history; ascending), not eligible (an item without training
 * ratings) or not allowed (outside a candidate list, excluded by a request). The one top-N selection of the
 * library: a single user is a batch of one, many users score a tile of items each before the next tile, a user row
 * cut from the model for another JVM and the training's ranking probe all select with it.
 *
 * <p>The result does not depend on how the candidates are cut into ranges: each offer is {@link TopK}'s, whose
 * result does not depend on the order of offers.
 */
public final class TopKSelection {

    private final TopK top;
    private final int[] excluded;
    /** Where the walk through the exclusion list stands: it moves along with the ascending candidates. */
    private int next;
    private final int end;
    private final boolean[] eligible;
    private final IntPredicate allowed;

    /**
     * Starts a selection.
     *
     * @param k how many to keep, at least 1
     * @param candidates how many candidates there are (no more than that is allocated, whatever k is)
     * @param excluded the exclusion list: {@code excluded[from .. to)}, ascending; {@code null} for none
     * @param from where the list starts
     * @param to where it ends
     * @param eligible whether each candidate may be selected at all, or {@code null} for every one
     * @param allowed a further test, or {@code null} for none
     */
    public TopKSelection(int k, int candidates, int[] excluded, int from, int to, boolean[] eligible,
            IntPredicate allowed) {
        this.top = new TopK(k, candidates);
        this.excluded = excluded;
        this.next = excluded == null ? 0 : from;
        this.end = excluded == null ? 0 : to;
        this.eligible = eligible;
        this.allowed = allowed;
    }

    /**
     * Offers the scores of candidates {@code [from, to)}; ranges must come in ascending order and not overlap.
     *
     * @param scores the scores, indexed by candidate
     * @param from the first candidate
     * @param to one past the last candidate
     */
    public void offer(float[] scores, int from, int to) {
        for (int c = from; c < to; c++) {
            while (next < end && excluded[next] < c) {
                next++;
            }
            if (next < end && excluded[next] == c || eligible != null && !eligible[c]
                    || allowed != null && !allowed.test(c)) {
                continue;
            }
            top.offer(scores[c], c);
        }
    }

    /** @return how many candidates are kept, at most k */
    public int size() {
        return top.size();
    }

    /**
     * Returns the kept candidates, best first, and leaves their scores in the same order in {@code scoresOut}.
     *
     * @param scoresOut receives the scores, at least {@link #size()} long
     * @return the candidates
     */
    public int[] sorted(float[] scoresOut) {
        return top.sorted(scoresOut);
    }
}
