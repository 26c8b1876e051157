package org.collab4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The simplest collaborative-filtering model: the prediction is the dot product of a user's and an item's factors,
 * {@code r(u, i) = U[u] · I[i]}, with no bias and no range.
 *
 * <p>Parameters: {@code userFactors} {@code (numUsers, factors)}, {@code itemFactors} {@code (numItems, factors)}.
 */
public class EmbeddingDot extends CollabBlock {

    private static final byte VERSION = 1;

    private final int factors;
    private final Parameter userFactors;
    private final Parameter itemFactors;

    EmbeddingDot(Builder builder) {
        super(VERSION, builder);
        factors = builder.factors;
        userFactors = addTable("userFactors", getNumUsers(), factors, builder.initializer);
        itemFactors = addTable("itemFactors", getNumItems(), factors, builder.initializer);
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

    /**
     * Returns {@code null}: a plain dot product is unbounded.
     *
     * @return {@code null}
     */
    @Override
    public YRange getYRange() {
        return null;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray users = inputs.get(0);
        NDArray items = inputs.get(1);
        NDArray u = lookup(store.getValue(userFactors, users.getDevice(), training), users);
        NDArray i = lookup(store.getValue(itemFactors, items.getDevice(), training), items);
        return new NDList(u.mul(i).sum(new int[] {1}));
    }

    @Override
    public String toString() {
        return "EmbeddingDot(users=" + getNumUsers() + ", items=" + getNumItems() + ", factors=" + factors + ")";
    }

    /** Builds an {@link EmbeddingDot}. */
    public static final class Builder extends BaseBuilder<Builder> {

        int factors = 50;

        Builder() {}

        /**
         * Sets the number of factors per user and per item (default 50).
         *
         * @param factors the number of factors, at least 1
         * @return this builder
         */
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
            requirePositive("factors", factors);
            return new EmbeddingDot(this);
        }
    }
}
