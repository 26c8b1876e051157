package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;

import org.collab4j.engine.Engines;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
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
    static final List<String> FIXTURES = List.of("v1-dotbias", "v1-net", "v2-dotbias", "v2-net");
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
        String version = "v" + TrainedModel.FORMAT_VERSION;
        write(dir.resolve(version + "-dotbias"), EmbeddingDotBias.builder().optFactors(2));
        write(dir.resolve(version + "-net"), EmbeddingNet.builder().optFactors(2).optHidden(3));
        TrainedModel ease = org.collab4j.train.ease.EaseTrainer.builder().optObjective(
                org.collab4j.train.objective.Ease.of(2f, org.collab4j.train.objective.Ease.Input.ALL)).build()
                .fit(TestModels.ratings(10, 8, 0.6, 11));
        ease.save(dir.resolve(version + "-ease.c4j"));
        Files.write(dir.resolve(version + "-ease.expected.txt"), expectations(ease), StandardCharsets.UTF_8);
    }

    private static void write(Path base, CollabBlock.BaseBuilder<?> block) throws IOException {
        // Trained enough that predictions spread out and rankings do not hang on the last bits.
        try (CollabLearner learner = TestModels.trained(TestModels.ratings(10, 8, 0.6, 11), block, 8, 6, 5e-2f)) {
            TrainedModel model = learner.fittedModel();
            model.save(Path.of(base + ".c4j"));
            Files.write(Path.of(base + ".expected.txt"), expectations(model), StandardCharsets.UTF_8);
        }
    }

    /** A model's predictions for every known pair and its clearly ordered top-3 per user. */
    private static List<String> expectations(TrainedModel model) {
        {
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
                    // Keep the prefix of the top 3 whose scores are clearly apart, so that a harmless change in
                    // rounding cannot reorder it.
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
}
