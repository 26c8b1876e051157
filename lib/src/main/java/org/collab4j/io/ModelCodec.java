package org.collab4j.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import org.collab4j.data.IdMap;
import org.collab4j.kernel.Csr;
import org.collab4j.model.BlockKind;
import org.collab4j.model.YRange;
import org.collab4j.util.Shown;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The entries of a model file and how a {@link TrainedModel} maps to them. Format version 2 (3 for a model with
 * {@link FeatureEmbeddings}, whose entries and declaration {@link FeatureCodec} adds):
 *
 * <ul>
 *   <li>{@value ModelFile#VERSION_ENTRY}: {@code 2};
 *   <li>{@value #CONFIG}: the block's kind and settings, the numbers of users and items, the global mean, the
 *       objective, and {@code parameters}: each weight table's name, entry, data type and shape, in DJL's order;
 *   <li>{@value #USER_IDS}, {@value #ITEM_IDS}: JSON arrays of the original ids in row order;
 *   <li>{@value #RATED}: which items each user rated in training (big-endian ints: the number of users, then
 *       per user a count and that many ascending item indices);
 *   <li>{@code weights/NAME.f32}: each table's values, row-major, raw little-endian float32, stored uncompressed;
 *   <li>{@value #HISTORY} (an item-item model, block {@code ItemItem}, only): each user's history items, in
 *       {@value #RATED}'s layout; their weights are the table {@code historyValues} and the {@code n × n} matrix
 *       the table {@code itemItem}, whose diagonal must be 0; a sparse matrix ({@code matrixSize} in the
 *       configuration) keeps its rows' columns in {@value #MATRIX} and their values in {@code itemItem};
 *   <li>{@value #PROVENANCE}: how the model was trained.
 * </ul>
 *
 * <p>Format version 1 (still read) has no objective (read as {@code mse}) and holds the weights in one entry
 * {@value #PARAMETERS}, DJL's {@code Block.saveParameters} output, which {@link V1Parameters} reads in plain Java.
 *
 * <p>Decoding trusts nothing: every number is checked against the configuration's limits
 * ({@link BlockConfig#validate}) and every size against the bytes really in the entry before an array is
 * allocated; JSON is parsed with bounded depth ({@link BoundedJson}); NaN or infinite weights and global means are
 * refused, at save and at load.
 */
final class ModelCodec {

    static final String CONFIG = "config.json";
    static final String USER_IDS = "user-ids.json";
    static final String ITEM_IDS = "item-ids.json";
    static final String RATED = "rated-items.bin";
    /** An item-item model's history items per user, in {@value #RATED}'s layout. */
    static final String HISTORY = "history-items.bin";
    /** A sparse item-item matrix's rows (the columns each keeps), in {@value #RATED}'s layout. */
    static final String MATRIX = "item-item-rows.bin";
    static final String PROVENANCE = "provenance.json";
    /** Format 1's weights. */
    static final String PARAMETERS = "parameters.bin";
    static final String WEIGHTS_PREFIX = "weights/";
    static final String DTYPE = "float32le";
    /** Engine name written into the provenance for readers of the file; loading ignores it. */
    private static final String ENGINE_NAME = "PyTorch";
    /** The largest {@value #CONFIG} a model can have is a few hundred bytes. */
    static final int MAX_CONFIG = 1 << 16;

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

    private ModelCodec() {}

    static String weightsEntry(String parameter) {
        return WEIGHTS_PREFIX + parameter + ModelFile.STORED_SUFFIX;
    }

    static Map<String, byte[]> encode(TrainedModel model) throws IOException {
        checkFinite(model);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        // A model without feature embeddings is written as format 2, which every Collab4J since issue 16 reads;
        // one with them as 3, so that an older Collab4J refuses it rather than serve it without its features.
        int version = FeatureCodec.any(model) ? TrainedModel.FORMAT_VERSION : 2;
        entries.put(ModelFile.VERSION_ENTRY, (version + "\n").getBytes(StandardCharsets.UTF_8));
        entries.put(CONFIG, utf8(PRETTY.toJson(config(model))));
        entries.put(USER_IDS, utf8(COMPACT.toJson(model.users().ids())));
        entries.put(ITEM_IDS, utf8(COMPACT.toJson(model.items().ids())));
        entries.put(RATED, rows(model.ratedItems()));
        if (model.history() != null) {
            entries.put(HISTORY, rows(model.history()));
        }
        if (model.matrix() != null) {
            entries.put(MATRIX, rows(model.matrix()));
        }
        for (Map.Entry<String, float[]> w : model.weights().entrySet()) {
            float[] values = w.getValue();
            ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            entries.put(weightsEntry(w.getKey()), bytes.array());
        }
        FeatureCodec.encode(model, entries, COMPACT);
        entries.put(PROVENANCE, utf8(PRETTY.toJson(provenance(model.getProvenance()))));
        return entries;
    }

    /** A diverged model would load and serve empty lists: refuse to write one. */
    private static void checkFinite(TrainedModel model) {
        if (!Double.isFinite(model.getGlobalMean())) {
            throw new IllegalStateException("the model's global mean is " + model.getGlobalMean()
                    + ": it cannot be saved");
        }
        for (Map.Entry<String, float[]> w : model.weights().entrySet()) {
            int bad = firstNonFinite(w.getValue());
            if (bad >= 0) {
                throw new IllegalStateException("the model's parameter " + w.getKey() + " holds "
                        + w.getValue()[bad] + " at index " + bad + " (the training diverged): it cannot be saved;"
                        + " train again with a lower learning rate");
            }
        }
        FeatureCodec.checkFinite(model);
    }

    private static int firstNonFinite(float[] values) {
        for (int k = 0; k < values.length; k++) {
            if (!Float.isFinite(values[k])) {
                return k;
            }
        }
        return -1;
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
        if (c.kind() == BlockKind.ITEM_ITEM) {
            json.addProperty("historySize", c.historySize());
            if (c.matrixSize() > 0) {
                json.addProperty("matrixSize", c.matrixSize());
            }
        }
        json.addProperty("globalMean", model.getGlobalMean());
        json.addProperty("objective", model.objective());
        JsonArray parameters = new JsonArray();
        for (BlockConfig.Table table : c.layout()) {
            JsonObject p = new JsonObject();
            p.addProperty("name", table.name());
            p.addProperty("entry", weightsEntry(table.name()));
            p.addProperty("dtype", DTYPE);
            JsonArray shape = new JsonArray();
            for (int d : table.dims()) {
                shape.add(d);
            }
            p.add("shape", shape);
            parameters.add(p);
        }
        json.add("parameters", parameters);
        JsonObject features = FeatureCodec.declaration(model);
        if (features != null) {
            json.add(FeatureCodec.CONFIG_FIELD, features);
        }
        return json;
    }

    private static byte[] rows(Csr rated) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 * (rated.rows() + 1 + rated.size()));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(rated.rows());
            for (int u = 0; u < rated.rows(); u++) {
                out.writeInt(rated.end(u) - rated.start(u));
                for (int k = rated.start(u); k < rated.end(u); k++) {
                    out.writeInt(rated.columns()[k]);
                }
            }
        }
        return bytes.toByteArray();
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
        for (Provenance.Fit f : p.fits()) {
            JsonObject fit = new JsonObject();
            fit.addProperty("schedule", f.schedule());
            fit.addProperty("epochs", f.epochs());
            fit.add("learningRate", number(f.learningRate()));
            fits.add(fit);
        }
        json.add("fits", fits);
        JsonArray history = new JsonArray();
        for (Provenance.Epoch e : p.history()) {
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
        json.addProperty("engine", ENGINE_NAME);
        json.addProperty("engineVersion", p.engineVersion());
        json.addProperty("trainRatings", p.trainRatings());
        json.addProperty("validRatings", p.validRatings());
        json.addProperty("createdAt", p.createdAt());
        json.addProperty("trainingStep", p.trainingStep());
        if (p.tuning() != null) {
            json.add("tuning", tuning(p.tuning()));
        }
        // Written for people reading the file; loading derives them from the history.
        JsonObject last = new JsonObject();
        last.addProperty("epochs", p.epochs());
        last.add("trainLoss", number(p.finalTrainLoss()));
        last.add("validRmse", number(p.finalValidRmse()));
        json.add("final", last);
        return json;
    }

    /** JSON has no NaN: an unknown number is written as null. */
    private static JsonElement number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? JsonNull.INSTANCE : new JsonPrimitive(value);
    }

    static TrainedModel decode(Path file, Map<String, byte[]> entries) throws IOException {
        int version = version(file, entries);
        byte[] configBytes = require(file, entries, CONFIG);
        if (configBytes.length > MAX_CONFIG) {
            throw new ModelFormatException(file, "has an invalid entry '" + CONFIG + "': it holds "
                    + configBytes.length + " bytes; a model's configuration takes under " + MAX_CONFIG, null);
        }
        BlockConfig block;
        double globalMean;
        String objective;
        JsonObject config;
        try {
            config = object(BoundedJson.parse(text(configBytes)), "the entry");
            block = blockConfig(file, config);
            block.validate();
            globalMean = BoundedJson.doubleValue(field(config, "globalMean"), "globalMean");
            objective = version == 1 ? TrainedModel.DEFAULT_OBJECTIVE : string(field(config, "objective"),
                    "objective");
        } catch (RuntimeException e) {
            throw invalid(file, CONFIG, e);
        }
        if (!TrainedModel.KNOWN_OBJECTIVES.contains(objective)) {
            throw new ModelFormatException(file, "holds an objective '" + Shown.plain(objective, 60) + "' that this"
                    + " Collab4J does not know (it knows " + String.join(", ", new java.util.TreeSet<>(
                            TrainedModel.KNOWN_OBJECTIVES)) + "); load it with the Collab4J that wrote it", null);
        }
        IdMap users = ids(file, entries, USER_IDS, block.numUsers(), "users");
        IdMap items = ids(file, entries, ITEM_IDS, block.numItems(), "items");
        Csr rated = rated(file, RATED, require(file, entries, RATED), block.numUsers(), block.numItems());
        Csr history = null;
        if (block.kind() == BlockKind.ITEM_ITEM) {
            history = rated(file, HISTORY, require(file, entries, HISTORY), block.numUsers(), block.numItems());
            if (history.size() != block.historySize()) {
                throw new ModelFormatException(file, "has an invalid entry '" + HISTORY + "': it lists "
                        + history.size() + " history entries where " + CONFIG + " says " + block.historySize(),
                        null);
            }
        }
        Csr matrix = null;
        if (block.kind() == BlockKind.ITEM_ITEM && block.matrixSize() > 0) {
            matrix = rated(file, MATRIX, require(file, entries, MATRIX), block.numItems(), block.numItems());
            if (matrix.size() != block.matrixSize()) {
                throw new ModelFormatException(file, "has an invalid entry '" + MATRIX + "': it keeps "
                        + matrix.size() + " entries where " + CONFIG + " says " + block.matrixSize(), null);
            }
            for (int j = 0; j < block.numItems(); j++) {
                if (matrix.contains(j, j)) {
                    throw new ModelFormatException(file, "has an invalid entry '" + MATRIX + "': an item-item"
                            + " matrix's diagonal is 0, but row " + j + " keeps an entry for item " + j
                            + " (a damaged model)", null);
                }
            }
        }
        Map<String, float[]> weights = version == 1 ? v1Weights(file, entries, block)
                : v2Weights(file, entries, block, config);
        for (Map.Entry<String, float[]> w : weights.entrySet()) {
            int bad = firstNonFinite(w.getValue());
            if (bad >= 0) {
                throw new ModelFormatException(file, "holds a weight that is not a finite number: parameter "
                        + w.getKey() + " is " + w.getValue()[bad] + " at index " + bad + " (a diverged or damaged"
                        + " model; it would serve nothing)", null);
            }
        }
        if (block.kind() == BlockKind.ITEM_ITEM && matrix == null) {
            float[] b = weights.get(org.collab4j.kernel.ParameterNames.ITEM_ITEM);
            int n = block.numItems();
            for (int i = 0; i < n; i++) {
                if (b[i * n + i] != 0f) {
                    throw new ModelFormatException(file, "has an invalid entry '" + weightsEntry(
                            org.collab4j.kernel.ParameterNames.ITEM_ITEM) + "': an item-item matrix's diagonal is 0,"
                            + " but B[" + i + ", " + i + "] is " + b[i * n + i] + " (a damaged model)", null);
                }
            }
        }
        Provenance provenance;
        try {
            provenance = provenance(object(BoundedJson.parse(text(require(file, entries, PROVENANCE))),
                    "the entry"));
        } catch (RuntimeException e) {
            throw invalid(file, PROVENANCE, e);
        }
        TrainedModel model;
        try {
            model = new TrainedModel(block, users, items, globalMean, rated, weights, provenance, objective,
                    history, matrix);
        } catch (IllegalArgumentException e) {
            throw invalid(file, CONFIG, e);
        }
        return FeatureCodec.decode(file, version, entries, config, model);
    }

    private static int version(Path file, Map<String, byte[]> entries) throws ModelFormatException {
        String text = text(require(file, entries, ModelFile.VERSION_ENTRY)).trim();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(file, "has an unreadable format version '" + text + "'", e);
        }
    }

    private static Map<String, float[]> v1Weights(Path file, Map<String, byte[]> entries, BlockConfig block)
            throws ModelFormatException {
        try {
            return V1Parameters.read(require(file, entries, PARAMETERS), block);
        } catch (IOException | RuntimeException e) {
            throw invalid(file, PARAMETERS, e);
        }
    }

    private static Map<String, float[]> v2Weights(Path file, Map<String, byte[]> entries, BlockConfig block,
            JsonObject config) throws ModelFormatException {
        List<BlockConfig.Table> layout = block.layout();
        JsonArray listed;
        try {
            listed = array(field(config, "parameters"), "parameters");
            if (listed.size() != layout.size()) {
                throw new IllegalArgumentException("'parameters' lists " + listed.size() + " tables; " + block
                        + " has " + layout.size() + ": " + layout);
            }
            for (int k = 0; k < layout.size(); k++) {
                BlockConfig.Table table = layout.get(k);
                JsonObject p = object(listed.get(k), "parameters[" + k + "]");
                String name = string(field(p, "name"), "parameters[" + k + "].name");
                JsonArray shape = array(field(p, "shape"), name + ".shape");
                boolean same = name.equals(table.name()) && shape.size() == table.dims().length;
                for (int d = 0; same && d < shape.size(); d++) {
                    same = BoundedJson.longValue(shape.get(d), name + ".shape[" + d + "]") == table.dims()[d];
                }
                if (!same) {
                    throw new IllegalArgumentException("parameters[" + k + "] is " + name + shape + " where "
                            + block + " has " + table);
                }
                if (!DTYPE.equals(string(field(p, "dtype"), name + ".dtype"))
                        || !weightsEntry(name).equals(string(field(p, "entry"), name + ".entry"))) {
                    throw new IllegalArgumentException(name + " must be in entry '" + weightsEntry(name) + "' as "
                            + DTYPE);
                }
            }
        } catch (RuntimeException e) {
            throw invalid(file, CONFIG, e);
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (BlockConfig.Table table : layout) {
            String entry = weightsEntry(table.name());
            byte[] data = require(file, entries, entry);
            long expected = table.size() * Float.BYTES;
            if (data.length != expected) {
                throw new ModelFormatException(file, "has an invalid entry '" + entry + "': it holds "
                        + data.length + " bytes where " + table + " takes " + expected, null);
            }
            float[] values = new float[(int) table.size()];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            weights.put(table.name(), values);
        }
        return weights;
    }

    private static BlockConfig blockConfig(Path file, JsonObject json) throws ModelFormatException {
        String name = string(field(json, "block"), "block");
        BlockKind kind = BlockKind.byBlockName(name);
        if (kind == null) {
            throw new ModelFormatException(file, "holds a block '" + Shown.plain(name, 60) + "' that this Collab4J cannot build"
                    + " (it knows EmbeddingDot, EmbeddingDotBias, EmbeddingNet and ItemItem)", null);
        }
        JsonElement range = json.get("yRange");
        YRange yRange = null;
        if (!isNull(range)) {
            JsonArray r = array(range, "yRange");
            if (r.size() != 2) {
                throw new IllegalArgumentException("yRange must be [low, high], not " + r);
            }
            yRange = new YRange((float) BoundedJson.doubleValue(r.get(0), "yRange[0]"),
                    (float) BoundedJson.doubleValue(r.get(1), "yRange[1]"));
        }
        JsonArray hiddenJson = array(field(json, "hidden"), "hidden");
        if (hiddenJson.size() > BlockConfig.MAX_HIDDEN_LAYERS) {
            throw new IllegalArgumentException("'hidden' lists " + hiddenJson.size() + " layers; at most "
                    + BlockConfig.MAX_HIDDEN_LAYERS + " are allowed");
        }
        int[] hidden = new int[hiddenJson.size()];
        for (int k = 0; k < hidden.length; k++) {
            hidden[k] = BoundedJson.intValue(hiddenJson.get(k), "hidden[" + k + "]");
        }
        return new BlockConfig(kind, BoundedJson.intValue(field(json, "numUsers"), "numUsers"),
                BoundedJson.intValue(field(json, "numItems"), "numItems"),
                BoundedJson.intValue(field(json, "userFactors"), "userFactors"),
                BoundedJson.intValue(field(json, "itemFactors"), "itemFactors"), yRange, hidden,
                (float) BoundedJson.doubleValue(field(json, "embeddingDropout"), "embeddingDropout"),
                (float) BoundedJson.doubleValue(field(json, "hiddenDropout"), "hiddenDropout"),
                kind == BlockKind.ITEM_ITEM ? BoundedJson.intValue(field(json, "historySize"), "historySize") : 0,
                kind == BlockKind.ITEM_ITEM && !isNull(json.get("matrixSize"))
                        ? BoundedJson.intValue(json.get("matrixSize"), "matrixSize") : 0);
    }

    /** A required field, with a message that names it when it is missing. */
    private static JsonElement field(JsonObject json, String name) {
        JsonElement e = json.get(name);
        if (isNull(e)) {
            throw new IllegalArgumentException("the field '" + name + "' is missing");
        }
        return e;
    }

    private static JsonObject object(JsonElement e, String what) {
        if (e == null || !e.isJsonObject()) {
            throw new IllegalArgumentException(what + " must be a JSON object, not " + brief(e));
        }
        return e.getAsJsonObject();
    }

    private static JsonArray array(JsonElement e, String what) {
        if (e == null || !e.isJsonArray()) {
            throw new IllegalArgumentException(what + " must be a JSON array, not " + brief(e));
        }
        return e.getAsJsonArray();
    }

    private static String string(JsonElement e, String what) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException(what + " must be a string, not " + brief(e));
        }
        return e.getAsString();
    }

    /** At most 80 characters of an element, for a message. */
    private static String brief(JsonElement e) {
        String s = String.valueOf(e);
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static IdMap ids(Path file, Map<String, byte[]> entries, String entry, int expected, String what)
            throws ModelFormatException {
        try {
            List<String> ids = BoundedJson.stringArray(text(require(file, entries, entry)));
            if (ids.size() != expected) {
                throw new IllegalArgumentException("it lists " + ids.size() + " " + what + " but " + CONFIG
                        + " says " + expected);
            }
            return IdMap.of(ids);
        } catch (RuntimeException e) {
            throw invalid(file, entry, e);
        }
    }

    private static Csr rated(Path file, String entry, byte[] data, int users, int items)
            throws ModelFormatException {
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
            return Csr.wrap(offsets, indices);
        } catch (IOException e) {
            throw invalid(file, entry, e);
        }
    }

    private static JsonObject tuning(Provenance.Tuning t) {
        JsonObject json = new JsonObject();
        json.addProperty("metric", t.metric());
        json.addProperty("higherIsBetter", t.higherIsBetter());
        json.add("budgetSeconds", number(t.budgetSeconds()));
        json.add("seconds", number(t.seconds()));
        json.addProperty("chosen", t.chosen());
        json.addProperty("choice", t.choice());
        json.addProperty("refitModels", t.refitModels());
        JsonArray trials = new JsonArray();
        for (Provenance.Tuning.Trial r : t.trials()) {
            JsonObject row = new JsonObject();
            row.addProperty("number", r.number());
            row.addProperty("rung", r.rung());
            row.addProperty("settings", r.settings());
            row.addProperty("epochs", r.epochs());
            row.addProperty("bestEpochs", r.bestEpochs());
            row.add("metric", number(r.metric()));
            row.add("seconds", number(r.seconds()));
            row.addProperty("stopped", r.stopped());
            trials.add(row);
        }
        json.add("trials", trials);
        return json;
    }

    private static Provenance.Tuning tuning(JsonElement element) {
        if (isNull(element)) {
            return null;
        }
        JsonObject json = object(element, "tuning");
        List<Provenance.Tuning.Trial> trials = new ArrayList<>();
        JsonArray rows = optionalArray(json, "trials");
        for (int k = 0; k < rows.size(); k++) {
            String where = "tuning.trials[" + k + "]";
            JsonObject row = object(rows.get(k), where);
            trials.add(new Provenance.Tuning.Trial(BoundedJson.intValue(field(row, "number"), where + ".number"),
                    BoundedJson.intValue(field(row, "rung"), where + ".rung"),
                    string(field(row, "settings"), where + ".settings"),
                    BoundedJson.intValue(field(row, "epochs"), where + ".epochs"),
                    BoundedJson.intValue(field(row, "bestEpochs"), where + ".bestEpochs"),
                    dbl(row, "metric", where), dbl(row, "seconds", where), bool(row.get("stopped"))));
        }
        return new Provenance.Tuning(str(json, "metric"), bool(json.get("higherIsBetter")),
                dbl(json, "budgetSeconds", "tuning"),
                dbl(json, "seconds", "tuning"), trials,
                isNull(json.get("chosen")) ? 0 : BoundedJson.intValue(json.get("chosen"), "tuning.chosen"),
                str(json, "choice"),
                // Files written before refits were averaged have no count: their refit was one model.
                isNull(json.get("refitModels")) ? 1 : refitModels(json.get("refitModels")));
    }

    private static int refitModels(JsonElement e) {
        int models = BoundedJson.intValue(e, "tuning.refitModels");
        if (models < 1) {
            throw new IllegalArgumentException("tuning.refitModels must be at least 1, not " + models);
        }
        return models;
    }

    /** An optional flag: {@code false} unless present and {@code true}. */
    private static boolean bool(JsonElement e) {
        return !isNull(e) && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && e.getAsBoolean();
    }

    private static Provenance provenance(JsonObject json) {
        List<Provenance.Fit> fits = new ArrayList<>();
        JsonArray fitsJson = optionalArray(json, "fits");
        for (int k = 0; k < fitsJson.size(); k++) {
            String where = "fits[" + k + "]";
            JsonObject fit = object(fitsJson.get(k), where);
            fits.add(new Provenance.Fit(string(field(fit, "schedule"), where + ".schedule"),
                    BoundedJson.intValue(field(fit, "epochs"), where + ".epochs"),
                    (float) dbl(fit, "learningRate", where)));
        }
        List<Provenance.Epoch> history = new ArrayList<>();
        JsonArray historyJson = optionalArray(json, "history");
        for (int k = 0; k < historyJson.size(); k++) {
            String where = "history[" + k + "]";
            JsonObject row = object(historyJson.get(k), where);
            history.add(new Provenance.Epoch(BoundedJson.intValue(field(row, "epoch"), where + ".epoch"),
                    dbl(row, "trainLoss", where), dbl(row, "validLoss", where), dbl(row, "validRmse", where),
                    dbl(row, "seconds", where)));
        }
        JsonElement seed = json.get("seed");
        JsonElement batchSize = json.get("batchSize");
        double weightDecay = dbl(json, "weightDecay", "");
        return new Provenance(str(json, "model"), isNull(seed) ? null : BoundedJson.longValue(seed, "seed"),
                isNull(batchSize) ? null : BoundedJson.intValue(batchSize, "batchSize"), str(json, "optimizer"),
                Double.isNaN(weightDecay) ? null : (float) weightDecay, fits, history, str(json, "device"),
                str(json, "deviceReason"), str(json, "djlVersion"), str(json, "engineVersion"),
                isNull(json.get("trainRatings")) ? 0 : BoundedJson.intValue(json.get("trainRatings"), "trainRatings"),
                isNull(json.get("validRatings")) ? 0 : BoundedJson.intValue(json.get("validRatings"), "validRatings"),
                str(json, "createdAt"), str(json, "trainingStep"), tuning(json.get("tuning")));
    }

    private static boolean isNull(JsonElement e) {
        return e == null || e.isJsonNull();
    }

    private static JsonArray optionalArray(JsonObject json, String name) {
        return isNull(json.get(name)) ? new JsonArray() : array(json.get(name), name);
    }

    /** An optional number; {@code NaN} when absent or null. */
    private static double dbl(JsonObject json, String name, String where) {
        JsonElement e = json.get(name);
        return isNull(e) ? Double.NaN : BoundedJson.doubleValue(e, where.isEmpty() ? name : where + "." + name);
    }

    private static String str(JsonObject json, String name) {
        JsonElement e = json.get(name);
        return isNull(e) ? null : string(e, name);
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
        return new ModelFormatException(file, "has an invalid entry '" + entry + "': " + Shown.plain(String.valueOf(e.getMessage()), 300), e);
    }
}
