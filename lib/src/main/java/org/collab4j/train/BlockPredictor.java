package org.collab4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;

import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.recommend.Evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores a block's current weights through its own forward (without gradients): predictions for pairs of ids or
 * indices, the errors on a set of ratings, and a sample of ratings beside their predictions. The learner's
 * {@code predict}, {@code evaluate} and {@code samplePredictions} are this class; the epoch table's validation
 * columns come from {@link #evaluate}.
 *
 * <p>Work is done in chunks of {@value #CHUNK} pairs, each in a scope closed at its end, so scoring millions of
 * ratings holds one chunk's arrays at a time.
 */
final class BlockPredictor {

    private static final int CHUNK = 65_536;

    private final CollabBlock block;
    private final ParameterStore parameterStore;
    private final NDManager manager;
    private final IdMap users;
    private final IdMap items;

    /**
     * Scores a block.
     *
     * @param block the block
     * @param parameterStore the parameter store its forward reads
     * @param manager the manager each chunk's arrays come from (a sub-manager each)
     * @param users the user ids of the block's rows
     * @param items the item ids of the block's rows
     */
    BlockPredictor(CollabBlock block, ParameterStore parameterStore, NDManager manager, IdMap users, IdMap items) {
        this.block = block;
        this.parameterStore = parameterStore;
        this.manager = manager;
        this.users = users;
        this.items = items;
    }

    /** MSE, RMSE and MAE on ratings indexed by the block's id maps ({@link CollabLearner#evaluate}). */
    Evaluation evaluate(Ratings ratings) {
        requireSameIds(ratings, "ratings to evaluate");
        int[] u = ratings.userIndices();
        int[] i = ratings.itemIndices();
        float[] r = ratings.ratingValues();
        double sumSq = 0;
        double sumAbs = 0;
        for (int from = 0; from < u.length; from += CHUNK) {
            int to = Math.min(u.length, from + CHUNK);
            try (NDScope scope = new NDScope(); NDManager chunk = manager.newSubManager()) {
                scope.suppressNotUsedWarning();
                NDArray pred = forward(chunk, slice(u, from, to), slice(i, from, to));
                NDArray err = pred.sub(chunk.create(Arrays.copyOfRange(r, from, to)));
                sumSq += err.square().sum().getFloat();
                sumAbs += err.abs().sum().getFloat();
            }
        }
        long count = u.length;
        double mse = count == 0 ? Double.NaN : sumSq / count;
        return new Evaluation(mse, Math.sqrt(mse), count == 0 ? Double.NaN : sumAbs / count, count);
    }

    /** A seeded sample of ratings beside their predictions ({@link CollabLearner#samplePredictions}). */
    List<PredictedRating> samplePredictions(Ratings ratings, int count, long seed) {
        requireSameIds(ratings, "ratings to sample");
        if (count < 0) {
            throw new IllegalArgumentException("count must be 0 or more, got " + count);
        }
        int[] rows = PredictedRating.sampleRows(ratings.size(), count, seed);
        int[] u = new int[rows.length];
        int[] i = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            u[k] = ratings.user(rows[k]);
            i[k] = ratings.item(rows[k]);
        }
        float[] predicted = predictIndices(u, i);
        List<PredictedRating> result = new ArrayList<>(rows.length);
        for (int k = 0; k < rows.length; k++) {
            result.add(new PredictedRating(ratings.users().id(u[k]), ratings.items().id(i[k]),
                    ratings.rating(rows[k]), predicted[k]));
        }
        return result;
    }

    /** Predictions for pairs of original ids ({@link CollabLearner#predict(List, List)}). */
    float[] predict(List<String> userIds, List<String> itemIds) {
        if (userIds.size() != itemIds.size()) {
            throw new IllegalArgumentException("predict needs as many user ids as item ids, got "
                    + userIds.size() + " and " + itemIds.size());
        }
        int[] u = indices(users, userIds, "user");
        int[] i = indices(items, itemIds, "item");
        return predictIndices(u, i);
    }

    /** Predictions for pairs of row indices ({@link CollabLearner#predictIndices}). */
    float[] predictIndices(int[] userIndices, int[] itemIndices) {
        float[] result = new float[userIndices.length];
        for (int from = 0; from < userIndices.length; from += CHUNK) {
            int to = Math.min(userIndices.length, from + CHUNK);
            try (NDScope scope = new NDScope(); NDManager chunk = manager.newSubManager()) {
                scope.suppressNotUsedWarning();
                float[] part = forward(chunk, slice(userIndices, from, to), slice(itemIndices, from, to))
                        .toFloatArray();
                System.arraycopy(part, 0, result, from, part.length);
            }
        }
        return result;
    }

    private NDArray forward(NDManager chunk, long[] userRows, long[] itemRows) {
        return block.forward(parameterStore, new NDList(chunk.create(userRows), chunk.create(itemRows)), false)
                .head();
    }

    private static int[] indices(IdMap map, List<String> ids, String kind) {
        int[] result = new int[ids.size()];
        for (int k = 0; k < result.length; k++) {
            int index = map.indexOf(ids.get(k));
            if (index < 0) {
                throw new IllegalArgumentException("Unknown " + kind + " id '" + ids.get(k)
                        + "': the model was trained on " + map.size() + " " + kind
                        + "s and this one was not among them");
            }
            result[k] = index;
        }
        return result;
    }

    private void requireSameIds(Ratings ratings, String what) {
        if (ratings.users() != users && !ratings.users().equals(users)
                || ratings.items() != items && !ratings.items().equals(items)) {
            throw new IllegalArgumentException("The " + what + " use other user/item id maps than the training"
                    + " data: take both from one Split, or call ratings.reindex(learner.users(), learner.items())");
        }
    }

    private static long[] slice(int[] values, int from, int to) {
        long[] result = new long[to - from];
        for (int k = from; k < to; k++) {
            result[k - from] = values[k];
        }
        return result;
    }
}
