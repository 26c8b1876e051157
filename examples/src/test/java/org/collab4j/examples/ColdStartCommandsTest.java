package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.io.FeatureEmbeddings;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Side;
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
import java.util.Random;

/**
 * {@code recommend --item-features FILE}: items the model has not seen, served from their features. The model is
 * trained by {@code train}, then made hybrid by hand: each item's row replaced by its one genre's vector, as a model
 * trained from features without id embeddings holds, so that a new item of a genre scores as that genre's items.
 */
class ColdStartCommandsTest {

    private static final List<String> GENRES = List.of("genres=Drama", "genres=Comedy", "genres=Horror");
    private static final String COLUMNS = "id=movieId,multi=genres:|";

    @TempDir
    static Path dir;
    static Path hybrid;
    static Path plain;
    static Path newItems;

    @BeforeAll
    static void trainAndMakeHybrid() throws IOException {
        Random random = new Random(9);
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 40; u++) {
            for (int i = 0; i < 30; i++) {
                if (random.nextDouble() < 0.4) {
                    double r = Math.max(1, Math.min(5, Math.round(3 + (u % 3 - 1) + (i % 3 == 0 ? 1 : 0)
                            + random.nextGaussian())));
                    csv.append(u).append(',').append(i).append(',').append(r).append(",0\n");
                }
            }
        }
        Path ratings = Files.writeString(dir.resolve("ratings.csv"), csv);
        plain = dir.resolve("plain.c4j");
        // One model of 3 factors (--average 1): the hybrid rows below are built for k = 3.
        String[] trained = run("train", "--ratings", ratings.toString(), "--epochs", "1", "--factors", "3",
                "--average", "1", "--save", plain.toString());
        assertEquals("0", trained[0], trained[2]);
        TrainedModel model = TrainedModel.load(plain);
        // Each genre's vector is the mean of its items' trained rows; each item's row becomes its genre's vector.
        int k = 3;
        float[] vectors = new float[GENRES.size() * k];
        float[] biases = new float[GENRES.size()];
        int[] counts = new int[GENRES.size()];
        float[] rows = model.factors(Side.ITEMS).rows();
        float[] itemBias = model.factors(Side.ITEMS).biases();
        for (int i = 0; i < model.items().size(); i++) {
            int g = Integer.parseInt(model.items().id(i)) % 3;
            counts[g]++;
            biases[g] += itemBias[i];
            for (int d = 0; d < k; d++) {
                vectors[g * k + d] += rows[i * k + d];
            }
        }
        for (int g = 0; g < counts.length; g++) {
            biases[g] /= counts[g];
            for (int d = 0; d < k; d++) {
                vectors[g * k + d] /= counts[g];
            }
        }
        float[] itemRows = new float[model.items().size() * k];
        float[] itemBiases = new float[model.items().size()];
        for (int i = 0; i < model.items().size(); i++) {
            int g = Integer.parseInt(model.items().id(i)) % 3;
            System.arraycopy(vectors, g * k, itemRows, i * k, k);
            itemBiases[i] = biases[g];
        }
        hybrid = dir.resolve("hybrid.c4j");
        model.withRows(Side.ITEMS, model.items().ids(), itemRows, itemBiases)
                .withFeatures(Side.ITEMS, new FeatureEmbeddings(GENRES, k, vectors, biases, false)).save(hybrid);
        // 100 is a drama, 101 a comedy and a horror film, 102 a western (a genre the model does not know); 6 was
        // trained (a drama).
        newItems = Files.writeString(dir.resolve("new-items.csv"),
                "movieId,genres\n100,Drama\n101,Comedy|Horror\n102,Western\n6,Drama\n");
    }

    /** The rows of a printed list: id to score. */
    private static Map<String, String> scores(String stdout) {
        Map<String, String> result = new HashMap<>();
        for (String line : stdout.lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[0].matches("\\d+")) {
                result.put(f[2], f[1]);
            }
        }
        return result;
    }

    @Test
    void recommendServesNewItemsFromTheirFeatures() {
        String[] result = run("recommend", "--model", hybrid.toString(), "--user", "4", "-k", "40",
                "--item-features", newItems.toString(), "--item-feature-columns", COLUMNS);
        assertEquals("0", result[0], result[2]);
        Map<String, String> scores = scores(result[1]);
        assertTrue(scores.containsKey("100") && scores.containsKey("101"), result[1]);
        assertFalse(scores.containsKey("102"), result[1]);
        // 100 is a drama: it scores exactly as the dramas (ids divisible by 3) user 4 did not rate.
        String drama = scores.entrySet().stream().filter(e -> !e.getKey().equals("100")
                && Integer.parseInt(e.getKey()) < 100 && Integer.parseInt(e.getKey()) % 3 == 0).findFirst()
                .orElseThrow().getValue();
        assertEquals(drama, scores.get("100"));
        assertTrue(result[2].contains(newItems + ": 2 items served from their features (1 already trained, 1"
                + " without a known feature); 1 of its 4 features unknown to the model and ignored"
                + " (genres=Western)"), result[2]);
    }

    @Test
    void aNewItemsOwnFileIsServedOnTheModelsNumericScaleAndAContradictingOneRefused() throws IOException {
        // The hybrid model with a numeric year it trained on mean 1990, sd 10 (its vector (0.5, -0.5, 1)).
        TrainedModel model = TrainedModel.load(hybrid);
        FeatureEmbeddings genres = model.features(Side.ITEMS).orElseThrow();
        List<String> names = new ArrayList<>(GENRES);
        names.add("year");
        float[] vectors = java.util.Arrays.copyOf(genres.vectors(), genres.vectors().length + 3);
        System.arraycopy(new float[] {0.5f, -0.5f, 1f}, 0, vectors, genres.vectors().length, 3);
        Path dated = dir.resolve("dated.c4j");
        model.withFeatures(Side.ITEMS, new FeatureEmbeddings(names, 3, vectors, java.util.Arrays.copyOf(
                genres.biases(), 4), false, Map.of("year", new org.collab4j.data.NumericScale(1990, 10)))).save(dated);
        String columns = COLUMNS + ",num=year";
        Path all = Files.writeString(dir.resolve("all-dated.csv"), "movieId,genres,year\n"
                + "100,Drama,1975\n101,Comedy|Horror,2011\n103,Drama,1990\n104,Comedy,2003\n");
        Path one = Files.writeString(dir.resolve("one-dated.csv"), "movieId,genres,year\n101,Comedy|Horror,2011\n");
        Map<String, String> fromAll = scores(run("recommend", "--model", dated.toString(), "--user", "4", "-k",
                "40", "--item-features", all.toString(), "--item-feature-columns", columns)[1]);
        String[] alone = run("recommend", "--model", dated.toString(), "--user", "4", "-k", "40",
                "--item-features", one.toString(), "--item-feature-columns", columns);
        assertEquals("0", alone[0], alone[2]);
        // 2011 is z = 2.1 on the model's scale whichever file it comes from (0 over a file of one).
        assertTrue(fromAll.containsKey("101"), String.valueOf(fromAll));
        assertEquals(fromAll.get("101"), scores(alone[1]).get("101"), alone[1]);

        String[] refused = run("recommend", "--model", dated.toString(), "--user", "4", "-k", "5",
                "--item-features", one.toString(), "--item-feature-columns", COLUMNS + ",cat=year");
        assertEquals("2", refused[0], refused[2]);
        assertTrue(refused[2].contains("--item-features cannot be served by --model " + dated + ": " + one
                + ", line 1 (the header), column 'year': the column is categorical here (\"year=2011\") but"
                + " numeric in the model's item features (\"year\")"), refused[2]);
    }

    @Test
    void similarComparesANewItemFromItsFeatures() {
        String[] result = run("similar", "--model", hybrid.toString(), "--item", "100", "-k", "3", "--min-ratings",
                "1", "--item-features", newItems.toString(), "--item-feature-columns", COLUMNS);
        assertEquals("0", result[0], result[2]);
        // 100 is a drama: the dramas' rows are its row, cosine 1.
        List<String> rows = result[1].lines().filter(l -> l.trim().matches("\\d+ .*")).toList();
        assertEquals(3, rows.size(), result[1]);
        for (String row : rows) {
            String[] f = row.trim().split("\\s+");
            assertEquals("1.0000", f[1], row);
            assertEquals(0, Integer.parseInt(f[2]) % 3, row);
        }
    }

    @Test
    void recommendAllWritesNewItemsToo() throws IOException {
        Path out = dir.resolve("top.csv");
        String[] result = run("recommend", "--model", hybrid.toString(), "--all", "-k", "40", "--out",
                out.toString(), "--item-features", newItems.toString(), "--item-feature-columns", COLUMNS);
        assertEquals("0", result[0], result[2]);
        List<String> lines = Files.readAllLines(out);
        assertEquals("user,item,rank,score", lines.get(0));
        long rowsOfNew = lines.stream().filter(l -> l.split(",")[1].equals("100")).count();
        assertTrue(rowsOfNew >= 30, rowsOfNew + " users got item 100");
        List<String> withoutFeatures = new ArrayList<>();
        String[] before = run("recommend", "--model", hybrid.toString(), "--all", "-k", "40", "--out",
                dir.resolve("before.csv").toString());
        assertEquals("0", before[0], before[2]);
        withoutFeatures.addAll(Files.readAllLines(dir.resolve("before.csv")));
        assertFalse(withoutFeatures.stream().anyMatch(l -> l.split(",")[1].equals("100")));
    }

    @Test
    void trainWithItemFeaturesThenRecommendNewItemsFromThem() throws IOException {
        Path features = Files.writeString(dir.resolve("item-features.csv"), "movieId,genres\n"
                + java.util.stream.IntStream.range(0, 30).mapToObj(i -> i + "," + List.of("Drama", "Comedy",
                        "Horror").get(i % 3) + "\n").reduce("", String::concat));
        Path saved = dir.resolve("trained-hybrid.c4j");
        String[] trained = run("train", "--ratings", dir.resolve("ratings.csv").toString(), "--epochs", "2",
                "--factors", "3", "--item-features", features.toString(), "--item-feature-columns", COLUMNS,
                "--save", saved.toString());
        assertEquals("0", trained[0], trained[2]);
        assertTrue(trained[1].contains("features: FeatureTable[" + features + ": 30 ids × 3 features]"),
                trained[1]);
        FeatureEmbeddings items = TrainedModel.load(saved).features(Side.ITEMS).orElseThrow();
        assertEquals(GENRES, items.featureNames());
        Path out = dir.resolve("trained-top.csv");
        String[] result = run("recommend", "--model", saved.toString(), "--all", "-k", "40", "--out",
                out.toString(), "--item-features", newItems.toString(), "--item-feature-columns", COLUMNS);
        assertEquals("0", result[0], result[2]);
        assertTrue(result[2].contains("2 items served from their features"), result[2]);
        assertTrue(Files.readAllLines(out).stream().anyMatch(l -> l.split(",")[1].equals("101")));
    }

    @Test
    void aTableTheModelCannotServeIsAnErrorNamingTheFile() throws IOException {
        Path users = Files.writeString(dir.resolve("users.csv"), "userId,country\n1,FR\n");
        String[] result = run("recommend", "--model", hybrid.toString(), "--user", "4", "--item-features",
                users.toString(), "--item-feature-columns", "id=userId,cat=country");
        assertEquals("2", result[0], result[2]);
        assertTrue(result[2].startsWith("error: --item-features cannot be served by --model " + hybrid + ": "
                + users + " (line 1, the header): none of its 1 item features (\"country=FR\") is one the model was"
                + " trained with (3, e.g. \"genres=Drama\", \"genres=Comedy\", \"genres=Horror\")"), result[2]);
        result = run("recommend", "--model", plain.toString(), "--user", "4", "--item-features",
                newItems.toString(), "--item-feature-columns", COLUMNS);
        assertEquals("2", result[0], result[2]);
        assertTrue(result[2].startsWith("error: --item-features cannot be served by --model " + plain + ": the model"
                + " was trained without item features"), result[2]);
    }
}
