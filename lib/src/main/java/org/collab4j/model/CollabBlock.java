package org.collab4j.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The base of the collaborative-filtering blocks: a number of users and items, and the input and output shapes
 * they share.
 *
 * <p>Input: an {@link NDList} of two integer arrays of shape {@code (B)}: user indices in {@code [0, numUsers)}
 * and item indices in {@code [0, numItems)}. Output: an {@code NDList} with one float32 array of shape
 * {@code (B)}, the predicted ratings.
 *
 * <p>Every subclass reads its user and item tables through the {@link ai.djl.training.ParameterStore} and takes
 * rows from them with {@link #lookup}, never by position. A trainer may therefore run the ordinary forward on a
 * few gathered rows: a store that returns, for each table in {@link #getUserTables()} and {@link #getItemTables()},
 * only the rows a batch uses, and inputs re-indexed into those rows, give the same predictions as the full tables
 * with the original indices. {@code CollabLearner} does this so that a step's cost follows the batch, not the
 * tables.
 */
public abstract class CollabBlock extends AbstractBlock {

    /** The initializer every embedding table gets unless a builder says otherwise: truncated normal, std 0.01. */
    public static final Initializer DEFAULT_INITIALIZER = new TruncatedNormalInitializer(0.01f);

    private final int numUsers;
    private final int numItems;
    private final List<Parameter> userTables = new ArrayList<>();
    private final List<Parameter> itemTables = new ArrayList<>();

    /**
     * Creates a block for the given numbers of users and items.
     *
     * @param version the version of the block's saved parameter format
     * @param builder the builder holding the numbers of users and items
     */
    protected CollabBlock(byte version, BaseBuilder<?> builder) {
        super(version);
        this.numUsers = builder.numUsers;
        this.numItems = builder.numItems;
    }

    /**
     * Returns the number of users, the rows of the user tables.
     *
     * @return the number of users
     */
    public int getNumUsers() {
        return numUsers;
    }

    /**
     * Returns the number of items, the rows of the item tables.
     *
     * @return the number of items
     */
    public int getNumItems() {
        return numItems;
    }

    /**
     * Returns the range the predictions are squashed into, or {@code null} when they are unbounded (only an
     * {@link EmbeddingDot} built with {@code optYRange(null)}).
     *
     * @return the y-range, or {@code null}
     */
    public abstract YRange getYRange();

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0))};
    }

    /**
     * Creates an embedding-table parameter of shape {@code (rows, columns)}.
     *
     * @param name the parameter's name
     * @param rows the number of rows (users or items)
     * @param columns the size of each row
     * @param initializer how to fill the table
     * @return the parameter, registered with this block
     */
    protected final Parameter addTable(String name, int rows, int columns, Initializer initializer) {
        return addParameter(
                Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(new Shape(rows, columns))
                        .optInitializer(initializer)
                        .build());
    }

    /**
     * Creates a table with one row per user, shape {@code (numUsers, columns)}, and records it in
     * {@link #getUserTables()}.
     *
     * @param name the parameter's name
     * @param columns the size of each row
     * @param initializer how to fill the table
     * @return the parameter, registered with this block
     */
    protected final Parameter addUserTable(String name, int columns, Initializer initializer) {
        Parameter table = addTable(name, numUsers, columns, initializer);
        userTables.add(table);
        return table;
    }

    /**
     * Creates a table with one row per item, shape {@code (numItems, columns)}, and records it in
     * {@link #getItemTables()}.
     *
     * @param name the parameter's name
     * @param columns the size of each row
     * @param initializer how to fill the table
     * @return the parameter, registered with this block
     */
    protected final Parameter addItemTable(String name, int columns, Initializer initializer) {
        Parameter table = addTable(name, numItems, columns, initializer);
        itemTables.add(table);
        return table;
    }

    /**
     * Returns the tables indexed by user (row {@code u} belongs to user {@code u}), which the forward reads
     * with {@link #lookup} at the input's user indices.
     *
     * @return the user tables, in the order they were added
     */
    public List<Parameter> getUserTables() {
        return Collections.unmodifiableList(userTables);
    }

    /**
     * Returns the tables indexed by item, which the forward reads with {@link #lookup} at the input's item
     * indices.
     *
     * @return the item tables, in the order they were added
     */
    public List<Parameter> getItemTables() {
        return Collections.unmodifiableList(itemTables);
    }

    /**
     * Looks up rows of an embedding table: {@code table[indices]}.
     *
     * @param table the table, shape {@code (n, k)}
     * @param indices the row indices, shape {@code (B)}
     * @return the rows, shape {@code (B, k)}
     */
    public static NDArray lookup(NDArray table, NDArray indices) {
        return Embedding.embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /**
     * fast.ai's {@code sigmoid_range}: {@code sigmoid(x) * (high - low) + low}, which keeps every output inside
     * the open interval {@code (low, high)}.
     *
     * @param x the raw scores
     * @param range the range
     * @return the squashed scores, same shape as {@code x}
     */
    public static NDArray sigmoidRange(NDArray x, YRange range) {
        return x.getNDArrayInternal()
                .sigmoid()
                .mul(range.high() - range.low())
                .add(range.low());
    }

    /**
     * {@link #sigmoidRange(NDArray, YRange)} that takes its two constants from the parameter store when the store
     * is a {@link ScalarSource} (the learner's device step), so that a training step creates no array from a Java
     * number (on a GPU each such array is a blocking host-to-device copy). Same arithmetic, same results.
     *
     * @param store the parameter store the forward was given
     * @param x the raw scores
     * @param range the range
     * @return the squashed scores, same shape as {@code x}
     */
    public static NDArray sigmoidRange(ParameterStore store, NDArray x, YRange range) {
        if (!(store instanceof ScalarSource)) {
            return sigmoidRange(x, range);
        }
        ScalarSource scalars = (ScalarSource) store;
        return x.getNDArrayInternal()
                .sigmoid()
                .mul(scalars.scalar(range.high() - range.low()))
                .add(scalars.scalar(range.low()));
    }

    /**
     * A source of scalar arrays already on the training device, keyed by value. A {@link ParameterStore} that
     * implements it lets the blocks' forward use device constants instead of Java numbers.
     */
    public interface ScalarSource {
        /**
         * Returns an array holding {@code value}, on the training device, made before the step.
         *
         * @param value the value
         * @return a one-element float32 array
         */
        NDArray scalar(float value);

        /**
         * Returns the constants a block's forward asks for at every step, for {@link ScalarSource}s that prepare
         * them ahead: {@code high - low} and {@code low} of a y-range.
         *
         * @param range the y-range, or {@code null}
         * @return the values
         */
        static float[] forwardConstants(YRange range) {
            return range == null ? new float[0] : new float[] {range.high() - range.low(), range.low()};
        }
    }

    /** {@inheritDoc} */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        os.writeInt(numUsers);
        os.writeInt(numItems);
    }

    /** {@inheritDoc} */
    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != version) {
            throw new MalformedModelException(
                    getClass().getSimpleName()
                            + " parameters of format version "
                            + loadVersion
                            + " cannot be read by this version of Collab4J (expects "
                            + version
                            + ")");
        }
        int users = is.readInt();
        int items = is.readInt();
        if (users != numUsers || items != numItems) {
            throw new MalformedModelException(
                    "Saved "
                            + getClass().getSimpleName()
                            + " has "
                            + users
                            + " users and "
                            + items
                            + " items, but this block was built for "
                            + numUsers
                            + " users and "
                            + numItems
                            + " items");
        }
    }

    /**
     * The builder settings every collaborative-filtering block shares.
     *
     * @param <T> the concrete builder type
     */
    public abstract static class BaseBuilder<T extends BaseBuilder<T>> {

        int numUsers;
        int numItems;
        Initializer initializer = DEFAULT_INITIALIZER;

        /** Creates a builder. */
        protected BaseBuilder() {}

        /**
         * Sets the number of users (required, at least 1).
         *
         * @param numUsers the number of users
         * @return this builder
         */
        public T setNumUsers(int numUsers) {
            this.numUsers = numUsers;
            return self();
        }

        /**
         * Sets the number of items (required, at least 1).
         *
         * @param numItems the number of items
         * @return this builder
         */
        public T setNumItems(int numItems) {
            this.numItems = numItems;
            return self();
        }

        /**
         * Sets the number of factors per user and per item (both embedding sizes of an {@link EmbeddingNet}).
         *
         * @param factors the number of factors, at least 1
         * @return this builder
         */
        public abstract T optFactors(int factors);

        /**
         * Sets the range predictions are squashed into; {@code null} for the bare, unbounded score where the
         * block allows it.
         *
         * @param yRange the range, or {@code null}
         * @return this builder
         */
        public abstract T optYRange(YRange yRange);

        /**
         * Sets how the embedding tables are initialised (default: {@link #DEFAULT_INITIALIZER}, truncated normal
         * with std 0.01, as fast.ai does). DJL's default Xavier init is far too large for these tables.
         *
         * @param initializer the initializer
         * @return this builder
         */
        public T optInitializer(Initializer initializer) {
            this.initializer = initializer;
            return self();
        }

        /**
         * Returns the number of users set so far.
         *
         * @return the number of users
         */
        public int getNumUsers() {
            return numUsers;
        }

        /**
         * Returns the number of items set so far.
         *
         * @return the number of items
         */
        public int getNumItems() {
            return numItems;
        }

        /**
         * Checks the settings shared by all blocks.
         *
         * @throws IllegalArgumentException if a setting is out of range
         */
        protected void validate() {
            if (numUsers < 1) {
                throw new IllegalArgumentException(
                        "numUsers must be at least 1, got " + numUsers + ": call setNumUsers(n)");
            }
            if (numItems < 1) {
                throw new IllegalArgumentException(
                        "numItems must be at least 1, got " + numItems + ": call setNumItems(n)");
            }
            if (initializer == null) {
                throw new IllegalArgumentException("initializer must not be null");
            }
        }

        static void requirePositive(String name, int value, String advice) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + value + "; " + advice);
            }
        }

        /**
         * Returns this builder.
         *
         * @return this builder
         */
        protected abstract T self();

        /**
         * Builds the block.
         *
         * @return the block
         * @throws IllegalArgumentException if a setting is out of range
         */
        public abstract CollabBlock build();
    }
}
