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
 * history), plus a margin of {@code max(k, }{@value #MIN_MARGIN}{@code )} for what the request's options and the
 * items without training ratings leave out. The exact path answers instead when that would be no cheaper (the
 * request asks for more than 1/{@value #MAX_FRACTION} of the items) and when fewer than {@code k} candidates survive
 * the exclusions (a short candidate list, a filter that rejects most items): then the result is exact.
 */
final class ApproximateTopN {

    static final int MIN_MARGIN = 10;
    static final int MAX_FRACTION = 16;

    private final ApproximateIndex index;
    private final Scorer scorer;
    private final Catalogue catalogue;

    ApproximateTopN(ApproximateIndex index, Scorer scorer, Catalogue catalogue) {
        this.index = index;
        this.scorer = scorer;
        this.catalogue = catalogue;
    }

    /** The target's top {@code k} from the index's candidates, or {@code null} where the exact path must answer. */
    TopN.Ranked select(TopN.Target t, int k) {
        int items = catalogue.ids(Side.ITEMS).size();
        long wanted = (long) k + (t.to() - t.from()) + Math.max(k, MIN_MARGIN);
        if (!t.modelled() || wanted * MAX_FRACTION > items) {
            return null;
        }
        float[] row = t.row() != null ? t.row() : scorer.row(t.user());
        int[] candidates = index.search(row, (int) wanted);
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
