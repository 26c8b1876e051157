package org.collab4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import org.collab4j.kernel.ParameterNames;

/**
 * fast.ai's {@code EmbeddingDotBias}: the dot product of user and item factors plus a user bias and an item
 * bias, squashed into a y-range by a scaled sigmoid:
 *
 * <pre>r(u, i) = sigmoid(U[u] · I[i] + b_u[u] + b_i[i]) * (high - low) + low</pre>
 *
 * <p>Parameters: {@code userFactors} {@code (numUsers, factors)}, {@code itemFactors} {@code (numItems, factors)},
 * {@code userBias} {@code (numUsers, 1)}, {@code itemBias} {@code (numItems, 1)}; all initialised small.
 */
public class EmbeddingDotBias extends CollabBlock {

    private static final byte VERSION = 1;

    private final int factors;
    private final YRange yRange;
    private final Parameter userFactors;
    private final Parameter itemFactors;
    private final Parameter userBias;
    private final Parameter itemBias;

    EmbeddingDotBias(Builder builder) {
        super(VERSION, builder);
        factors = builder.factors;
        yRange = builder.yRange;
        userFactors = addUserTable(ParameterNames.USER_FACTORS, factors, builder.initializer);
        itemFactors = addItemTable(ParameterNames.ITEM_FACTORS, factors, builder.initializer);
        userBias = addUserTable(ParameterNames.USER_BIAS, 1, builder.initializer);
        itemBias = addItemTable(ParameterNames.ITEM_BIAS, 1, builder.initializer);
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
        NDArray bu = lookup(store.getValue(userBias, users.getDevice(), training), users);
        NDArray bi = lookup(store.getValue(itemBias, items.getDevice(), training), items);
        NDArray dot = u.mul(i).sum(new int[] {1});
        NDArray res = dot.add(bu.squeeze(1)).add(bi.squeeze(1));
        return new NDList(yRange == null ? res : sigmoidRange(store, res, yRange));
    }

    @Override
    public String toString() {
        return "EmbeddingDotBias(users=" + getNumUsers() + ", items=" + getNumItems() + ", factors=" + factors
                + ", yRange=" + yRange + ")";
    }

    /** Builds an {@link EmbeddingDotBias}. */
    public static final class Builder extends BaseBuilder<Builder> {

        int factors = 50;
        YRange yRange = YRange.MOVIELENS;

        Builder() {}

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

        /**
         * Sets the range predictions are squashed into (default {@link YRange#MOVIELENS}, {@code (0, 5.5)}), or
         * {@code null} for the bare score {@code dot + biases} (ranking models,
         * {@link org.collab4j.train.objective.Objective}).
         *
         * @param yRange the range, or {@code null}
         * @return this builder
         */
        @Override
        public Builder optYRange(YRange yRange) {
            this.yRange = yRange;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** {@inheritDoc} */
        @Override
        public EmbeddingDotBias build() {
            validate();
            requirePositive("factors", factors, "optFactors(50) is the default, 10 to 200 are typical");
            return new EmbeddingDotBias(this);
        }
    }
}
