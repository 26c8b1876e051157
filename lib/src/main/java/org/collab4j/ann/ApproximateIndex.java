package org.collab4j.ann;

import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.FactorTable;
import org.collab4j.kernel.Side;
import org.collab4j.model.BlockKind;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.IntPredicate;

/**
 * An approximate maximum-inner-product index over a dot model's items, for top-N over catalogues too large to score
 * whole for every request: a hierarchical navigable small-world graph ({@link HnswGraph}) whose items are linked
 * and searched by inner product, the item bias folded in as one more coordinate ({@link MipsSpace}), so that a
 * search finds the items with the largest scores. A {@code Recommender} built with one
 * ({@code RecommenderBuilder.optApproximateIndex}) asks it for candidates and rescores them exactly.
 *
 * <pre>{@code
 * TrainedModel model = TrainedModel.load(Path.of("movies.c4j"));
 * ApproximateIndex index = ApproximateIndex.builder().build(model);   // or load(file, model)
 * index.save(ApproximateIndex.besideModel(Path.of("movies.c4j")));    // movies.c4j.hnsw
 * Recommender r = Recommender.builder().setModel(model).optApproximateIndex(index).build();
 * }</pre>
 *
 * <p>An index belongs to the item table it was built from: it reads that table's rows (it holds no copy, only the
 * graph's links and one float per item) and a saved index records the SHA-256 of the table, so that
 * {@link #load} refuses an index built for another model. Only {@code EmbeddingDot} and {@code EmbeddingDotBias}
 * models have one: an {@code EmbeddingNet} scores a pair with a network, which no inner-product index can search.
 *
 * <p>Immutable once built; thread-safe. Each searching thread keeps a scratch array of one int per item.
 */
public final class ApproximateIndex {

    /** The default links per item on the upper levels (twice as many on level 0). */
    public static final int DEFAULT_M = 16;
    /** The default number of candidates an insertion keeps while it looks for an item's links. */
    public static final int DEFAULT_EF_CONSTRUCTION = 100;
    /** The default number of candidates a search keeps; a request for more items keeps that many. */
    public static final int DEFAULT_EF_SEARCH = 50;
    /** What {@link #besideModel} appends to a model file's name. */
    public static final String FILE_SUFFIX = ".hnsw";

    private final FactorTable items;
    private final HnswGraph graph;
    private final int efConstruction;
    private final int efSearch;
    private final long seed;
    private final String itemsSha256;

    ApproximateIndex(FactorTable items, HnswGraph graph, int efConstruction, int efSearch, long seed,
            String itemsSha256) {
        this.items = items;
        this.graph = graph;
        this.efConstruction = efConstruction;
        this.efSearch = efSearch;
        this.seed = seed;
        this.itemsSha256 = itemsSha256;
    }

    /** @return a builder with the default settings */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads an index saved beside a model, after checking the file (checksums, sizes, links in range) and that it
     * was built from this model's item table.
     *
     * @param file the index file
     * @param model the model it was built from
     * @return the index
     * @throws org.collab4j.io.ModelFormatException if the file is damaged, not an index, or built for another model
     * @throws IllegalArgumentException if the model is not a dot model
     * @throws IOException if it cannot be read
     */
    public static ApproximateIndex load(Path file, TrainedModel model) throws IOException {
        return IndexFile.read(file, requireDot(model));
    }

    /**
     * Saves the index atomically, in the model file's checked container.
     *
     * @param file where to save it, e.g. {@link #besideModel}
     * @throws IOException if it cannot be written
     */
    public void save(Path file) throws IOException {
        IndexFile.write(this, file);
    }

    /**
     * Where an index is kept beside a model file: its name with {@value #FILE_SUFFIX} appended.
     *
     * @param modelFile the model file
     * @return the index file
     */
    public static Path besideModel(Path modelFile) {
        return modelFile.resolveSibling(modelFile.getFileName() + FILE_SUFFIX);
    }

    /**
     * Tells whether this index searches a model's items: built from (or loaded for) that model's own item table.
     *
     * @param model a model
     * @return {@code true} if the index reads this model's item table
     */
    public boolean isFor(TrainedModel model) {
        return model.getConfig().kind() != BlockKind.EMBEDDING_NET && model.factors(Side.ITEMS) == items;
    }

    /**
     * Finds about the {@code n} items with the largest scores for a user: {@code U[u]·I[i] + b_i}, the user's bias
     * left out as it does not change the order. The scores are the graph's, summed in another order than the
     * kernel's: rescore what comes back.
     *
     * @param userRow the user's factors (a bias after them is ignored)
     * @param n how many items
     * @return up to {@code n} item indices; most of the true best {@code n}, not in a guaranteed order
     */
    public int[] search(float[] userRow, int n) {
        return graph.search(userRow, n, efSearch, null);
    }

    /**
     * Finds about the {@code n} items with the largest scores for a user among those {@code accept} takes: the
     * search walks through the others but keeps looking until it has {@code n} (or {@code ef}) acceptable ones, so
     * a user's training items, a request's exclusions and filters cost a few more steps rather than places in the
     * result.
     *
     * @param userRow the user's factors (a bias after them is ignored)
     * @param n how many items
     * @param accept which items may be returned
     * @return up to {@code n} acceptable item indices, not in a guaranteed order
     */
    public int[] search(float[] userRow, int n, IntPredicate accept) {
        return graph.search(userRow, n, efSearch, accept);
    }

    /**
     * Returns this index searching with another {@code ef}: more candidates kept, better recall, slower.
     *
     * @param ef how many candidates a search keeps, at least 1
     * @return the index, sharing this one's graph
     */
    public ApproximateIndex withEfSearch(int ef) {
        if (ef < 1) {
            throw new IllegalArgumentException("ef must be at least 1, got " + ef);
        }
        return new ApproximateIndex(items, graph, efConstruction, ef, seed, itemsSha256);
    }

    /** @return the number of items */
    public int size() {
        return items.size();
    }

    /** @return the links per item on the upper levels */
    public int getM() {
        return graph.m();
    }

    /** @return how many candidates an insertion kept */
    public int getEfConstruction() {
        return efConstruction;
    }

    /** @return how many candidates a search keeps */
    public int getEfSearch() {
        return efSearch;
    }

    /** @return whether the graph was linked with Bachrach et al.'s Euclidean transform ({@link MipsSpace}) */
    public boolean isTransformed() {
        return graph.space().transformed();
    }

    /** @return the SHA-256 of the item table (factors, then biases) the index was built from, in hex */
    public String itemsSha256() {
        return itemsSha256;
    }

    FactorTable items() {
        return items;
    }

    HnswGraph graph() {
        return graph;
    }

    long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "ApproximateIndex(items=" + size() + ", m=" + getM() + ", efConstruction=" + efConstruction
                + ", efSearch=" + efSearch + (isTransformed() ? ", Euclidean transform" : "") + ")";
    }

    static TrainedModel requireDot(TrainedModel model) {
        if (model.getConfig().kind() == BlockKind.EMBEDDING_NET) {
            throw new IllegalArgumentException("an approximate index needs a dot model (EmbeddingDot or"
                    + " EmbeddingDotBias), whose scores are inner products; this EmbeddingNet scores each pair with"
                    + " a network, which no inner-product index can search: serve it exactly (without"
                    + " --approximate)");
        }
        return model;
    }

    /** The SHA-256 of a table's factors, then its biases, as little-endian floats. */
    static String sha256(FactorTable table) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(table.size()).putInt(table.factors()).putInt(table.hasBias() ? 1 : 0);
        digest(digest, buffer, table.rows());
        if (table.hasBias()) {
            digest(digest, buffer, table.biases());
        }
        buffer.flip();
        digest.update(buffer);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void digest(MessageDigest digest, ByteBuffer buffer, float[] values) {
        for (float v : values) {
            if (buffer.remaining() < 4) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
            buffer.putFloat(v);
        }
    }

    /** Sets an index's parameters, then builds it from a model. */
    public static final class Builder {

        private int m = DEFAULT_M;
        private int efConstruction = DEFAULT_EF_CONSTRUCTION;
        private int efSearch = DEFAULT_EF_SEARCH;
        private long seed = 42;
        private int threads = Runtime.getRuntime().availableProcessors();
        private boolean transform;

        Builder() {}

        /**
         * Links the items with Bachrach et al.'s Euclidean transform instead of by their inner product (default
         * {@code false}; see {@link MipsSpace}: measured worse when item norms spread, kept to compare).
         *
         * @param transform whether to transform
         * @return this builder
         */
        public Builder optEuclideanTransform(boolean transform) {
            this.transform = transform;
            return this;
        }

        /**
         * Sets the links per item on the upper levels, twice as many on level 0 (default {@value #DEFAULT_M}).
         *
         * @param m from 2 to 256
         * @return this builder
         */
        public Builder optM(int m) {
            this.m = m;
            return this;
        }

        /**
         * Sets how many candidates an insertion keeps (default {@value #DEFAULT_EF_CONSTRUCTION}).
         *
         * @param efConstruction at least 1
         * @return this builder
         */
        public Builder optEfConstruction(int efConstruction) {
            this.efConstruction = efConstruction;
            return this;
        }

        /**
         * Sets how many candidates a search keeps (default {@value #DEFAULT_EF_SEARCH}).
         *
         * @param efSearch at least 1
         * @return this builder
         */
        public Builder optEfSearch(int efSearch) {
            this.efSearch = efSearch;
            return this;
        }

        /**
         * Sets the seed of the items' levels (default 42).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets how many threads build the graph (default: the available processors). One thread builds the same
         * graph for the same model and seed every time; several build faster a graph that depends on their timing.
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * Builds the index over a dot model's item table.
         *
         * @param model the model
         * @return the index
         * @throws IllegalArgumentException if the model is an {@code EmbeddingNet} or a setting is out of range
         */
        public ApproximateIndex build(TrainedModel model) {
            requireDot(model);
            if (m < 2 || m > 256 || efConstruction < 1 || efSearch < 1 || threads < 1) {
                throw new IllegalArgumentException("an approximate index needs 2 <= m <= 256 and efConstruction,"
                        + " efSearch and threads of at least 1; got m=" + m + ", efConstruction=" + efConstruction
                        + ", efSearch=" + efSearch + ", threads=" + threads);
            }
            FactorTable items = model.factors(Side.ITEMS);
            HnswGraph graph = HnswGraph.build(new MipsSpace(items, transform), m, efConstruction, seed, threads);
            return new ApproximateIndex(items, graph, efConstruction, efSearch, seed, sha256(items));
        }
    }
}
