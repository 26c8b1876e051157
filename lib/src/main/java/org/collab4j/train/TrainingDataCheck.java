package org.collab4j.train;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.YRange;
import org.collab4j.util.Shown;
import org.collab4j.train.objective.Objective;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks a learner makes of its data against its block and objective before anything is trained: errors that
 * would make training fail at once are refused with what to do, mistakes that would only make it poor are logged.
 */
final class TrainingDataCheck {

    /** The learner's logger: these warnings are the learner's, wherever the code that writes them lives. */
    private static final Logger logger = LoggerFactory.getLogger(CollabLearner.class);

    private TrainingDataCheck() {}

    /**
     * Checks the data a learner is built with.
     *
     * @param objective the objective
     * @param block the block, built for the data
     * @param train the training ratings
     * @param valid the validation ratings, or {@code null}
     * @param batchSize the batch size
     * @throws IllegalArgumentException if the objective cannot train the block or data (ranking), or a training
     *     rating is so large that a batch's squared error overflows
     */
    static void check(Objective objective, CollabBlock block, Ratings train, Ratings valid, int batchSize) {
        if (objective.isRanking()) {
            RankingData.checkFits(objective, block, train);
        } else {
            warnOutsideRange(block.getYRange(), train);
        }
        if (valid != null && valid.size() > 0 && new Split(train, valid).knownValidCount() == 0) {
            logger.warn("None of the {} validation ratings has a user and an item with training ratings: validation"
                    + " scores untrained embeddings only. Check that both come from the same dataset.", valid.size());
        }
        int row = objective.isRanking() ? -1 : overflowingRating(train, block.getYRange(), batchSize);
        if (row >= 0) {
            throw new IllegalArgumentException("the training rating " + train.rating(row) + " (user "
                    + Shown.quoted(train.users().id(train.user(row))) + ", item "
                    + Shown.quoted(train.items().id(train.item(row))) + ") is so large that its squared error"
                    + " overflows 32-bit floats: training would fail at once whatever the learning rate. It is a"
                    + " data error: fix the data, or read the file with a rating range"
                    + " (RatingsFormat.Builder.optRatingRange) to find its line");
        }
    }

    /** {@link CollabLearner#overflowingRating}, which documents it. */
    static int overflowingRating(Ratings ratings, YRange range, int batchSize) {
        double reach = range == null ? 0 : Math.max(Math.abs(range.low()), Math.abs(range.high()));
        double limit = Math.sqrt(Float.MAX_VALUE / 4.0 / Math.max(1, Math.min(batchSize, ratings.size()))) - reach;
        if (Math.max(Math.abs(ratings.minRating()), Math.abs(ratings.maxRating())) <= limit) {
            return -1;
        }
        for (int row = 0; row < ratings.size(); row++) {
            if (Math.abs(ratings.rating(row)) > limit) {
                return row;
            }
        }
        return -1;
    }

    private static void warnOutsideRange(YRange range, Ratings ratings) {
        if (range != null && (!range.contains(ratings.minRating()) || !range.contains(ratings.maxRating()))) {
            logger.warn("Ratings span [{}, {}] but the model's y-range is {}: predictions can never reach the"
                    + " ratings outside it. Set the block's y-range to cover the data.",
                    ratings.minRating(), ratings.maxRating(), range);
        }
    }
}
