package org.collab4j.recommend;

import org.collab4j.io.BlockConfig;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.FactorModel;
import org.collab4j.kernel.FactorTable;
import org.collab4j.kernel.Kernel;
import org.collab4j.kernel.Side;
import org.collab4j.model.YRange;

/**
 * A model's forward pass in plain Java over the model's own weights (not copies), split in two so that ranking can
 * skip the sigmoid: {@link #raw} is the score before the y-range squash, {@link #squash} turns it into the rating.
 * The squash is monotonic, so items rank the same by either. The dot models score through the kernel's factor core
 * ({@link DotScorer}); {@code EmbeddingNet} through {@link NetScorer}; an item-item model (EASE) through
 * {@link ItemItemScorer}. Immutable, hence thread-safe.
 */
abstract class Scorer {

    private final YRange range;

    Scorer(YRange range) {
        this.range = range;
    }

    static Scorer of(TrainedModel model) {
        BlockConfig config = model.getConfig();
        return switch (config.kind()) {
            case EMBEDDING_DOT, EMBEDDING_DOT_BIAS -> new DotScorer(model);
            case EMBEDDING_NET -> new NetScorer(model);
            case ITEM_ITEM -> new ItemItemScorer(model);
        };
    }

    /**
     * Returns the score before the squash.
     *
     * @param user a user index
     * @param item an item index
     * @return the raw score
     */
    abstract float raw(int user, int item);

    /**
     * Fills {@code out[i]} with {@code raw(user, i)} for every item, bit for bit as {@link #raw} computes it.
     *
     * @param user a user index
     * @param out one slot per item
     */
    final void rawAll(int user, float[] out) {
        rawRange(user, 0, out.length, out);
    }

    /**
     * Fills {@code out[i]} with {@code raw(user, i)} for the items {@code [from, to)}, bit for bit.
     *
     * @param user a user index
     * @param from the first item
     * @param to one past the last item
     * @param out one slot per item; only {@code [from, to)} is written
     */
    abstract void rawRange(int user, int from, int to, float[] out);

    /**
     * Returns the raw score of a folded-in user row (not in the model's table) for an item, as {@link #raw} would
     * if the row were the user's.
     *
     * @param row the user's row: factors, then the bias for a model with biases
     * @param item an item index
     * @return the raw score
     */
    abstract float rawFolded(float[] row, int item);

    /**
     * Fills {@code out[i]} with {@code rawFolded(row, i)} for every item, bit for bit.
     *
     * @param row the user's row
     * @param out one slot per item
     */
    final void rawAllFolded(float[] row, float[] out) {
        rawRangeFolded(row, 0, out.length, out);
    }

    /**
     * Fills {@code out[i]} with {@code rawFolded(row, i)} for the items {@code [from, to)}, bit for bit.
     *
     * @param row the user's row
     * @param from the first item
     * @param to one past the last item
     * @param out one slot per item; only {@code [from, to)} is written
     */
    abstract void rawRangeFolded(float[] row, int from, int to, float[] out);

    /**
     * Returns a trained user's row as {@link #rawFolded} takes it, so that {@code rawFolded(row(u), i)} is
     * {@code raw(u, i)} bit for bit.
     *
     * @param user a user index
     * @return a copy of the user's row
     */
    abstract float[] row(int user);

    /** The length of {@link #row}'s rows. */
    abstract int rowWidth();

    /**
     * How many items to score per user before moving to the next user when scoring many users
     * ({@link #rawRange}): a tile of the item table that stays in the core's cache. The whole catalogue unless
     * a scorer gains from tiles.
     */
    int tile() {
        return Integer.MAX_VALUE;
    }

    /** The y-range, or {@code null}. */
    final YRange range() {
        return range;
    }

    /**
     * Squashes a raw score into the y-range as DJL's {@code sigmoidRange} does; the identity without a range.
     *
     * @param raw the raw score
     * @return the predicted rating
     */
    final float squash(float raw) {
        return range == null ? raw : Kernel.sigmoidRange(raw, range.low(), range.high());
    }

    /** The inverse of {@link #squash}, clamped inside the range so that it stays finite. */
    final double unsquash(double rating) {
        if (range == null) {
            return rating;
        }
        double p = (rating - range.low()) / (range.high() - range.low());
        p = Math.min(1 - 1e-6, Math.max(1e-6, p));
        return Math.log(p / (1 - p));
    }

    /**
     * Fills {@code out[u]} with {@code raw(u, item)} for the users {@code [from, to)}, bit for bit: the other
     * direction, for the users to recommend an item to.
     *
     * @param item an item index
     * @param from the first user
     * @param to one past the last user
     * @param out one slot per user; only {@code [from, to)} is written
     */
    void rawUsers(int item, int from, int to, float[] out) {
        for (int u = from; u < to; u++) {
            out[u] = raw(u, item);
        }
    }

    /**
     * {@code EmbeddingDot} and {@code EmbeddingDotBias}: the kernel's {@link FactorModel} over the model's own
     * tables ({@link TrainedModel#factors}), which hold the item columns it scores against, made once.
     */
    static final class DotScorer extends Scorer {

        private final FactorModel model;
        private final FactorTable users;

        DotScorer(TrainedModel trained) {
            super(trained.getConfig().yRange());
            users = trained.factors(Side.USERS);
            model = new FactorModel(users, trained.factors(Side.ITEMS));
        }

        @Override
        float raw(int user, int item) {
            return model.score(user, item);
        }

        @Override
        void rawRange(int user, int from, int to, float[] out) {
            model.scores(Side.USERS, user, from, to, out);
        }

        @Override
        void rawUsers(int item, int from, int to, float[] out) {
            model.scores(Side.ITEMS, item, from, to, out);
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
            float[] row = java.util.Arrays.copyOf(users.row(user), rowWidth());
            if (users.hasBias()) {
                row[model.factors()] = users.bias(user);
            }
            return row;
        }

        @Override
        int rowWidth() {
            return model.hasBiases() ? model.factors() + 1 : model.factors();
        }

        @Override
        int tile() {
            return model.tile();
        }
    }
}
