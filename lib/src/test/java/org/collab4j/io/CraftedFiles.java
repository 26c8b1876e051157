package org.collab4j.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model files a hostile producer would write, every one sealed with valid checksums: one of each class of attack,
 * built from the frozen fixtures {@code v2-dotbias} and {@code v1-dotbias}. Each must be refused with a
 * {@link ModelFormatException} whose message contains {@link Case#problem}. No DJL class is used, so a child JVM
 * without DJL can write and load them; {@link #main} does both for the benchmark script.
 */
public final class CraftedFiles {

    /**
     * One crafted file.
     *
     * @param name the class of attack and the base format, e.g. {@code huge-factors-v2}
     * @param entries the entries, sealed by {@link ModelFile#writeEntries}
     * @param problem a fragment the rejection's message must contain
     */
    record Case(String name, Map<String, byte[]> entries, String problem) {}

    private CraftedFiles() {}

    static Map<String, byte[]> fixture(String name) throws IOException {
        Path tmp = Files.createTempFile("fixture", ".c4j");
        try (InputStream in = CraftedFiles.class.getResourceAsStream("fixtures/" + name + ".c4j")) {
            Files.write(tmp, in.readAllBytes());
            return ModelFile.readEntries(tmp);
        } finally {
            Files.delete(tmp);
        }
    }

    /** Every crafted case, over both formats. */
    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String base : List.of("v2-dotbias", "v1-dotbias")) {
            Map<String, byte[]> valid = fixture(base);
            String v = base.substring(0, 2);
            String weights = v.equals("v2") ? ModelCodec.weightsEntry("userFactors") : ModelCodec.PARAMETERS;
            // The report's file: 50,000,000 factors declared, the real weights a few hundred bytes.
            cases.add(new Case("huge-factors-" + v, replaceConfig(valid, "\"userFactors\": 2", "\"userFactors\": 50000000",
                    "\"itemFactors\": 2", "\"itemFactors\": 50000000"), "userFactors is 50000000"));
            // Within the limits, but far more than the file holds.
            List<String> wide = new ArrayList<>(List.of("\"userFactors\": 2", "\"userFactors\": 60000",
                    "\"itemFactors\": 2", "\"itemFactors\": 60000"));
            if (v.equals("v2")) { // the shapes listed with the weights say so too
                wide.addAll(List.of("        2\n", "        60000\n"));
            }
            cases.add(new Case("lying-shape-" + v, replaceConfig(valid, wide.toArray(String[]::new)), "bytes"));
            cases.add(new Case("huge-users-" + v, replaceConfig(valid, "\"numUsers\": 10", "\"numUsers\": 2000000000"),
                    "2000000000"));
            cases.add(new Case("huge-number-" + v, replaceConfig(valid, "\"numUsers\": 10",
                    "\"numUsers\": 1e999999999"), "numUsers is"));
            cases.add(new Case("inf-mean-" + v, replaceConfig(valid, "\"globalMean\": ", "\"globalMean\": 1e999 , \"x\": "),
                    "globalMean is"));
            // Weights shorter than declared, and a length field that lies.
            Map<String, byte[]> cut = new LinkedHashMap<>(valid);
            byte[] w = valid.get(weights);
            cut.put(weights, java.util.Arrays.copyOf(w, w.length - 8));
            cases.add(new Case("short-weights-" + v, cut, "bytes"));
            if (v.equals("v1")) {
                Map<String, byte[]> lying = new LinkedHashMap<>(valid);
                byte[] p = valid.get(weights).clone();
                int at = indexOf(p, new byte[] {'<'}) + 1; // the first array's data length follows its '<'
                ByteBuffer.wrap(p, at, 4).putInt(Integer.MAX_VALUE);
                lying.put(weights, p);
                cases.add(new Case("lying-length-v1", lying, "data length is"));
            }
            // NaN in the first weight.
            Map<String, byte[]> nan = new LinkedHashMap<>(valid);
            byte[] n = valid.get(weights).clone();
            int first = v.equals("v2") ? 0 : indexOf(n, new byte[] {'<'}) + 5;
            ByteBuffer.wrap(n, first, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN);
            nan.put(weights, n);
            cases.add(new Case("nan-weight-" + v, nan, "not a finite number"));
            // An extra entry of 16 MB of zeros, listed in SHA256SUMS: 16 KB deflated.
            Map<String, byte[]> bomb = new LinkedHashMap<>(valid);
            bomb.put("padding.bin", new byte[16 << 20]);
            cases.add(new Case("entry-bomb-" + v, bomb, "declares 16777216 bytes"));
            if (v.equals("v2")) {
                // An objective this Collab4J does not know, resealed: refused like an unknown block.
                cases.add(new Case("unknown-objective-v2", replaceConfig(valid, "\"objective\": \"mse\"",
                        "\"objective\": \"evil-loss\""), "objective 'evil-loss' that this Collab4J does not know"));
                // Malformed JSON: the parser's own advice ("Use JsonReader.setLenient(true)") never reaches users.
                cases.add(new Case("lenient-json-v2", replaceConfig(valid, "\"objective\": \"mse\"",
                        "\"objective\": mse"), "not valid JSON"));
            }
            Map<String, byte[]> deep = new LinkedHashMap<>(valid);
            deep.put(ModelCodec.CONFIG, ("[".repeat(30_000) + "]".repeat(30_000)).getBytes(StandardCharsets.UTF_8));
            cases.add(new Case("deep-config-" + v, deep, "nested deeper than"));
            Map<String, byte[]> deepProvenance = new LinkedHashMap<>(valid);
            deepProvenance.put(ModelCodec.PROVENANCE, ("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000))
                    .getBytes(StandardCharsets.UTF_8));
            cases.add(new Case("deep-provenance-" + v, deepProvenance, "nested deeper than"));
        }
        // Format 3's feature entries: a declaration the entries do not have, vectors shorter than declared, NaN.
        Map<String, byte[]> hybrid = fixture("v3-hybrid");
        cases.add(new Case("huge-feature-count-v3", replaceConfig(hybrid, "\"count\": 3", "\"count\": 4194304"),
                "it lists 3 features but config.json says 4194304"));
        cases.add(new Case("huge-feature-factors-v3", replaceConfig(hybrid, "\"factors\": 2", "\"factors\": 65536"),
                "features.items.factors is 65536"));
        Map<String, byte[]> shortVectors = new LinkedHashMap<>(hybrid);
        byte[] vectors = hybrid.get(FeatureCodec.vectorsEntry(org.collab4j.kernel.Side.ITEMS));
        shortVectors.put(FeatureCodec.vectorsEntry(org.collab4j.kernel.Side.ITEMS),
                java.util.Arrays.copyOf(vectors, vectors.length - 4));
        cases.add(new Case("short-feature-vectors-v3", shortVectors, "bytes"));
        Map<String, byte[]> nanFeature = new LinkedHashMap<>(hybrid);
        byte[] nanVectors = vectors.clone();
        ByteBuffer.wrap(nanVectors, 0, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN);
        nanFeature.put(FeatureCodec.vectorsEntry(org.collab4j.kernel.Side.ITEMS), nanVectors);
        cases.add(new Case("nan-feature-v3", nanFeature, "not a finite number"));
        return cases;
    }

    private static Map<String, byte[]> replaceConfig(Map<String, byte[]> valid, String... replacements) {
        String config = new String(valid.get(ModelCodec.CONFIG), StandardCharsets.UTF_8);
        for (int k = 0; k < replacements.length; k += 2) {
            if (!config.contains(replacements[k])) {
                throw new IllegalStateException("no '" + replacements[k] + "' in " + config);
            }
            config = config.replace(replacements[k], replacements[k + 1]);
        }
        Map<String, byte[]> entries = new LinkedHashMap<>(valid);
        entries.put(ModelCodec.CONFIG, config.getBytes(StandardCharsets.UTF_8));
        return entries;
    }

    private static int indexOf(byte[] data, byte[] wanted) {
        outer:
        for (int p = 0; p + wanted.length <= data.length; p++) {
            for (int k = 0; k < wanted.length; k++) {
                if (data[p + k] != wanted[k]) {
                    continue outer;
                }
            }
            return p;
        }
        throw new IllegalStateException("not found");
    }

    /**
     * {@code write DIR}: writes every case as {@code DIR/NAME.c4j}; {@code load FILE...}: loads each file and prints
     * {@code rejected in T ms: MESSAGE} or {@code LOADED FILE}, exiting 1 if any loaded; {@code time FILE...}: prints
     * each file's size and load times (first, and best of 10 more).
     *
     * @param args the command
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args[0].equals("write")) {
            Path dir = Path.of(args[1]);
            Files.createDirectories(dir);
            for (Case c : cases()) {
                ModelFile.writeEntries(dir.resolve(c.name() + ".c4j"), c.entries());
            }
            return;
        }
        if (args[0].equals("time")) {
            for (int k = 1; k < args.length; k++) {
                long start = System.nanoTime();
                TrainedModel.load(Path.of(args[k]));
                double first = (System.nanoTime() - start) / 1e6;
                double best = Double.MAX_VALUE;
                for (int r = 0; r < 10; r++) {
                    start = System.nanoTime();
                    TrainedModel.load(Path.of(args[k]));
                    best = Math.min(best, (System.nanoTime() - start) / 1e6);
                }
                System.out.printf(java.util.Locale.ROOT, "%s: %d bytes, first load %.1f ms, best of 10 more %.1f ms%n",
                        args[k], Files.size(Path.of(args[k])), first, best);
            }
            return;
        }
        boolean loaded = false;
        // One valid load first, so that the times below are the crafted file's, not the JVM's first use of the
        // zip, SHA-256 and JSON code (printed too: that cold cost is paid by any first load).
        long warm = System.nanoTime();
        fixture("v2-dotbias");
        System.out.printf(java.util.Locale.ROOT, "warm-up: a valid fixture loaded in %.1f ms%n",
                (System.nanoTime() - warm) / 1e6);
        for (int k = 1; k < args.length; k++) {
            long start = System.nanoTime();
            try {
                TrainedModel.load(Path.of(args[k]));
                System.out.println("LOADED " + args[k]);
                loaded = true;
            } catch (ModelFormatException e) {
                System.out.printf(java.util.Locale.ROOT, "rejected in %.1f ms: %s%n", (System.nanoTime() - start) / 1e6,
                        e.getMessage());
            }
        }
        System.exit(loaded ? 1 : 0);
    }
}
