package org.collab4j.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.data.Splits;
import org.collab4j.data.SyntheticRatings;
import org.collab4j.train.CollabLearner;

import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

class NativeLogTest {

    @Test
    void levelComesFromThePropertyThenPyTorchsVariable() {
        assertEquals(2, NativeLog.level(null, null));
        assertEquals(1, NativeLog.level("warning", "ERROR"));
        assertEquals(0, NativeLog.level(null, "INFO"));
        assertEquals(3, NativeLog.level(" ", "3"));
        assertEquals(2, NativeLog.level("loud", null), "not a level: the default, with a warning");
    }

    /**
     * A short training run in a fresh JVM (the level is set once per process): PyTorch's C++ warnings reach
     * stderr only when asked for. The second run proves the first could have failed.
     */
    @Test
    void pytorchsWarningsStayOffStderrUnlessAskedFor() throws Exception {
        String quiet = childStderr();
        assertFalse(quiet.lines().anyMatch(l -> l.startsWith("[W ")), "no [W line on stderr:\n" + quiet);
        String shown = childStderr("-D" + NativeLog.LEVEL_PROPERTY + "=WARNING");
        assertTrue(shown.lines().anyMatch(l -> l.startsWith("[W ")), "PyTorch's warning when asked for:\n" + shown);
    }

    private static String childStderr(String... properties) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        command.addAll(List.of(properties));
        command.add(TrainBriefly.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove(NativeLog.LEVEL_ENV);
        Process process = builder.start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), stderr);
        return stderr;
    }

    /** Entry point of the child JVM: one epoch on small synthetic ratings, then an evaluation. */
    public static final class TrainBriefly {
        public static void main(String[] args) {
            Ratings ratings = SyntheticRatings.builder().setUsers(30).setItems(30).setRatings(600).build()
                    .generate();
            try (CollabLearner learner = CollabLearner.builder().setData(Splits.random(ratings, 0.2, 1))
                    .optOutput(new PrintStream(OutputStream.nullOutputStream())).build()) {
                learner.fitOneCycle(1, 5e-3f);
                learner.evaluate(learner.getValidData());
            }
        }
    }
}
