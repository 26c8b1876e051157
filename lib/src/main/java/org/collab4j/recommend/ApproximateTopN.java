package org.collab4j.recommend;

import org.collab4j.ann.ApproximateIndex;
import org.collab4j.kernel.Side;
import org.collab4j.kernel.TopK;

/**
 * {@link TopN}'s path through an {@link ApproximateIndex}: for one target, ask the index for the items likely to
 * score best, leave out what the target leaves out, and rescore the rest exactly with the {@link Scorer}, so that
 * the scores are the exact path's bits and the order among the items returned is the exact order; only an item the
 * index missed can be missing.
 *
 * <p>The index is asked for {@code k} items plus as many as the target excludes by list (its training items or
 * history), plus a margin of {@code max(k, }{@value #MIN_MARGIN}{@code )} for what the request's options leave out,
 * all divided by the share of the items that have training ratings (the others are never listed). When fewer than
 * {@code k} candidates survive the exclusions (a filter that rejects most items), it is asked once more for
 * {@value #RETRY} times as many. The exact path answers instead when a request would ask for more than
 * 1/{@value #MAX_FRACTION} of the items (no cheaper than scoring them all) and when still fewer than {@code k}
 * survive (a short candidate list): then the result is exact.
 */
final class ApproximateTopN {

    static final int MIN_MARGIN = 10;
    static final int MAX_FRACTION = 16;
    static final int RETRY = 4;

    private final ApproximateIndex index;
    private final Scorer scorer;
    private final Catalogue catalogue;
    /** The items with training ratings: the index's candidates include the others, which are never listed. */
    private final int knownItems;

    ApproximateTopN(ApproximateIndex index, Scorer scorer, Catalogue catalogue) {
        this.index = index;
        this.scorer = scorer;
        this.catalogue = catalogue;
        int known = 0;
        for (boolean k : catalogue.known(Side.ITEMS)) {
            known += k ? 1 : 0;
        }
        this.knownItems = known;
    }

    /** The target's top {@code k} from the index's candidates, or {@code null} where the exact path must answer. */
    TopN.Ranked select(TopN.Target t, int k) {
        if (!t.modelled() || knownItems == 0) {
            return null;
        }
        int items = catalogue.ids(Side.ITEMS).size();
        long wanted = ((long) k + (t.to() - t.from()) + Math.max(k, MIN_MARGIN)) * items / knownItems;
        float[] row = t.row() != null ? t.row() : scorer.row(t.user());
        for (int attempt = 0; attempt < 2 && wanted * MAX_FRACTION <= items; attempt++, wanted *= RETRY) {
            TopN.Ranked ranked = select(t, k, row, index.search(row, (int) wanted));
            if (ranked != null) {
                return ranked;
            }
        }
        return null;
    }

    /** The best {@code k} of the candidates, rescored; {@code null} if fewer than {@code k} survive. */
    private TopN.Ranked select(TopN.Target t, int k, float[] row, int[] candidates) {
        boolean[] known = catalogue.known(Side.ITEMS);
        TopK top = new TopK(k, candidates.length);
        int kept = 0;
        for (int item : candidates) {
            if (!known[item] || java.util.Arrays.binarySearch(t.excluded(), t.from(), t.to(), item) >= 0
                    || t.allowed() != null && !t.allowed().test(item)) {
                continue;
            }
            top.offer(t.row() != null ? scorer.rawFolded(t.row(), item) : scorer.raw(t.user(), item), item);
            kept++;
        }
        if (kept < k) {
            return null;
        }
        float[] scores = new float[top.size()];
        int[] best = top.sorted(scores);
        return new TopN.Ranked(best, scores, true);
    }
}
