package org.collab4j.io;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.model.YRange;

import java.util.Arrays;

/**
 * What it takes to rebuild a model's block: its kind and the settings of its builder. The weights are not part
 * of it; {@link TrainedModel} keeps them.
 *
 * <p>Only the three Collab4J blocks are supported, matched by exact class: a subclass may change the forward
 * pass, which neither saving nor the {@link org.collab4j.recommend.Recommender} could reproduce.
 */
public final class BlockConfig {

    /** The kinds of block that can be saved and served. */
    public enum Kind {
        /** {@link EmbeddingDot}. */
        EMBEDDING_DOT("EmbeddingDot"),
        /** {@link EmbeddingDotBias}. */
        EMBEDDING_DOT_BIAS("EmbeddingDotBias"),
        /** {@link EmbeddingNet}. */
        EMBEDDING_NET("EmbeddingNet");

        private final String blockName;

        Kind(String blockName) {
            this.blockName = blockName;
        }

        /**
         * Returns the block's class name, as written in a model file.
         *
         * @return e.g. {@code "EmbeddingDotBias"}
         */
        public String blockName() {
            return blockName;
        }

        /**
         * Finds a kind by its block's class name.
         *
         * @param blockName e.g. {@code "EmbeddingDotBias"}
         * @return the kind, or {@code null} if there is none of that name
         */
        static Kind byBlockName(String blockName) {
            for (Kind kind : values()) {
                if (kind.blockName.equals(blockName)) {
                    return kind;
                }
            }
            return null;
        }
    }

    private final Kind kind;
    private final int numUsers;
    private final int numItems;
    private final int userFactors;
    private final int itemFactors;
    private final YRange yRange;
    private final int[] hidden;
    private final float embeddingDropout;
    private final float hiddenDropout;

    BlockConfig(Kind kind, int numUsers, int numItems, int userFactors, int itemFactors, YRange yRange,
            int[] hidden, float embeddingDropout, float hiddenDropout) {
        this.kind = kind;
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.userFactors = userFactors;
        this.itemFactors = itemFactors;
        this.yRange = yRange;
        this.hidden = hidden.clone();
        this.embeddingDropout = embeddingDropout;
        this.hiddenDropout = hiddenDropout;
    }

    /**
     * Reads the configuration of a block.
     *
     * @param block an {@link EmbeddingDot}, {@link EmbeddingDotBias} or {@link EmbeddingNet} (not a subclass)
     * @return its configuration
     * @throws IllegalArgumentException for any other block
     */
    public static BlockConfig of(CollabBlock block) {
        int users = block.getNumUsers();
        int items = block.getNumItems();
        if (block.getClass() == EmbeddingDot.class) {
            EmbeddingDot dot = (EmbeddingDot) block;
            return new BlockConfig(Kind.EMBEDDING_DOT, users, items, dot.getFactors(), dot.getFactors(),
                    dot.getYRange(), new int[0], 0f, 0f);
        }
        if (block.getClass() == EmbeddingDotBias.class) {
            EmbeddingDotBias dot = (EmbeddingDotBias) block;
            return new BlockConfig(Kind.EMBEDDING_DOT_BIAS, users, items, dot.getFactors(), dot.getFactors(),
                    dot.getYRange(), new int[0], 0f, 0f);
        }
        if (block.getClass() == EmbeddingNet.class) {
            EmbeddingNet net = (EmbeddingNet) block;
            return new BlockConfig(Kind.EMBEDDING_NET, users, items, net.getUserFactors(), net.getItemFactors(),
                    net.getYRange(), net.getHidden(), net.getEmbeddingDropout(), net.getHiddenDropout());
        }
        throw new IllegalArgumentException("Collab4J can save and serve EmbeddingDot, EmbeddingDotBias and"
                + " EmbeddingNet blocks, not " + block.getClass().getName()
                + ": a subclass may compute something else, which a loaded model would not reproduce");
    }

    /**
     * Returns a builder that builds a block of this configuration (with fresh, untrained weights).
     *
     * @return the builder, numbers of users and items set
     */
    public CollabBlock.BaseBuilder<?> toBuilder() {
        CollabBlock.BaseBuilder<?> builder = switch (kind) {
            case EMBEDDING_DOT -> EmbeddingDot.builder().optFactors(userFactors).optYRange(yRange);
            case EMBEDDING_DOT_BIAS -> EmbeddingDotBias.builder().optFactors(userFactors).optYRange(yRange);
            case EMBEDDING_NET -> EmbeddingNet.builder()
                    .optUserFactors(userFactors)
                    .optItemFactors(itemFactors)
                    .optHidden(hidden)
                    .optEmbeddingDropout(embeddingDropout)
                    .optHiddenDropout(hiddenDropout)
                    .optYRange(yRange);
        };
        return builder.setNumUsers(numUsers).setNumItems(numItems);
    }

    /**
     * Builds and initialises a block of this configuration with every weight set to one value, for weights to be
     * loaded or copied into. A constant rather than the builder's random init: drawing random numbers only to
     * overwrite them would move the engine's random state, which a training run in the same JVM may rely on.
     */
    CollabBlock newConstantBlock(NDManager manager, Initializer constant) {
        CollabBlock block = toBuilder().build();
        block.setInitializer(constant, Parameter.Type.WEIGHT);
        block.setInitializer(constant, Parameter.Type.BIAS);
        block.initialize(manager, DataType.FLOAT32, new Shape(1), new Shape(1));
        return block;
    }

    /**
     * Returns the kind of block.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * Returns the number of users, the rows of the user tables.
     *
     * @return the number of users
     */
    public int numUsers() {
        return numUsers;
    }

    /**
     * Returns the number of items, the rows of the item tables.
     *
     * @return the number of items
     */
    public int numItems() {
        return numItems;
    }

    /**
     * Returns the number of factors per user (the same as per item except for an {@link EmbeddingNet}).
     *
     * @return the user factor count
     */
    public int userFactors() {
        return userFactors;
    }

    /**
     * Returns the number of factors per item.
     *
     * @return the item factor count
     */
    public int itemFactors() {
        return itemFactors;
    }

    /**
     * Returns the range predictions are squashed into, or {@code null} for an unbounded {@link EmbeddingDot}.
     *
     * @return the y-range, or {@code null}
     */
    public YRange yRange() {
        return yRange;
    }

    /**
     * Returns the hidden layer sizes of an {@link EmbeddingNet}; empty for the other kinds.
     *
     * @return a copy of the sizes
     */
    public int[] hidden() {
        return hidden.clone();
    }

    /**
     * Returns an {@link EmbeddingNet}'s embedding dropout rate (0 for the other kinds).
     *
     * @return the rate
     */
    public float embeddingDropout() {
        return embeddingDropout;
    }

    /**
     * Returns an {@link EmbeddingNet}'s hidden dropout rate (0 for the other kinds).
     *
     * @return the rate
     */
    public float hiddenDropout() {
        return hiddenDropout;
    }

    /**
     * Tells whether the block has a user bias and an item bias.
     *
     * @return {@code true} for {@link EmbeddingDotBias}
     */
    public boolean hasBiases() {
        return kind == Kind.EMBEDDING_DOT_BIAS;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BlockConfig)) {
            return false;
        }
        BlockConfig c = (BlockConfig) o;
        return kind == c.kind && numUsers == c.numUsers && numItems == c.numItems && userFactors == c.userFactors
                && itemFactors == c.itemFactors && java.util.Objects.equals(yRange, c.yRange)
                && Arrays.equals(hidden, c.hidden) && embeddingDropout == c.embeddingDropout
                && hiddenDropout == c.hiddenDropout;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, numUsers, numItems, userFactors, itemFactors, yRange,
                Arrays.hashCode(hidden), embeddingDropout, hiddenDropout);
    }

    /**
     * Returns the block as its {@code toString} shows it, e.g.
     * {@code EmbeddingDotBias(users=610, items=9724, factors=50, yRange=(0.0, 5.5))}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        if (kind == Kind.EMBEDDING_NET) {
            return "EmbeddingNet(users=" + numUsers + ", items=" + numItems + ", userFactors=" + userFactors
                    + ", itemFactors=" + itemFactors + ", hidden=" + Arrays.toString(hidden) + ", dropout=("
                    + embeddingDropout + ", " + hiddenDropout + "), yRange=" + yRange + ")";
        }
        return kind.blockName + "(users=" + numUsers + ", items=" + numItems + ", factors=" + userFactors
                + ", yRange=" + yRange + ")";
    }
}
