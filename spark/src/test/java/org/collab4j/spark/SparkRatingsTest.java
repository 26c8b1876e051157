package org.collab4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.collab4j.data.DuplicatePolicy;
import org.collab4j.data.InteractionsSource;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFile;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.ReadOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

class SparkRatingsTest {

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkTests.session();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static final StructType LONG_IDS = new StructType().add("customer", DataTypes.LongType)
            .add("sku", DataTypes.StringType).add("stars", DataTypes.DoubleType).add("extra", DataTypes.StringType);

    private static Dataset<Row> table(Row... rows) {
        return spark.createDataFrame(List.of(rows), LONG_IDS).repartition(3);
    }

    private static Set<String> triples(Ratings ratings) {
        Set<String> out = new HashSet<>();
        for (int row = 0; row < ratings.size(); row++) {
            out.add(ratings.users().id(ratings.user(row)) + "|" + ratings.items().id(ratings.item(row)) + "|"
                    + ratings.rating(row));
        }
        return out;
    }

    private static SparkRatings reader() {
        return SparkRatings.builder().setUserCol("customer").setItemCol("sku").setRatingCol("stars").build();
    }

    @Test
    void collectsChosenColumnsOfAnyIdTypeWithIdsIndexedInSpark() {
        Dataset<Row> data = table(RowFactory.create(10L, "a", 4.0, "x"), RowFactory.create(2L, "b", 3.5, "y"),
                RowFactory.create(10L, "b", 1.0, null), RowFactory.create(7L, "c", 5.0, "z"),
                RowFactory.create(2L, "c", 2.0, "w"));
        Ratings ratings = reader().collect(data);
        assertEquals(5, ratings.size());
        // Sorted by their text: "10" < "2" < "7".
        assertEquals(List.of("10", "2", "7"), ratings.users().ids());
        assertEquals(List.of("a", "b", "c"), ratings.items().ids());
        assertEquals(Set.of("10|a|4.0", "2|b|3.5", "10|b|1.0", "7|c|5.0", "2|c|2.0"), triples(ratings));
    }

    @Test
    void largeTablesTravelInSeveralChunks() {
        Ratings expected = SparkTests.ratings(400, 500);
        StructType schema = new StructType().add("user", DataTypes.StringType).add("item", DataTypes.StringType)
                .add("rating", DataTypes.FloatType);
        List<Row> rows = new java.util.ArrayList<>();
        for (int row = 0; row < expected.size(); row++) {
            rows.add(RowFactory.create(expected.users().id(expected.user(row)),
                    expected.items().id(expected.item(row)), expected.rating(row)));
        }
        assertTrue(rows.size() > SparkRatings.CHUNK_ROWS, "the test needs more than one chunk");
        Ratings got = SparkRatings.builder().build().collect(spark.createDataFrame(rows, schema).repartition(2));
        assertEquals(expected.size(), got.size());
        assertEquals(triples(expected), triples(got));
    }

    @Test
    void readsCsvAndParquet() throws IOException {
        Path csv = dir.resolve("ratings.csv");
        Files.writeString(csv, "userId,movieId,rating,timestamp\n1,31,2.5,9\n1,1029,3.0,9\n2,31,4.0,9\n");
        SparkRatings movieLens = SparkRatings.builder().setUserCol("userId").setItemCol("movieId").build();
        Ratings fromCsv = movieLens.collect(SparkRatings.read(spark, csv.toString(), "csv"));
        assertEquals(Set.of("1|31|2.5", "1|1029|3.0", "2|31|4.0"), triples(fromCsv));
        String parquet = dir.resolve("ratings.parquet").toString();
        SparkRatings.read(spark, csv.toString(), "csv").write().parquet(parquet);
        assertEquals(triples(fromCsv), triples(movieLens.collect(SparkRatings.read(spark, parquet, "PARQUET"))));
        assertThrows(IllegalArgumentException.class, () -> SparkRatings.read(spark, parquet, "json"));
    }

    @Test
    void aParquetTableIsAnInteractionsSourceReadUnderTheSameOptionsAsAFile() throws IOException {
        Path csv = dir.resolve("dups.csv");
        Files.writeString(csv, "userId,movieId,rating,timestamp\n1,31,2.5,9\n1,1029,3.0,9\n2,31,4.0,9\n1,31,4.5,9\n");
        String parquet = dir.resolve("dups.parquet").toString();
        SparkRatings.read(spark, csv.toString(), "csv").write().parquet(parquet);
        SparkRatings movieLens = SparkRatings.builder().setUserCol("userId").setItemCol("movieId").build();
        InteractionsSource table = movieLens.source(spark, parquet, "parquet");
        InteractionsSource file = RatingsFile.of(csv, RatingsFormat.MOVIELENS_CSV);
        assertEquals("parquet " + parquet, table.description());
        for (DuplicatePolicy policy : new DuplicatePolicy[] {DuplicatePolicy.KEEP_ALL, DuplicatePolicy.MEAN}) {
            ReadOptions options = ReadOptions.builder().optDuplicates(policy).build();
            assertEquals(triples(file.read(options)), triples(table.read(options)), policy.name());
        }
        assertEquals(Set.of("1|31|3.5", "1|1029|3.0", "2|31|4.0"), triples(table.read(
                ReadOptions.builder().optDuplicates(DuplicatePolicy.MEAN).build())));
        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class, () -> table.read(
                ReadOptions.builder().optDuplicates(DuplicatePolicy.ERROR).build()));
        assertTrue(duplicate.getMessage().startsWith("parquet " + parquet + ": user \"1\" rated item \"31\" more"
                + " than once"), duplicate.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> table.read(
                ReadOptions.builder().optRatingRange(3f, 5f).build()));
        assertTrue(range.getMessage().startsWith("1 of 4 rows of parquet " + parquet + " have a rating outside [3.0,"
                + " 5.0], e.g. row "), range.getMessage());
        Dataset<Row> frame = SparkRatings.read(spark, parquet, "parquet");
        assertEquals(triples(movieLens.collect(frame)), triples(movieLens.source(frame, "the frame").read()));
    }

    @Test
    void missingOrMistypedColumnsAreRefusedBeforeAnyJobNamingTheColumn() {
        Dataset<Row> data = table(RowFactory.create(1L, "a", 4.0, "x"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SparkRatings.builder().setUserCol("customer").setItemCol("product").setRatingCol("stars")
                        .build().collect(data));
        assertTrue(missing.getMessage().contains("'product'") && missing.getMessage().contains("sku"),
                missing.getMessage());
        Dataset<Row> structIds = data.selectExpr("named_struct('id', customer) AS customer", "sku", "stars");
        IllegalArgumentException struct = assertThrows(IllegalArgumentException.class,
                () -> reader().collect(structIds));
        assertTrue(struct.getMessage().contains("'customer'") && struct.getMessage().contains("struct"),
                struct.getMessage());
        Dataset<Row> boolRatings = data.selectExpr("customer", "sku", "stars > 3 AS stars");
        IllegalArgumentException bool = assertThrows(IllegalArgumentException.class,
                () -> reader().collect(boolRatings));
        assertTrue(bool.getMessage().contains("rating column 'stars'") && bool.getMessage().contains("boolean"),
                bool.getMessage());
    }

    @Test
    void nullIdsAndBadRatingsAreRefusedNamingTheColumnAndARow() {
        IllegalArgumentException nullUser = assertThrows(IllegalArgumentException.class, () -> reader().collect(
                table(RowFactory.create(1L, "a", 4.0, "x"), RowFactory.create(null, "b", 3.0, "y"))));
        assertTrue(nullUser.getMessage().startsWith("1 of 2 rows have a null user id in column 'customer'"),
                nullUser.getMessage());
        assertTrue(nullUser.getMessage().contains("[null,b,3.0,y]"), nullUser.getMessage());
        IllegalArgumentException nullItem = assertThrows(IllegalArgumentException.class, () -> reader().collect(
                table(RowFactory.create(1L, null, 4.0, "x"))));
        assertTrue(nullItem.getMessage().contains("null item id in column 'sku'"), nullItem.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> reader().collect(
                table(RowFactory.create(1L, "a", Double.NaN, "x"), RowFactory.create(1L, "b", null, "x"))));
        assertTrue(nan.getMessage().startsWith("2 of 2 rows have a rating that is null, not a number or infinite in"
                + " column 'stars'"), nan.getMessage());
        StructType text = new StructType().add("user", DataTypes.StringType).add("item", DataTypes.StringType)
                .add("rating", DataTypes.StringType);
        IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class, () -> SparkRatings
                .builder().build().collect(spark.createDataFrame(List.of(RowFactory.create("1", "2", "four")),
                        text)));
        assertTrue(notNumber.getMessage().contains("[1,2,four]"), notNumber.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> reader().collect(table()));
        assertTrue(empty.getMessage().contains("no rows"), empty.getMessage());
    }
}
