package org.collab4j.recommend;

import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.ItemItemModel;

/**
 * An item-item model (EASE) through the kernel's {@link ItemItemModel}: a user's row is their history over the
 * items (its weights, 0 elsewhere), and a score the sum of the item-item matrix's rows that history selects. No
 * y-range: the raw score is the score. A new user's row is their history itself (EASE's fold-in, no solve).
 * Immutable, hence thread-safe.
 */
final class ItemItemScorer extends Scorer {

    private final ItemItemModel model;

    ItemItemScorer(TrainedModel trained) {
        super(null);
        model = trained.itemItem().orElseThrow();
    }

    @Override
    float raw(int user, int item) {
        return model.score(user, item);
    }

    @Override
    void rawRange(int user, int from, int to, float[] out) {
        model.scores(user, from, to, out);
    }

    @Override
    float rawFolded(float[] row, int item) {
        return model.score(row, item);
    }

    @Override
    void rawRangeFolded(float[] row, int from, int to, float[] out) {
        model.scores(row, from, to, out);
    }

    @Override
    float[] row(int user) {
        return model.row(user);
    }

    @Override
    int rowWidth() {
        return model.items();
    }

    /**
     * A new user's row: 1 for each item of their history (the weight a positive had in training), 0 elsewhere.
     *
     * @param items the history's item indices, each in range
     * @return the row
     */
    float[] historyRow(int[] items) {
        float[] row = new float[model.items()];
        for (int i : items) {
            row[i] = 1f;
        }
        return row;
    }

    /** The model, for similar items (the rows of its matrix). */
    ItemItemModel model() {
        return model;
    }
}
