package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;

import org.collab4j.engine.Engines;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.ScoredId;
import org.collab4j.train.CollabLearner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Backward compatibility: model files written by earlier versions of Collab4J, kept in
 * {@code src/test/resources/org/collab4j/io/fixtures/}, must still load and predict the numbers recorded beside
 * them ({@code NAME.expected.txt}: {@code predict USER ITEM RATING} and {@code recommend USER ITEM...} lines).
 *
 * <p>Never regenerate an existing fixture to make this test pass: that would hide the incompatibility it exists
 * to catch. When the format version changes, add fixtures for the new version beside the old ones:
 *
 * <pre>
 * mvn -B -o -DcpuOnly -pl lib test -Dtest=FixtureTest#writeFixtures -Dcollab4j.writeFixtures=/tmp/fixtures
 * cp /tmp/fixtures/* lib/src/test/resources/org/collab4j/io/fixtures/
 * </pre>
 *
 * <p>and add their names to {@link #FIXTURES}. The files are named {@code v<format version>-<model>.c4j}.
 */
class FixtureTest {

    /** The fixture files, by name without extension. */
    static final List<String> FIXTURES = List.of("v1-dotbias", "v1-net", "v2-dotbias", "v2-net", "v3-hybrid",
            "v3-hybrid-scales");

    /** The item features of {@code v3-hybrid}: item {@code i} has {@code g=i%3}. */
    static final List<String> HYBRID_FEATURES = List.of("g=0", "g=1", "g=2");

    /**
     * The item features of {@code v3-hybrid-scales} (a model that recorded its numeric scales): {@code g=i%3} and the
     * numeric {@code size}, item {@code i}'s number, standardised over the items.
     */
    static final List<String> SCALED_FEATURES = List.of("g=0", "g=1", "g=2", "size");

    /** The item-item (EASE) fixtures: no DJL block, raw scores. */
    static final List<String> ITEM_ITEM_FIXTURES = List.of("v2-ease");

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(FixtureTest.class.getResource("fixtures/" + name).toURI());
    }

    @Test
    void oldModelFilesStillLoadAndPredictTheRecordedNumbers() throws Exception {
        for (String name : FIXTURES) {
            TrainedModel model = TrainedModel.load(fixture(name + ".c4j"));
            // Every fixture so far is a rating model; a v1 file has no objective and reads as mse.
            assertEquals(TrainedModel.DEFAULT_OBJECTIVE, model.objective(), name);
            if (name.equals("v3-hybrid")) {
                // Written before models recorded their numeric features' scales: they load as unknown.
                assertNull(model.features(org.collab4j.kernel.Side.ITEMS).orElseThrow().numericScales(), name);
            } else if (name.equals("v3-hybrid-scales")) {
                assertEquals(List.of("size"), List.copyOf(model.features(org.collab4j.kernel.Side.ITEMS)
                        .orElseThrow().numericScales().keySet()), name);
            }
            Recommender recommender = Recommender.of(model);
            List<String> lines = Files.readAllLines(fixture(name + ".expected.txt"), StandardCharsets.UTF_8);
            int predictions = 0;
            try (NDManager manager = Engines.pytorch().newBaseManager()) {
                CollabBlock block = model.newBlock(manager);
                for (String line : lines) {
                    String[] f = line.split(" ");
                    if (f[0].equals("predict")) {
                        float expected = Float.parseFloat(f[3]);
                        assertEquals(expected, recommender.predict(f[1], f[2]), 1e-5, name + ": " + line);
                        float djl = block.forward(new ai.djl.training.ParameterStore(manager, false),
                                new ai.djl.ndarray.NDList(
                                        manager.create(new long[] {model.users().indexOf(f[1])}),
                                        manager.create(new long[] {model.items().indexOf(f[2])})),
                                false).head().getFloat(0);
                        assertEquals(expected, djl, 3e-5, name + " (DJL): " + line);
                        predictions++;
                    } else if (f[0].equals("coldpredict")) {
                        // coldpredict USER RATING FEATURE...: a new item with those features, served from them.
                        Recommender cold = Recommender.builder().setModel(model).optItemFeatures(
                                coldItem(List.of(f).subList(3, f.length))).build();
                        assertEquals(Float.parseFloat(f[2]), cold.predict(f[1], "cold"), 1e-5, name + ": " + line);
                        predictions++;
                    } else if (f[0].equals("coldsize")) {
                        // coldsize USER RATING SIZE G: a new item of that raw size and g feature, served on the
                        // model's scale.
                        Recommender cold = Recommender.builder().setModel(model).optItemFeatures(
                                coldSized(Double.parseDouble(f[3]), f[4])).build();
                        assertEquals(Float.parseFloat(f[2]), cold.predict(f[1], "cold"), 1e-5, name + ": " + line);
                        predictions++;
                    } else {
                        List<String> expected = List.of(f).subList(2, f.length);
                        assertEquals(expected, ids(recommender.recommend(f[1], expected.size())),
                                name + ": " + line);
                    }
                }
            }
            assertTrue(predictions > 20, name);
        }
    }

    /** A table of one item, {@code cold}, with the given features of {@link #HYBRID_FEATURES}. */
    private static org.collab4j.data.FeatureTable coldItem(List<String> features) {
        int[] columns = features.stream().mapToInt(HYBRID_FEATURES::indexOf).toArray();
        float[] values = new float[columns.length];
        java.util.Arrays.fill(values, 1f);
        return org.collab4j.data.FeatureTable.of(org.collab4j.data.IdMap.of(List.of("cold")), HYBRID_FEATURES,
                org.collab4j.kernel.FeatureMatrix.of(new int[] {0, columns.length}, columns, values, 3), "cold");
    }

    /** A table of one item, {@code cold}, with a {@code g} feature and a raw size (a file of one: its own sd is 0). */
    private static org.collab4j.data.FeatureTable coldSized(double size, String g) {
        return org.collab4j.data.FeatureTable.of(org.collab4j.data.IdMap.of(List.of("cold")), SCALED_FEATURES,
                org.collab4j.kernel.FeatureMatrix.of(new int[] {0, 2}, new int[] {SCALED_FEATURES.indexOf(g), 3},
                        new float[] {1f, 0f}, 4), "cold", java.util.Map.of("size",
                        new org.collab4j.data.NumericScale(size, 0)));
    }

    @Test
    void oldItemItemModelFilesStillLoadAndScoreTheRecordedNumbers() throws Exception {
        for (String name : ITEM_ITEM_FIXTURES) {
            TrainedModel model = TrainedModel.load(fixture(name + ".c4j"));
            assertEquals("ease", model.objective(), name);
            assertEquals(org.collab4j.model.BlockKind.ITEM_ITEM, model.getConfig().kind(), name);
            Recommender recommender = Recommender.of(model);
            int predictions = 0;
            for (String line : Files.readAllLines(fixture(name + ".expected.txt"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f[0].equals("predict")) {
                    assertEquals(Float.parseFloat(f[3]), recommender.predict(f[1], f[2]), 1e-6, name + ": " + line);
                    predictions++;
                } else {
                    List<String> expected = List.of(f).subList(2, f.length);
                    assertEquals(expected, ids(recommender.recommend(f[1], expected.size())), name + ": " + line);
                }
            }
            assertTrue(predictions > 20, name);
        }
    }

    private static List<String> ids(List<ScoredId> items) {
        return items.stream().map(ScoredId::id).collect(Collectors.toList());
    }

    /** Writes the current version's fixtures and their expected numbers; see the class comment. */
    @Test
    @EnabledIfSystemProperty(named = "collab4j.writeFixtures", matches = ".+")
    void writeFixtures() throws IOException {
        Path dir = Path.of(System.getProperty("collab4j.writeFixtures"));
        Files.createDirectories(dir);
        // Format 3 adds feature embeddings only: its fixture is a hybrid model (models without features are
        // still written as format 2, whose fixtures are v2-*).
        Path base = dir.resolve("v" + TrainedModel.FORMAT_VERSION + "-hybrid");
        org.collab4j.data.Ratings ratings = TestModels.ratings(10, 8, 0.6, 11);
        int items = ratings.items().size();
        int[] offsets = new int[items + 1];
        int[] columns = new int[items];
        for (int i = 0; i < items; i++) {
            columns[i] = Integer.parseInt(ratings.items().id(i).replaceAll("\\D", "")) % 3;
            offsets[i + 1] = i + 1;
        }
        float[] ones = new float[items];
        java.util.Arrays.fill(ones, 1f);
        org.collab4j.data.FeatureTable features = org.collab4j.data.FeatureTable.of(ratings.items(), HYBRID_FEATURES,
                org.collab4j.kernel.FeatureMatrix.of(offsets, columns, ones, 3), "generated");
        try (CollabLearner learner = CollabLearner.builder().setData(org.collab4j.data.Splits.random(ratings, 0.2, 1))
                .optModel(EmbeddingDotBias.builder().optFactors(2)).optItemFeatures(features).optBatchSize(8)
                .optSeed(1).optOutput(null).optProgressBar(false).build()) {
            learner.fitOneCycle(6, 5e-2f);
            TrainedModel model = learner.fittedModel();
            List<String> lines = record(model, base);
            Recommender recommender = Recommender.of(model);
            for (String user : model.users().ids()) {
                if (recommender.knowsUser(user)) {
                    for (List<String> f : List.of(List.of("g=0"), List.of("g=1", "g=2"))) {
                        Recommender cold = Recommender.builder().setModel(model).optItemFeatures(coldItem(f)).build();
                        lines.add("coldpredict " + user + " " + cold.predict(user, "cold") + " " + String.join(" ", f));
                    }
                }
            }
            Files.write(Path.of(base + ".expected.txt"), lines, StandardCharsets.UTF_8);
        }
        // Format 3 with the numeric features' scales (features/item-scales.json).
        Path scaled = dir.resolve("v" + TrainedModel.FORMAT_VERSION + "-hybrid-scales");
        double mean = 0;
        for (int i = 0; i < items; i++) {
            mean += Integer.parseInt(ratings.items().id(i).replaceAll("\\D", "")) / (double) items;
        }
        double squares = 0;
        for (int i = 0; i < items; i++) {
            squares += Math.pow(Integer.parseInt(ratings.items().id(i).replaceAll("\\D", "")) - mean, 2);
        }
        org.collab4j.data.NumericScale scale = new org.collab4j.data.NumericScale(mean, Math.sqrt(squares / items));
        int[] offsets2 = new int[items + 1];
        int[] columns2 = new int[2 * items];
        float[] values2 = new float[2 * items];
        for (int i = 0; i < items; i++) {
            columns2[2 * i] = columns[i];
            values2[2 * i] = 1f;
            columns2[2 * i + 1] = 3;
            values2[2 * i + 1] = (float) scale.standardise(Integer.parseInt(ratings.items().id(i)
                    .replaceAll("\\D", "")));
            offsets2[i + 1] = 2 * i + 2;
        }
        org.collab4j.data.FeatureTable sized = org.collab4j.data.FeatureTable.of(ratings.items(), SCALED_FEATURES,
                org.collab4j.kernel.FeatureMatrix.of(offsets2, columns2, values2, 4), "generated",
                java.util.Map.of("size", scale));
        try (CollabLearner learner = CollabLearner.builder().setData(org.collab4j.data.Splits.random(ratings, 0.2, 1))
                .optModel(EmbeddingDotBias.builder().optFactors(2)).optItemFeatures(sized).optBatchSize(8)
                .optSeed(1).optOutput(null).optProgressBar(false).build()) {
            learner.fitOneCycle(6, 5e-2f);
            TrainedModel model = learner.fittedModel();
            List<String> lines = record(model, scaled);
            Recommender recommender = Recommender.of(model);
            for (String user : model.users().ids()) {
                if (recommender.knowsUser(user)) {
                    for (double size : new double[] {0, 7, 40}) {
                        Recommender cold = Recommender.builder().setModel(model).optItemFeatures(coldSized(size,
                                "g=1")).build();
                        lines.add("coldsize " + user + " " + cold.predict(user, "cold") + " " + size + " g=1");
                    }
                }
            }
            Files.write(Path.of(scaled + ".expected.txt"), lines, StandardCharsets.UTF_8);
        }
        // An item-item (EASE) model: format 2 too, no DJL block.
        TrainedModel ease = org.collab4j.train.ease.EaseTrainer.builder().optObjective(
                org.collab4j.train.objective.Ease.of(2f, org.collab4j.train.objective.Ease.Input.ALL)).build()
                .fit(TestModels.ratings(10, 8, 0.6, 11));
        Path easeBase = dir.resolve("v2-ease");
        Files.write(Path.of(easeBase + ".expected.txt"), record(ease, easeBase), StandardCharsets.UTF_8);
    }

    /** Saves the model as {@code base.c4j} and returns its predictions and stable top 3s. */
    private static List<String> record(TrainedModel model, Path base) throws IOException {
        model.save(Path.of(base + ".c4j"));
        Recommender recommender = Recommender.of(model);
        List<String> lines = new ArrayList<>();
        for (String user : model.users().ids()) {
            for (String item : model.items().ids()) {
                if (recommender.knowsUser(user) && recommender.knowsItem(item)) {
                    lines.add("predict " + user + " " + item + " " + recommender.predict(user, item));
                }
            }
        }
        for (String user : model.users().ids()) {
            if (recommender.knowsUser(user)) {
                List<ScoredId> top = recommender.recommend(user, 4);
                List<String> stable = new ArrayList<>();
                for (int k = 0; k < Math.min(3, top.size() - 1)
                        && top.get(k).score() - top.get(k + 1).score() > 1e-3f; k++) {
                    stable.add(top.get(k).id());
                }
                if (!stable.isEmpty()) {
                    lines.add("recommend " + user + " " + String.join(" ", stable));
                }
            }
        }
        return lines;
    }
}
