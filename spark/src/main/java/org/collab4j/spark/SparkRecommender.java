package org.collab4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.udf;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.collab4j.io.ModelFormatException;
import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.ItemRecommendations;
import org.collab4j.recommend.ItemSide;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.ScoredId;
import org.collab4j.recommend.UserRecommendations;
import org.collab4j.recommend.UserRows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * A trained Collab4J model served on Spark, with Spark ALS's methods and output schema:
 * {@link #recommendForAllUsers}, {@link #recommendForUserSubset}, {@link #recommendForAllItems} and
 * {@link #transform}.
 *
 * <pre>{@code
 * SparkRecommender model = SparkRecommender.builder()
 *         .setModel(TrainedModel.load(Path.of("movies.c4j")))
 *         .build(spark);
 * Dataset<Row> top = model.recommendForAllUsers(10);   // user, recommendations: array<struct<item, rating>>
 * }</pre>
 *
 * <p><b>Where it runs.</b> The driver holds the {@link TrainedModel}. It broadcasts only the model's
 * {@link ItemSide item side} (the item factors, biases, ids and training counts: about {@code 4 · items ·
 * (factors + 1)} bytes), and cuts the users into one {@link UserRows} slice per partition, which travels with its
 * task; so no executor holds more than its own users. Each task scores its slice a block of users at a time
 * ({@link Builder#optBlockSize}) through {@link Recommender#recommend(UserRows, int)} on the item side's
 * plain-Java {@link Recommender}, built once per executor JVM; the results are those of the single-JVM
 * recommender bit for bit: the same items, the same order, the same scores. {@link #recommendForAllItems} and
 * {@link #transform} need every user's row on every executor, so they broadcast the whole model, on first use.
 *
 * <p><b>Semantics.</b> As the {@link Recommender}: only users and items with training ratings are known; a
 * user's training items are left out of their recommendations (Spark ALS leaves nothing out), and an item's
 * training raters out of its users. Ids come out as strings (the model keeps them as text), in columns named
 * after {@link Builder#optUserCol} and {@link Builder#optItemCol}; {@link #recommendForUserSubset} casts the user
 * column back to the input's type. Unknown users in a subset are left out of the result, as ALS does.
 */
public final class SparkRecommender {

    /** Users (or items) per block by default: one block of results held per task at a time. */
    public static final int DEFAULT_BLOCK_SIZE = 1024;

    private final SparkSession spark;
    private final TrainedModel model;
    /** The driver's recommender: it cuts the user rows that travel with the tasks. */
    private final Recommender driver;
    /** The item side, broadcast once: all the executors need to score user rows. */
    private final Broadcast<ItemSide> itemSide;
    /** The whole model, broadcast on first use by {@link #recommendForAllItems} or {@link #transform} only. */
    private Broadcast<TrainedModel> whole;
    private final String userCol;
    private final String itemCol;
    private final String predictionCol;
    private final String coldStartStrategy;
    private final int blockSize;
    private final int numPartitions;

    private SparkRecommender(Builder builder, SparkSession spark) {
        this.spark = spark;
        model = builder.model;
        userCol = builder.userCol;
        itemCol = builder.itemCol;
        predictionCol = builder.predictionCol;
        coldStartStrategy = builder.coldStartStrategy;
        blockSize = builder.blockSize;
        numPartitions = builder.numPartitions > 0 ? builder.numPartitions
                : spark.sparkContext().defaultParallelism();
        driver = Recommender.builder().setModel(model).optItemFeatures(builder.itemFeatures).build();
        itemSide = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(builder.approximateEf > 0
                ? driver.itemSide().withApproximateIndex(builder.approximateEf) : driver.itemSide());
    }

    /** Whether the whole model has been broadcast (by {@link #recommendForAllItems} or {@link #transform}). */
    synchronized boolean broadcastsWholeModel() {
        return whole != null;
    }

    /** The whole model's broadcast, made on first use. */
    private synchronized Broadcast<TrainedModel> whole() {
        if (whole == null) {
            whole = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model);
        }
        return whole;
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
     * Loads a model file on the driver (so give a path the driver can read), with errors that name the file.
     *
     * @param file a model file saved by {@link TrainedModel#save}, on the driver's file system
     * @return the model
     * @throws org.collab4j.util.InputFileException if there is no such file, it is a folder, unreadable or empty
     *     (the message names the file and says what to do)
     * @throws ModelFormatException if it is not a Collab4J model or is damaged (the message names the file)
     * @throws IOException if it cannot be read
     */
    public static TrainedModel loadModel(Path file) throws IOException {
        return TrainedModel.load(file);
    }

    /**
     * Returns the model.
     *
     * @return the model, on the driver
     */
    public TrainedModel getModel() {
        return model;
    }

    /**
     * Returns how many partitions the all-users and all-items methods use.
     *
     * @return the number of partitions
     */
    public int getNumPartitions() {
        return numPartitions;
    }

    /**
     * Top {@code k} items for every known user.
     *
     * @param k items per user, at least 1
     * @return {@code user: string, recommendations: array<struct<item: string, rating: float>>} (the column names
     *     are the user and item columns'), one row per known user, items best first, rating = predicted rating
     * @throws IllegalArgumentException if {@code k} is below 1
     */
    public Dataset<Row> recommendForAllUsers(int k) {
        requirePositive(k);
        int users = model.users().size();
        int parts = Math.max(1, Math.min(numPartitions, users));
        List<UserRows> slices = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            // The users split evenly over the partitions, one slice each, cut into blocks on the executor.
            slices.add(driver.userRows((int) ((long) users * p / parts), (int) ((long) users * (p + 1) / parts)));
        }
        return userRows(slices, k);
    }

    /**
     * Top {@code k} items for the users in a Dataset's user column (repeats counted once, nulls and unknown users
     * left out).
     *
     * @param dataset any Dataset with the user column
     * @param k items per user, at least 1
     * @return as {@link #recommendForAllUsers}, the user column cast back to the input column's type
     * @throws IllegalArgumentException if the column is missing or {@code k} is below 1
     */
    public Dataset<Row> recommendForUserSubset(Dataset<?> dataset, int k) {
        requirePositive(k);
        DataType type = column(dataset.schema(), userCol, "user", "optUserCol").dataType();
        // The distinct ids come to the driver as strings, which cuts their rows; unknown and null ids drop out.
        List<String> ids = new ArrayList<>();
        Iterator<Row> distinct = dataset.select(col(userCol).cast(DataTypes.StringType)).distinct()
                .toLocalIterator();
        while (distinct.hasNext()) {
            Row row = distinct.next();
            if (!row.isNullAt(0)) {
                ids.add(row.getString(0));
            }
        }
        UserRows known = driver.userRows(ids);
        int parts = Math.max(1, Math.min(numPartitions, known.size()));
        List<UserRows> slices = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            slices.add(known.slice(known.size() * p / parts, known.size() * (p + 1) / parts));
        }
        Dataset<Row> result = userRows(slices, k);
        return type == DataTypes.StringType ? result : result.withColumn(userCol, col(userCol).cast(type));
    }

    /**
     * Top {@code k} users for every known item.
     *
     * @param k users per item, at least 1
     * @return {@code item: string, recommendations: array<struct<user: string, rating: float>>}, one row per
     *     known item, users best first
     * @throws IllegalArgumentException if {@code k} is below 1
     */
    public Dataset<Row> recommendForAllItems(int k) {
        requirePositive(k);
        Broadcast<TrainedModel> b = whole();
        int block = blockSize;
        JavaRDD<Row> rows = indexRange(model.items().size()).mapPartitions(new KnownItems(b))
                .mapPartitions(ids -> new Blocks<String, Row>(ids, block, batch -> {
                    List<Row> out = new ArrayList<>(batch.size());
                    for (ItemRecommendations r : ExecutorRecommenders.get(b).recommendUsers(batch, k)) {
                        out.add(RowFactory.create(r.itemId(), structs(r.users())));
                    }
                    return out;
                }));
        return spark.createDataFrame(rows, schema(itemCol, userCol));
    }

    /**
     * Adds a prediction column: the predicted rating of each row's (user, item). Rows whose user or item is
     * unknown (or null) get NaN under the cold-start strategy {@code nan}, and are dropped under {@code drop}.
     *
     * @param dataset any Dataset with the user and item columns
     * @return the Dataset with a float column named by {@link Builder#optPredictionCol}
     * @throws IllegalArgumentException if a column is missing
     */
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        column(schema, userCol, "user", "optUserCol");
        column(schema, itemCol, "item", "optItemCol");
        if (Arrays.asList(schema.fieldNames()).contains(predictionCol)) {
            throw new IllegalArgumentException("the Dataset already has a column '" + predictionCol + "'; choose"
                    + " another with optPredictionCol(...)");
        }
        Broadcast<TrainedModel> b = whole();
        UserDefinedFunction predict = udf((UDF2<String, String, Float>) (user, item) -> {
            Recommender r = ExecutorRecommenders.get(b);
            return user != null && item != null && r.knowsUser(user) && r.knowsItem(item)
                    ? r.predict(user, item) : Float.NaN;
        }, DataTypes.FloatType);
        Dataset<Row> out = dataset.withColumn(predictionCol,
                predict.apply(col(userCol).cast(DataTypes.StringType), col(itemCol).cast(DataTypes.StringType)));
        return coldStartStrategy.equals("drop") ? out.filter(not(isnan(col(predictionCol)))) : out;
    }

    /**
     * Flattens recommendations into the top-N table the command-line tools write: {@code user, item, rank,
     * score}, rank 1 = best, one row per recommended item.
     *
     * @param recommendations the result of {@link #recommendForAllUsers} or {@link #recommendForUserSubset}
     * @return the flat table, columns named exactly {@code user}, {@code item}, {@code rank}, {@code score}
     */
    public Dataset<Row> topNTable(Dataset<Row> recommendations) {
        return recommendations
                .select(col(userCol).as("user"), posexplode(col("recommendations")).as(new String[] {"pos", "rec"}))
                .select(col("user"), col("rec." + itemCol).as("item"), col("pos").plus(1).as("rank"),
                        col("rec.rating").as("score"));
    }

    /**
     * Scores user rows on the executors: one slice per partition, travelling with its task, scored a block of
     * {@link Builder#optBlockSize} users at a time against the broadcast item side.
     */
    private Dataset<Row> userRows(List<UserRows> slices, int k) {
        Broadcast<ItemSide> items = itemSide;
        int block = blockSize;
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(slices, Math.max(1, slices.size()))
                .mapPartitions(parts -> {
                    Recommender r = items.value().recommender();
                    Iterator<UserRows> blocks = new SliceBlocks(parts, block);
                    return new Blocks<UserRows, Row>(blocks, 1, one -> {
                        List<Row> out = new ArrayList<>(one.get(0).size());
                        for (UserRecommendations u : r.recommend(one.get(0), k)) {
                            out.add(RowFactory.create(u.userId(), structs(u.items())));
                        }
                        return out;
                    });
                });
        return spark.createDataFrame(rows, schema(userCol, itemCol));
    }

    private static Row[] structs(List<ScoredId> scored) {
        Row[] out = new Row[scored.size()];
        for (int n = 0; n < out.length; n++) {
            out[n] = RowFactory.create(scored.get(n).id(), scored.get(n).score());
        }
        return out;
    }

    /** Spark ALS's schema: {@code key, recommendations: array<struct<other, rating>>}. */
    static StructType schema(String key, String other) {
        StructType entry = new StructType().add(other, DataTypes.StringType, false)
                .add("rating", DataTypes.FloatType, false);
        return new StructType().add(key, DataTypes.StringType, false)
                .add("recommendations", DataTypes.createArrayType(entry, false), false);
    }

    /** The indices {@code 0..size-1} split evenly over the partitions. */
    private JavaRDD<Long> indexRange(int size) {
        return spark.range(0, size, 1, Math.max(1, Math.min(numPartitions, size))).toJavaRDD();
    }

    private static StructField column(StructType schema, String name, String role, String option) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) {
                DataType type = f.dataType();
                if (type instanceof StructType || type instanceof org.apache.spark.sql.types.ArrayType
                        || type instanceof org.apache.spark.sql.types.MapType || type == DataTypes.BinaryType) {
                    throw new IllegalArgumentException("the " + role + " column '" + name + "' has type "
                            + type.simpleString() + "; ids must be single values (string, integer, long, ...)");
                }
                return f;
            }
        }
        throw new IllegalArgumentException("the " + role + " column '" + name + "' is not in the Dataset, whose"
                + " columns are " + Arrays.toString(schema.fieldNames()) + "; choose it with " + option + "(...)");
    }

    private static void requirePositive(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
    }

    /** A partition's slices of user rows, handed out in blocks of at most {@code block} users. */
    private static final class SliceBlocks implements Iterator<UserRows> {

        private final Iterator<UserRows> slices;
        private final int block;
        private UserRows slice;
        private int from;

        SliceBlocks(Iterator<UserRows> slices, int block) {
            this.slices = slices;
            this.block = block;
        }

        @Override
        public boolean hasNext() {
            while ((slice == null || from >= slice.size()) && slices.hasNext()) {
                slice = slices.next();
                from = 0;
            }
            return slice != null && from < slice.size();
        }

        @Override
        public UserRows next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            int to = Math.min(slice.size(), from + block);
            UserRows b = slice.slice(from, to);
            from = to;
            return b;
        }
    }

    /** Turns a partition of item indices into the ids of the known items. */
    private static final class KnownItems
            implements org.apache.spark.api.java.function.FlatMapFunction<Iterator<Long>, String> {

        private static final long serialVersionUID = 1L;

        private final Broadcast<TrainedModel> model;

        KnownItems(Broadcast<TrainedModel> model) {
            this.model = model;
        }

        @Override
        public Iterator<String> call(Iterator<Long> indices) {
            List<String> ids = model.value().items().ids();
            Recommender r = ExecutorRecommenders.get(model);
            List<String> known = new ArrayList<>();
            while (indices.hasNext()) {
                String id = ids.get((int) (long) indices.next());
                if (r.knowsItem(id)) {
                    known.add(id);
                }
            }
            return known.iterator();
        }
    }

    /** Builds a {@link SparkRecommender}. */
    public static final class Builder {

        private TrainedModel model;
        private String userCol = "user";
        private String itemCol = "item";
        private String predictionCol = "prediction";
        private String coldStartStrategy = "nan";
        private int blockSize = DEFAULT_BLOCK_SIZE;
        private int numPartitions;
        private int approximateEf;
        private org.collab4j.data.FeatureTable itemFeatures;

        Builder() {}

        /**
         * Serves the items of {@code table} the model has not seen from their features (cold start,
         * {@code RecommenderBuilder.optItemFeatures}): they travel with the broadcast item side, so
         * {@link #recommendForAllUsers} and {@link #recommendForUserSubset} recommend them as the single-JVM
         * recommender does. {@link #transform} and {@link #recommendForAllItems} serve the trained items only.
         * Default none.
         *
         * @param table the items' features; the model must be a hybrid one, trained with item features
         * @return this builder
         */
        public Builder optItemFeatures(org.collab4j.data.FeatureTable table) {
            itemFeatures = table;
            return this;
        }

        /**
         * Serves users' top-N ({@link #recommendForAllUsers}, {@link #recommendForUserSubset}) through an
         * approximate index over the items ({@code ItemSide.withApproximateIndex}): each executor JVM builds it from
         * the broadcast item side once, on first use (with all its cores), then every task there asks it for
         * candidates and rescores them exactly. Default 0: exact. Dot models only.
         *
         * @param ef how many candidates a search keeps, e.g. {@code ApproximateIndex.DEFAULT_EF_SEARCH}; 0 for exact
         * @return this builder
         */
        public Builder optApproximate(int ef) {
            approximateEf = ef;
            return this;
        }

        /**
         * Sets the model (required).
         *
         * @param model the model, e.g. {@code SparkRecommender.loadModel(Path.of("movies.c4j"))}
         * @return this builder
         */
        public Builder setModel(TrainedModel model) {
            this.model = model;
            return this;
        }

        /**
         * Sets the user column of the inputs and outputs (default {@code user}, as Spark ALS).
         *
         * @param name the column's name
         * @return this builder
         */
        public Builder optUserCol(String name) {
            userCol = name;
            return this;
        }

        /**
         * Sets the item column of the inputs and outputs (default {@code item}).
         *
         * @param name the column's name
         * @return this builder
         */
        public Builder optItemCol(String name) {
            itemCol = name;
            return this;
        }

        /**
         * Sets the column {@link #transform} adds (default {@code prediction}).
         *
         * @param name the column's name
         * @return this builder
         */
        public Builder optPredictionCol(String name) {
            predictionCol = name;
            return this;
        }

        /**
         * Sets what {@link #transform} does with rows whose user or item is unknown: {@code nan} (default, as
         * Spark ALS) predicts NaN, {@code drop} leaves the row out.
         *
         * @param strategy {@code nan} or {@code drop}, in any case
         * @return this builder
         */
        public Builder optColdStartStrategy(String strategy) {
            coldStartStrategy = strategy == null ? null : strategy.toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * Sets how many users (or items) a task scores at once (default {@value #DEFAULT_BLOCK_SIZE}).
         *
         * @param size at least 1
         * @return this builder
         */
        public Builder optBlockSize(int size) {
            blockSize = size;
            return this;
        }

        /**
         * Sets how many partitions (tasks) {@link #recommendForAllUsers}, {@link #recommendForUserSubset} and
         * {@link #recommendForAllItems} split the users or items into (default: Spark's default parallelism, e.g.
         * 2 for {@code local[2]}). Each users' task carries its users' rows, about {@code 4 · (factors + 1)} bytes
         * a user plus 4 per training item; on a cluster keep that under {@code spark.rpc.message.maxSize} (128 MiB
         * by default), e.g. at least 4 partitions for 1M users at 64 factors.
         *
         * @param partitions at least 1
         * @return this builder
         */
        public Builder optNumPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("the number of partitions must be at least 1, got " + partitions);
            }
            numPartitions = partitions;
            return this;
        }

        /**
         * Builds the recommender and broadcasts the model.
         *
         * @param spark the session
         * @return the recommender
         * @throws IllegalArgumentException if the model is missing or an option is out of range
         */
        public SparkRecommender build(SparkSession spark) {
            if (model == null) {
                throw new IllegalArgumentException("a model is required: setModel(SparkRecommender.loadModel(file))");
            }
            if (!"nan".equals(coldStartStrategy) && !"drop".equals(coldStartStrategy)) {
                throw new IllegalArgumentException("the cold-start strategy must be nan or drop, got "
                        + coldStartStrategy);
            }
            if (blockSize < 1) {
                throw new IllegalArgumentException("the block size must be at least 1, got " + blockSize);
            }
            if (approximateEf < 0) {
                throw new IllegalArgumentException("the approximate search's ef must be at least 1 (0: exact), got "
                        + approximateEf);
            }
            for (String name : new String[] {userCol, itemCol, predictionCol}) {
                if (name == null || name.isEmpty()) {
                    throw new IllegalArgumentException("column names must not be null or empty");
                }
            }
            if (userCol.equals(itemCol)) {
                throw new IllegalArgumentException("the user and item columns must differ, both are '" + userCol
                        + "'");
            }
            return new SparkRecommender(this, spark);
        }
    }
}
