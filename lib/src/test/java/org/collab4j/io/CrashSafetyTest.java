package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.collab4j.data.IdMap;
import org.collab4j.kernel.Csr;
import org.collab4j.model.BlockKind;
import org.collab4j.model.YRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A JVM killed with SIGKILL while it saves a model leaves the previous model loadable, and the temporary files such
 * kills leave behind are removed by a later save.
 */
class CrashSafetyTest {

    private static final int USERS = 8_000;
    private static final int ITEMS = 4_000;
    private static final int FACTORS = 40;
    private static final int KILLS = 3;

    @TempDir
    Path dir;

    /**
     * Version {@code v} of a model of about 2 MB: the same random weights for every version (plain Java, seeded,
     * so that the parent and the child JVM build the same ones), told apart by a global mean of {@code v}.
     */
    static TrainedModel version(int v) {
        BlockConfig config = new BlockConfig(BlockKind.EMBEDDING_DOT_BIAS, USERS, ITEMS, FACTORS, FACTORS,
                YRange.MOVIELENS, new int[0], 0f, 0f);
        Map<String, float[]> weights = new LinkedHashMap<>();
        Random random = new Random(7);
        for (BlockConfig.Table table : config.layout()) {
            float[] w = new float[(int) table.size()];
            for (int k = 0; k < w.length; k++) {
                w[k] = (float) (random.nextGaussian() * 0.1);
            }
            weights.put(table.name(), w);
        }
        int[] offsets = new int[USERS + 1];
        int[] rated = new int[USERS];
        for (int u = 0; u < USERS; u++) {
            rated[u] = u % ITEMS;
            offsets[u + 1] = u + 1;
        }
        List<String> users = new ArrayList<>();
        List<String> items = new ArrayList<>();
        for (int k = 0; k < USERS; k++) {
            users.add("user" + k);
        }
        for (int k = 0; k < ITEMS; k++) {
            items.add("item" + k);
        }
        return new TrainedModel(config, IdMap.of(users), IdMap.of(items), v, Csr.wrap(offsets, rated), weights,
                Provenance.minimal("crash test", USERS), TrainedModel.DEFAULT_OBJECTIVE);
    }

    @Test
    void aKillDuringSaveLeavesACompleteModelAndItsLeftoversAreCleanedUp() throws Exception {
        Path target = dir.resolve("model.c4j");
        TrainedModel expected = version(0);
        Random random = new Random(11);
        int midSave = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            // Output goes to a file: destroyForcibly closes the pipes, which would lose the lines printed last.
            Path log = dir.resolve("child-" + kill + ".log");
            Process child = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "-XX:TieredStopAtLevel=1",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=off",
                    SaveLoop.class.getName(), target.toString())
                    .redirectOutput(log.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try {
                // Kill once save 2 + kill has started (so that save 1 is complete), a random moment into it.
                String started = "saving " + (2 + kill) + "\n";
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!Files.readString(log).contains(started)) {
                    assertTrue(child.isAlive() && System.nanoTime() < deadline, Files.readString(log));
                    Thread.sleep(2);
                }
                Thread.sleep(random.nextInt(120));
                child.destroyForcibly(); // SIGKILL on Linux
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            } finally {
                child.destroyForcibly();
            }
            int lastStarted = -1;
            int lastSaved = -1;
            for (String line : Files.readAllLines(log)) {
                int v = Integer.parseInt(line.substring(line.indexOf(' ') + 1));
                if (line.startsWith("saving ")) {
                    lastStarted = v;
                } else {
                    lastSaved = v;
                }
            }
            Files.delete(log);
            assertEquals(137, child.exitValue(), "the child was killed by SIGKILL");
            assertTrue(lastSaved >= 1, "save 1 completed before the kill");
            TrainedModel loaded = TrainedModel.load(target);
            int v = (int) loaded.getGlobalMean();
            // The last completed save, or the one under way if the kill came after its rename.
            assertTrue(v == lastSaved || v == lastStarted, "loaded version " + v + ", saved " + lastSaved
                    + ", started " + lastStarted);
            assertEquals(expected.users(), loaded.users());
            for (String name : expected.parameterNames()) {
                assertArrayEquals(expected.parameter(name), loaded.parameter(name), name);
            }
            if (lastStarted > lastSaved) {
                midSave++;
            }
            System.out.printf("kill %d: %d saves completed, %d started, loaded version %d, %d temporary files%n",
                    kill, lastSaved, lastStarted, v, temporaryFiles().size());
        }
        assertTrue(midSave >= 1, "no kill landed during a save");

        // A kill before the rename leaves .model.c4j.HEX.tmp behind; once older than STALE_AFTER, the next save
        // removes it. Leftovers are made old here rather than waited for.
        Instant old = Instant.now().minus(ModelFile.STALE_AFTER).minusSeconds(5);
        for (Path leftover : temporaryFiles()) {
            Files.setLastModifiedTime(leftover, FileTime.from(old));
        }
        Path young = Files.writeString(dir.resolve(".model.c4j.12ab.tmp"), "a save that is just starting");
        Path foreign = Files.writeString(dir.resolve(".model.c4j.backup.tmp"), "not ours");
        Files.setLastModifiedTime(foreign, FileTime.from(old));
        version(9).save(target);
        assertEquals(List.of(young), temporaryFiles());
        assertTrue(Files.exists(foreign));
        assertEquals(9, (int) TrainedModel.load(target).getGlobalMean());
    }

    @Test
    void aLockedTemporaryFileIsNeverRemoved() throws IOException {
        Path busy = dir.resolve(".m.c4j.00ff.tmp");
        Files.writeString(busy, "a save in progress in another process");
        Files.setLastModifiedTime(busy, FileTime.from(Instant.now().minus(ModelFile.STALE_AFTER).minusSeconds(5)));
        try (FileChannel channel = FileChannel.open(busy, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            assertTrue(lock.isValid());
            assertEquals(0, ModelFile.removeStaleTempFiles(dir, "m.c4j"));
        }
        assertTrue(Files.exists(busy));
        assertEquals(1, ModelFile.removeStaleTempFiles(dir, "m.c4j"));
        assertTrue(Files.notExists(busy));
    }

    private static Map<String, float[]> weights(TrainedModel model) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        model.parameterNames().forEach(name -> weights.put(name, model.parameter(name)));
        return weights;
    }


    private List<Path> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")
                    && !p.getFileName().toString().contains("backup")).sorted().toList();
        }
    }

    /** The child JVM: saves versions 1, 2, 3, ... of the model to one file, back to back, until it is killed. */
    public static final class SaveLoop {

        private SaveLoop() {}

        /**
         * Saves in a loop, printing {@code saving N} before and {@code saved N} after each save.
         *
         * @param args the model file
         * @throws IOException if a save fails
         */
        public static void main(String[] args) throws IOException {
            Path target = Path.of(args[0]);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            TrainedModel base = version(0);
            for (int v = 1; v < 10_000; v++) {
                TrainedModel model = new TrainedModel(base.getConfig(), base.users(), base.items(), v,
                        base.ratedItems(), weights(base),
                        base.getProvenance(), base.objective());
                out.println("saving " + v);
                model.save(target);
                out.println("saved " + v);
            }
        }
    }
}
