package org.collab4j.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.collab4j.data.IdMap;
import org.collab4j.data.InteractionsSource;
import org.collab4j.data.Ratings;
import org.collab4j.data.ReadOptions;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Ratings (or interactions) from a Spark {@code Dataset<Row>} into a driver-side {@link Ratings}, so that the
 * driver's learner (on its GPU, or its CPU) trains as it does on a file.
 *
 * <pre>{@code
 * Dataset<Row> table = spark.read().parquet("hdfs:///warehouse/ratings");
 * Ratings ratings = SparkRatings.builder().setUserCol("customer").setItemCol("sku").setRatingCol("stars")
 *         .build().collect(table);
 * }</pre>
 *
 * <p><b>As an {@link InteractionsSource}.</b> {@link #source(SparkSession, String, String)} (a csv or Parquet path,
 * read by Spark) and {@link #source(Dataset, String)} (any Dataset) plug a Spark table into the library's input
 * seam: it reads with the same {@link ReadOptions} as a delimited file (duplicates, a rating range, positive
 * weights), applied on the driver to the collected table ({@link ReadOptions#applyTo}); errors name the path or
 * description and a row instead of a line. This is how the library reads Parquet without depending on Hadoop:
 * the reader lives here, beside Spark's, and implements the interface {@code org.collab4j.data} defines.
 *
 * <p><b>How it runs.</b> Ids of any atomic type (string, integer, long, decimal, date...) are cast to strings and
 * mapped to indices in Spark: the distinct ids are sorted and numbered there ({@code zipWithIndex}). Each
 * partition of the indexed ratings is packed on its executor into chunks of primitive arrays (an {@code int[]}
 * of user indices, an {@code int[]} of item indices, a {@code float[]} of ratings), and the driver pulls them one
 * partition at a time ({@code toLocalIterator}) into growing arrays; no {@code Row} object reaches the driver.
 * The id lists come the same way, as {@code String[]} chunks in index order. Driver memory: about 12 bytes a
 * rating plus the ids.
 *
 * <p><b>Checks.</b> Missing columns and unusable types are refused before any job runs, naming the column and
 * the columns there are. Null ids and null or non-finite ratings are found by one counting pass before the data
 * is moved; the error names the column, how many rows and one example row.
 */
public final class SparkRatings implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Rows per chunk sent to the driver: 64k rows are 768 KB, small against Spark's result size limits. */
    static final int CHUNK_ROWS = 1 << 16;
    /**
     * Rows per partition pulled to the driver (48 MB of arrays): {@code toLocalIterator} runs one job per
     * partition and holds one partition at a time, so the data are coalesced to about this size first; with
     * Spark's 200 shuffle partitions a small table would otherwise cost 200 jobs per pull.
     */
    static final long PULL_ROWS = 1L << 22;

    private final String userCol;
    private final String itemCol;
    private final String ratingCol;

    private SparkRatings(Builder builder) {
        userCol = builder.userCol;
        itemCol = builder.itemCol;
        ratingCol = builder.ratingCol;
    }

    /**
     * Returns a builder; the default columns are Spark ALS's, {@code user}, {@code item} and {@code rating}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A column that cannot give ratings: missing, of a type that cannot be an id or a rating, holding null or
     * non-numeric values, or a table without rows. The message advises in the library's terms
     * ({@code setUserCol(...)}, {@code data.na().drop(...)}); {@link #kind()}, {@link #role()}, {@link #column()} and
     * {@link #detail()} let a command line word its own (its options, its file).
     */
    public static final class ColumnException extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        /** What is wrong. */
        public enum Kind {
            /** No column of that name; {@link #detail()} lists the columns there are. */
            MISSING,
            /** The column's type cannot be an id or a rating; {@link #detail()} is the type. */
            TYPE,
            /** Some rows hold null, non-numeric or infinite values; {@link #detail()} counts them, with one. */
            BAD_VALUES,
            /** The table has no rows. */
            NO_ROWS
        }

        private final Kind kind;
        private final String role;
        private final String column;
        private final String detail;

        ColumnException(Kind kind, String role, String column, String detail, String message) {
            super(message);
            this.kind = kind;
            this.role = role;
            this.column = column;
            this.detail = detail;
        }

        /**
         * Returns what is wrong.
         *
         * @return the kind
         */
        public Kind kind() {
            return kind;
        }

        /**
         * Returns the column's role: {@code user}, {@code item} or {@code rating}; null for {@link Kind#NO_ROWS}.
         *
         * @return the role
         */
        public String role() {
            return role;
        }

        /**
         * Returns the column's name as chosen; null for {@link Kind#NO_ROWS}.
         *
         * @return the name
         */
        public String column() {
            return column;
        }

        /**
         * Returns the facts without advice: the columns there are, the type, or the count of bad rows with one.
         *
         * @return the detail
         */
        public String detail() {
            return detail;
        }
    }

    /**
     * Reads a ratings file or folder of part files, as Spark reads it: {@code csv} with a header line (every
     * column read as text, ratings parsed as numbers) or {@code parquet}.
     *
     * @param spark the session
     * @param path a file or folder, local or on any file system Spark knows (hdfs:, s3a:...)
     * @param format {@code csv} or {@code parquet}
     * @return the rows, unchanged
     * @throws IllegalArgumentException if the format is neither
     */
    public static Dataset<Row> read(SparkSession spark, String path, String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> spark.read().option("header", "true").option("inferSchema", "false").csv(path);
            case "parquet" -> spark.read().parquet(path);
            default -> throw new IllegalArgumentException("unknown format '" + format + "': use csv or parquet");
        };
    }

    /**
     * Returns a source that reads a path with Spark ({@link #read(SparkSession, String, String)}) and collects the
     * chosen columns when {@link InteractionsSource#read(ReadOptions)} is called.
     *
     * @param spark the session; it must still run when the source is read
     * @param path a file or folder, local or on any file system Spark knows
     * @param format {@code csv} or {@code parquet}
     * @return the source, described as {@code "<format> <path>"}
     */
    public InteractionsSource source(SparkSession spark, String path, String format) {
        SparkRatings columns = this;
        return new InteractionsSource() {
            @Override
            public Ratings read(ReadOptions options) {
                return options.applyTo(columns.collect(SparkRatings.read(spark, path, format)), description());
            }

            @Override
            public String description() {
                return format.toLowerCase(Locale.ROOT) + " " + path;
            }
        };
    }

    /**
     * Returns a source over a Dataset: {@link #collect(Dataset)}, then the read options.
     *
     * @param data the ratings, with at least the three chosen columns
     * @param description what the Dataset is, for messages (e.g. a table's name)
     * @return the source
     */
    public InteractionsSource source(Dataset<Row> data, String description) {
        SparkRatings columns = this;
        return new InteractionsSource() {
            @Override
            public Ratings read(ReadOptions options) {
                return options.applyTo(columns.collect(data), description);
            }

            @Override
            public String description() {
                return description;
            }
        };
    }

    /**
     * Returns the user id column's name.
     *
     * @return the column name
     */
    public String userCol() {
        return userCol;
    }

    /**
     * Returns the item id column's name.
     *
     * @return the column name
     */
    public String itemCol() {
        return itemCol;
    }

    /**
     * Returns the rating column's name.
     *
     * @return the column name
     */
    public String ratingCol() {
        return ratingCol;
    }

    /**
     * Brings the ratings to the driver as a {@link Ratings} table, ids mapped to indices in Spark (sorted by their
     * string form), rows in the order of the indexed Dataset's partitions. Runs a few Spark jobs: one counting
     * pass, the two id lists, and the ratings.
     *
     * @param data the ratings, with at least the three chosen columns (others are ignored)
     * @return the ratings, without timestamps
     * @throws IllegalArgumentException if a column is missing or has an unusable type, an id or rating is null,
     *     a rating is NaN or infinite or (text) not a number, or there are no rows
     */
    public Ratings collect(Dataset<Row> data) {
        StructType schema = data.schema();
        checkId(schema, userCol, "user");
        checkId(schema, itemCol, "item");
        checkRating(schema, ratingCol);
        Dataset<Row> typed = data.select(col(userCol).cast(DataTypes.StringType).as("u"),
                col(itemCol).cast(DataTypes.StringType).as("i"),
                col(ratingCol).cast(DataTypes.FloatType).as("r"));
        typed = typed.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        try {
            long rows = checkValues(data, typed);
            int pulls = (int) Math.min(Integer.MAX_VALUE, (rows + PULL_ROWS - 1) / PULL_ROWS);
            JavaRDD<String> userIds = sortedIds(typed, "u", pulls);
            JavaRDD<String> itemIds = sortedIds(typed, "i", pulls);
            try {
                IdMap users = IdMap.of(pull(userIds));
                IdMap items = IdMap.of(pull(itemIds));
                Dataset<Row> indexed = typed
                        .join(indexTable(typed.sparkSession(), userIds, "u", "ui"), "u")
                        .join(indexTable(typed.sparkSession(), itemIds, "i", "ii"), "i")
                        .select("ui", "ii", "r").coalesce(pulls);
                return pullRatings(indexed, users, items);
            } finally {
                userIds.unpersist(false);
                itemIds.unpersist(false);
            }
        } finally {
            typed.unpersist(false);
        }
    }

    private static void checkId(StructType schema, String name, String role) {
        DataType type = field(schema, name, role).dataType();
        if (type instanceof StructType || type instanceof org.apache.spark.sql.types.ArrayType
                || type instanceof org.apache.spark.sql.types.MapType || type == DataTypes.BinaryType
                || type == DataTypes.NullType) {
            throw new ColumnException(ColumnException.Kind.TYPE, role, name, type.simpleString(), "the " + role
                    + " id column '" + name + "' has type " + type.simpleString() + "; an id must be a single value"
                    + " (string, integer, long, ...): select or cast a field of it, e.g. col(\"" + name
                    + "\").getField(...)");
        }
    }

    private static void checkRating(StructType schema, String name) {
        DataType type = field(schema, name, "rating").dataType();
        if (!(type instanceof NumericType) && type != DataTypes.StringType) {
            throw new ColumnException(ColumnException.Kind.TYPE, "rating", name, type.simpleString(), "the rating"
                    + " column '" + name + "' has type " + type.simpleString() + "; ratings must be numbers (float,"
                    + " double, int, decimal) or numeric text");
        }
    }

    private static StructField field(StructType schema, String name, String role) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new ColumnException(ColumnException.Kind.MISSING, role, name, Arrays.toString(schema.fieldNames()),
                "the " + role + " column '" + name + "' is not in the Dataset, whose columns are "
                        + Arrays.toString(schema.fieldNames()) + "; choose it with set"
                        + Character.toUpperCase(role.charAt(0)) + role.substring(1) + "Col(...)");
    }

    /** One pass counting the bad values; an error names the column, the count and one offending row. */
    private long checkValues(Dataset<Row> original, Dataset<Row> typed) {
        Column badRating = col("r").isNull().or(isnan(col("r")))
                .or(col("r").equalTo(lit(Float.POSITIVE_INFINITY))).or(col("r").equalTo(lit(Float.NEGATIVE_INFINITY)));
        Row counts = typed.agg(
                sum(when(col("u").isNull(), 1).otherwise(0)),
                sum(when(col("i").isNull(), 1).otherwise(0)),
                sum(when(badRating, 1).otherwise(0)),
                org.apache.spark.sql.functions.count(lit(1))).first();
        long rows = counts.getLong(3);
        if (rows == 0) {
            throw new ColumnException(ColumnException.Kind.NO_ROWS, null, null, "",
                    "the Dataset has no rows: there is nothing to train on");
        }
        String[] names = {userCol, itemCol, ratingCol};
        Column[] tests = {col(userCol).isNull(), col(itemCol).isNull(), null};
        for (int c = 0; c < 3; c++) {
            long bad = counts.isNullAt(c) ? 0 : counts.getLong(c);
            if (bad == 0) {
                continue;
            }
            Column test = c < 2 ? tests[c] : col(ratingCol).isNull()
                    .or(col(ratingCol).cast(DataTypes.FloatType).isNull())
                    .or(isnan(col(ratingCol).cast(DataTypes.FloatType)))
                    .or(col(ratingCol).cast(DataTypes.FloatType).equalTo(lit(Float.POSITIVE_INFINITY)))
                    .or(col(ratingCol).cast(DataTypes.FloatType).equalTo(lit(Float.NEGATIVE_INFINITY)));
            List<Row> example = original.filter(test).limit(1).collectAsList();
            String what = c < 2 ? "a null " + (c == 0 ? "user" : "item") + " id"
                    : "a rating that is null, not a number or infinite";
            String problem = bad + " of " + rows + " rows have " + what + " in column '" + names[c] + "'"
                    + (example.isEmpty() ? "" : ", e.g. " + example.get(0));
            throw new ColumnException(ColumnException.Kind.BAD_VALUES, c == 0 ? "user" : c == 1 ? "item" : "rating",
                    names[c], problem, problem + "; drop or fix them first (e.g. data.na().drop(new String[] {\""
                            + names[c] + "\"}))");
        }
        return rows;
    }

    /**
     * The distinct ids, sorted, one partition after another: the index of an id is its position. Coalescing
     * merges neighbouring partitions, so the order holds. Cached.
     */
    private static JavaRDD<String> sortedIds(Dataset<Row> typed, String column, int partitions) {
        return typed.select(column).distinct().orderBy(column).toJavaRDD().coalesce(partitions)
                .map(row -> row.getString(0))
                .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    }

    /** The ids in index order, pulled as {@code String[]} chunks one partition at a time. */
    private static List<String> pull(JavaRDD<String> ids) {
        List<String> all = new ArrayList<>();
        Iterator<String[]> chunks = ids.mapPartitions(SparkRatings::stringChunks).toLocalIterator();
        while (chunks.hasNext()) {
            all.addAll(Arrays.asList(chunks.next()));
        }
        return all;
    }

    private static Iterator<String[]> stringChunks(Iterator<String> ids) {
        List<String[]> chunks = new ArrayList<>();
        List<String> chunk = new ArrayList<>();
        while (ids.hasNext()) {
            chunk.add(ids.next());
            if (chunk.size() == CHUNK_ROWS) {
                chunks.add(chunk.toArray(new String[0]));
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk.toArray(new String[0]));
        }
        return chunks.iterator();
    }

    /** (id, index) as a table to join on; the index is the id's position in the sorted list. */
    private static Dataset<Row> indexTable(SparkSession spark, JavaRDD<String> ids, String idCol, String indexCol) {
        JavaRDD<Row> rows = ids.zipWithIndex().map(pair -> RowFactory.create(pair._1(), (int) (long) pair._2()));
        StructType schema = new StructType().add(idCol, DataTypes.StringType, false)
                .add(indexCol, DataTypes.IntegerType, false);
        return spark.createDataFrame(rows, schema);
    }

    private static Ratings pullRatings(Dataset<Row> indexed, IdMap users, IdMap items) {
        Iterator<RatingsChunk> chunks = indexed.toJavaRDD().mapPartitions(RatingsChunk::pack).toLocalIterator();
        int[] u = new int[1024];
        int[] i = new int[1024];
        float[] r = new float[1024];
        int size = 0;
        while (chunks.hasNext()) {
            RatingsChunk chunk = chunks.next();
            int n = chunk.users.length;
            if ((long) size + n > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("a Ratings table holds at most " + (Integer.MAX_VALUE - 8)
                        + " ratings; sample or split the Dataset");
            }
            if (size + n > u.length) {
                int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(size + n, size + (size >> 1) + 16L));
                u = Arrays.copyOf(u, capacity);
                i = Arrays.copyOf(i, capacity);
                r = Arrays.copyOf(r, capacity);
            }
            System.arraycopy(chunk.users, 0, u, size, n);
            System.arraycopy(chunk.items, 0, i, size, n);
            System.arraycopy(chunk.ratings, 0, r, size, n);
            size += n;
        }
        return Ratings.ofIndices(users, items, Arrays.copyOf(u, size), Arrays.copyOf(i, size),
                Arrays.copyOf(r, size));
    }

    /** A block of ratings as three primitive arrays, the form they travel to the driver in. */
    static final class RatingsChunk implements Serializable {

        private static final long serialVersionUID = 1L;

        final int[] users;
        final int[] items;
        final float[] ratings;

        RatingsChunk(int[] users, int[] items, float[] ratings) {
            this.users = users;
            this.items = items;
            this.ratings = ratings;
        }

        /** Packs a partition of (user index, item index, rating) rows into chunks of {@link #CHUNK_ROWS}. */
        static Iterator<RatingsChunk> pack(Iterator<Row> rows) {
            List<RatingsChunk> chunks = new ArrayList<>();
            int[] u = new int[CHUNK_ROWS];
            int[] i = new int[CHUNK_ROWS];
            float[] r = new float[CHUNK_ROWS];
            int n = 0;
            while (rows.hasNext()) {
                Row row = rows.next();
                u[n] = row.getInt(0);
                i[n] = row.getInt(1);
                r[n] = row.getFloat(2);
                if (++n == CHUNK_ROWS) {
                    chunks.add(new RatingsChunk(u, i, r));
                    u = new int[CHUNK_ROWS];
                    i = new int[CHUNK_ROWS];
                    r = new float[CHUNK_ROWS];
                    n = 0;
                }
            }
            if (n > 0) {
                chunks.add(new RatingsChunk(Arrays.copyOf(u, n), Arrays.copyOf(i, n), Arrays.copyOf(r, n)));
            }
            return chunks.iterator();
        }
    }

    /** Builds {@link SparkRatings}. */
    public static final class Builder {

        private String userCol = "user";
        private String itemCol = "item";
        private String ratingCol = "rating";

        Builder() {}

        /**
         * Sets the user id column (default {@code user}).
         *
         * @param name the column's name
         * @return this builder
         */
        public Builder setUserCol(String name) {
            userCol = name;
            return this;
        }

        /**
         * Sets the item id column (default {@code item}).
         *
         * @param name the column's name
         * @return this builder
         */
        public Builder setItemCol(String name) {
            itemCol = name;
            return this;
        }

        /**
         * Sets the rating column (default {@code rating}). For implicit interactions, a column of 1s (or counts).
         *
         * @param name the column's name
         * @return this builder
         */
        public Builder setRatingCol(String name) {
            ratingCol = name;
            return this;
        }

        /**
         * Builds the reader.
         *
         * @return the reader
         * @throws IllegalArgumentException if a column name is null or empty
         */
        public SparkRatings build() {
            for (String name : new String[] {userCol, itemCol, ratingCol}) {
                if (name == null || name.isEmpty()) {
                    throw new IllegalArgumentException("column names must not be null or empty");
                }
            }
            return new SparkRatings(this);
        }
    }
}
