package org.collab4j.spark.app;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.collab4j.data.Ratings;
import org.collab4j.data.SyntheticRatings;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.recommend.RankingEvaluation;
import org.collab4j.recommend.Recommender;
import org.collab4j.spark.SparkRatings;
import org.collab4j.spark.SparkRecommender;
import org.collab4j.train.CollabLearner;
import org.collab4j.recommend.Evaluation;
import org.collab4j.train.optimizer.Adam;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code bench}: speed of {@code recommendForAllUsers} on a synthetic model against the single-JVM recommender
 * and Spark ALS, and (with {@code --s1-model}) RMSE and NDCG@10 of Collab4J and ALS on one split with one
 * evaluator. Prints one {@code RESULT} line per figure.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark recommendForAllUsers against the single-JVM Recommender and Spark ALS; compare RMSE"
                + " and NDCG@10 with ALS on a train/valid split. Prints RESULT lines.")
final class Bench implements Callable<Integer> {

    @Mixin
    SparkOptions sparkOptions;

    @Option(names = "--users", description = "synthetic users (default: ${DEFAULT-VALUE}); 0 skips the speed part")
    int users = 20_000;

    @Option(names = "--items", description = "synthetic items (default: ${DEFAULT-VALUE})")
    int items = 100_000;

    @Option(names = "--ratings", description = "synthetic ratings (default: ${DEFAULT-VALUE})")
    int ratings = 1_000_000;

    @Option(names = "--factors", description = "factors (default: ${DEFAULT-VALUE})")
    int factors = 64;

    @Option(names = "-k", description = "items per user (default: ${DEFAULT-VALUE})")
    int k = 10;

    @Option(names = "--partitions", split = ",", description = "partition counts to time (default: 1,2,4)")
    int[] partitions = {1, 2, 4};

    @Option(names = "--no-single-jvm", description = "skip timing the single-JVM Recommender.recommendAll")
    boolean noSingleJvm;

    @Option(names = "--als-users", paramLabel = "N", description = "time ALS's recommendForUserSubset on the first"
            + " N users instead of recommendForAllUsers, and scale it to all users (default: all users)")
    int alsUsers;

    @Option(names = "--als-iter", description = "ALS iterations (default: ${DEFAULT-VALUE})")
    int alsIterations = 10;

    @Option(names = "--als-reg", description = "ALS regularisation (default: ${DEFAULT-VALUE})")
    double alsReg = 0.1;

    @Option(names = "--s1-model", paramLabel = "M", description = "a Collab4J model trained on --s1-train")
    Path s1Model;

    @Option(names = "--s1-train", paramLabel = "CSV", description = "the split's training ratings (MovieLens csv)")
    String s1Train;

    @Option(names = "--s1-valid", paramLabel = "CSV", description = "the split's held-out ratings")
    String s1Valid;

    @Option(names = "--s1-rank", description = "ALS rank on the split (default: ${DEFAULT-VALUE})")
    int s1Rank = 50;

    @Override
    public Integer call() throws IOException {
        SparkSession spark = sparkOptions.session("collab4j bench");
        try {
            if (users > 0) {
                speed(spark);
            }
            if (s1Model != null) {
                quality(spark);
            }
        } finally {
            spark.stop();
        }
        return 0;
    }

    private static void result(String format, Object... args) {
        System.out.println("RESULT " + String.format(Locale.ROOT, format, args));
    }

    private void speed(SparkSession spark) {
        Ratings data = SyntheticRatings.builder().setUsers(users).setItems(items).setRatings(ratings).optSeed(1)
                .build().generate();
        long t0 = System.nanoTime();
        TrainedModel model;
        try (CollabLearner learner = CollabLearner.builder().setData(org.collab4j.data.Splits.random(data, 0.01, 1))
                .optModel(EmbeddingDotBias.builder().optFactors(factors))
                .optOptimizer(Adam.builder().optWeightDecay(0.1f).build())
                .optBatchSize(8192).optProgressBar(false).optOutput(null).build()) {
            learner.fitOneCycle(1, 5e-3f);
            model = learner.fittedModel();
        }
        result("synthetic users=%d items=%d ratings=%d factors=%d k=%d; collab4j fit (1 epoch, driver) %.1f s",
                users, items, ratings, factors, k, (System.nanoTime() - t0) / 1e9);

        double singleSeconds = Double.NaN;
        if (!noSingleJvm) {
            Recommender single = Recommender.of(model);
            t0 = System.nanoTime();
            long[] rows = {0};
            single.recommendAll(k, 1024, batch -> rows[0] += batch.size());
            singleSeconds = (System.nanoTime() - t0) / 1e9;
            result("single-JVM Recommender.recommendAll (1 thread): %.1f s for %d users", singleSeconds, rows[0]);
        }

        double macs = (double) users * items * factors;
        for (int p : partitions) {
            SparkRecommender recommender = SparkRecommender.builder().setModel(model).optNumPartitions(p)
                    .build(spark);
            t0 = System.nanoTime();
            recommender.recommendForAllUsers(k).write().format("noop").mode("overwrite").save();
            double seconds = (System.nanoTime() - t0) / 1e9;
            result("collab4j recommendForAllUsers partitions=%d: %.1f s (%s the single JVM; %.2f GMAC/s)", p,
                    seconds, Double.isNaN(singleSeconds) ? "not timed:"
                            : String.format(Locale.ROOT, "%.2fx", singleSeconds / seconds), macs / seconds / 1e9);
        }

        Dataset<Row> frame = frame(spark, data).cache();
        frame.count();
        ALS als = new ALS().setRank(factors).setMaxIter(alsIterations).setRegParam(alsReg).setSeed(1)
                .setUserCol("user").setItemCol("item").setRatingCol("rating").setColdStartStrategy("drop");
        t0 = System.nanoTime();
        ALSModel alsModel = als.fit(frame);
        result("ALS fit rank=%d maxIter=%d: %.1f s", factors, alsIterations, (System.nanoTime() - t0) / 1e9);
        if (alsUsers > 0 && alsUsers < users) {
            Dataset<Row> subset = spark.range(0, alsUsers).selectExpr("cast(id as int) as user").cache();
            subset.count();
            t0 = System.nanoTime();
            alsModel.recommendForUserSubset(subset, k).write().format("noop").mode("overwrite").save();
            double seconds = (System.nanoTime() - t0) / 1e9;
            result("ALS recommendForUserSubset on %d users: %.1f s; scaled to %d users: %.0f s (an extrapolation)",
                    alsUsers, seconds, users, seconds * users / alsUsers);
        } else {
            t0 = System.nanoTime();
            alsModel.recommendForAllUsers(k).write().format("noop").mode("overwrite").save();
            result("ALS recommendForAllUsers: %.1f s", (System.nanoTime() - t0) / 1e9);
        }
        frame.unpersist();
    }

    /** The ratings as a (user int, item int, rating float) DataFrame built on the executors from array chunks. */
    private static Dataset<Row> frame(SparkSession spark, Ratings data) {
        int[] u = data.userIndices();
        int[] i = data.itemIndices();
        float[] r = data.ratingValues();
        List<int[][]> chunks = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (int start = 0; start < u.length; start += 1 << 16) {
            int end = Math.min(u.length, start + (1 << 16));
            chunks.add(new int[][] {java.util.Arrays.copyOfRange(u, start, end),
                java.util.Arrays.copyOfRange(i, start, end)});
            values.add(java.util.Arrays.copyOfRange(r, start, end));
        }
        List<Integer> ids = new ArrayList<>();
        for (int c = 0; c < chunks.size(); c++) {
            ids.add(c);
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        var chunkB = jsc.broadcast(chunks);
        var valueB = jsc.broadcast(values);
        JavaRDD<Row> rows = jsc.parallelize(ids, spark.sparkContext().defaultParallelism()).flatMap(c -> {
            int[][] ui = chunkB.value().get(c);
            float[] rv = valueB.value().get(c);
            List<Row> out = new ArrayList<>(rv.length);
            for (int n = 0; n < rv.length; n++) {
                out.add(RowFactory.create(ui[0][n], ui[1][n], rv[n]));
            }
            return out.iterator();
        });
        StructType schema = new StructType().add("user", DataTypes.IntegerType).add("item", DataTypes.IntegerType)
                .add("rating", DataTypes.FloatType);
        return spark.createDataFrame(rows, schema);
    }

    private void quality(SparkSession spark) throws IOException {
        if (s1Train == null || s1Valid == null) {
            throw new IllegalArgumentException("--s1-model needs --s1-train and --s1-valid");
        }
        SparkRatings reader = SparkRatings.builder().setUserCol("userId").setItemCol("movieId").build();
        Dataset<Row> trainRows = SparkRatings.read(spark, s1Train, "csv");
        Dataset<Row> validRows = SparkRatings.read(spark, s1Valid, "csv");
        Ratings train = reader.collect(trainRows);
        Ratings valid = reader.collect(validRows);

        Recommender ours = Recommender.of(SparkRecommender.loadModel(s1Model));
        Evaluation eval = ours.evaluate(valid);
        RankingEvaluation rank = ours.evaluateRanking(valid, 10, 4f);
        result("S1 collab4j %s: RMSE %.4f over %d rows; NDCG@10 %.4f P@10 %.4f recall@10 %.4f coverage %.3f (%d users)",
                s1Model.getFileName(), eval.rmse(), eval.count(), rank.ndcg(), rank.precision(), rank.recall(),
                rank.coverage(), rank.users());

        Dataset<Row> alsTrain = ints(trainRows).cache();
        ALS als = new ALS().setRank(s1Rank).setMaxIter(alsIterations).setRegParam(alsReg).setSeed(1)
                .setUserCol("user").setItemCol("item").setRatingCol("rating").setColdStartStrategy("drop");
        long t0 = System.nanoTime();
        ALSModel model = als.fit(alsTrain);
        double fit = (System.nanoTime() - t0) / 1e9;
        Dataset<Row> predictions = model.transform(ints(validRows));
        double rmse = new RegressionEvaluator().setMetricName("rmse").setLabelCol("rating")
                .setPredictionCol("prediction").evaluate(predictions);
        long scored = predictions.count();
        RankingEvaluation alsRank = alsRanking(model, train, valid);
        result("S1 ALS rank=%d reg=%s maxIter=%d (fit %.1f s): RMSE %.4f over %d rows; NDCG@10 %.4f P@10 %.4f"
                + " recall@10 %.4f coverage %.3f (%d users)", s1Rank, alsReg, alsIterations, fit, rmse, scored,
                alsRank.ndcg(), alsRank.precision(), alsRank.recall(), alsRank.coverage(), alsRank.users());
    }

    private static Dataset<Row> ints(Dataset<Row> rows) {
        return rows.select(col("userId").cast("int").as("user"), col("movieId").cast("int").as("item"),
                col("rating").cast("float").as("rating"));
    }

    /**
     * ALS's top-10 under Recommender.evaluateRanking's protocol: users with a held-out rating of 4 or more and a
     * factor row; every item with a factor row is a candidate except the user's training items; the same
     * {@link RankingEvaluation#compute}. The factors are small on this split and scored on the driver.
     */
    private static RankingEvaluation alsRanking(ALSModel model, Ratings train, Ratings valid) {
        Map<String, float[]> userFactors = factors(model.userFactors());
        Map<String, float[]> itemFactors = factors(model.itemFactors());
        List<String> itemIds = new ArrayList<>(itemFactors.keySet());
        Map<String, Set<String>> trained = new HashMap<>();
        for (int row = 0; row < train.size(); row++) {
            trained.computeIfAbsent(train.users().id(train.user(row)), x -> new HashSet<>())
                    .add(train.items().id(train.item(row)));
        }
        Map<String, Set<String>> relevant = new LinkedHashMap<>();
        for (int row = 0; row < valid.size(); row++) {
            if (valid.rating(row) >= 4f) {
                relevant.computeIfAbsent(valid.users().id(valid.user(row)), x -> new HashSet<>())
                        .add(valid.items().id(valid.item(row)));
            }
        }
        List<List<String>> recommended = new ArrayList<>();
        List<Set<String>> relevantSets = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, Set<String>> user : relevant.entrySet()) {
            float[] p = userFactors.get(user.getKey());
            if (p == null) {
                skipped++;
                continue;
            }
            Set<String> seen = trained.getOrDefault(user.getKey(), Set.of());
            List<String> candidates = new ArrayList<>();
            List<Float> scores = new ArrayList<>();
            for (String item : itemIds) {
                if (!seen.contains(item)) {
                    float[] q = itemFactors.get(item);
                    float s = 0;
                    for (int d = 0; d < p.length; d++) {
                        s += p[d] * q[d];
                    }
                    candidates.add(item);
                    scores.add(s);
                }
            }
            Integer[] order = new Integer[candidates.size()];
            for (int n = 0; n < order.length; n++) {
                order[n] = n;
            }
            java.util.Arrays.sort(order, (a, b) -> Float.compare(scores.get(b), scores.get(a)));
            List<String> top = new ArrayList<>();
            for (int n = 0; n < Math.min(10, order.length); n++) {
                top.add(candidates.get(order[n]));
            }
            recommended.add(top);
            relevantSets.add(user.getValue());
        }
        RankingEvaluation r = RankingEvaluation.compute(10, recommended, relevantSets, itemIds.size());
        return new RankingEvaluation(10, r.precision(), r.recall(), r.cappedRecall(), r.ndcg(), r.hitRate(), r.map(),
                r.coverage(), r.users(), skipped);
    }

    private static Map<String, float[]> factors(Dataset<Row> table) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Row row : table.collectAsList()) {
            List<Float> values = row.getList(1);
            float[] f = new float[values.size()];
            for (int d = 0; d < f.length; d++) {
                f[d] = values.get(d);
            }
            out.put(String.valueOf(row.getInt(0)), f);
        }
        return out;
    }
}
