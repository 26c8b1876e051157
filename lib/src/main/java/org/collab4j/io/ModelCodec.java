package org.collab4j.io;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;

import org.collab4j.data.IdMap;
import org.collab4j.engine.Engines;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.YRange;
import org.collab4j.train.EpochResult;
import org.collab4j.train.FitRecord;
import org.collab4j.util.NDArrays;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of a model file (format version 1) and how a {@link TrainedModel} maps to them:
 *
 * <ul>
 *   <li>{@value ModelFile#VERSION_ENTRY}: {@code 1};
 *   <li>{@value #CONFIG}: the block's kind and settings, the numbers of users and items, the global mean;
 *   <li>{@value #USER_IDS}, {@value #ITEM_IDS}: JSON arrays of the original ids in row order;
 *   <li>{@value #RATED}: which items each user rated in training (big-endian ints: the number of users, then
 *       per user a count and that many ascending item indices);
 *   <li>{@value #PARAMETERS}: the weights, as DJL's {@code Block.saveParameters} writes them;
 *   <li>{@value #PROVENANCE}: how the model was trained.
 * </ul>
 */
final class ModelCodec {

    static final String CONFIG = "config.json";
    static final String USER_IDS = "user-ids.json";
    static final String ITEM_IDS = "item-ids.json";
    static final String RATED = "rated-items.bin";
    static final String PARAMETERS = "parameters.bin";
    static final String PROVENANCE = "provenance.json";

    /** A weight whose four bytes are all non-zero, to tell the weights' bytes from the layout's. */
    private static final float FILL = Float.intBitsToFloat(0x3F9ABCDE);

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

    private ModelCodec() {}

    static Map<String, byte[]> encode(TrainedModel model) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(ModelFile.VERSION_ENTRY, (TrainedModel.FORMAT_VERSION + "\n").getBytes(StandardCharsets.UTF_8));
        entries.put(CONFIG, utf8(PRETTY.toJson(config(model))));
        entries.put(USER_IDS, utf8(COMPACT.toJson(model.users().ids())));
        entries.put(ITEM_IDS, utf8(COMPACT.toJson(model.items().ids())));
        entries.put(RATED, rated(model));
        entries.put(PARAMETERS, parameters(model));
        entries.put(PROVENANCE, utf8(PRETTY.toJson(provenance(model.getProvenance()))));
        return entries;
    }

    private static byte[] utf8(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject config(TrainedModel model) {
        BlockConfig c = model.getConfig();
        JsonObject json = new JsonObject();
        json.addProperty("block", c.kind().blockName());
        json.addProperty("numUsers", c.numUsers());
        json.addProperty("numItems", c.numItems());
        json.addProperty("userFactors", c.userFactors());
        json.addProperty("itemFactors", c.itemFactors());
        if (c.yRange() == null) {
            json.add("yRange", JsonNull.INSTANCE);
        } else {
            JsonArray range = new JsonArray();
            range.add(c.yRange().low());
            range.add(c.yRange().high());
            json.add("yRange", range);
        }
        JsonArray hidden = new JsonArray();
        for (int size : c.hidden()) {
            hidden.add(size);
        }
        json.add("hidden", hidden);
        json.addProperty("embeddingDropout", c.embeddingDropout());
        json.addProperty("hiddenDropout", c.hiddenDropout());
        json.addProperty("globalMean", model.getGlobalMean());
        return json;
    }

    private static byte[] rated(TrainedModel model) throws IOException {
        int[] offsets = model.ratedOffsets();
        int[] items = model.ratedItemIndices();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 * (offsets.length + items.length));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(offsets.length - 1);
            for (int u = 0; u + 1 < offsets.length; u++) {
                out.writeInt(offsets[u + 1] - offsets[u]);
                for (int k = offsets[u]; k < offsets[u + 1]; k++) {
                    out.writeInt(items[k]);
                }
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] parameters(TrainedModel model) throws IOException {
        try (NDManager manager = Engines.pytorch().newBaseManager(Device.cpu())) {
            CollabBlock block = model.newBlock(manager);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                block.saveParameters(out);
            }
            return bytes.toByteArray();
        }
    }

    private static JsonObject provenance(Provenance p) {
        JsonObject json = new JsonObject();
        json.addProperty("model", p.model());
        json.addProperty("seed", p.seed());
        json.addProperty("batchSize", p.batchSize());
        json.addProperty("optimizer", p.optimizer());
        if (p.weightDecay() == null) {
            json.add("weightDecay", JsonNull.INSTANCE);
        } else {
            json.addProperty("weightDecay", p.weightDecay());
        }
        JsonArray fits = new JsonArray();
        for (FitRecord f : p.fits()) {
            JsonObject fit = new JsonObject();
            fit.addProperty("schedule", f.schedule());
            fit.addProperty("epochs", f.epochs());
            fit.addProperty("learningRate", f.learningRate());
            fits.add(fit);
        }
        json.add("fits", fits);
        JsonArray history = new JsonArray();
        for (EpochResult e : p.history()) {
            JsonObject row = new JsonObject();
            row.addProperty("epoch", e.epoch());
            row.add("trainLoss", number(e.trainLoss()));
            row.add("validLoss", number(e.validLoss()));
            row.add("validRmse", number(e.validRmse()));
            row.add("seconds", number(e.seconds()));
            history.add(row);
        }
        json.add("history", history);
        json.addProperty("device", p.device());
        json.addProperty("deviceReason", p.deviceReason());
        json.addProperty("djlVersion", p.djlVersion());
        json.addProperty("engine", Engines.ENGINE_NAME);
        json.addProperty("engineVersion", p.engineVersion());
        json.addProperty("trainRatings", p.trainRatings());
        json.addProperty("validRatings", p.validRatings());
        json.addProperty("createdAt", p.createdAt());
        // Written for people reading the file; loading derives them from the history.
        JsonObject last = new JsonObject();
        last.addProperty("epochs", p.epochs());
        last.add("trainLoss", number(p.finalTrainLoss()));
        last.add("validRmse", number(p.finalValidRmse()));
        json.add("final", last);
        return json;
    }

    /** The provenance as compact JSON, the form the model file stores; for {@link TrainedModel}'s serial form. */
    static String provenanceJson(Provenance p) {
        return COMPACT.toJson(provenance(p));
    }

    /** The inverse of {@link #provenanceJson}. */
    static Provenance provenanceFromJson(String json) {
        return provenance(JsonParser.parseString(json).getAsJsonObject());
    }

    /** JSON has no NaN: an unknown number is written as null. */
    private static JsonElement number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? JsonNull.INSTANCE : new JsonPrimitive(value);
    }

    static TrainedModel decode(Path file, Map<String, byte[]> entries) throws IOException {
        JsonObject config = object(file, entries, CONFIG);
        BlockConfig block;
        double globalMean;
        try {
            block = blockConfig(file, config);
            globalMean = field(config, "globalMean").getAsDouble();
            block.toBuilder().build();
        } catch (RuntimeException e) {
            throw invalid(file, CONFIG, e);
        }
        IdMap users = ids(file, entries, USER_IDS, block.numUsers(), "users");
        IdMap items = ids(file, entries, ITEM_IDS, block.numItems(), "items");
        int[][] rated = rated(file, require(file, entries, RATED), block.numUsers(), block.numItems());
        Map<String, float[]> weights = new LinkedHashMap<>();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        parameters(file, require(file, entries, PARAMETERS), block, weights, shapes);
        Provenance provenance;
        try {
            provenance = provenance(object(file, entries, PROVENANCE));
        } catch (RuntimeException e) {
            throw invalid(file, PROVENANCE, e);
        }
        return new TrainedModel(block, users, items, globalMean, rated[0], rated[1], weights, shapes, provenance);
    }

    private static BlockConfig blockConfig(Path file, JsonObject json) throws ModelFormatException {
        String name = field(json, "block").getAsString();
        BlockConfig.Kind kind = BlockConfig.Kind.byBlockName(name);
        if (kind == null) {
            throw new ModelFormatException(file, "holds a block '" + name + "' that this Collab4J cannot build"
                    + " (it knows EmbeddingDot, EmbeddingDotBias and EmbeddingNet)", null);
        }
        JsonElement range = json.get("yRange");
        YRange yRange = range == null || range.isJsonNull() ? null
                : new YRange(range.getAsJsonArray().get(0).getAsFloat(), range.getAsJsonArray().get(1).getAsFloat());
        JsonArray hiddenJson = field(json, "hidden").getAsJsonArray();
        int[] hidden = new int[hiddenJson.size()];
        for (int k = 0; k < hidden.length; k++) {
            hidden[k] = hiddenJson.get(k).getAsInt();
        }
        return new BlockConfig(kind, field(json, "numUsers").getAsInt(), field(json, "numItems").getAsInt(),
                field(json, "userFactors").getAsInt(), field(json, "itemFactors").getAsInt(), yRange, hidden,
                field(json, "embeddingDropout").getAsFloat(), field(json, "hiddenDropout").getAsFloat());
    }

    /** A required field, with a message that names it when it is missing. */
    private static JsonElement field(JsonObject json, String name) {
        JsonElement e = json.get(name);
        if (isNull(e)) {
            throw new IllegalArgumentException("the field '" + name + "' is missing");
        }
        return e;
    }

    private static IdMap ids(Path file, Map<String, byte[]> entries, String entry, int expected, String what)
            throws ModelFormatException {
        List<String> ids = new ArrayList<>();
        try {
            for (JsonElement id : JsonParser.parseString(text(require(file, entries, entry))).getAsJsonArray()) {
                ids.add(id.getAsString());
            }
            if (ids.size() != expected) {
                throw new IllegalArgumentException("it lists " + ids.size() + " " + what + " but " + CONFIG
                        + " says " + expected);
            }
            return IdMap.of(ids);
        } catch (RuntimeException e) {
            throw invalid(file, entry, e);
        }
    }

    private static int[][] rated(Path file, byte[] data, int users, int items) throws ModelFormatException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (in.readInt() != users) {
                throw new IOException("it does not have " + users + " users as " + CONFIG + " says");
            }
            long pairs = (data.length - 4L) / 4 - users;
            if (pairs < 0) {
                throw new IOException("it is too short for " + users + " users");
            }
            int[] offsets = new int[users + 1];
            int[] indices = new int[(int) pairs];
            int n = 0;
            for (int u = 0; u < users; u++) {
                int count = in.readInt();
                if (count < 0 || count > indices.length - n) {
                    throw new IOException("user " + u + " has an impossible count " + count);
                }
                for (int k = 0; k < count; k++) {
                    int item = in.readInt();
                    if (item < 0 || item >= items || k > 0 && item <= indices[n - 1]) {
                        throw new IOException("user " + u + " lists item index " + item
                                + ", out of range or out of order");
                    }
                    indices[n++] = item;
                }
                offsets[u + 1] = n;
            }
            if (in.available() > 0 || n != indices.length) {
                throw new IOException("it has bytes after the last user");
            }
            return new int[][] {offsets, indices};
        } catch (IOException e) {
            throw invalid(file, RATED, e);
        }
    }

    private static void parameters(Path file, byte[] data, BlockConfig config, Map<String, float[]> weights,
            Map<String, Shape> shapes) throws ModelFormatException {
        try (NDManager manager = Engines.pytorch().newBaseManager(Device.cpu())) {
            CollabBlock block = config.newConstantBlock(manager, Initializer.ZEROS);
            checkLayout(data, saved(block), saved(config.newConstantBlock(manager, new ConstantInitializer(FILL))),
                    config);
            Map<String, Shape> expected = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : block.getParameters()) {
                expected.put(p.getKey(), p.getValue().getArray().getShape());
            }
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            block.loadParameters(manager, in);
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes are left after the last parameter");
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                Shape shape = p.getValue().getArray().getShape();
                if (!shape.equals(expected.get(p.getKey()))) {
                    throw new IOException("parameter " + p.getKey() + " has shape " + shape + ", expected "
                            + expected.get(p.getKey()) + " for " + config);
                }
                weights.put(p.getKey(), NDArrays.toFloatArray(p.getValue().getArray()));
                shapes.put(p.getKey(), shape);
            }
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw invalid(file, PARAMETERS, e);
        }
    }

    /**
     * Checks that the parameters have exactly the layout this configuration's block writes, so that only the
     * weights' bytes may differ: DJL trusts the lengths and shapes it reads (it allocates what a length field says
     * before reading the data), so a file changed with its checksums recomputed could otherwise make it allocate
     * gigabytes. The weights' bytes are where a block of zeros and a block of {@link #FILL} differ; every other byte
     * must equal theirs.
     */
    private static void checkLayout(byte[] data, byte[] zeros, byte[] filled, BlockConfig config) throws IOException {
        if (data.length != zeros.length) {
            throw new IOException("it holds " + data.length + " bytes where the parameters of " + config + " take "
                    + zeros.length);
        }
        for (int k = 0; k < data.length; k++) {
            if (zeros[k] == filled[k] && data[k] != zeros[k]) {
                throw new IOException("byte " + k + " belongs to the layout DJL writes for " + config
                        + " (names, shapes, lengths), not to a weight, and differs from it");
            }
        }
    }

    private static byte[] saved(CollabBlock block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        }
        return bytes.toByteArray();
    }

    private static Provenance provenance(JsonObject json) {
        List<FitRecord> fits = new ArrayList<>();
        for (JsonElement f : array(json, "fits")) {
            JsonObject fit = f.getAsJsonObject();
            fits.add(new FitRecord(fit.get("schedule").getAsString(), fit.get("epochs").getAsInt(),
                    fit.get("learningRate").getAsFloat()));
        }
        List<EpochResult> history = new ArrayList<>();
        for (JsonElement r : array(json, "history")) {
            JsonObject row = r.getAsJsonObject();
            history.add(new EpochResult(row.get("epoch").getAsInt(), dbl(row, "trainLoss"), dbl(row, "validLoss"),
                    dbl(row, "validRmse"), dbl(row, "seconds")));
        }
        JsonElement seed = json.get("seed");
        JsonElement batchSize = json.get("batchSize");
        double weightDecay = dbl(json, "weightDecay");
        return new Provenance(str(json, "model"), isNull(seed) ? null : seed.getAsLong(),
                isNull(batchSize) ? null : batchSize.getAsInt(), str(json, "optimizer"),
                Double.isNaN(weightDecay) ? null : (float) weightDecay, fits, history, str(json, "device"),
                str(json, "deviceReason"), str(json, "djlVersion"), str(json, "engineVersion"),
                isNull(json.get("trainRatings")) ? 0 : json.get("trainRatings").getAsInt(),
                isNull(json.get("validRatings")) ? 0 : json.get("validRatings").getAsInt(), str(json, "createdAt"));
    }

    private static boolean isNull(JsonElement e) {
        return e == null || e.isJsonNull();
    }

    private static JsonArray array(JsonObject json, String name) {
        return isNull(json.get(name)) ? new JsonArray() : json.getAsJsonArray(name);
    }

    private static double dbl(JsonObject json, String name) {
        JsonElement e = json.get(name);
        return isNull(e) ? Double.NaN : e.getAsDouble();
    }

    private static String str(JsonObject json, String name) {
        JsonElement e = json.get(name);
        return isNull(e) ? null : e.getAsString();
    }

    private static JsonObject object(Path file, Map<String, byte[]> entries, String entry)
            throws ModelFormatException {
        try {
            return JsonParser.parseString(text(require(file, entries, entry))).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw invalid(file, entry, e);
        }
    }

    private static byte[] require(Path file, Map<String, byte[]> entries, String entry)
            throws ModelFormatException {
        byte[] data = entries.get(entry);
        if (data == null) {
            throw new ModelFormatException(file, "is incomplete: it has no entry '" + entry + "' listed in "
                    + ModelFile.MANIFEST_ENTRY, null);
        }
        return data;
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    private static ModelFormatException invalid(Path file, String entry, Exception e) {
        if (e instanceof ModelFormatException) {
            return (ModelFormatException) e;
        }
        return new ModelFormatException(file, "has an invalid entry '" + entry + "': " + e.getMessage(), e);
    }
}
