package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.train.CollabLearner;
import org.collab4j.util.InputFileException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

class ModelFileTest {

    private static TrainedModel model;
    private static TrainedModel other;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        try (CollabLearner learner = TestModels.trained(8, 6, EmbeddingDotBias.builder().optFactors(2))) {
            model = learner.fittedModel();
        }
        try (CollabLearner learner = TestModels.trained(8, 6, EmbeddingDotBias.builder().optFactors(3))) {
            other = learner.fittedModel();
        }
    }

    private Path saved() throws IOException {
        Path file = dir.resolve("model.c4j");
        model.save(file);
        return file;
    }

    private static ModelFormatException rejected(Path file) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TrainedModel.load(file));
        assertTrue(e.getMessage().startsWith(file.toString() + " "), e.getMessage());
        assertEquals(file, e.file());
        return e;
    }

    @Test
    void theLongestLegalNameSavesAndABadFolderIsNamed() throws IOException {
        // 255 bytes: the temporary name (.NAME.HEX.tmp) is cut to fit too.
        Path longest = dir.resolve("m".repeat(251) + ".c4j");
        model.save(longest);
        assertEquals(model.getGlobalMean(), TrainedModel.load(longest).getGlobalMean());
        model.save(longest); // the stale-file cleanup finds the cut prefix as well
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertEquals(java.util.List.of(longest), files.toList());
        }
        Path file = Files.writeString(dir.resolve("plain"), "x");
        org.collab4j.util.OutputFileException e = assertThrows(org.collab4j.util.OutputFileException.class,
                () -> model.save(file.resolve("model.c4j")));
        assertTrue(e.getMessage().startsWith("cannot write " + file.resolve("model.c4j") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("the previous file, if any, is unchanged"), e.getMessage());
    }

    @Test
    void everyFlippedByteIsRejected() throws IOException {
        byte[] good = Files.readAllBytes(saved());
        Path bad = dir.resolve("flipped.c4j");
        Files.write(bad, good);
        // Flipping in place, one byte at a time, is much faster than rewriting the file for every position.
        try (FileChannel channel = FileChannel.open(bad, StandardOpenOption.WRITE)) {
            for (int position = 0; position < good.length; position++) {
                channel.write(ByteBuffer.wrap(new byte[] {(byte) (good[position] ^ 0xFF)}), position);
                String message = rejected(bad).getMessage();
                assertTrue(message.contains("damaged") || message.contains("not a Collab4J model"),
                        "byte " + position + ": " + message);
                channel.write(ByteBuffer.wrap(new byte[] {good[position]}), position);
            }
        }
        TrainedModel.load(bad);
    }

    @Test
    void aFlipInsideTheWeightsNamesTheEntry() throws IOException {
        byte[] bytes = Files.readAllBytes(saved());
        int data = entryData(bytes, ModelCodec.weightsEntry("itemFactors"));
        bytes[data + 6] ^= 0x10;
        Path bad = dir.resolve("params.c4j");
        Files.write(bad, bytes);
        assertEquals(bad + " is damaged: entry 'weights/itemFactors.f32' does not match its SHA-256 in SHA256SUMS (the file"
                + " was changed after it was written)", rejected(bad).getMessage());
    }

    /** The offset of an entry's (compressed) data, from its local file header. */
    private static int entryData(byte[] zip, String name) {
        byte[] wanted = name.getBytes(StandardCharsets.UTF_8);
        for (int p = 0; p + 30 < zip.length; p++) {
            if (zip[p] == 'P' && zip[p + 1] == 'K' && zip[p + 2] == 3 && zip[p + 3] == 4) {
                int nameLength = (zip[p + 26] & 0xFF) | (zip[p + 27] & 0xFF) << 8;
                int extraLength = (zip[p + 28] & 0xFF) | (zip[p + 29] & 0xFF) << 8;
                String found = new String(zip, p + 30, nameLength, StandardCharsets.UTF_8);
                if (found.equals(name) && wanted.length == nameLength) {
                    return p + 30 + nameLength + extraLength;
                }
            }
        }
        throw new AssertionError("no entry " + name);
    }

    @Test
    void everyTruncationIsRejected() throws IOException {
        byte[] good = Files.readAllBytes(saved());
        Path cut = dir.resolve("cut.c4j");
        Files.write(cut, good);
        try (FileChannel channel = FileChannel.open(cut, StandardOpenOption.WRITE)) {
            for (int length = good.length - 1; length >= 0; length--) {
                channel.truncate(length);
                String message = rejected(cut).getMessage();
                assertTrue(message.contains("truncated") || message.contains("empty")
                        || message.contains("not a zip archive"), length + ": " + message);
                if (length == good.length / 2) {
                    assertTrue(message.contains("is truncated or damaged: it does not end with the checksum"),
                            message);
                }
            }
        }
    }

    @Test
    void aNewerFormatVersionIsRejectedWithAdvice() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(ModelCodec.encode(model));
        entries.put(ModelFile.VERSION_ENTRY, "4\n".getBytes(StandardCharsets.UTF_8));
        Path file = dir.resolve("v4.c4j");
        ModelFile.writeEntries(file, entries);
        assertEquals(file + " was written in model format version 4 by a newer Collab4J; this Collab4J reads format"
                + " version 3 and older. Load it with a newer Collab4J.", rejected(file).getMessage());

        entries.put(ModelFile.VERSION_ENTRY, "one".getBytes(StandardCharsets.UTF_8));
        ModelFile.writeEntries(file, entries);
        assertTrue(rejected(file).getMessage().contains("has an unreadable format version 'one'"));
    }

    @Test
    void otherFilesAreNotModels() throws IOException {
        Path text = dir.resolve("ratings.csv");
        Files.writeString(text, "userId,movieId,rating\n1,2,3.5\n");
        assertEquals(text + " is not a Collab4J model file: it is not a zip archive", rejected(text).getMessage());

        Path empty = dir.resolve("empty.c4j");
        Files.write(empty, new byte[0]);
        assertTrue(rejected(empty).getMessage().contains("is empty"));

        Path zip = dir.resolve("other.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("model-0000.params"));
            z.write(new byte[200]);
        }
        assertTrue(rejected(zip).getMessage().contains("or is another kind of zip archive"));

        InputFileException missing = assertThrows(InputFileException.class,
                () -> TrainedModel.load(dir.resolve("missing.c4j")));
        assertEquals(InputFileException.Kind.MISSING, missing.kind());
        assertEquals(InputFileException.Kind.DIRECTORY,
                assertThrows(InputFileException.class, () -> TrainedModel.load(dir)).kind());
    }

    @Test
    void inconsistentEntriesAreRejected() throws IOException {
        Path file = dir.resolve("mixed.c4j");
        Map<String, byte[]> entries = new LinkedHashMap<>(ModelCodec.encode(model));
        String userFactors = ModelCodec.weightsEntry("userFactors");
        entries.put(userFactors, ModelCodec.encode(other).get(userFactors));
        ModelFile.writeEntries(file, entries);
        // Another model's weights: their length is not the one the configuration declares.
        assertTrue(rejected(file).getMessage().contains("has an invalid entry '" + userFactors + "': it holds"),
                rejected(file).getMessage());

        entries = new LinkedHashMap<>(ModelCodec.encode(model));
        String config = new String(entries.get(ModelCodec.CONFIG), StandardCharsets.UTF_8);
        entries.put(ModelCodec.CONFIG, config.replace("EmbeddingDotBias", "SVD++").getBytes(StandardCharsets.UTF_8));
        ModelFile.writeEntries(file, entries);
        assertTrue(rejected(file).getMessage().contains("holds a block 'SVD++' that this Collab4J cannot build"));

        entries = new LinkedHashMap<>(ModelCodec.encode(model));
        entries.put(ModelCodec.USER_IDS, "[\"a\", \"a\"]".getBytes(StandardCharsets.UTF_8));
        ModelFile.writeEntries(file, entries);
        assertTrue(rejected(file).getMessage().contains("has an invalid entry 'user-ids.json'"));

        entries = new LinkedHashMap<>(ModelCodec.encode(model));
        entries.remove(ModelCodec.RATED);
        ModelFile.writeEntries(file, entries);
        assertTrue(rejected(file).getMessage().contains("is incomplete: it has no entry 'rated-items.bin'"));
    }

    @Test
    void theFileIsAZipWithTheDocumentedEntries() throws IOException {
        Path file = saved();
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            assertEquals(java.util.List.of("format-version", "config.json", "user-ids.json", "item-ids.json",
                    "rated-items.bin", "weights/userFactors.f32", "weights/itemFactors.f32", "weights/userBias.f32",
                    "weights/itemBias.f32", "provenance.json", "SHA256SUMS"),
                    zip.stream().map(ZipEntry::getName).toList());
            assertTrue(zip.getComment().startsWith("collab4j-sha256:"));
            String sums = new String(zip.getInputStream(zip.getEntry("SHA256SUMS")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertTrue(sums.contains("  weights/itemBias.f32\n"), sums);
            // The weights are stored, not deflated: their bytes are the file's, read without inflating.
            ZipEntry weights = zip.getEntry("weights/userFactors.f32");
            assertEquals(ZipEntry.STORED, weights.getMethod());
            assertEquals(4L * model.users().size() * 2, weights.getSize());
        }
    }
}
