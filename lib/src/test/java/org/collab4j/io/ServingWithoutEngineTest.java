package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.model.EmbeddingNet;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.CollabLearner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Loading and serving need neither PyTorch nor DJL: a child JVM whose classpath lacks every DJL and PyTorch jar
 * loads v2 files saved here and the frozen v1 fixture, and recommends exactly what this JVM does.
 */
class ServingWithoutEngineTest {

    @TempDir
    Path dir;

    /** Each user's top 3, ids and exact score bits, on one line. */
    static String recommendations(TrainedModel model) {
        Recommender recommender = Recommender.of(model);
        List<String> users = new ArrayList<>();
        for (String user : model.users().ids()) {
            if (recommender.knowsUser(user)) {
                users.add(user + ":" + recommender.recommend(user, 3).stream()
                        .map(s -> s.id() + "=" + Integer.toHexString(Float.floatToIntBits(s.score())))
                        .collect(Collectors.joining(",")));
            }
        }
        return String.join(" ", users);
    }

    @Test
    void aModelLoadsAndRecommendsWithoutDjlOrPyTorchOnTheClasspath()
            throws IOException, InterruptedException, URISyntaxException {
        Path dotBias = dir.resolve("dotbias.c4j");
        Path net = dir.resolve("net.c4j");
        Path v1 = Path.of(getClass().getResource("fixtures/v1-dotbias.c4j").toURI());
        List<String> expected = new ArrayList<>();
        expected.add("djl absent, pytorch absent");
        try (CollabLearner learner = TestModels.trained(12, 9, null)) {
            learner.fittedModel().save(dotBias);
            expected.add(recommendations(learner.fittedModel()));
        }
        try (CollabLearner learner = TestModels.trained(12, 9, EmbeddingNet.builder().optFactors(3).optHidden(4))) {
            learner.fittedModel().save(net);
            expected.add(recommendations(learner.fittedModel()));
        }
        expected.add(recommendations(TrainedModel.load(v1)));

        List<String> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            boolean djl = entry.contains("/ai/djl/") || name.startsWith("pytorch-") || name.startsWith("api-0.");
            (djl ? dropped : kept).add(entry);
        }
        assertTrue(dropped.size() >= 3, "the DJL api, pytorch-engine, -jni and -native jars: " + dropped);
        Path stderr = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", String.join(File.pathSeparator, kept),
                NoEngineMain.class.getName(), dotBias.toString(), net.toString(), v1.toString())
                .redirectError(stderr.toFile())
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, process.exitValue(), output + Files.readString(stderr));
        assertEquals(expected, output.lines().toList(), Files.readString(stderr));
        assertTrue(Arrays.stream(expected.get(1).split(" ")).count() > 5, expected.get(1));
    }
}
