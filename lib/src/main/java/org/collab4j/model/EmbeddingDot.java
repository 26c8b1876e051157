package org.collab4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import org.collab4j.kernel.ParameterNames;

/**
 * The simplest collaborative-filtering model: the dot product of a user's and an item's factors, squashed into a
 * y-range as in fastbook's {@code DotProduct}: {@code r(u, i) = sigmoid(U[u] · I[i]) * (high - low) + low}, or the
 * bare {@code U[u] · I[i]} when the y-range is {@code null}.
 *
 * <p>Without the range an item that training never saw (or barely saw) is predicted near 0 stars, which on
 * MovieLens makes the model worse than predicting the mean rating; with it such an item starts at the middle of
 * the range.
 *
 * <p>Parameters: {@code userFactors} {@code (numUsers, factors)}, {@code itemFactors} {@code (numItems, factors)}.
 */
public class EmbeddingDot extends CollabBlock {

    private static final byte VERSION = 1;

    private final int factors;
    private final YRange yRange;
    private final Parameter userFactors;
    private final Parameter itemFactors;

    EmbeddingDot(Builder builder) {
        super(VERSION, builder);
        factors = builder.factors;
        yRange = builder.yRange;
        userFactors = addUserTable(ParameterNames.USER_FACTORS, factors, builder.initializer);
        itemFactors = addItemTable(ParameterNames.ITEM_FACTORS, factors, builder.initializer);
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the number of factors per user and per item.
     *
     * @return the number of factors
     */
    public int getFactors() {
        return factors;
    }

    /** {@inheritDoc} */
    @Override
    public YRange getYRange() {
        return yRange;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray users = inputs.get(0);
        NDArray items = inputs.get(1);
        NDArray u = lookup(store.getValue(userFactors, users.getDevice(), training), users);
        NDArray i = lookup(store.getValue(itemFactors, items.getDevice(), training), items);
        NDArray dot = u.mul(i).sum(new int[] {1});
        return new NDList(yRange == null ? dot : sigmoidRange(store, dot, yRange));
    }

    @Override
    public String toString() {
        return "EmbeddingDot(users=" + getNumUsers() + ", items=" + getNumItems() + ", factors=" + factors
                + ", yRange=" + yRange + ")";
    }

    /** Builds an {@link EmbeddingDot}. */
    public static final class Builder extends BaseBuilder<Builder> {

        int factors = 50;
        YRange yRange = YRange.MOVIELENS;

        Builder() {}

        /**
         * Sets the range predictions are squashed into (default {@link YRange#MOVIELENS}, {@code (0, 5.5)}), or
         * {@code null} for the bare, unbounded dot product.
         *
         * @param yRange the range, or {@code null}
         * @return this builder
         */
        @Override
        public Builder optYRange(YRange yRange) {
            this.yRange = yRange;
            return this;
        }

        /**
         * Sets the number of factors per user and per item (default 50).
         *
         * @param factors the number of factors, at least 1
         * @return this builder
         */
        @Override
        public Builder optFactors(int factors) {
            this.factors = factors;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** {@inheritDoc} */
        @Override
        public EmbeddingDot build() {
            validate();
            requirePositive("factors", factors, "optFactors(50) is the default, 10 to 200 are typical");
            return new EmbeddingDot(this);
        }
    }
}
