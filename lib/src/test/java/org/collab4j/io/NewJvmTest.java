package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;

import org.collab4j.engine.Engines;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.CollabLearner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A model trained and saved here loads in another JVM and gives the same predictions, bit for bit. */
class NewJvmTest {

    @TempDir
    Path dir;

    /** One line per (user, item) pair: ids, DJL's prediction and the recommender's, as exact float bits. */
    static List<String> predictions(TrainedModel model, float[] djl) {
        Recommender recommender = Recommender.of(model);
        int items = model.items().size();
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < djl.length; k++) {
            String user = model.users().id(k / items);
            String item = model.items().id(k % items);
            String mine = recommender.knowsUser(user) && recommender.knowsItem(item)
                    ? Integer.toHexString(Float.floatToIntBits(recommender.predict(user, item))) : "-";
            lines.add(user + " " + item + " " + Integer.toHexString(Float.floatToIntBits(djl[k])) + " " + mine);
        }
        return lines;
    }

    @Test
    void aSavedModelPredictsTheSameInANewJvm() throws IOException, InterruptedException {
        Path file = dir.resolve("model.c4j");
        List<String> expected;
        try (CollabLearner learner = TestModels.trained(30, 20, null)) {
            learner.fittedModel().save(file);
            int users = learner.users().size();
            int items = learner.items().size();
            int[] u = new int[users * items];
            int[] i = new int[users * items];
            for (int k = 0; k < u.length; k++) {
                u[k] = k / items;
                i[k] = k % items;
            }
            expected = predictions(learner.fittedModel(), learner.predictIndices(u, i));
        }
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=off",
                LoadAndPredict.class.getName(), file.toString())
                .redirectError(stderr.toFile())
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, process.exitValue(), output + Files.readString(stderr));
        assertEquals(expected, output.lines().toList());
        assertTrue(expected.stream().filter(line -> !line.endsWith(" -")).count() > expected.size() / 2);
    }

    /** The child JVM: loads the model and prints {@link #predictions} for every pair, by DJL and recommender. */
    public static final class LoadAndPredict {

        private LoadAndPredict() {}

        /**
         * Loads a model and prints its predictions.
         *
         * @param args the model file
         * @throws IOException if it cannot be loaded
         */
        public static void main(String[] args) throws IOException {
            TrainedModel model = TrainedModel.load(Path.of(args[0]));
            int users = model.users().size();
            int items = model.items().size();
            try (NDManager manager = Engines.pytorch().newBaseManager()) {
                float[] djl = TrainedModelTest.djlPredictAll(model.newBlock(manager), manager, users, items);
                predictions(model, djl).forEach(System.out::println);
            }
        }
    }
}
