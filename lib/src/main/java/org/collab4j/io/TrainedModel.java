package org.collab4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;

import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.model.CollabBlock;
import org.collab4j.train.CollabLearner;
import org.collab4j.util.NDArrays;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained model as plain data: the block's configuration, its weights, the user and item ids, which items each
 * user rated in training, the training mean rating, and the {@link Provenance}. It holds no native memory, never
 * changes, and is safe to share between threads.
 *
 * <pre>{@code
 * TrainedModel model = TrainedModel.of(learner);      // a snapshot: training on does not change it
 * model.save(Path.of("movies.c4j"));                  // one file, written atomically
 * TrainedModel same = TrainedModel.load(Path.of("movies.c4j"));
 * Recommender recommender = Recommender.of(same);
 * }</pre>
 *
 * <p>The file is a zip archive; {@code docs/serving.md} describes its entries. Loading checks its checksums and
 * its format version and fails with a {@link ModelFormatException} naming the file and the problem.
 *
 * <p><b>Java serialization.</b> A model is {@link Serializable} through a serial form of plain arrays and strings,
 * which needs neither PyTorch nor any DJL engine to read back: that is how a Spark job ships it to its executors
 * (a broadcast), where a {@code Recommender} scores in plain Java. It is a transport between JVMs of the same
 * Collab4J version, not a file format: save files with {@link #save(Path)}.
 */
public final class TrainedModel implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The model file format this version of Collab4J writes, and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    private final BlockConfig config;
    private final IdMap users;
    private final IdMap items;
    private final double globalMean;
    private final int[] ratedOffsets;
    private final int[] ratedItems;
    private final Map<String, float[]> weights;
    private final Map<String, Shape> shapes;
    private final Provenance provenance;

    /** Takes ownership of its arguments: callers pass fresh arrays and maps. */
    TrainedModel(BlockConfig config, IdMap users, IdMap items, double globalMean, int[] ratedOffsets,
            int[] ratedItems, Map<String, float[]> weights, Map<String, Shape> shapes, Provenance provenance) {
        this.config = config;
        this.users = users;
        this.items = items;
        this.globalMean = globalMean;
        this.ratedOffsets = ratedOffsets;
        this.ratedItems = ratedItems;
        this.weights = Collections.unmodifiableMap(weights);
        this.shapes = Collections.unmodifiableMap(shapes);
        this.provenance = provenance;
    }

    /**
     * Snapshots a learner's model as it is now, with its provenance. The learner may train on or be closed
     * afterwards: the snapshot keeps its own copy of the weights.
     *
     * @param learner the learner
     * @return the snapshot
     * @throws IllegalArgumentException if the learner's block is not one Collab4J can save
     */
    public static TrainedModel of(CollabLearner learner) {
        return of(learner.getBlock(), learner.getTrainData(), Provenance.of(learner));
    }

    /**
     * Snapshots an initialised block trained outside {@link CollabLearner}, e.g. with a plain DJL
     * {@code Trainer}.
     *
     * @param block the trained block: an {@code EmbeddingDot}, {@code EmbeddingDotBias} or {@code EmbeddingNet}
     * @param train the ratings it was trained on, whose id maps index the block's rows
     * @param provenance how it was trained, or {@code null} for {@link Provenance#minimal}
     * @return the snapshot
     * @throws IllegalArgumentException if the block cannot be saved or does not match the ratings' id maps
     * @throws IllegalStateException if the block is not initialised
     */
    public static TrainedModel of(CollabBlock block, Ratings train, Provenance provenance) {
        BlockConfig config = BlockConfig.of(block);
        if (block.getNumUsers() != train.users().size() || block.getNumItems() != train.items().size()) {
            throw new IllegalArgumentException("the block has " + block.getNumUsers() + " users and "
                    + block.getNumItems() + " items but the ratings' id maps have " + train.users().size()
                    + " and " + train.items().size() + ": pass the ratings the block was built for");
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training ratings are empty");
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException("parameter " + p.getKey() + " of " + block
                        + " is not initialised: train the block (or call block.initialize) before saving it");
            }
            weights.put(p.getKey(), NDArrays.toFloatArray(p.getValue().getArray()));
            shapes.put(p.getKey(), p.getValue().getArray().getShape());
        }
        int[][] csr = ratedItems(train);
        Provenance prov = provenance != null ? provenance : Provenance.minimal(block.toString(), train.size());
        return new TrainedModel(config, train.users(), train.items(), train.meanRating(), csr[0], csr[1], weights,
                shapes, prov);
    }

    /** Each user's distinct training items, ascending, as offsets (users + 1) and item indices. */
    private static int[][] ratedItems(Ratings train) {
        int users = train.users().size();
        int[] u = train.userIndices();
        int[] i = train.itemIndices();
        int[] start = new int[users + 1];
        for (int user : u) {
            start[user + 1]++;
        }
        for (int k = 0; k < users; k++) {
            start[k + 1] += start[k];
        }
        int[] fill = start.clone();
        int[] all = new int[u.length];
        for (int row = 0; row < u.length; row++) {
            all[fill[u[row]]++] = i[row];
        }
        int[] offsets = new int[users + 1];
        int kept = 0;
        for (int user = 0; user < users; user++) {
            Arrays.sort(all, start[user], start[user + 1]);
            offsets[user] = kept;
            for (int k = start[user]; k < start[user + 1]; k++) {
                if (k == start[user] || all[k] != all[k - 1]) {
                    all[kept++] = all[k];
                }
            }
        }
        offsets[users] = kept;
        return new int[][] {offsets, Arrays.copyOf(all, kept)};
    }

    /**
     * Loads a model saved by {@link #save(Path)}. The file's checksums are verified before anything in it is
     * used.
     *
     * @param file the model file
     * @return the model
     * @throws ModelFormatException if the file is not a Collab4J model, is damaged or truncated, or has a format
     *     version this Collab4J cannot read
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws IOException if the file cannot be read
     * @throws org.collab4j.engine.NativeLibraryException if PyTorch cannot start (it decodes the parameters)
     */
    public static TrainedModel load(Path file) throws IOException {
        return ModelFile.read(file);
    }

    /**
     * Saves the model to one file, atomically: it is written to a temporary file in the same directory, flushed
     * to the disk, and renamed over {@code file}. A crash or an error midway leaves {@code file} as it was
     * (absent, or the previous model). Missing parent directories are created.
     *
     * @param file the file to write, conventionally ending in {@code .c4j}
     * @throws IOException if the file cannot be written
     */
    public void save(Path file) throws IOException {
        ModelFile.write(this, file);
    }

    /**
     * Builds a DJL block holding these weights, for inference with DJL (e.g. {@code block.forward}).
     *
     * @param manager the manager (and so the device) the weights are created on; the caller closes it
     * @return the initialised block
     */
    public CollabBlock newBlock(NDManager manager) {
        // Ones times the weights rather than NDArray.set, which makes PyTorch print a deprecation warning through
        // DJL's JNI; 1 * w is exactly w for every float, -0, infinities and NaN included.
        CollabBlock block = config.newConstantBlock(manager, Initializer.ONES);
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            try (NDArray values = manager.create(weights.get(p.getKey()), array.getShape())) {
                array.muli(values);
            }
        }
        return block;
    }

    /**
     * Returns the block's configuration.
     *
     * @return the configuration
     */
    public BlockConfig getConfig() {
        return config;
    }

    /**
     * Returns the user ids, in the order of the user tables' rows.
     *
     * @return the user id map
     */
    public IdMap users() {
        return users;
    }

    /**
     * Returns the item ids, in the order of the item tables' rows.
     *
     * @return the item id map
     */
    public IdMap items() {
        return items;
    }

    /**
     * Returns the mean of the training ratings.
     *
     * @return the mean rating
     */
    public double getGlobalMean() {
        return globalMean;
    }

    /**
     * Returns how the model was trained.
     *
     * @return the provenance
     */
    public Provenance getProvenance() {
        return provenance;
    }

    /**
     * Returns the names of the block's parameters, in DJL's order (e.g. {@code userFactors}, {@code itemFactors},
     * {@code userBias}, {@code itemBias}).
     *
     * @return the names
     */
    public List<String> parameterNames() {
        return new ArrayList<>(weights.keySet());
    }

    /**
     * Returns a parameter's values, row-major.
     *
     * @param name a name from {@link #parameterNames()}
     * @return a copy of the values
     * @throws IllegalArgumentException if there is no such parameter
     */
    public float[] parameter(String name) {
        return weightsOf(name).clone();
    }

    /**
     * Returns a parameter's shape, e.g. {@code (610, 50)} for {@code userFactors}.
     *
     * @param name a name from {@link #parameterNames()}
     * @return the shape
     * @throws IllegalArgumentException if there is no such parameter
     */
    public Shape parameterShape(String name) {
        weightsOf(name);
        return shapes.get(name);
    }

    private float[] weightsOf(String name) {
        float[] values = weights.get(name);
        if (values == null) {
            throw new IllegalArgumentException("the model has no parameter '" + name + "'; it has "
                    + weights.keySet());
        }
        return values;
    }

    /** The weights themselves, for the file writer: not to be modified. */
    Map<String, float[]> weights() {
        return weights;
    }

    /** The rated-items offsets themselves, for the file writer: not to be modified. */
    int[] ratedOffsets() {
        return ratedOffsets;
    }

    /** The rated-items indices themselves, for the file writer: not to be modified. */
    int[] ratedItemIndices() {
        return ratedItems;
    }

    /**
     * Returns the items a user rated in the training data.
     *
     * @param userIndex an index into {@link #users()}
     * @return the item indices, ascending and distinct (empty for a user who appears only in validation data)
     * @throws IndexOutOfBoundsException if the index is out of range
     */
    public int[] ratedItems(int userIndex) {
        if (userIndex < 0 || userIndex >= users.size()) {
            throw new IndexOutOfBoundsException("user index " + userIndex + " is out of range for "
                    + users.size() + " users");
        }
        return Arrays.copyOfRange(ratedItems, ratedOffsets[userIndex], ratedOffsets[userIndex + 1]);
    }

    @Serial
    private Object writeReplace() {
        return new SerialForm(this);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a TrainedModel is read through its serial form only");
    }

    /**
     * The serial form: the configuration's fields, the ids, the rated items, the weights with their shapes as
     * plain arrays, and the provenance as the JSON the model file stores.
     */
    private static final class SerialForm implements Serializable {

        @Serial
        private static final long serialVersionUID = 1L;

        private final String kind;
        private final int[] sizes;
        private final float[] yRange;
        private final int[] hidden;
        private final float[] dropouts;
        private final String[] userIds;
        private final String[] itemIds;
        private final double globalMean;
        private final int[] ratedOffsets;
        private final int[] ratedItems;
        private final String[] names;
        private final float[][] values;
        private final long[][] shapes;
        private final String provenance;

        SerialForm(TrainedModel model) {
            BlockConfig c = model.config;
            kind = c.kind().name();
            sizes = new int[] {c.numUsers(), c.numItems(), c.userFactors(), c.itemFactors()};
            yRange = c.yRange() == null ? null : new float[] {c.yRange().low(), c.yRange().high()};
            hidden = c.hidden();
            dropouts = new float[] {c.embeddingDropout(), c.hiddenDropout()};
            userIds = model.users.ids().toArray(new String[0]);
            itemIds = model.items.ids().toArray(new String[0]);
            globalMean = model.globalMean;
            ratedOffsets = model.ratedOffsets;
            ratedItems = model.ratedItems;
            names = model.weights.keySet().toArray(new String[0]);
            values = new float[names.length][];
            shapes = new long[names.length][];
            for (int k = 0; k < names.length; k++) {
                values[k] = model.weights.get(names[k]);
                shapes[k] = model.shapes.get(names[k]).getShape();
            }
            provenance = ModelCodec.provenanceJson(model.provenance);
        }

        @Serial
        private Object readResolve() {
            BlockConfig config = new BlockConfig(BlockConfig.Kind.valueOf(kind), sizes[0], sizes[1], sizes[2],
                    sizes[3], yRange == null ? null : new org.collab4j.model.YRange(yRange[0], yRange[1]), hidden,
                    dropouts[0], dropouts[1]);
            Map<String, float[]> weights = new LinkedHashMap<>();
            Map<String, Shape> shapeMap = new LinkedHashMap<>();
            for (int k = 0; k < names.length; k++) {
                weights.put(names[k], values[k]);
                shapeMap.put(names[k], new Shape(shapes[k]));
            }
            return new TrainedModel(config, IdMap.of(Arrays.asList(userIds)), IdMap.of(Arrays.asList(itemIds)),
                    globalMean, ratedOffsets, ratedItems, weights, shapeMap, ModelCodec.provenanceFromJson(provenance));
        }
    }

    /**
     * Returns the model and how it was trained, e.g. {@code TrainedModel(EmbeddingDotBias(users=610, ...); 5
     * epochs ...)}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "TrainedModel(" + config + "; " + provenance + ")";
    }
}
