package org.collab4j.train;

import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.Ials;

/** The checks a ranking objective makes of its block and data before anything is trained. */
final class RankingData {

    private RankingData() {}

    /**
     * Refuses a block or data that the objective cannot train.
     *
     * @throws IllegalArgumentException naming what does not fit and what to do
     */
    static void checkFits(Objective objective, CollabBlock block, Ratings train) {
        String loss = objective.name();
        if (block.getClass() != EmbeddingDot.class && block.getClass() != EmbeddingDotBias.class) {
            throw new IllegalArgumentException("the " + loss + " loss trains EmbeddingDot and EmbeddingDotBias,"
                    + " not " + block.getClass().getSimpleName() + ": choose one of those blocks, or the mse loss");
        }
        if (block.getYRange() != null) {
            throw new IllegalArgumentException("the " + loss + " loss ranks items by raw scores, but the block"
                    + " squashes them into the y-range " + block.getYRange() + ": build the block with"
                    + " optYRange(null)");
        }
        if (objective instanceof Ials && block.getClass() != EmbeddingDot.class) {
            throw new IllegalArgumentException("the ials loss trains EmbeddingDot (factors only), not "
                    + block.getClass().getSimpleName() + ": use EmbeddingDot.builder().optYRange(null), or the bpr"
                    + " or softmax loss for a block with biases");
        }
        float min = Float.POSITIVE_INFINITY;
        for (float v : train.ratingValues()) {
            min = Float.isNaN(v) ? Float.NaN : Math.min(min, v);
            if (Float.isNaN(min)) {
                break;
            }
        }
        if (!(min > 0) || !Float.isFinite(train.maxRating())) {
            throw new IllegalArgumentException("the " + loss + " loss reads each training row's value as the"
                    + " interaction's weight, which must be finite and > 0, but the values span [" + min + ", "
                    + train.maxRating() + "]: drop the rows with zero, negative or NaN weights, or turn ratings"
                    + " into positives with a threshold");
        }
    }
}
