package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.NumericScale;
import org.collab4j.kernel.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A hybrid model's feature embeddings in the model file (format 3) and in Java serialization. */
class FeatureEntriesTest {

    @TempDir
    Path dir;

    private static void assertSameFeatures(TrainedModel expected, TrainedModel actual) {
        for (Side side : Side.values()) {
            FeatureEmbeddings e = expected.features(side).orElseThrow();
            FeatureEmbeddings a = actual.features(side).orElseThrow();
            assertEquals(e.featureNames(), a.featureNames(), side.noun());
            assertEquals(e.factors(), a.factors());
            assertArrayEquals(e.vectors(), a.vectors());
            assertArrayEquals(e.biases(), a.biases());
            assertEquals(e.idEmbeddings(), a.idEmbeddings());
            assertEquals(e.numericScales(), a.numericScales(), side.noun());
        }
    }

    /** The hand-built model with its numeric scales recorded: users' {@code age}; items have none (known). */
    static TrainedModel withScales() {
        TrainedModel model = HybridModels.dotBias();
        return model.withFeatures(Side.USERS, model.features(Side.USERS).orElseThrow().withNumericScales(
                Map.of("age", new NumericScale(35.123456789, 12.25)))).withFeatures(Side.ITEMS,
                model.features(Side.ITEMS).orElseThrow().withNumericScales(Map.of()));
    }

    @Test
    void numericScalesRoundTripThroughTheFileAndSerialization() throws Exception {
        TrainedModel model = withScales();
        Path file = dir.resolve("scales.c4j");
        model.save(file);
        TrainedModel loaded = TrainedModel.load(file);
        assertSameFeatures(model, loaded);
        assertEquals(Map.of("age", new NumericScale(35.123456789, 12.25)),
                loaded.features(Side.USERS).orElseThrow().numericScales());
        assertEquals(Map.of(), loaded.features(Side.ITEMS).orElseThrow().numericScales());
        Map<String, byte[]> entries = ModelCodec.encode(model);
        assertEquals("[{\"name\":\"age\",\"mean\":35.123456789,\"sd\":12.25}]\n",
                new String(entries.get("features/user-scales.json"), StandardCharsets.UTF_8));
        assertEquals("[]\n", new String(entries.get("features/item-scales.json"), StandardCharsets.UTF_8));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertSameFeatures(model, (TrainedModel) in.readObject());
        }
        // Scales unknown (a model built without them) are written as before this change: no entry, no count.
        Map<String, byte[]> unknown = ModelCodec.encode(HybridModels.dotBias());
        assertFalse(unknown.keySet().stream().anyMatch(e -> e.endsWith("-scales.json")));
        assertFalse(new String(unknown.get(ModelCodec.CONFIG), StandardCharsets.UTF_8).contains("numericScales"));
        HybridModels.dotBias().save(file);
        assertNull(TrainedModel.load(file).features(Side.USERS).orElseThrow().numericScales());
    }

    /** Writes {@link #withScales}'s entries with one changed and returns the load's message. */
    private String scalesRejected(String entry, String text) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(ModelCodec.encode(withScales()));
        if (text == null) {
            entries.remove(entry);
        } else {
            entries.put(entry, utf8(text));
        }
        Path file = dir.resolve("bad-scales.c4j");
        ModelFile.writeEntries(file, entries);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TrainedModel.load(file));
        assertTrue(e.getMessage().startsWith(file + " "), e.getMessage());
        return e.getMessage().substring(file.toString().length() + 1);
    }

    @Test
    void damagedNumericScalesAreRefusedWithTheEntryAndTheProblem() throws IOException {
        String entry = "features/user-scales.json";
        assertEquals("has an invalid entry 'features/user-scales.json': scale 0 (\"age\") has the standard deviation"
                + " -1.0; it must be >= 0", scalesRejected(entry, "[{\"name\":\"age\",\"mean\":3,\"sd\":-1}]"));
        assertEquals("has an invalid entry 'features/user-scales.json': scale 0 is of \"height\", which is not one"
                + " of the 3 features", scalesRejected(entry, "[{\"name\":\"height\",\"mean\":3,\"sd\":1}]"));
        assertEquals("has an invalid entry 'features/user-scales.json': scale 0.mean is 1E+999, beyond a double's"
                + " range", scalesRejected(entry, "[{\"name\":\"age\",\"mean\":1e999,\"sd\":1}]"));
        assertEquals("has an invalid entry 'features/user-scales.json': it lists 2 scales but config.json says 1",
                scalesRejected(entry, "[{\"name\":\"age\",\"mean\":3,\"sd\":1},"
                        + "{\"name\":\"age\",\"mean\":3,\"sd\":1}]"));
        assertEquals("has an invalid entry 'features/user-scales.json': the field 'scale 0.sd' is missing",
                scalesRejected(entry, "[{\"name\":\"age\",\"mean\":3}]"));
        assertTrue(scalesRejected(entry, "[{\"name\":\"age\",\"mean\":\"NaN\",\"sd\":1}]")
                .startsWith("has an invalid entry 'features/user-scales.json': scale 0.mean must be a number"));
        assertEquals("is incomplete: it has no entry 'features/user-scales.json', which config.json declares",
                scalesRejected(entry, null));
        assertTrue(scalesRejected(entry, " ".repeat(7000) + "[]").contains("more than 1 numeric scales take"));
        // A count beyond the vocabulary's, and an entry the declaration does not have.
        String config = new String(ModelCodec.encode(withScales()).get(ModelCodec.CONFIG), StandardCharsets.UTF_8);
        assertTrue(config.contains("\"numericScales\": 1"), config);
        assertEquals("has an invalid entry 'config.json': features.users.numericScales is 4; it must be between 0"
                + " and the count, 3", scalesRejected(ModelCodec.CONFIG, config.replace("\"numericScales\": 1",
                        "\"numericScales\": 4")));
        assertEquals("has an invalid entry 'features/user-scales.json': config.json declares no numeric scales for"
                + " the user features", scalesRejected(ModelCodec.CONFIG,
                        config.replace(",\n      \"numericScales\": 1", "")));
    }

    @Test
    void featuresRoundTripThroughTheFileAsFormat3() throws IOException {
        TrainedModel model = HybridModels.dotBias();
        Path file = dir.resolve("hybrid.c4j");
        model.save(file);
        TrainedModel loaded = TrainedModel.load(file);
        assertSameFeatures(model, loaded);
        assertFalse(loaded.features(Side.ITEMS).orElseThrow().idEmbeddings());
        assertTrue(loaded.features(Side.USERS).orElseThrow().idEmbeddings());
        Map<String, byte[]> entries = ModelCodec.encode(model);
        assertEquals("3\n", new String(entries.get(ModelFile.VERSION_ENTRY), StandardCharsets.UTF_8));
        assertTrue(entries.containsKey("features/item-names.json"));
        assertEquals(3 * 2 * 4, entries.get("features/item-vectors.f32").length);
        assertEquals(3 * 4, entries.get("features/user-biases.f32").length);
    }

    @Test
    void aModelWithoutFeaturesStaysFormat2AndLoadsWithoutThem() throws IOException {
        TrainedModel plain = HybridModels.dotBias().withFeatures(Side.ITEMS, null).withFeatures(Side.USERS, null);
        Map<String, byte[]> entries = ModelCodec.encode(plain);
        assertEquals("2\n", new String(entries.get(ModelFile.VERSION_ENTRY), StandardCharsets.UTF_8));
        assertFalse(entries.keySet().stream().anyMatch(e -> e.startsWith("features/")));
        assertFalse(new String(entries.get(ModelCodec.CONFIG), StandardCharsets.UTF_8).contains("\"features\""));
        Path file = dir.resolve("plain.c4j");
        plain.save(file);
        assertTrue(TrainedModel.load(file).features(Side.ITEMS).isEmpty());
        // One side only.
        TrainedModel items = HybridModels.dotBias().withFeatures(Side.USERS, null);
        items.save(file);
        TrainedModel loaded = TrainedModel.load(file);
        assertTrue(loaded.features(Side.USERS).isEmpty());
        assertEquals(HybridModels.ITEM_FEATURES, loaded.features(Side.ITEMS).orElseThrow().featureNames());
    }

    @Test
    void javaSerializationCarriesTheFeatures() throws Exception {
        TrainedModel model = HybridModels.dotBias();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertSameFeatures(model, (TrainedModel) in.readObject());
        }
        // A damaged feature entry in a stream is refused as a file's is.
        Map<String, byte[]> entries = new LinkedHashMap<>(ModelCodec.encode(model));
        entries.put("features/item-vectors.f32", new byte[5]);
        ByteArrayOutputStream damaged = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(damaged)) {
            out.writeObject(new TrainedModel.SerialForm(entries));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(damaged.toByteArray()))) {
            InvalidObjectException e = assertThrows(InvalidObjectException.class, in::readObject);
            assertTrue(e.getMessage().contains("'features/item-vectors.f32': it holds 5 bytes where"
                    + " itemFeatureVectors[3, 2] takes 24"), e.getMessage());
        }
    }

    /** Writes the model's entries with one changed (null: removed) and returns the load's message. */
    private String rejected(String entry, byte[] data) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>(ModelCodec.encode(HybridModels.dotBias()));
        if (data == null) {
            entries.remove(entry);
        } else {
            entries.put(entry, data);
        }
        Path file = dir.resolve("bad.c4j");
        ModelFile.writeEntries(file, entries);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TrainedModel.load(file));
        assertTrue(e.getMessage().startsWith(file + " "), e.getMessage());
        return e.getMessage().substring(file.toString().length() + 1);
    }

    private String config(String from, String to) throws IOException {
        String config = new String(ModelCodec.encode(HybridModels.dotBias()).get(ModelCodec.CONFIG),
                StandardCharsets.UTF_8);
        assertTrue(config.contains(from), config);
        return rejected(ModelCodec.CONFIG, config.replace(from, to).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    @Test
    void damagedFeatureEntriesAreRefusedWithTheEntryAndTheProblem() throws IOException {
        assertEquals("has an invalid entry 'features/item-vectors.f32': it holds 20 bytes where"
                + " itemFeatureVectors[3, 2] takes 24", rejected("features/item-vectors.f32", new byte[20]));
        assertEquals("holds a weight that is not a finite number: itemFeatureVectors[3, 2] is NaN at index 4 in"
                + " entry 'features/item-vectors.f32' (a diverged or damaged model)",
                rejected("features/item-vectors.f32", floats(1, 2, 3, 4, Float.NaN, 6)));
        assertEquals("holds a weight that is not a finite number: userFeatureBiases[3] is Infinity at index 1 in"
                + " entry 'features/user-biases.f32' (a diverged or damaged model)",
                rejected("features/user-biases.f32", floats(1, Float.POSITIVE_INFINITY, 3)));
        assertEquals("has an invalid entry 'features/item-names.json': id \"genre=A\" appears twice, at positions 0"
                + " and 2; IdMap.of needs distinct ids (use IdMap.builder() to drop repeats)",
                rejected("features/item-names.json", utf8("[\"genre=A\",\"genre=B\",\"genre=A\"]")));
        assertEquals("has an invalid entry 'features/item-names.json': it lists 2 features but config.json says 3",
                rejected("features/item-names.json", utf8("[\"genre=A\",\"genre=B\"]")));
        assertEquals("has an invalid entry 'features/item-names.json': feature 1's name is 1025 characters long; a"
                + " name has 1 to 1024", rejected("features/item-names.json",
                        utf8("[\"a\",\"" + "x".repeat(1025) + "\",\"c\"]")));
        String notStrings = rejected("features/user-names.json", utf8("[\"a\", 1, \"c\"]"));
        assertTrue(notStrings.startsWith("has an invalid entry 'features/user-names.json': "), notStrings);
        assertTrue(notStrings.contains("element 1 is NUMBER, not a string"), notStrings);
        assertEquals("is incomplete: it has no entry 'features/user-vectors.f32', which config.json declares",
                rejected("features/user-vectors.f32", null));
    }

    @Test
    void aHostileDeclarationIsRefusedBeforeAnythingIsAllocated() throws IOException {
        String items = "\"items\": {\n      \"count\": 3,\n      \"factors\": 2,";
        // The names entry is checked against the count before a vector is allocated: 4M features × 2 factors would
        // take 32 MB, and the entry holds 24 bytes.
        assertEquals("has an invalid entry 'features/item-names.json': it lists 3 features but config.json says"
                + " 4194304", config(items, items.replace("\"count\": 3", "\"count\": 4194304")));
        assertEquals("has an invalid entry 'config.json': features.items.count is 4194305; it must be between 1 and"
                + " 4194304", config(items, items.replace("\"count\": 3", "\"count\": 4194305")));
        assertEquals("has an invalid entry 'config.json': features.items.count is -1; it must be between 1 and"
                + " 4194304", config(items, items.replace("\"count\": 3", "\"count\": -1")));
        assertTrue(config(items, items.replace("\"count\": 3", "\"count\": 1e99"))
                .startsWith("has an invalid entry 'config.json': features.items.count"));
        assertEquals("has an invalid entry 'config.json': features.items.factors is 9 where the model's item rows"
                + " have 2", config(items, items.replace("\"factors\": 2", "\"factors\": 9")));
        assertEquals("has an invalid entry 'config.json': 'features' has a side 'shops'; only 'users' and 'items'"
                + " exist", config("\"items\": {", "\"shops\": {"));
        assertEquals("has an invalid entry 'config.json': features.users.biases must be true or false, not \"yes\"",
                config("\"biases\": true", "\"biases\": \"yes\""));
    }

    @Test
    void featuresInAFormat2FileAreRefused() throws IOException {
        assertEquals("has an invalid entry 'config.json': it declares feature embeddings, which format version 2"
                + " does not have", rejected(ModelFile.VERSION_ENTRY, utf8("2\n")));
    }

    @Test
    void aModelWhoseFeaturesCannotBeLoadedIsNotSaved() {
        TrainedModel model = HybridModels.dotBias();
        TrainedModel nan = model.withFeatures(Side.ITEMS, new FeatureEmbeddings(HybridModels.ITEM_FEATURES, 2,
                new float[] {0, 0, Float.NaN, 0, 0, 0}, null, true));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> nan.save(dir.resolve("m.c4j")));
        assertEquals("the model's item feature vectors hold NaN at index 2 (the training diverged): it cannot be"
                + " saved; train again with a lower learning rate", e.getMessage());
        TrainedModel twice = model.withFeatures(Side.USERS, new FeatureEmbeddings(List.of("a", "a"), 2,
                new float[4], null, true));
        e = assertThrows(IllegalStateException.class, () -> twice.save(dir.resolve("m.c4j")));
        assertTrue(e.getMessage().startsWith("the model's user features cannot be saved: id \"a\" appears twice"),
                e.getMessage());
        assertFalse(java.nio.file.Files.exists(dir.resolve("m.c4j")));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
