package org.collab4j.recommend;

import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Neighbours;
import org.collab4j.kernel.Side;
import org.collab4j.kernel.TopK;

import java.util.List;

/**
 * Similar users and similar items, written once for both sides: the kernel's {@link Neighbours} (cosine similarity)
 * over the model's own table of the side, among the rows with enough training ratings (at least one: known).
 */
final class Similarity {

    private final TrainedModel model;
    private final Catalogue catalogue;
    private final FoldIns foldIns;

    Similarity(TrainedModel model, Catalogue catalogue, FoldIns foldIns) {
        this.model = model;
        this.catalogue = catalogue;
        this.foldIns = foldIns;
    }

    /**
     * The items most similar to an item that may be absent from the model: its trained row when it is known, else
     * (under FOLD_IN only) a row folded in from its raters.
     */
    List<ScoredId> similarItem(String itemId, RatingHistory raters, int k, int minRatings) {
        int i = catalogue.knownIndex(Side.ITEMS, itemId);
        if (i >= 0 && catalogue.isCold(Side.ITEMS, i)) {
            // An item served from its features, with raters: folded in from them toward its feature row.
            float[] row = foldIns.foldInToward(Side.ITEMS, raters, i);
            return row == null ? similar(Side.ITEMS, i, k, minRatings)
                    : scored(Side.ITEMS, Neighbours.of(model.factors(Side.ITEMS), row, k,
                            r -> r != i && candidate(Side.ITEMS, r, minRatings)));
        }
        if (i >= 0) {
            return similar(Side.ITEMS, i, k, minRatings);
        }
        if (catalogue.policy() != UnknownIdPolicy.FOLD_IN) {
            throw catalogue.unknown(Side.ITEMS, itemId, false, "Build the Recommender with"
                    + " optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN) to fold the item in from its raters.");
        }
        return similar(Side.ITEMS, foldIns.foldIn(Side.ITEMS, raters), k, minRatings);
    }

    /** The rows most similar to a known row of the side, the row itself left out. */
    List<ScoredId> similar(Side side, int row, int k, int minRatings) {
        if (model.itemItem().isPresent()) {
            return itemItemSimilar(side, row, k, minRatings);
        }
        return scored(side, Neighbours.of(model.factors(side), row, k,
                r -> r != row && candidate(side, r, minRatings)));
    }

    /**
     * An item-item model's similar items: the items a user with this one item in their history would be
     * recommended, best first (row {@code i} of the matrix {@code B}, scored by {@code B[i, j]}). It has no user
     * vectors to compare.
     */
    private List<ScoredId> itemItemSimilar(Side side, int row, int k, int minRatings) {
        if (side != Side.ITEMS) {
            throw new IllegalStateException("an item-item model (EASE) has no user vectors to compare: similar users"
                    + " need a factor model (iALS, BPR, softmax)");
        }
        var itemItem = model.itemItem().orElseThrow();
        int n = itemItem.items();
        float[] weights = new float[n];
        itemItem.matrixRow(row, weights);
        TopK top = new TopK(k, n);
        for (int j = 0; j < n; j++) {
            if (j != row && catalogue.count(side, j) >= minRatings) {
                top.offer(weights[j], j);
            }
        }
        return scored(side, top);
    }

    /** The known rows of the side most similar to a row from elsewhere (e.g. an item folded in). */
    List<ScoredId> similar(Side side, float[] query, int k, int minRatings) {
        return scored(side, Neighbours.of(model.factors(side), query, k, r -> candidate(side, r, minRatings)));
    }

    /**
     * Rows with {@code minRatings} training ratings; rows served from their features (none) only when any known row
     * is asked for ({@code minRatings} 1).
     */
    private boolean candidate(Side side, int r, int minRatings) {
        return catalogue.count(side, r) >= minRatings || minRatings <= 1 && catalogue.isCold(side, r);
    }

    private List<ScoredId> scored(Side side, TopK top) {
        float[] scores = new float[top.size()];
        int[] best = top.sorted(scores);
        return catalogue.scored(side, best, scores, s -> s);
    }
}
