package org.collab4j.io;

import org.collab4j.kernel.ParameterNames;
import org.collab4j.model.BlockKind;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.model.YRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What it takes to rebuild a model's block: its kind and the settings of its builder. The weights are not part
 * of it; {@link TrainedModel} keeps them.
 *
 * <p>Only the three Collab4J blocks are supported, matched by exact class: a subclass may change the forward
 * pass, which neither saving nor the {@link org.collab4j.recommend.Recommender} could reproduce. An item-item
 * model ({@link BlockKind#ITEM_ITEM}, EASE) has a configuration too but no block: its "factors" are the items
 * (a user's row is their history over the items), and {@link #historySize()} counts its users' history entries.
 */
public final class BlockConfig {

    private final BlockKind kind;
    private final int numUsers;
    private final int numItems;
    private final int userFactors;
    private final int itemFactors;
    private final YRange yRange;
    private final int[] hidden;
    private final float embeddingDropout;
    private final float hiddenDropout;
    private final int historySize;
    private final int matrixSize;

    BlockConfig(BlockKind kind, int numUsers, int numItems, int userFactors, int itemFactors, YRange yRange,
            int[] hidden, float embeddingDropout, float hiddenDropout) {
        this(kind, numUsers, numItems, userFactors, itemFactors, yRange, hidden, embeddingDropout, hiddenDropout, 0,
                0);
    }

    BlockConfig(BlockKind kind, int numUsers, int numItems, int userFactors, int itemFactors, YRange yRange,
            int[] hidden, float embeddingDropout, float hiddenDropout, int historySize, int matrixSize) {
        this.historySize = historySize;
        this.matrixSize = matrixSize;
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
     * Reads the configuration of a block. An {@link EmbeddingNet} with side columns is read in its folded form
     * ({@link EmbeddingNet#foldedWeights()}): a plain net whose user and item factors include the side columns.
     *
     * @param block an {@link EmbeddingDot}, {@link EmbeddingDotBias} or {@link EmbeddingNet} (not a subclass)
     * @return its configuration
     * @throws IllegalArgumentException for any other block
     */
    public static BlockConfig of(CollabBlock block) {
        return DjlBlocks.config(block);
    }

    /**
     * Returns a builder that builds a block of this configuration (with fresh, untrained weights).
     *
     * @return the builder, numbers of users and items set
     */
    public CollabBlock.BaseBuilder<?> toBuilder() {
        return DjlBlocks.builder(this);
    }

    /**
     * One parameter of the block: its name in DJL's {@code getParameters()} and its shape.
     *
     * @param name e.g. {@code userFactors}
     * @param dims the shape, e.g. {@code [610, 50]}
     */
    record Table(String name, int[] dims) {

        /** The number of values, which {@link #validate} keeps within a Java array's length. */
        long size() {
            long n = 1;
            for (int d : dims) {
                n *= d;
            }
            return n;
        }

        @Override
        public String toString() {
            return name + Arrays.toString(dims);
        }
    }

    /**
     * Returns the block's parameters in DJL's order with their shapes, computed from the configuration alone (a
     * test pins it to the DJL blocks): what a model file must hold.
     */
    List<Table> layout() {
        List<Table> tables = new ArrayList<>();
        if (kind == BlockKind.ITEM_ITEM) {
            tables.add(new Table(ParameterNames.ITEM_ITEM, matrixSize > 0 ? new int[] {matrixSize}
                    : new int[] {numItems, numItems}));
            tables.add(new Table(ParameterNames.HISTORY_VALUES, new int[] {historySize}));
            return tables;
        }
        tables.add(new Table(ParameterNames.USER_FACTORS, new int[] {numUsers, userFactors}));
        tables.add(new Table(ParameterNames.ITEM_FACTORS, new int[] {numItems, itemFactors}));
        if (kind == BlockKind.EMBEDDING_DOT_BIAS) {
            tables.add(new Table(ParameterNames.USER_BIAS, new int[] {numUsers, 1}));
            tables.add(new Table(ParameterNames.ITEM_BIAS, new int[] {numItems, 1}));
        } else if (kind == BlockKind.EMBEDDING_NET) {
            int inputs = userFactors + itemFactors;
            for (int layer = 0; layer <= hidden.length; layer++) {
                int units = layer < hidden.length ? hidden[layer] : 1;
                tables.add(new Table(ParameterNames.layerWeight(layer, hidden.length), new int[] {units, inputs}));
                tables.add(new Table(ParameterNames.layerBias(layer, hidden.length), new int[] {units}));
                inputs = units;
            }
        }
        return tables;
    }

    /** The most factors per row, hidden units per layer, and hidden layers a model file may declare. */
    static final int MAX_WIDTH = 1 << 16;
    static final int MAX_HIDDEN_LAYERS = 16;
    /** The longest Java array, and so the most values one table may hold. */
    static final int MAX_TABLE = Integer.MAX_VALUE - 8;
    /** The most items an item-item model may have: its {@code n × n} matrix must fit one Java array. */
    static final int MAX_ITEM_ITEM = 46_340;

    /**
     * Checks every setting against the limits a Collab4J block can have, in plain Java (no block is built), so
     * that a model file's numbers are known to be sane before anything is allocated from them.
     *
     * @throws IllegalArgumentException naming the setting that is out of range
     */
    void validate() {
        if (kind == BlockKind.ITEM_ITEM) {
            positive("numUsers", numUsers, MAX_TABLE);
            positive("numItems", numItems, MAX_ITEM_ITEM);
            if (userFactors != numItems || itemFactors != numItems || yRange != null || hidden.length > 0
                    || embeddingDropout != 0 || hiddenDropout != 0) {
                throw new IllegalArgumentException("an item-item model's rows are its " + numItems + " items (not "
                        + userFactors + " and " + itemFactors + " factors), with no y-range, hidden layers or"
                        + " dropout");
            }
            if (historySize < 0 || matrixSize < 0) {
                throw new IllegalArgumentException("historySize (" + historySize + ") and matrixSize (" + matrixSize
                        + ") must be >= 0");
            }
            return;
        }
        if (historySize != 0 || matrixSize != 0) {
            throw new IllegalArgumentException(kind.blockName() + " has no history entries or item-item matrix, but"
                    + " historySize is " + historySize + " and matrixSize " + matrixSize);
        }
        positive("numUsers", numUsers, MAX_TABLE);
        positive("numItems", numItems, MAX_TABLE);
        positive("userFactors", userFactors, MAX_WIDTH);
        positive("itemFactors", itemFactors, MAX_WIDTH);
        if (kind != BlockKind.EMBEDDING_NET && userFactors != itemFactors) {
            throw new IllegalArgumentException(kind.blockName() + " has one factor count, but userFactors is "
                    + userFactors + " and itemFactors " + itemFactors);
        }
        if (kind != BlockKind.EMBEDDING_NET && hidden.length > 0) {
            throw new IllegalArgumentException(kind.blockName() + " has no hidden layers, but 'hidden' lists "
                    + hidden.length);
        }
        if (hidden.length > MAX_HIDDEN_LAYERS) {
            throw new IllegalArgumentException("'hidden' lists " + hidden.length + " layers; at most "
                    + MAX_HIDDEN_LAYERS + " are allowed");
        }
        for (int size : hidden) {
            positive("a hidden layer's size", size, MAX_WIDTH);
        }
        if (!(embeddingDropout >= 0 && embeddingDropout < 1 && hiddenDropout >= 0 && hiddenDropout < 1)) {
            throw new IllegalArgumentException("the dropout rates (" + embeddingDropout + ", " + hiddenDropout
                    + ") must be in [0, 1)");
        }
        if (yRange != null && !(Float.isFinite(yRange.low()) && Float.isFinite(yRange.high())
                && yRange.low() < yRange.high())) {
            throw new IllegalArgumentException("the y-range " + yRange + " must be two finite numbers, low < high");
        }
        for (Table table : layout()) {
            if (table.size() > MAX_TABLE) {
                throw new IllegalArgumentException("parameter " + table + " would hold " + table.size()
                        + " values, more than a Java array can (" + MAX_TABLE + ")");
            }
        }
    }

    private static void positive(String what, int value, int max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(what + " is " + value + "; it must be between 1 and " + max);
        }
    }

    /**
     * Returns the kind of block.
     *
     * @return the kind
     */
    public BlockKind kind() {
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
     * Returns how many (user, item) entries an item-item model's histories hold; 0 for the other kinds.
     *
     * @return the number of history entries
     */
    public int historySize() {
        return historySize;
    }

    /**
     * Returns how many entries a sparse item-item matrix keeps; 0 for a dense one and for the other kinds.
     *
     * @return the number of kept entries, 0 when dense
     */
    public int matrixSize() {
        return matrixSize;
    }

    /**
     * Tells whether the block has a user bias and an item bias.
     *
     * @return {@code true} for {@link EmbeddingDotBias}
     */
    public boolean hasBiases() {
        return kind == BlockKind.EMBEDDING_DOT_BIAS;
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
                && hiddenDropout == c.hiddenDropout && historySize == c.historySize && matrixSize == c.matrixSize;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kind, numUsers, numItems, userFactors, itemFactors, yRange,
                Arrays.hashCode(hidden), embeddingDropout, hiddenDropout, historySize, matrixSize);
    }

    /**
     * Returns the block as its {@code toString} shows it, e.g.
     * {@code EmbeddingDotBias(users=610, items=9724, factors=50, yRange=(0.0, 5.5))}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        if (kind == BlockKind.ITEM_ITEM) {
            return "ItemItem(users=" + numUsers + ", items=" + numItems + ", history=" + historySize
                    + (matrixSize > 0 ? ", sparse matrix=" + matrixSize : "") + ")";
        }
        if (kind == BlockKind.EMBEDDING_NET) {
            return "EmbeddingNet(users=" + numUsers + ", items=" + numItems + ", userFactors=" + userFactors
                    + ", itemFactors=" + itemFactors + ", hidden=" + Arrays.toString(hidden) + ", dropout=("
                    + embeddingDropout + ", " + hiddenDropout + "), yRange=" + yRange + ")";
        }
        return kind.blockName() + "(users=" + numUsers + ", items=" + numItems + ", factors=" + userFactors
                + ", yRange=" + yRange + ")";
    }
}
