package org.collab4j.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import org.collab4j.data.IdMap;
import org.collab4j.data.NumericScale;
import org.collab4j.kernel.Side;
import org.collab4j.util.Shown;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A hybrid model's {@link FeatureEmbeddings} in its model file (format version 3): per side that has them, three
 * entries and a declaration in {@value ModelCodec#CONFIG}'s {@code features} object:
 *
 * <ul>
 *   <li>{@code features/item-names.json} (or {@code user-}): the vocabulary, a JSON array of distinct names;
 *   <li>{@code features/item-vectors.f32}: the features' vectors, {@code count × factors} little-endian float32,
 *       row-major, stored uncompressed;
 *   <li>{@code features/item-biases.f32}: one float32 per feature, for a model with biases;
 *   <li>{@code features/item-scales.json}: the numeric features' z-scores ({@link NumericScale}), a JSON array of
 *       {@code {"name": "year", "mean": 1994.6, "sd": 18.4}}, empty when no feature is numeric;
 *   <li>in {@code config.json}: {@code "features": {"items": {"count": N, "factors": k, "biases": true,
 *       "idEmbeddings": true, "numericScales": 1}}}.
 * </ul>
 *
 * <p>Decoding checks the declaration before anything is allocated: the count within {@link #MAX_FEATURES}, the
 * factors the side's, {@code count × factors} within a Java array, each entry exactly the bytes the declaration
 * implies, the names as many as declared, distinct and at most {@link #MAX_NAME} characters long, every value
 * finite; the scales as many as declared (at most the count), each naming a feature of the vocabulary once, with a
 * finite mean and a finite standard deviation {@code >= 0}. A file whose declaration has no {@code numericScales}
 * (written before models recorded them) loads with the scales unknown ({@link FeatureEmbeddings#numericScales()}
 * {@code null}).
 */
final class FeatureCodec {

    /** The most features a side's vocabulary may have. */
    static final int MAX_FEATURES = 1 << 22;
    /** The longest feature name, in characters (a tag's text with its column's name). */
    static final int MAX_NAME = 1024;
    static final String PREFIX = "features/";
    static final String CONFIG_FIELD = "features";

    private FeatureCodec() {}

    static String key(Side side) {
        return side == Side.USERS ? "users" : "items";
    }

    static String namesEntry(Side side) {
        return PREFIX + side.noun() + "-names.json";
    }

    static String vectorsEntry(Side side) {
        return PREFIX + side.noun() + "-vectors" + ModelFile.STORED_SUFFIX;
    }

    static String biasesEntry(Side side) {
        return PREFIX + side.noun() + "-biases" + ModelFile.STORED_SUFFIX;
    }

    static String scalesEntry(Side side) {
        return PREFIX + side.noun() + "-scales.json";
    }

    /** Whether a model has feature embeddings on either side (and so needs format version 3). */
    static boolean any(TrainedModel model) {
        return model.features(Side.USERS).isPresent() || model.features(Side.ITEMS).isPresent();
    }

    /** Refuses NaN or infinite feature weights at save, as the other weights are refused. */
    static void checkFinite(TrainedModel model) {
        for (Side side : Side.values()) {
            FeatureEmbeddings f = model.features(side).orElse(null);
            if (f == null) {
                continue;
            }
            check(f.vectors(), side.noun() + " feature vectors");
            // A file that load would refuse is a model lost: refuse to write one.
            if (f.featureNames().isEmpty() || f.featureNames().size() > MAX_FEATURES) {
                throw new IllegalStateException("the model's " + side.noun() + " features number "
                        + f.featureNames().size() + "; a model file holds 1 to " + MAX_FEATURES);
            }
            for (String name : f.featureNames()) {
                if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
                    throw new IllegalStateException("the model's " + side.noun() + " feature name "
                            + (name == null ? "null" : Shown.quoted(name, 60)) + " cannot be saved:"
                            + " a name has 1 to " + MAX_NAME + " characters");
                }
            }
            try {
                IdMap.of(f.featureNames());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the model's " + side.noun() + " features cannot be saved: "
                        + e.getMessage(), e);
            }
            if (f.biases() != null) {
                check(f.biases(), side.noun() + " feature biases");
            }
            // NumericScale and FeatureEmbeddings check their own values and names.
        }
    }

    private static void check(float[] values, String what) {
        for (int k = 0; k < values.length; k++) {
            if (!Float.isFinite(values[k])) {
                throw new IllegalStateException("the model's " + what + " hold " + values[k] + " at index " + k
                        + " (the training diverged): it cannot be saved; train again with a lower learning rate");
            }
        }
    }

    /** The declaration for {@code config.json}, or {@code null} for a model without features. */
    static JsonObject declaration(TrainedModel model) {
        if (!any(model)) {
            return null;
        }
        JsonObject json = new JsonObject();
        for (Side side : Side.values()) {
            FeatureEmbeddings f = model.features(side).orElse(null);
            if (f != null) {
                JsonObject s = new JsonObject();
                s.addProperty("count", f.featureNames().size());
                s.addProperty("factors", f.factors());
                s.addProperty("biases", f.biases() != null);
                s.addProperty("idEmbeddings", f.idEmbeddings());
                if (f.numericScales() != null) {
                    s.addProperty("numericScales", f.numericScales().size());
                }
                json.add(key(side), s);
            }
        }
        return json;
    }

    /** Adds the entries of each side with features. */
    static void encode(TrainedModel model, Map<String, byte[]> entries, com.google.gson.Gson gson) {
        for (Side side : Side.values()) {
            FeatureEmbeddings f = model.features(side).orElse(null);
            if (f != null) {
                entries.put(namesEntry(side), (gson.toJson(f.featureNames()) + "\n").getBytes(StandardCharsets.UTF_8));
                entries.put(vectorsEntry(side), floats(f.vectors()));
                if (f.biases() != null) {
                    entries.put(biasesEntry(side), floats(f.biases()));
                }
                if (f.numericScales() != null) {
                    com.google.gson.JsonArray scales = new com.google.gson.JsonArray();
                    for (Map.Entry<String, NumericScale> e : f.numericScales().entrySet()) {
                        JsonObject scale = new JsonObject();
                        scale.addProperty("name", e.getKey());
                        scale.addProperty("mean", e.getValue().mean());
                        scale.addProperty("sd", e.getValue().sd());
                        scales.add(scale);
                    }
                    entries.put(scalesEntry(side), (gson.toJson(scales) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static byte[] floats(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    /**
     * Reads the feature embeddings a file declares onto a decoded model.
     *
     * @param version the file's format version
     * @param config the parsed {@code config.json}
     * @return the model with its features (the model itself when the file declares none)
     */
    static TrainedModel decode(Path file, int version, Map<String, byte[]> entries, JsonObject config,
            TrainedModel model) throws ModelFormatException {
        JsonElement declared = config.get(CONFIG_FIELD);
        if (declared == null || declared.isJsonNull()) {
            return model;
        }
        if (version < 3) {
            throw new ModelFormatException(file, "has an invalid entry '" + ModelCodec.CONFIG + "': it declares"
                    + " feature embeddings, which format version " + version + " does not have", null);
        }
        JsonObject sides;
        try {
            if (!declared.isJsonObject()) {
                throw new IllegalArgumentException("'features' must be a JSON object, not " + brief(declared));
            }
            sides = declared.getAsJsonObject();
            for (String k : sides.keySet()) {
                if (!k.equals("users") && !k.equals("items")) {
                    throw new IllegalArgumentException("'features' has a side '" + Shown.plain(k, 40)
                            + "'; only 'users' and 'items' exist");
                }
            }
        } catch (RuntimeException e) {
            throw invalid(file, ModelCodec.CONFIG, e);
        }
        TrainedModel result = model;
        for (Side side : Side.values()) {
            JsonElement s = sides.get(key(side));
            if (s != null && !s.isJsonNull()) {
                result = result.withFeatures(side, side(file, entries, side, s, model));
            }
        }
        return result;
    }

    private static FeatureEmbeddings side(Path file, Map<String, byte[]> entries, Side side, JsonElement json,
            TrainedModel model) throws ModelFormatException {
        String where = "features." + key(side);
        int count;
        int factors;
        boolean biases;
        boolean idEmbeddings;
        int scaleCount = -1;
        int expectedFactors = side == Side.USERS ? model.getConfig().userFactors() : model.getConfig().itemFactors();
        try {
            if (!json.isJsonObject()) {
                throw new IllegalArgumentException(where + " must be a JSON object, not " + brief(json));
            }
            JsonObject d = json.getAsJsonObject();
            count = BoundedJson.intValue(field(d, "count", where), where + ".count");
            factors = BoundedJson.intValue(field(d, "factors", where), where + ".factors");
            biases = bool(field(d, "biases", where), where + ".biases");
            idEmbeddings = bool(field(d, "idEmbeddings", where), where + ".idEmbeddings");
            JsonElement scales = d.get("numericScales");
            if (scales != null && !scales.isJsonNull()) {
                scaleCount = BoundedJson.intValue(scales, where + ".numericScales");
            }
            if (count < 1 || count > MAX_FEATURES) {
                throw new IllegalArgumentException(where + ".count is " + count + "; it must be between 1 and "
                        + MAX_FEATURES);
            }
            if (factors != expectedFactors) {
                throw new IllegalArgumentException(where + ".factors is " + factors + " where the model's "
                        + side.noun() + " rows have " + expectedFactors);
            }
            if ((long) count * factors > BlockConfig.MAX_TABLE) {
                throw new IllegalArgumentException(where + " declares " + count + " × " + factors
                        + " values, more than a Java array can (" + BlockConfig.MAX_TABLE + ")");
            }
            if (scaleCount > count || scaleCount < -1 || (scales != null && scaleCount < 0)) {
                throw new IllegalArgumentException(where + ".numericScales is " + scaleCount + "; it must be"
                        + " between 0 and the count, " + count);
            }
            if (biases && !model.getConfig().hasBiases()) {
                throw new IllegalArgumentException(where + ".biases is true for a model without biases");
            }
        } catch (RuntimeException e) {
            throw invalid(file, ModelCodec.CONFIG, e);
        }
        String namesEntry = namesEntry(side);
        List<String> names;
        try {
            names = BoundedJson.stringArray(new String(require(file, entries, namesEntry), StandardCharsets.UTF_8));
            if (names.size() != count) {
                throw new IllegalArgumentException("it lists " + names.size() + " features but " + ModelCodec.CONFIG
                        + " says " + count);
            }
            for (int k = 0; k < names.size(); k++) {
                String name = names.get(k);
                if (name.isEmpty() || name.length() > MAX_NAME) {
                    throw new IllegalArgumentException("feature " + k + "'s name is " + name.length()
                            + " characters long; a name has 1 to " + MAX_NAME);
                }
            }
            IdMap.of(names); // refuses a repeated name
        } catch (RuntimeException e) {
            throw invalid(file, namesEntry, e);
        }
        float[] vectors = floats(file, entries, vectorsEntry(side), (long) count * factors,
                side.noun() + "FeatureVectors[" + count + ", " + factors + "]");
        float[] bias = biases ? floats(file, entries, biasesEntry(side), count,
                side.noun() + "FeatureBiases[" + count + "]") : null;
        if (!biases && entries.containsKey(biasesEntry(side))) {
            throw new ModelFormatException(file, "has an invalid entry '" + biasesEntry(side) + "': "
                    + ModelCodec.CONFIG + " says the " + side.noun() + " features have no biases", null);
        }
        Map<String, NumericScale> scales = null;
        if (scaleCount >= 0) {
            scales = scales(file, entries, side, scaleCount, names);
        } else if (entries.containsKey(scalesEntry(side))) {
            throw new ModelFormatException(file, "has an invalid entry '" + scalesEntry(side) + "': "
                    + ModelCodec.CONFIG + " declares no numeric scales for the " + side.noun() + " features", null);
        }
        return new FeatureEmbeddings(names, factors, vectors, bias, idEmbeddings, scales);
    }

    /** The scales entry: exactly {@code count} scales, each of a distinct feature of {@code names}, valid. */
    private static Map<String, NumericScale> scales(Path file, Map<String, byte[]> entries, Side side, int count,
            List<String> names) throws ModelFormatException {
        String entry = scalesEntry(side);
        byte[] data = require(file, entries, entry);
        // A scale is a name (at most MAX_NAME characters, each at most 6 escaped) and two numbers: refuse a larger
        // entry before building its tree.
        long most = 64 + (long) count * (6L * MAX_NAME + 2L * BoundedJson.MAX_NUMBER + 64);
        if (data.length > most) {
            throw new ModelFormatException(file, "has an invalid entry '" + entry + "': it holds " + data.length
                    + " bytes, more than " + count + " numeric scales take (at most " + most + ")", null);
        }
        try {
            JsonElement json = BoundedJson.parse(new String(data, StandardCharsets.UTF_8));
            if (!json.isJsonArray()) {
                throw new IllegalArgumentException("it must be a JSON array, not " + brief(json));
            }
            if (json.getAsJsonArray().size() != count) {
                throw new IllegalArgumentException("it lists " + json.getAsJsonArray().size() + " scales but "
                        + ModelCodec.CONFIG + " says " + count);
            }
            Set<String> vocabulary = new HashSet<>(names);
            Map<String, NumericScale> scales = new LinkedHashMap<>();
            int k = 0;
            for (JsonElement e : json.getAsJsonArray()) {
                String what = "scale " + k++;
                if (!e.isJsonObject()) {
                    throw new IllegalArgumentException(what + " must be a JSON object, not " + brief(e));
                }
                JsonObject o = e.getAsJsonObject();
                JsonElement n = field(o, "name", what);
                if (!n.isJsonPrimitive() || !n.getAsJsonPrimitive().isString()) {
                    throw new IllegalArgumentException(what + ".name must be a string, not " + brief(n));
                }
                String name = n.getAsString();
                if (!vocabulary.contains(name)) {
                    throw new IllegalArgumentException(what + " is of " + Shown.quoted(name, 60) + ", which is not"
                            + " one of the " + names.size() + " features");
                }
                double mean = BoundedJson.doubleValue(field(o, "mean", what), what + ".mean");
                double sd = BoundedJson.doubleValue(field(o, "sd", what), what + ".sd");
                if (sd < 0) {
                    throw new IllegalArgumentException(what + " (" + Shown.quoted(name, 60) + ") has the standard"
                            + " deviation " + sd + "; it must be >= 0");
                }
                if (scales.put(name, new NumericScale(mean, sd)) != null) {
                    throw new IllegalArgumentException(what + " repeats the scale of " + Shown.quoted(name, 60));
                }
            }
            return scales;
        } catch (RuntimeException e) {
            throw invalid(file, entry, e);
        }
    }

    /** An entry of exactly {@code values} float32s, all finite; its size is checked before anything is allocated. */
    private static float[] floats(Path file, Map<String, byte[]> entries, String entry, long values, String what)
            throws ModelFormatException {
        byte[] data = require(file, entries, entry);
        long expected = values * Float.BYTES;
        if (data.length != expected) {
            throw new ModelFormatException(file, "has an invalid entry '" + entry + "': it holds " + data.length
                    + " bytes where " + what + " takes " + expected, null);
        }
        float[] result = new float[(int) values];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(result);
        for (int k = 0; k < result.length; k++) {
            if (!Float.isFinite(result[k])) {
                throw new ModelFormatException(file, "holds a weight that is not a finite number: " + what + " is "
                        + result[k] + " at index " + k + " in entry '" + entry + "' (a diverged or damaged model)",
                        null);
            }
        }
        return result;
    }

    private static JsonElement field(JsonObject json, String name, String where) {
        JsonElement e = json.get(name);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("the field '" + where + "." + name + "' is missing");
        }
        return e;
    }

    private static boolean bool(JsonElement e, String what) {
        if (!e.isJsonPrimitive() || !((JsonPrimitive) e).isBoolean()) {
            throw new IllegalArgumentException(what + " must be true or false, not " + brief(e));
        }
        return e.getAsBoolean();
    }

    private static String brief(JsonElement e) {
        String s = String.valueOf(e);
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static byte[] require(Path file, Map<String, byte[]> entries, String entry) throws ModelFormatException {
        byte[] data = entries.get(entry);
        if (data == null) {
            throw new ModelFormatException(file, "is incomplete: it has no entry '" + entry + "', which "
                    + ModelCodec.CONFIG + " declares", null);
        }
        return data;
    }

    private static ModelFormatException invalid(Path file, String entry, Exception e) {
        return new ModelFormatException(file, "has an invalid entry '" + entry + "': "
                + Shown.plain(String.valueOf(e.getMessage()), 300), e);
    }
}
