package org.collab4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.collab4j.io.ModelFormatException;
import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.ItemRecommendations;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.ScoredId;
import org.collab4j.recommend.UserRecommendations;
import org.collab4j.util.InputFileException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

class SparkRecommenderTest {

    private static SparkSession spark;
    private static TrainedModel model;
    private static Recommender single;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkTests.session();
        model = SparkTests.model(40, 30);
        single = Recommender.of(model);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** key → [(id, score)...] from an ALS-shaped result. */
    private static Map<String, List<String>> lists(Dataset<Row> result) {
        Map<String, List<String>> out = new HashMap<>();
        for (Row row : result.collectAsList()) {
            List<String> entries = new ArrayList<>();
            for (Row entry : row.<Row>getList(1)) {
                entries.add(entry.getString(0) + " " + Float.floatToIntBits(entry.getFloat(1)));
            }
            out.put(String.valueOf(row.get(0)), entries);
        }
        return out;
    }

    private static List<String> expected(List<ScoredId> scored) {
        return scored.stream().map(s -> s.id() + " " + Float.floatToIntBits(s.score())).toList();
    }

    @Test
    void recommendForAllUsersIsTheSingleJvmRecommenderBitForBitInAlsSchema() {
        // Blocks of 3 users over 3 partitions: several blocks per task, a partial block at each end.
        SparkRecommender recommender = SparkRecommender.builder().setModel(model).optBlockSize(3)
                .optNumPartitions(3).build(spark);
        Dataset<Row> result = recommender.recommendForAllUsers(5);
        assertEquals("struct<user:string,recommendations:array<struct<item:string,rating:float>>>",
                result.schema().simpleString());
        Map<String, List<String>> got = lists(result);
        Map<String, List<String>> want = new HashMap<>();
        single.recommendAll(5, 7, batch -> batch.forEach(u -> want.put(u.userId(), expected(u.items()))));
        assertTrue(want.size() > 30, "most users are known");
        assertEquals(want, got);

        Dataset<Row> flat = recommender.topNTable(result);
        assertEquals(List.of("user", "item", "rank", "score"), List.of(flat.columns()));
        Row first = flat.filter("rank = 1").orderBy("user").first();
        UserRecommendations top = single.recommend(List.of(first.getString(0)), 5).get(0);
        assertEquals(top.items().get(0).id(), first.getString(1));
        assertEquals(want.size() * 5L, flat.count());
        assertFalse(recommender.broadcastsWholeModel(), "only the item side is broadcast for users' top-N");
    }

    @Test
    void newItemsServedFromTheirFeaturesTravelWithTheItemSide() {
        // A hybrid model by hand: two features whose vectors are the first two items' rows scaled up, so that the
        // new items score high enough to be recommended.
        float[] rows = model.factors(org.collab4j.kernel.Side.ITEMS).rows();
        float[] vectors = new float[8];
        for (int d = 0; d < 8; d++) {
            vectors[d] = 3 * rows[d];
        }
        TrainedModel hybrid = model.withFeatures(org.collab4j.kernel.Side.ITEMS, new org.collab4j.io.FeatureEmbeddings(
                List.of("f0", "f1"), 4, vectors, new float[] {1f, 1f}, true));
        org.collab4j.data.FeatureTable table = org.collab4j.data.FeatureTable.of(
                org.collab4j.data.IdMap.of(List.of("new0", "new1")), List.of("f0", "f1"),
                org.collab4j.kernel.FeatureMatrix.of(new int[] {0, 1, 3}, new int[] {0, 0, 1},
                        new float[] {1, 1, 1}, 2), "new-items.csv");
        Recommender served = Recommender.builder().setModel(hybrid).optItemFeatures(table).build();
        Map<String, List<String>> want = new HashMap<>();
        served.recommendAll(5, 7, batch -> batch.forEach(u -> want.put(u.userId(), expected(u.items()))));
        assertTrue(want.values().stream().anyMatch(l -> l.stream().anyMatch(e -> e.startsWith("new"))), want
                .toString());
        SparkRecommender recommender = SparkRecommender.builder().setModel(hybrid).optItemFeatures(table)
                .optNumPartitions(2).build(spark);
        assertEquals(want, lists(recommender.recommendForAllUsers(5)));
    }

    @Test
    void theExecutorsBuildAnIndexWhenAskedAndKeepTheListsContract() {
        // 30 items and ef 50: each search keeps every item it reaches, which here is all of them, so the lists are
        // the single JVM's exact ones; the approximate lists themselves are ApproximateIndexTest's.
        SparkRecommender recommender = SparkRecommender.builder().setModel(model).optApproximate(50)
                .optNumPartitions(2).build(spark);
        Map<String, List<String>> want = new HashMap<>();
        single.recommendAll(3, 7, batch -> batch.forEach(u -> want.put(u.userId(), expected(u.items()))));
        assertEquals(want, lists(recommender.recommendForAllUsers(3)));
        assertThrows(IllegalArgumentException.class, () -> SparkRecommender.builder().setModel(model)
                .optApproximate(-1).build(spark));
    }

    @Test
    void recommendForUserSubsetKeepsTheIdTypeAndLeavesOutUnknownAndNullUsers() {
        SparkRecommender recommender = SparkRecommender.builder().setModel(model).optUserCol("customer")
                .optItemCol("product").build(spark);
        StructType schema = new StructType().add("customer", DataTypes.StringType);
        Dataset<Row> users = spark.createDataFrame(List.of(RowFactory.create("u3"), RowFactory.create("u3"),
                RowFactory.create("nobody"), RowFactory.create((Object) null), RowFactory.create("u7")), schema);
        Dataset<Row> result = recommender.recommendForUserSubset(users, 2);
        assertEquals("struct<customer:string,recommendations:array<struct<product:string,rating:float>>>",
                result.schema().simpleString());
        Map<String, List<String>> got = lists(result);
        assertEquals(Map.of("u3", expected(single.recommend("u3", 2)), "u7", expected(single.recommend("u7", 2))),
                got);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> recommender.recommendForUserSubset(users.withColumnRenamed("customer", "user"), 2));
        assertTrue(e.getMessage().contains("user column 'customer' is not in the Dataset"), e.getMessage());
    }

    @Test
    void recommendForAllItemsIsRecommendUsers() {
        SparkRecommender recommender = SparkRecommender.builder().setModel(model).optBlockSize(4).build(spark);
        Dataset<Row> result = recommender.recommendForAllItems(3);
        assertEquals("struct<item:string,recommendations:array<struct<user:string,rating:float>>>",
                result.schema().simpleString());
        Map<String, List<String>> want = new HashMap<>();
        List<String> known = model.items().ids().stream().filter(single::knowsItem).toList();
        for (ItemRecommendations r : single.recommendUsers(known, 3)) {
            want.put(r.itemId(), expected(r.users()));
        }
        assertEquals(want, lists(result));
    }

    @Test
    void transformPredictsKnownPairsAndFollowsTheColdStartStrategy() {
        StructType schema = new StructType().add("user", DataTypes.StringType).add("item", DataTypes.StringType)
                .add("note", DataTypes.IntegerType);
        Dataset<Row> pairs = spark.createDataFrame(List.of(RowFactory.create("u1", "i2", 1),
                RowFactory.create("nobody", "i2", 2), RowFactory.create("u1", null, 3)), schema);
        List<Row> nan = SparkRecommender.builder().setModel(model).build(spark).transform(pairs).orderBy("note")
                .collectAsList();
        assertEquals(3, nan.size());
        assertEquals(single.predict("u1", "i2"), nan.get(0).getFloat(3));
        assertTrue(Float.isNaN(nan.get(1).getFloat(3)));
        assertTrue(Float.isNaN(nan.get(2).getFloat(3)));
        List<Row> drop = SparkRecommender.builder().setModel(model).optColdStartStrategy("DROP")
                .optPredictionCol("stars").build(spark).transform(pairs).collectAsList();
        assertEquals(1, drop.size());
        assertEquals(single.predict("u1", "i2"), drop.get(0).getFloat(3));
        IllegalArgumentException strategy = assertThrows(IllegalArgumentException.class,
                () -> SparkRecommender.builder().setModel(model).optColdStartStrategy("zero").build(spark));
        assertTrue(strategy.getMessage().contains("nan or drop"), strategy.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SparkRecommender.builder().setModel(model).build(spark).transform(pairs.drop("item")));
        assertTrue(missing.getMessage().contains("item column 'item' is not in the Dataset"), missing.getMessage());
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> SparkRecommender.builder().setModel(model).optPredictionCol("note").build(spark)
                        .transform(pairs));
        assertTrue(taken.getMessage().contains("'note'"), taken.getMessage());
    }

    @Test
    void modelFilesAreReadOnTheDriverWithErrorsNamingTheFile() throws IOException {
        Path missing = dir.resolve("missing.c4j");
        InputFileException e = assertThrows(InputFileException.class, () -> SparkRecommender.loadModel(missing));
        assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("no such file"),
                e.getMessage());
        Path damaged = dir.resolve("damaged.c4j");
        model.save(damaged);
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(damaged, bytes);
        ModelFormatException bad = assertThrows(ModelFormatException.class, () -> SparkRecommender.loadModel(damaged));
        assertTrue(bad.getMessage().contains(damaged.toString()), bad.getMessage());
        InputFileException folder = assertThrows(InputFileException.class, () -> SparkRecommender.loadModel(dir));
        assertTrue(folder.getMessage().contains(dir.toString()), folder.getMessage());
        Path good = dir.resolve("good.c4j");
        model.save(good);
        assertFalse(SparkRecommender.loadModel(good).users().ids().isEmpty());
    }
}
