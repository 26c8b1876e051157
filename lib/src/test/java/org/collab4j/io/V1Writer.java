package org.collab4j.io;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import org.collab4j.engine.Engines;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a model in format version 1, as Collab4J 0.1 did before format 2 (DJL's {@code saveParameters} for the
 * weights, no objective), for the benchmark that compares the two formats: {@code V1Writer IN OUT}.
 */
public final class V1Writer {

    private V1Writer() {}

    static Map<String, byte[]> encode(TrainedModel model) throws IOException {
        Map<String, byte[]> v2 = ModelCodec.encode(model);
        Map<String, byte[]> v1 = new LinkedHashMap<>();
        v1.put(ModelFile.VERSION_ENTRY, "1\n".getBytes(StandardCharsets.UTF_8));
        String config = new String(v2.get(ModelCodec.CONFIG), StandardCharsets.UTF_8);
        config = config.substring(0, config.indexOf(",\n  \"objective\"")) + "\n}\n";
        v1.put(ModelCodec.CONFIG, config.getBytes(StandardCharsets.UTF_8));
        for (String entry : new String[] {ModelCodec.USER_IDS, ModelCodec.ITEM_IDS, ModelCodec.RATED}) {
            v1.put(entry, v2.get(entry));
        }
        try (NDManager manager = Engines.pytorch().newBaseManager(Device.cpu())) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                model.newBlock(manager).saveParameters(out);
            }
            v1.put(ModelCodec.PARAMETERS, bytes.toByteArray());
        }
        v1.put(ModelCodec.PROVENANCE, v2.get(ModelCodec.PROVENANCE));
        return v1;
    }

    /**
     * Converts a model file to format 1.
     *
     * @param args the input and the output file
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        ModelFile.writeEntries(Path.of(args[1]), encode(TrainedModel.load(Path.of(args[0]))));
    }
}
