package org.collab4j.recommend;

import org.collab4j.ann.ApproximateIndex;
import org.collab4j.kernel.Side;
import org.collab4j.kernel.TopK;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * {@link TopN}'s path through an {@link ApproximateIndex}: for one target, ask the index for the best items the
 * target may get — the search walks through the others (the target's training items or history, the request's
 * exclusions and filters, items without training ratings) without keeping them — and rescore what it finds exactly
 * with the {@link Scorer}, so that the scores are the exact path's bits and the order among the items returned is the
 * exact order; only an item the index missed can be missing.
 *
 * <p>The search keeps {@code max(ef, k)} acceptable items and all of them are rescored. When it finds fewer than
 * {@code k} (a filter or candidate list that lets through few items, which the graph's paths seldom reach: a search
 * stops after comparing a sixteenth of the items), it is tried once more keeping {@value #RETRY} times as many; when
 * still fewer, the exact path answers, so the result is then exact.
 */
final class ApproximateTopN {

    static final int RETRY = 4;

    private final ApproximateIndex index;
    private final Scorer scorer;
    private final Catalogue catalogue;
    /** Items served from their features that the graph does not hold as served (scored exactly beside it). */
    private final int[] beside;

    /**
     * @param servedByIndex whether the index was built over the served model's own item table, rows served from
     *     features included (an item side's); otherwise those rows are scored exactly beside the graph
     */
    ApproximateTopN(ApproximateIndex index, Scorer scorer, Catalogue catalogue, boolean servedByIndex) {
        this.index = index;
        this.scorer = scorer;
        this.catalogue = catalogue;
        this.beside = servedByIndex ? TopN.NONE : catalogue.cold(Side.ITEMS);
    }

    /** The target's top {@code k} from the index's candidates, or {@code null} where the exact path must answer. */
    TopN.Ranked select(TopN.Target t, int k) {
        if (!t.modelled()) {
            return null;
        }
        boolean[] known = catalogue.known(Side.ITEMS);
        int[] excluded = t.excluded();
        IntPredicate allowed = t.allowed();
        IntPredicate acceptable = item -> known[item]
                && (t.from() == t.to() || Arrays.binarySearch(excluded, t.from(), t.to(), item) < 0)
                && (allowed == null || allowed.test(item));
        // Items served from their features are not in a graph built for the model given (or are, with the rows they
        // had when it was built): they are scored exactly beside it.
        int[] cold = beside;
        IntPredicate accept = cold.length == 0 ? acceptable
                : item -> acceptable.test(item) && !catalogue.isCold(Side.ITEMS, item);
        float[] row = t.row() != null ? t.row() : scorer.row(t.user());
        int n = Math.max(k, index.getEfSearch());
        for (int attempt = 0; attempt < 2; attempt++, n *= RETRY) {
            int[] candidates = index.search(row, n, accept);
            if (candidates.length >= k) {
                TopK top = new TopK(k, candidates.length);
                for (int item : candidates) {
                    top.offer(raw(t, item), item);
                }
                for (int item : cold) {
                    if (acceptable.test(item)) {
                        top.offer(raw(t, item), item);
                    }
                }
                float[] scores = new float[top.size()];
                int[] best = top.sorted(scores);
                return new TopN.Ranked(best, scores, true);
            }
        }
        return null;
    }

    private float raw(TopN.Target t, int item) {
        return t.row() != null ? scorer.rawFolded(t.row(), item) : scorer.raw(t.user(), item);
    }
}
