package org.collab4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

import org.collab4j.kernel.ParameterNames;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The neural variant of fast.ai's lesson 5 ({@code EmbeddingNet}): user and item embeddings are concatenated and
 * passed through a small multi-layer perceptron whose single output is squashed into the y-range.
 *
 * <pre>
 * x = dropout(concat(U[u], I[i]), embeddingDropout)
 * for each hidden size h: x = dropout(relu(linear_h(x)), hiddenDropout)
 * r(u, i) = sigmoid(linear_out(x)) * (high - low) + low
 * </pre>
 *
 * <p>Parameters: {@code userFactors} {@code (numUsers, userFactors)}, {@code itemFactors}
 * {@code (numItems, itemFactors)}, and the weights and biases of the linear child blocks, which DJL names by
 * position: {@code 01hidden0_weight}, {@code 01hidden0_bias}, …, and last {@code NNoutput_weight},
 * {@code NNoutput_bias}. The embeddings start uniform in ±0.01 (the lesson's init); the linear
 * weights and biases start as PyTorch's do, uniform in ±1/√fanIn.
 */
public class EmbeddingNet extends CollabBlock {

    private static final byte VERSION = 1;

    private final int userFactorCount;
    private final int itemFactorCount;
    private final int[] hidden;
    private final float embeddingDropout;
    private final float hiddenDropout;
    private final YRange yRange;
    private final Parameter userFactors;
    private final Parameter itemFactors;
    private final List<Linear> hiddenLayers = new ArrayList<>();
    private final Linear output;

    EmbeddingNet(Builder builder) {
        super(VERSION, builder);
        userFactorCount = builder.userFactors;
        itemFactorCount = builder.itemFactors;
        hidden = builder.hidden.clone();
        embeddingDropout = builder.embeddingDropout;
        hiddenDropout = builder.hiddenDropout;
        yRange = builder.yRange;
        userFactors = addUserTable(ParameterNames.USER_FACTORS, userFactorCount, builder.initializer);
        itemFactors = addItemTable(ParameterNames.ITEM_FACTORS, itemFactorCount, builder.initializer);
        int fanIn = userFactorCount + itemFactorCount;
        for (int k = 0; k < hidden.length; k++) {
            hiddenLayers.add(addChildBlock(ParameterNames.HIDDEN_BLOCK + k, linear(hidden[k], fanIn)));
            fanIn = hidden[k];
        }
        output = addChildBlock(ParameterNames.OUTPUT_BLOCK, linear(1, fanIn));
    }

    private static Linear linear(int units, int fanIn) {
        Linear layer = Linear.builder().setUnits(units).build();
        // As PyTorch's nn.Linear: weights and biases uniform in ±1/√fanIn. With DJL's zero biases and inputs of
        // ±0.01 every ReLU starts on its hinge, and whether they all die in the first steps was decided by
        // rounding: about one run in ten barely learned.
        UniformInitializer init = new UniformInitializer((float) (1 / Math.sqrt(fanIn)));
        layer.setInitializer(init, Parameter.Type.WEIGHT);
        layer.setInitializer(init, Parameter.Type.BIAS);
        return layer;
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@inheritDoc} */
    @Override
    public YRange getYRange() {
        return yRange;
    }

    /**
     * Returns the user embedding size.
     *
     * @return the number of factors per user
     */
    public int getUserFactors() {
        return userFactorCount;
    }

    /**
     * Returns the item embedding size.
     *
     * @return the number of factors per item
     */
    public int getItemFactors() {
        return itemFactorCount;
    }

    /**
     * Returns the dropout rate applied to the concatenated embeddings during training.
     *
     * @return the rate, in {@code [0, 1)}
     */
    public float getEmbeddingDropout() {
        return embeddingDropout;
    }

    /**
     * Returns the dropout rate applied after each hidden layer's ReLU during training.
     *
     * @return the rate, in {@code [0, 1)}
     */
    public float getHiddenDropout() {
        return hiddenDropout;
    }

    /**
     * Returns the hidden layer sizes.
     *
     * @return a copy of the hidden layer sizes
     */
    public int[] getHidden() {
        return hidden.clone();
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray users = inputs.get(0);
        NDArray items = inputs.get(1);
        NDArray u = lookup(store.getValue(userFactors, users.getDevice(), training), users);
        NDArray i = lookup(store.getValue(itemFactors, items.getDevice(), training), items);
        NDArray x = Dropout.dropout(NDArrays.concat(new NDList(u, i), 1), embeddingDropout, training).head();
        for (Linear layer : hiddenLayers) {
            x = layer.forward(store, new NDList(x), training).head();
            x = Dropout.dropout(Activation.relu(x), hiddenDropout, training).head();
        }
        NDArray out = output.forward(store, new NDList(x), training).head().squeeze(1);
        return new NDList(sigmoidRange(store, out, yRange));
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape shape = new Shape(batch, userFactorCount + itemFactorCount);
        for (Linear layer : hiddenLayers) {
            layer.initialize(manager, dataType, shape);
            shape = layer.getOutputShapes(new Shape[] {shape})[0];
        }
        output.initialize(manager, dataType, shape);
    }

    @Override
    public String toString() {
        return "EmbeddingNet(users=" + getNumUsers() + ", items=" + getNumItems() + ", userFactors="
                + userFactorCount + ", itemFactors=" + itemFactorCount + ", hidden=" + Arrays.toString(hidden)
                + ", dropout=(" + embeddingDropout + ", " + hiddenDropout + "), yRange=" + yRange + ")";
    }

    /** Builds an {@link EmbeddingNet}. Defaults follow fast.ai's lesson 5. */
    public static final class Builder extends BaseBuilder<Builder> {

        int userFactors = 50;
        int itemFactors = 50;
        int[] hidden = {10};
        float embeddingDropout = 0.05f;
        float hiddenDropout = 0.5f;
        YRange yRange = YRange.MOVIELENS;

        Builder() {
            initializer = new UniformInitializer(0.01f);
        }

        /**
         * Sets the embedding size of both users and items (default 50).
         *
         * @param factors the embedding size, at least 1
         * @return this builder
         */
        @Override
        public Builder optFactors(int factors) {
            this.userFactors = factors;
            this.itemFactors = factors;
            return this;
        }

        /**
         * Sets the user embedding size (default 50).
         *
         * @param factors the embedding size, at least 1
         * @return this builder
         */
        public Builder optUserFactors(int factors) {
            this.userFactors = factors;
            return this;
        }

        /**
         * Sets the item embedding size (default 50).
         *
         * @param factors the embedding size, at least 1
         * @return this builder
         */
        public Builder optItemFactors(int factors) {
            this.itemFactors = factors;
            return this;
        }

        /**
         * Sets the sizes of the hidden layers (default one layer of 10, as in the lesson).
         *
         * @param sizes one size per hidden layer, each at least 1; none for a linear model on the embeddings
         * @return this builder
         */
        public Builder optHidden(int... sizes) {
            this.hidden = sizes.clone();
            return this;
        }

        /**
         * Sets the dropout rate applied to the concatenated embeddings (default 0.05).
         *
         * @param rate the rate, in {@code [0, 1)}
         * @return this builder
         */
        public Builder optEmbeddingDropout(float rate) {
            this.embeddingDropout = rate;
            return this;
        }

        /**
         * Sets the dropout rate applied after each hidden layer's ReLU (default 0.5).
         *
         * @param rate the rate, in {@code [0, 1)}
         * @return this builder
         */
        public Builder optHiddenDropout(float rate) {
            this.hiddenDropout = rate;
            return this;
        }

        /**
         * Sets the range predictions are squashed into (default {@link YRange#MOVIELENS}, {@code (0, 5.5)}).
         *
         * @param yRange the range
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
        public EmbeddingNet build() {
            validate();
            requirePositive("userFactors", userFactors, "set it with optFactors or optUserFactors");
            requirePositive("itemFactors", itemFactors, "set it with optFactors or optItemFactors");
            for (int size : hidden) {
                requirePositive("each hidden layer size", size, "pass optHidden(100) or the like");
            }
            requireDropout("embeddingDropout", embeddingDropout);
            requireDropout("hiddenDropout", hiddenDropout);
            if (yRange == null) {
                throw new IllegalArgumentException("yRange must not be null");
            }
            return new EmbeddingNet(this);
        }

        private static void requireDropout(String name, float rate) {
            if (!(rate >= 0f && rate < 1f)) {
                throw new IllegalArgumentException(name + " must be in [0, 1), got " + rate
                        + "; it is the share of activations zeroed while training, 0 turns dropout off");
            }
        }
    }
}
