package org.collab4j.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.FeatureColumn;
import org.collab4j.data.FeatureFormat;
import org.collab4j.data.FeatureTable;
import org.collab4j.data.IdMap;
import org.collab4j.data.NumericScale;
import org.collab4j.data.Ratings;
import org.collab4j.data.Splits;
import org.collab4j.io.FeatureEmbeddings;
import org.collab4j.io.HybridModels;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.FeatureMatrix;
import org.collab4j.kernel.Side;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.train.CollabLearner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Numeric features served on the model's scale (issue 27, items 3 and 6): a model trained with a feature file of every
 * item serves new items read from a file of their own exactly as it serves them inside the training file, and a table
 * that contradicts the model's numeric columns is refused with its file, line and column.
 */
class NumericScalesTest {

    private static final int ITEMS = 40;
    /** Items {@code i32}... have no ratings: they are the new ones. */
    private static final int RATED = 32;
    private static final FeatureFormat FORMAT = FeatureFormat.builder().setIdColumn("item")
            .addColumn(FeatureColumn.categorical("genre")).addColumn(FeatureColumn.numeric("year")).build();

    @TempDir
    static Path dir;

    private static Path allItems;
    private static TrainedModel model;

    private static String year(int i) {
        return i == 3 || i == 35 ? "" : Integer.toString(1950 + (i * 7) % 60);
    }

    private static String line(int i) {
        return "i" + i + "," + "ABC".charAt(i % 3) + "," + year(i);
    }

    private static Path write(String name, List<String> lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static Path newItems(String name, int... items) throws IOException {
        List<String> lines = new ArrayList<>(List.of("item,genre,year"));
        for (int i : items) {
            lines.add(line(i));
        }
        return write(name, lines);
    }

    @BeforeAll
    static void train() throws IOException {
        List<String> lines = new ArrayList<>(List.of("item,genre,year"));
        for (int i = 0; i < ITEMS; i++) {
            lines.add(line(i));
        }
        allItems = write("items.csv", lines);
        Random random = new Random(5);
        Ratings.Builder ratings = Ratings.builder();
        for (int u = 0; u < 30; u++) {
            for (int i = 0; i < RATED; i++) {
                if (random.nextDouble() < 0.4) {
                    ratings.add("u" + u, "i" + i, 1 + random.nextInt(5));
                }
            }
        }
        try (CollabLearner learner = CollabLearner.builder().setData(Splits.random(ratings.build(), 0.2, 1))
                .optModel(EmbeddingDotBias.builder().optFactors(4)).optItemFeatures(FORMAT.read(allItems))
                .optBatchSize(32).optSeed(1).optOutput(null).optProgressBar(false).build()) {
            learner.fitOneCycle(2, 5e-2f);
            model = learner.fittedModel();
        }
    }

    @Test
    void theModelKeepsTheScaleOfTheFileItTrainedWith() {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < ITEMS; i++) {
            if (!year(i).isEmpty()) {
                sum += Integer.parseInt(year(i));
                n++;
            }
        }
        double mean = sum / n;
        double squares = 0;
        for (int i = 0; i < ITEMS; i++) {
            if (!year(i).isEmpty()) {
                squares += Math.pow(Integer.parseInt(year(i)) - mean, 2);
            }
        }
        NumericScale scale = model.features(Side.ITEMS).orElseThrow().numericScales().get("year");
        assertEquals(mean, scale.mean(), 1e-9);
        assertEquals(Math.sqrt(squares / n), scale.sd(), 1e-9);
        assertEquals(List.of("year"), List.copyOf(model.features(Side.ITEMS).orElseThrow().numericScales().keySet()));
    }

    @Test
    void newItemsReadFromAFileOfTheirOwnGetTheRowsTheTrainingFileGivesThem() throws IOException {
        Recommender full = Recommender.builder().setModel(model).optItemFeatures(FORMAT.read(allItems)).build();
        // i35 has no year; i33 alone is a file whose year column is constant (its own sd is 0).
        FeatureTable few = FORMAT.read(newItems("new.csv", 32, 33, 35, 38, 39));
        FeatureTable one = FORMAT.read(newItems("one.csv", 33));
        assertEquals(0, one.numericScales().get("year").sd());
        Recommender only = Recommender.builder().setModel(model).optItemFeatures(few).build();
        Recommender alone = Recommender.builder().setModel(model).optItemFeatures(one).build();
        // The scales travel in the model file.
        Path saved = dir.resolve("hybrid.c4j");
        model.save(saved);
        Recommender loaded = Recommender.builder().setModel(TrainedModel.load(saved)).optItemFeatures(few).build();
        int compared = 0;
        for (String user : model.users().ids()) {
            if (!full.knowsUser(user)) {
                continue;
            }
            for (int i : new int[] {32, 33, 35, 38, 39}) {
                assertTrue(only.servesFromFeatures("i" + i), "i" + i);
                assertEquals(full.predict(user, "i" + i), only.predict(user, "i" + i), 1e-5, user + " i" + i);
                assertEquals(only.predict(user, "i" + i), loaded.predict(user, "i" + i), user + " i" + i);
                compared++;
            }
            assertEquals(full.predict(user, "i33"), alone.predict(user, "i33"), 1e-5, user);
        }
        assertTrue(compared > 50, "compared " + compared);

        // Without the model's scale (a model saved before scales were recorded) the same file gives other rows:
        // the trap this guards against, and the proof that the comparison above can fail.
        FeatureEmbeddings unknown = model.features(Side.ITEMS).orElseThrow().withNumericScales(null);
        Recommender old = Recommender.builder().setModel(model.withFeatures(Side.ITEMS, unknown))
                .optItemFeatures(few).build();
        // The training file itself is on the model's scale: its values are taken bit for bit, as before.
        Recommender oldFull = Recommender.builder().setModel(model.withFeatures(Side.ITEMS, unknown))
                .optItemFeatures(FORMAT.read(allItems)).build();
        double largest = 0;
        for (String user : model.users().ids()) {
            if (full.knowsUser(user)) {
                largest = Math.max(largest, Math.abs(full.predict(user, "i38") - old.predict(user, "i38")));
                assertEquals(oldFull.predict(user, "i38"), full.predict(user, "i38"), user);
            }
        }
        assertTrue(largest > 1e-3, "largest difference " + largest);
    }

    @Test
    void aTableThatContradictsTheModelsNumericColumnsIsRefusedWithItsFileLineAndColumn() throws IOException {
        Path file = newItems("contradicts.csv", 32, 33);
        // year read as a category: year=1974, ...
        FeatureFormat yearAsCategory = FeatureFormat.builder().setIdColumn("item")
                .addColumn(FeatureColumn.categorical("genre")).addColumn(FeatureColumn.categorical("year")).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recommender.builder()
                .setModel(model).optItemFeatures(yearAsCategory.read(file)).build());
        assertTrue(e.getMessage().startsWith(file + ", line 1 (the header), column 'year': the column is categorical"
                + " here (\"year=") && e.getMessage().contains("but numeric in the model's item features"
                + " (\"year\"); read the column as a number (FeatureColumn.numeric)"), e.getMessage());

        // genre read as a number, from a file without a header: column 1 of line 1.
        Path numbers = write("numbers.csv", List.of("i32,1,1990", "i33,2,1991"));
        FeatureFormat genreAsNumber = FeatureFormat.builder().setIdColumn(0).optHeader(false)
                .addColumn(FeatureColumn.numeric(1).named("genre")).addColumn(FeatureColumn.numeric(2).named("year"))
                .build();
        e = assertThrows(IllegalArgumentException.class, () -> Recommender.builder().setModel(model)
                .optItemFeatures(genreAsNumber.read(numbers)).build());
        assertTrue(e.getMessage().startsWith(numbers + ", line 1, column 'column 1': the column is numeric here but"
                + " categorical in the model (its item features include \"genre="), e.getMessage());

        // A table built by hand whose year has no scale: the model cannot put it on its own.
        FeatureTable byHand = FeatureTable.of(IdMap.of(List.of("n1")), List.of("genre=A", "year"),
                FeatureMatrix.of(new int[] {0, 2}, new int[] {0, 1}, new float[] {1f, 0.5f}, 2), "hand-made");
        e = assertThrows(IllegalArgumentException.class, () -> Recommender.builder().setModel(model)
                .optItemFeatures(byHand).build());
        assertTrue(e.getMessage().startsWith("hand-made, column 'year': the model's item feature \"year\" is"
                + " numeric, standardised on its training file (mean "), e.getMessage());
        assertTrue(e.getMessage().contains("but the table gives no scale for its values"), e.getMessage());
        // With its scale it is served: 0.5 on a scale of mean 1990 and sd 10 is 1995.
        FeatureTable scaled = FeatureTable.of(byHand.ids(), byHand.featureNames(), byHand.matrix(), "hand-made",
                Map.of("year", new NumericScale(1990, 10)));
        Recommender fromScaled = Recommender.builder().setModel(model).optItemFeatures(scaled).build();
        Recommender fromFile = Recommender.builder().setModel(model).optItemFeatures(FORMAT.read(write("n1.csv",
                List.of("item,genre,year", "n1,A,1995")))).build();
        for (String user : List.of("u0", "u1", "u2")) {
            assertEquals(fromFile.predict(user, "n1"), fromScaled.predict(user, "n1"), 1e-5, user);
        }
    }

    @Test
    void aNewUserFromAFileAndFromARequestGetTheSameRowOnTheModelsScale() throws IOException {
        // The hand-built model's users have country=FR, country=DE and a numeric age it trained on mean 30, sd 10.
        TrainedModel base = HybridModels.dotBias();
        NumericScale age = new NumericScale(30, 10);
        TrainedModel hand = base.withFeatures(Side.USERS, base.features(Side.USERS).orElseThrow().withNumericScales(
                Map.of("age", age)));
        FeatureTable users = FeatureFormat.builder().setIdColumn("user").addColumn(FeatureColumn.categorical(
                "country")).addColumn(FeatureColumn.numeric("age")).build().read(write("users.csv",
                        List.of("user,country,age", "n1,FR,41", "n2,DE,25")));
        Recommender r = Recommender.builder().setModel(hand).optUserFeatures(users).build();
        List<ScoredId> fromFile = r.recommend("n1", 4);
        List<ScoredId> fromRequest = Recommender.of(hand).recommendForFeatures(Map.of("country=FR", 1f, "age",
                (float) age.standardise(41)), RatingHistory.EMPTY, 4);
        assertEquals(fromFile.size(), fromRequest.size());
        for (int n = 0; n < fromFile.size(); n++) {
            assertEquals(fromFile.get(n).id(), fromRequest.get(n).id());
            assertEquals(fromFile.get(n).score(), fromRequest.get(n).score(), 1e-5);
        }
        // A numeric feature asked for as a category is a mistake, not an unknown value to ignore.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Recommender.of(hand)
                .recommendForFeatures(Map.of("country=FR", 1f, "age=41", 1f), RatingHistory.EMPTY, 4));
        assertEquals("feature \"age=41\": \"age\" is numeric in the model's user features; give it as \"age\" with"
                + " its standardised value, (x - 30.0) / 10.0 (NumericScale.standardise)", e.getMessage());
    }
}
