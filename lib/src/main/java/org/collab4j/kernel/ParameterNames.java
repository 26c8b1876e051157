package org.collab4j.kernel;

/**
 * The names of the blocks' parameters, as DJL's {@code Block.getParameters()} lists them and as a model file
 * stores them. The blocks, the model file and the {@code Recommender} all take them from here.
 *
 * <p>Order: {@link #USER_FACTORS}, {@link #ITEM_FACTORS}, then {@link #USER_BIAS} and {@link #ITEM_BIAS}
 * ({@code EmbeddingDotBias}) or each linear layer's weight and bias ({@code EmbeddingNet}: the hidden layers, then
 * the output layer).
 */
public final class ParameterNames {

    /** The user factor table, {@code (users, factors)}. */
    public static final String USER_FACTORS = "userFactors";
    /** The item factor table, {@code (items, factors)}. */
    public static final String ITEM_FACTORS = "itemFactors";
    /** {@code EmbeddingDotBias}'s user bias, {@code (users, 1)}. */
    public static final String USER_BIAS = "userBias";
    /** {@code EmbeddingDotBias}'s item bias, {@code (items, 1)}. */
    public static final String ITEM_BIAS = "itemBias";
    /** An item-item model's {@code n × n} weight matrix {@code B}, row-major. */
    public static final String ITEM_ITEM = "itemItem";
    /** An item-item model's history weights, one per (user, item) entry of its histories. */
    public static final String HISTORY_VALUES = "historyValues";
    /** {@code EmbeddingNet}'s child block name of hidden layer {@code k} is this plus {@code k}. */
    public static final String HIDDEN_BLOCK = "hidden";
    /** {@code EmbeddingNet}'s child block name of the output layer. */
    public static final String OUTPUT_BLOCK = "output";

    private ParameterNames() {}

    /**
     * Returns the name of a linear layer's weight in an {@code EmbeddingNet}.
     *
     * @param layer the layer: {@code 0 .. hidden-1} for the hidden layers, {@code hidden} for the output
     * @param hidden the number of hidden layers
     * @return e.g. {@code 01hidden0_weight} or {@code 02output_weight}
     */
    public static String layerWeight(int layer, int hidden) {
        return layerPrefix(layer, hidden) + "_weight";
    }

    /**
     * Returns the name of a linear layer's bias in an {@code EmbeddingNet}.
     *
     * @param layer the layer: {@code 0 .. hidden-1} for the hidden layers, {@code hidden} for the output
     * @param hidden the number of hidden layers
     * @return e.g. {@code 01hidden0_bias} or {@code 02output_bias}
     */
    public static String layerBias(int layer, int hidden) {
        return layerPrefix(layer, hidden) + "_bias";
    }

    /** DJL names a child block's parameters by its position among the children (from 01) and its name. */
    private static String layerPrefix(int layer, int hidden) {
        String child = layer < hidden ? HIDDEN_BLOCK + layer : OUTPUT_BLOCK;
        return String.format(java.util.Locale.ROOT, "%02d%s", layer + 1, child);
    }
}
