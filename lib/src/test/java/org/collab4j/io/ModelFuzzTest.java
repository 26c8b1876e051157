package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.UnknownIdPolicy;
import org.collab4j.train.CollabLearner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random byte mutations of saved models, v2 and v1: each either loads (and then serves) or fails with a
 * {@link ModelFormatException}; nothing else is thrown, the JVM does not crash and nothing hangs. Then one file of
 * each crafted class ({@link CraftedFiles}), which must be refused, in this JVM and in one with a small heap. Mutations of the
 * file are caught by its checksums; to reach the decoder behind them, entries are also mutated and sealed again
 * with valid checksums.
 */
class ModelFuzzTest {

    private static final long SEED = 7_2026L;
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final byte[] INTERESTING = "0123456789-.eE,:[]{}\"n\u0000\u00ff ".getBytes(StandardCharsets.ISO_8859_1);

    private static final List<Map<String, byte[]>> MODELS = new ArrayList<>();
    private static List<CraftedFiles.Case> CASES;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws IOException {
        try (CollabLearner dotBias = TestModels.trained(8, 6, EmbeddingDotBias.builder().optFactors(2));
                CollabLearner net = TestModels.trained(8, 6, EmbeddingNet.builder().optFactors(2).optHidden(3))) {
            MODELS.add(ModelCodec.encode(dotBias.fittedModel()));
            MODELS.add(ModelCodec.encode(net.fittedModel()));
        }
        // Format 1, whose weights V1Parameters decodes.
        MODELS.add(CraftedFiles.fixture("v1-dotbias"));
        MODELS.add(CraftedFiles.fixture("v1-net"));
        CASES = CraftedFiles.cases();
    }

    /** Each crafted class (huge or lying sizes, a zip bomb, deep JSON, NaN), v2 and v1: refused, saying why. */
    @Test
    void craftedFilesAreRejectedNamingTheFileAndTheProblem() throws IOException {
        for (CraftedFiles.Case c : CASES) {
            Path file = dir.resolve(c.name() + ".c4j");
            ModelFile.writeEntries(file, c.entries());
            ModelFormatException e = assertTimeoutPreemptively(LIMIT,
                    () -> assertThrows(ModelFormatException.class, () -> TrainedModel.load(file), c.name()));
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(c.problem()),
                    c.name() + ": " + e.getMessage());
            // No third-party parser's advice to its own callers.
            assertFalse(e.getMessage().contains("setLenient") || e.getMessage().contains("JsonReader"),
                    c.name() + ": " + e.getMessage());
        }
    }

    /**
     * The same files in a JVM with a 40 MB heap and no DJL: a loader that allocated what a file declares rather
     * than what it holds (50,000,000 factors, a 16 MB entry) would fail there with an OutOfMemoryError.
     */
    @Test
    void craftedFilesAreRejectedWithinASmallHeap() throws IOException, InterruptedException {
        Path crafted = dir.resolve("crafted");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx40m", "-Xss512k", "-cp",
                java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                        .filter(e -> !e.contains("/ai/djl/")).collect(java.util.stream.Collectors.joining(
                                java.io.File.pathSeparator)),
                CraftedFiles.class.getName(), "load"));
        Files.createDirectories(crafted);
        for (CraftedFiles.Case c : CASES) {
            Path file = crafted.resolve(c.name() + ".c4j");
            ModelFile.writeEntries(file, c.entries());
            command.add(file.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, process.exitValue(), output);
        assertEquals(CASES.size(), output.lines().filter(l -> l.startsWith("rejected in ")).count(), output);
    }

    /** Loads, and serves what loads; anything but a ModelFormatException fails the case. */
    private static boolean loadsOrIsRejected(String what, ThrowingLoad load) {
        return assertTimeoutPreemptively(LIMIT, () -> {
            try {
                TrainedModel model = load.load();
                Recommender r = Recommender.builder().setModel(model).optUnknownIdPolicy(UnknownIdPolicy.FALLBACK)
                        .build();
                r.predict(model.users().id(0), model.items().id(0));
                r.recommend(model.users().id(0), 3);
                return true;
            } catch (ModelFormatException e) {
                return false;
            } catch (IOException | RuntimeException e) {
                throw new AssertionError(what + " threw " + e, e);
            }
        }, () -> what + " hangs");
    }

    private interface ThrowingLoad {
        TrainedModel load() throws IOException;
    }

    @Test
    void mutatedFilesAreRejected() throws IOException {
        Random random = new Random(SEED);
        Path good = dir.resolve("good.c4j");
        Path file = dir.resolve("fuzz.c4j");
        for (int m = 0; m < MODELS.size(); m++) {
            ModelFile.writeEntries(good, MODELS.get(m));
            byte[] valid = Files.readAllBytes(good);
            for (int c = 0; c < 100; c++) {
                byte[] bytes = mutate(valid, random);
                Files.write(file, bytes);
                boolean loaded = loadsOrIsRejected("file mutation " + m + "/" + c + " (seed " + SEED + ")",
                        () -> TrainedModel.load(file));
                assertTrue(!loaded || java.util.Arrays.equals(bytes, valid), "a changed file loaded");
            }
        }
    }

    @Test
    void mutatedEntriesBehindValidChecksumsLoadOrAreRejected() throws IOException {
        Random random = new Random(SEED + 1);
        Path file = dir.resolve("sealed.c4j");
        int loaded = 0;
        int cases = 0;
        for (int m = 0; m < MODELS.size(); m++) {
            Map<String, byte[]> valid = MODELS.get(m);
            List<String> names = new ArrayList<>(valid.keySet());
            for (int c = 0; c < 150; c++, cases++) {
                Map<String, byte[]> entries = new LinkedHashMap<>(valid);
                String name = names.get(random.nextInt(names.size()));
                entries.put(name, mutate(valid.get(name), random));
                String what = "entry mutation " + m + "/" + c + " of " + name + " (seed " + (SEED + 1) + ")";
                boolean ok;
                if (c % 10 == 0) { // through a real file now and then; mostly straight to the decoder, faster
                    ModelFile.writeEntries(file, entries);
                    ok = loadsOrIsRejected(what, () -> TrainedModel.load(file));
                } else {
                    ok = loadsOrIsRejected(what, () -> ModelCodec.decode(file, entries));
                }
                loaded += ok ? 1 : 0;
            }
        }
        assertTrue(loaded > 0 && loaded < cases, loaded + " of " + cases + " loaded");
    }

    static byte[] mutate(byte[] valid, Random random) {
        byte[] bytes = valid.clone();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations && bytes.length > 0; m++) {
            int at = random.nextInt(bytes.length);
            byte value = random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)]
                    : (byte) random.nextInt(256);
            out.reset();
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    bytes[at] = value;
                    continue;
                }
                case 2 -> {
                    out.write(bytes, 0, at);
                    out.write(value);
                    out.write(bytes, at, bytes.length - at);
                }
                case 3 -> {
                    int length = 1 + random.nextInt(Math.min(16, bytes.length - at));
                    out.write(bytes, 0, at);
                    out.write(bytes, at + length, bytes.length - at - length);
                }
                default -> out.write(bytes, 0, at);
            }
            bytes = out.toByteArray();
        }
        return bytes;
    }
}
