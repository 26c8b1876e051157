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

import org.collab4j.kernel.FeatureMatrix;
import org.collab4j.kernel.ParameterNames;
import org.collab4j.kernel.Side;

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
 *
 * <p><b>Side columns</b> (lesson 4's tabular model, {@link Builder#optItemFeatures}, {@link Builder#optUserFeatures}):
 * a side with features appends its entity's side columns to its embedding before the MLP,
 * {@code x = concat(U[u], side_u, I[i], side_i)}, where {@code side = [mean of the entity's categorical features'
 * vectors (entity embeddings of width f, an EmbeddingBag-mean), its numeric features' standardised values]}
 * ({@link FeatureMatrix#categoricalMean}). The vectors are a trainable parameter, {@code itemFeatureVectors}
 * {@code (categorical features, f)} (and {@code userFeatureVectors}); the entities' feature rows are block state
 * (plain arrays, not parameters), gathered per batch on the host. Without features the block is exactly the one
 * above. Because the side columns depend on the entity alone, a trained block is the same function as a plain
 * {@code EmbeddingNet} whose rows are {@code [U[u], side_u]} and {@code [I[i], side_i]} ({@link #foldedWeights()}):
 * that folded form is what a model file holds.
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
    private final SideColumns userSide;
    private final SideColumns itemSide;

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
        userSide = builder.userFeatures == null ? null : new SideColumns(builder.userFeatures, builder.userNumeric,
                builder.featureFactors > 0 ? builder.featureFactors : userFactorCount);
        itemSide = builder.itemFeatures == null ? null : new SideColumns(builder.itemFeatures, builder.itemNumeric,
                builder.featureFactors > 0 ? builder.featureFactors : itemFactorCount);
        if (userSide != null && userSide.categorical > 0) {
            userSide.vectors = addTable(USER_FEATURE_VECTORS, userSide.categorical, userSide.factors,
                    builder.initializer);
        }
        if (itemSide != null && itemSide.categorical > 0) {
            itemSide.vectors = addTable(ITEM_FEATURE_VECTORS, itemSide.categorical, itemSide.factors,
                    builder.initializer);
        }
        int fanIn = inputWidth();
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

    /** The parameter of the users' categorical features' vectors. */
    public static final String USER_FEATURE_VECTORS = "userFeatureVectors";
    /** The parameter of the items' categorical features' vectors. */
    public static final String ITEM_FEATURE_VECTORS = "itemFeatureVectors";

    /** The width of the MLP's input: both embeddings and both sides' columns. */
    private int inputWidth() {
        return userFactorCount + sideWidth(Side.USERS) + itemFactorCount + sideWidth(Side.ITEMS);
    }

    private SideColumns side(Side side) {
        return side == Side.USERS ? userSide : itemSide;
    }

    /**
     * Tells whether a side has side columns.
     *
     * @param side users or items
     * @return whether it was given features
     */
    public boolean hasFeatures(Side side) {
        return side(side) != null;
    }

    /**
     * Returns how many columns a side's features append to its embedding: {@code f} (when it has categorical
     * features) plus one per numeric feature; 0 without features.
     *
     * @param side users or items
     * @return the width
     */
    public int sideWidth(Side side) {
        SideColumns s = side(side);
        return s == null ? 0 : s.width();
    }

    /**
     * Returns the block's weights in the folded form of a plain {@code EmbeddingNet} (see the class comment): the
     * user and item tables widened by their side columns, {@code [U[u], side_u]} and {@code [I[i], side_i]}, then
     * the layers, in DJL's order and names. Without features, simply every parameter.
     *
     * @return the weights by parameter name
     * @throws IllegalStateException if the block is not initialised
     */
    public java.util.Map<String, float[]> foldedWeights() {
        java.util.Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (ai.djl.util.Pair<String, Parameter> p : getParameters()) {
            String name = p.getKey();
            if (name.equals(USER_FEATURE_VECTORS) || name.equals(ITEM_FEATURE_VECTORS)) {
                continue;
            }
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException("parameter " + name + " of " + this + " is not initialised");
            }
            float[] values = org.collab4j.util.NDArrays.toFloatArray(p.getValue().getArray());
            if (p.getValue() == userFactors && userSide != null) {
                values = userSide.fold(values, userFactorCount);
            } else if (p.getValue() == itemFactors && itemSide != null) {
                values = itemSide.fold(values, itemFactorCount);
            }
            out.put(name, values);
        }
        return out;
    }

    /**
     * Returns a side's features' vectors as rows of the folded table ({@link #foldedWeights()}): feature
     * {@code c}'s row is zero but for its part of the side columns (its vector for a categorical feature, a one at
     * its column for a numeric one), so that a new entity's folded row is {@code Σ w_c · row_c} over its
     * {@link FeatureMatrix#categoricalMean} weights, with a zero id embedding.
     *
     * @param side a side with features
     * @return {@code features × (factors + sideWidth)} values, row-major
     * @throws IllegalArgumentException if the side has no features
     */
    public float[] servedFeatureVectors(Side side) {
        SideColumns s = side(side);
        if (s == null) {
            throw new IllegalArgumentException("the block has no " + side.noun() + " features");
        }
        int offset = side == Side.USERS ? userFactorCount : itemFactorCount;
        return s.served(offset);
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
        NDList parts = new NDList(u);
        if (userSide != null) {
            parts.addAll(userSide.columns(store, users, training));
        }
        parts.add(i);
        if (itemSide != null) {
            parts.addAll(itemSide.columns(store, items, training));
        }
        NDArray x = Dropout.dropout(NDArrays.concat(parts, 1), embeddingDropout, training).head();
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
        Shape shape = new Shape(batch, inputWidth());
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
                + ", dropout=(" + embeddingDropout + ", " + hiddenDropout + "), yRange=" + yRange
                + (userSide != null ? ", userSide=" + userSide : "") + (itemSide != null ? ", itemSide=" + itemSide : "")
                + ")";
    }

    /**
     * One side's columns: its entities' categorical features as padded index and weight rows (the mean's weights,
     * 0 for padding), its numeric features' values, and the categorical features' vectors (a parameter).
     */
    private static final class SideColumns {

        final int rows;
        final int features;
        final int categorical;
        final int numericCount;
        final int factors;
        /** For each feature, its index among the categorical (or, numeric, among the numeric) features. */
        final int[] index;
        final boolean[] numeric;
        final int maxLen;
        final int[] padded;
        final float[] weights;
        final float[] values;
        Parameter vectors;

        SideColumns(FeatureMatrix matrix, boolean[] numeric, int factors) {
            FeatureMatrix m = matrix.categoricalMean(numeric);
            this.rows = m.rows();
            this.features = m.features();
            this.numeric = numeric.clone();
            this.index = new int[features];
            int c = 0;
            int n = 0;
            for (int f = 0; f < features; f++) {
                index[f] = numeric[f] ? n++ : c++;
            }
            this.categorical = c;
            this.numericCount = n;
            this.factors = factors;
            int longest = 1;
            for (int r = 0; r < rows; r++) {
                int len = 0;
                for (int e = m.start(r); e < m.end(r); e++) {
                    len += numeric[m.columns()[e]] ? 0 : 1;
                }
                longest = Math.max(longest, len);
            }
            maxLen = longest;
            padded = new int[Math.multiplyExact(rows, maxLen)];
            weights = new float[padded.length];
            values = new float[Math.multiplyExact(rows, numericCount)];
            for (int r = 0; r < rows; r++) {
                int at = r * maxLen;
                for (int e = m.start(r); e < m.end(r); e++) {
                    int f = m.columns()[e];
                    if (numeric[f]) {
                        values[r * numericCount + index[f]] += m.values()[e];
                    } else {
                        padded[at] = index[f];
                        weights[at++] = m.values()[e];
                    }
                }
            }
        }

        int width() {
            return (categorical > 0 ? factors : 0) + numericCount;
        }

        /** The batch's side columns: the categorical mean {@code (B, f)} and the numeric values {@code (B, n)}. */
        NDList columns(ParameterStore store, NDArray ids, boolean training) {
            int[] batch = ids.toType(DataType.INT32, false).toIntArray();
            int b = batch.length;
            NDList out = new NDList();
            ai.djl.ndarray.NDManager manager = ids.getManager();
            if (categorical > 0) {
                int[] idx = new int[b * maxLen];
                float[] w = new float[b * maxLen];
                for (int k = 0; k < b; k++) {
                    System.arraycopy(padded, batch[k] * maxLen, idx, k * maxLen, maxLen);
                    System.arraycopy(weights, batch[k] * maxLen, w, k * maxLen, maxLen);
                }
                NDArray table = store.getValue(vectors, ids.getDevice(), training);
                NDArray rowsOf = lookup(table, manager.create(idx).toDevice(ids.getDevice(), false))
                        .reshape(b, maxLen, factors);
                NDArray wts = manager.create(w, new Shape(b, maxLen, 1)).toDevice(ids.getDevice(), false);
                out.add(rowsOf.mul(wts).sum(new int[] {1}));
            }
            if (numericCount > 0) {
                float[] v = new float[b * numericCount];
                for (int k = 0; k < b; k++) {
                    System.arraycopy(values, batch[k] * numericCount, v, k * numericCount, numericCount);
                }
                out.add(manager.create(v, new Shape(b, numericCount)).toDevice(ids.getDevice(), false));
            }
            return out;
        }

        /** The table {@code (rows, dim)} widened to {@code [row, side]}, in Java. */
        float[] fold(float[] table, int dim) {
            int width = dim + width();
            float[] out = new float[Math.multiplyExact(rows, width)];
            float[] v = categorical > 0 ? org.collab4j.util.NDArrays.toFloatArray(vectors.getArray()) : null;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(table, r * dim, out, r * width, dim);
                int base = r * width + dim;
                for (int k = 0; k < maxLen && categorical > 0; k++) {
                    float w = weights[r * maxLen + k];
                    int c = padded[r * maxLen + k];
                    for (int f = 0; f < factors; f++) {
                        out[base + f] += w * v[c * factors + f];
                    }
                }
                System.arraycopy(values, r * numericCount, out, base + (categorical > 0 ? factors : 0),
                        numericCount);
            }
            return out;
        }

        /** Each feature's row of the folded table (zero but for its side part). */
        float[] served(int dim) {
            int width = dim + width();
            float[] out = new float[Math.multiplyExact(features, width)];
            float[] v = categorical > 0 ? org.collab4j.util.NDArrays.toFloatArray(vectors.getArray()) : null;
            for (int f = 0; f < features; f++) {
                if (numeric[f]) {
                    out[f * width + dim + (categorical > 0 ? factors : 0) + index[f]] = 1f;
                } else {
                    System.arraycopy(v, index[f] * factors, out, f * width + dim, factors);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return "(" + categorical + " categorical x " + factors + ", " + numericCount + " numeric)";
        }
    }

    /** Builds an {@link EmbeddingNet}. Defaults follow fast.ai's lesson 5. */
    public static final class Builder extends BaseBuilder<Builder> {

        int userFactors = 50;
        int itemFactors = 50;
        int[] hidden = {10};
        float embeddingDropout = 0.05f;
        float hiddenDropout = 0.5f;
        YRange yRange = YRange.MOVIELENS;
        FeatureMatrix userFeatures;
        boolean[] userNumeric;
        FeatureMatrix itemFeatures;
        boolean[] itemNumeric;
        int featureFactors;

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

        /**
         * Gives the items side columns (default none): row {@code i} of {@code features} holds item {@code i}'s
         * features (one row per item, in the block's item order; an empty row for an item without features). The
         * categorical features are embedded (vectors of {@link #optFeatureFactors} values, averaged per item), the
         * numeric ones appended as they are (their standardised values).
         *
         * @param features the items' features, {@code numItems} rows, or {@code null} for none
         * @param numeric for each feature (column), whether it is numeric
         * @return this builder
         */
        public Builder optItemFeatures(FeatureMatrix features, boolean[] numeric) {
            this.itemFeatures = features;
            this.itemNumeric = numeric == null ? null : numeric.clone();
            return this;
        }

        /**
         * Gives the users side columns (default none), as {@link #optItemFeatures} does the items.
         *
         * @param features the users' features, {@code numUsers} rows, or {@code null} for none
         * @param numeric for each feature (column), whether it is numeric
         * @return this builder
         */
        public Builder optUserFeatures(FeatureMatrix features, boolean[] numeric) {
            this.userFeatures = features;
            this.userNumeric = numeric == null ? null : numeric.clone();
            return this;
        }

        /**
         * Sets the width of the categorical features' vectors (default 0: the side's own factor count).
         *
         * @param factors the width, at least 1, or 0 for the default
         * @return this builder
         */
        public Builder optFeatureFactors(int factors) {
            this.featureFactors = factors;
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
            if (featureFactors < 0) {
                throw new IllegalArgumentException("featureFactors must be >= 0 (0: the side's factor count), got "
                        + featureFactors);
            }
            requireSide("user", userFeatures, userNumeric, numUsers);
            requireSide("item", itemFeatures, itemNumeric, numItems);
            return new EmbeddingNet(this);
        }

        private static void requireSide(String noun, FeatureMatrix features, boolean[] numeric, int rows) {
            if (features == null) {
                return;
            }
            if (features.rows() != rows) {
                throw new IllegalArgumentException("the " + noun + " features have " + features.rows() + " rows for "
                        + rows + " " + noun + "s: align the table to the block's ids (FeatureTable.alignedTo)");
            }
            if (numeric == null || numeric.length != features.features()) {
                throw new IllegalArgumentException("the " + noun + " features' numeric marks must be "
                        + features.features() + " long, one per feature");
            }
        }

        private static void requireDropout(String name, float rate) {
            if (!(rate >= 0f && rate < 1f)) {
                throw new IllegalArgumentException(name + " must be in [0, 1), got " + rate
                        + "; it is the share of activations zeroed while training, 0 turns dropout off");
            }
        }
    }
}
