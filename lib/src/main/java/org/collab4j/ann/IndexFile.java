package org.collab4j.ann;

import org.collab4j.io.CheckedArchive;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.FactorTable;
import org.collab4j.kernel.Side;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * An {@link ApproximateIndex}'s file, in the model file's checked container ({@link CheckedArchive}): the graph's
 * links in Collab4J's own format (no Java serialization), never the item vectors, which are the model's.
 *
 * <ul>
 *   <li>{@value #HEADER}: {@code key=value} lines: the kind ({@value #KIND}), the index format version, the item
 *       count, factors and biases of the table it was built from and that table's SHA-256, whether the items were
 *       linked with the Euclidean transform, the parameters, the
 *       entry point and top level, and the number of upper-level ints;
 *   <li>{@value #LEVELS}: each item's level, little-endian ints;
 *   <li>{@value #LINKS0}: level 0, {@code 2m + 1} ints per item: the count, then the linked items;
 *   <li>{@value #UPPER}: levels 1 and up of the items that have them, in item order, {@code m + 1} ints per level.
 * </ul>
 *
 * <p>Every size is checked against the header and the model before an array is made, and every link against the
 * item count, so that a damaged or forged file is refused rather than read out of bounds.
 */
final class IndexFile {

    static final String KIND = "collab4j-hnsw";
    static final int VERSION = 1;
    static final String HEADER = "index.properties";
    static final String LEVELS = "levels.i32";
    static final String LINKS0 = "links0.i32";
    static final String UPPER = "upper.i32";

    private IndexFile() {}

    static void write(ApproximateIndex index, Path file) throws IOException {
        HnswGraph g = index.graph();
        FactorTable items = index.items();
        long upperInts = 0;
        for (int[] u : g.upper()) {
            upperInts += u == null ? 0 : u.length;
        }
        String header = "kind=" + KIND + "\nversion=" + VERSION + "\nitems=" + items.size() + "\nfactors="
                + items.factors() + "\nbiases=" + items.hasBias() + "\nitemsSha256=" + index.itemsSha256()
                + "\ntransform=" + index.isTransformed() + "\nm=" + g.m() + "\nefConstruction=" + index.getEfConstruction() + "\nefSearch="
                + index.getEfSearch() + "\nseed=" + index.seed() + "\nentry=" + g.entry() + "\nmaxLevel="
                + g.maxLevel() + "\nupperInts=" + upperInts + "\n";
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(HEADER, header.getBytes(StandardCharsets.UTF_8));
        if (g.links0().length > (Integer.MAX_VALUE - 8) / 4) {
            throw new IllegalStateException("the index's level 0 holds " + g.links0().length + " ints, more than"
                    + " one entry holds (about 16 M items at m = 16): lower m");
        }
        entries.put(LEVELS, bytes(g.levels(), g.levels().length));
        entries.put(LINKS0, bytes(g.links0(), g.links0().length));
        if (upperInts > Integer.MAX_VALUE / 4) {
            throw new IllegalStateException("the index's upper levels hold " + upperInts + " ints, more than one"
                    + " entry holds");
        }
        ByteBuffer upper = ByteBuffer.allocate((int) upperInts * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] u : g.upper()) {
            if (u != null) {
                upper.asIntBuffer().put(u);
                upper.position(upper.position() + 4 * u.length);
            }
        }
        entries.put(UPPER, upper.array());
        CheckedArchive.write(file, VERSION, entries);
    }

    static ApproximateIndex read(Path file, TrainedModel model) throws IOException {
        Map<String, byte[]> entries = CheckedArchive.read(file);
        byte[] headerBytes = entries.get(HEADER);
        if (headerBytes == null) {
            throw CheckedArchive.problem(file, "is not a Collab4J approximate index: it has no '" + HEADER
                    + "' entry (a model file? the index is the file ending in " + ApproximateIndex.FILE_SUFFIX
                    + ")");
        }
        Properties header = new Properties();
        try {
            header.load(new StringReader(new String(headerBytes, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw CheckedArchive.problem(file, "has an unreadable '" + HEADER + "' entry: " + e.getMessage());
        }
        if (!KIND.equals(header.getProperty("kind"))) {
            throw CheckedArchive.problem(file, "is not a Collab4J approximate index: its kind is '"
                    + header.getProperty("kind") + "', not '" + KIND + "'");
        }
        int version = integer(file, header, "version", 1, Integer.MAX_VALUE);
        if (version > VERSION) {
            throw CheckedArchive.problem(file, "was written in index format version " + version + " by a newer"
                    + " Collab4J; this one reads version " + VERSION + ": rebuild the index or use a newer Collab4J");
        }
        FactorTable items = model.factors(Side.ITEMS);
        int n = integer(file, header, "items", 0, Integer.MAX_VALUE);
        int factors = integer(file, header, "factors", 1, Integer.MAX_VALUE);
        boolean biases = Boolean.parseBoolean(header.getProperty("biases"));
        String sha = header.getProperty("itemsSha256", "");
        if (n != items.size() || factors != items.factors() || biases != items.hasBias()) {
            throw stale(file, "it was built for " + n + " items of " + factors + " factors" + (biases ? " with" :
                    " without") + " biases, and the model has " + items.size() + " of " + items.factors());
        }
        if (!sha.equals(ApproximateIndex.sha256(items))) {
            throw stale(file, "it was built from another item table (the model was retrained or changed)");
        }
        int m = integer(file, header, "m", 2, 256);
        int efConstruction = integer(file, header, "efConstruction", 1, Integer.MAX_VALUE);
        int efSearch = integer(file, header, "efSearch", 1, Integer.MAX_VALUE);
        long seed;
        try {
            seed = Long.parseLong(header.getProperty("seed", "0").trim());
        } catch (NumberFormatException e) {
            throw CheckedArchive.problem(file, "has an invalid header: seed is '" + header.getProperty("seed") + "'");
        }
        int maxLevel = integer(file, header, "maxLevel", 0, HnswGraph.MAX_LEVEL);
        int entry = integer(file, header, "entry", 0, Math.max(0, n - 1));
        int[] levels = ints(file, entries, LEVELS, n);
        long upperInts = 0;
        int top = 0;
        for (int level : levels) {
            if (level < 0 || level > HnswGraph.MAX_LEVEL) {
                throw CheckedArchive.problem(file, "has an invalid entry '" + LEVELS + "': a level of " + level);
            }
            upperInts += (long) level * (m + 1);
            top = Math.max(top, level);
        }
        if (n > 0 && (top != maxLevel || levels[entry] != maxLevel)) {
            throw CheckedArchive.problem(file, "has an invalid header: its entry point " + entry + " and top level "
                    + maxLevel + " do not match the levels");
        }
        if (upperInts != integer(file, header, "upperInts", 0, Integer.MAX_VALUE)) {
            throw CheckedArchive.problem(file, "has an invalid header: upperInts does not match the levels");
        }
        int[] links0 = ints(file, entries, LINKS0, (long) n * (2 * m + 1));
        checkLinks(file, LINKS0, links0, 0, links0.length, 2 * m, n);
        int[] flat = ints(file, entries, UPPER, upperInts);
        int[][] upper = new int[n][];
        int at = 0;
        for (int i = 0; i < n; i++) {
            if (levels[i] > 0) {
                upper[i] = java.util.Arrays.copyOfRange(flat, at, at + levels[i] * (m + 1));
                checkLinks(file, UPPER, upper[i], 0, upper[i].length, m, n);
                checkUpperLevels(file, upper[i], levels, m);
                at += upper[i].length;
            }
        }
        boolean transform = Boolean.parseBoolean(header.getProperty("transform", "false").trim());
        HnswGraph graph = new HnswGraph(new MipsSpace(items, transform), m, levels, links0, upper, entry, maxLevel);
        return new ApproximateIndex(items, graph, efConstruction, efSearch, seed, sha);
    }

    private static org.collab4j.io.ModelFormatException stale(Path file, String why) {
        return CheckedArchive.problem(file, "is an approximate index for another model: " + why + ". Delete it"
                + " (recommend --approximate builds a new one beside the model) or load the model it was built for");
    }

    /** Checks blocks of {@code most + 1} ints: a count from 0 to {@code most}, then that many items below n. */
    private static void checkLinks(Path file, String name, int[] a, int from, int to, int most, int n)
            throws IOException {
        for (int o = from; o < to; o += most + 1) {
            int count = a[o];
            if (count < 0 || count > most) {
                throw CheckedArchive.problem(file, "has an invalid entry '" + name + "': a link count of " + count
                        + " (at most " + most + ")");
            }
            for (int k = 1; k <= count; k++) {
                if (a[o + k] < 0 || a[o + k] >= n) {
                    throw CheckedArchive.problem(file, "has an invalid entry '" + name + "': a link to item "
                            + a[o + k] + " of " + n);
                }
            }
        }
    }

    /** A search on level l walks only to items on level l: every link there must point to one. */
    private static void checkUpperLevels(Path file, int[] links, int[] levels, int m) throws IOException {
        for (int level = 1, o = 0; o < links.length; level++, o += m + 1) {
            for (int k = 1; k <= links[o]; k++) {
                if (levels[links[o + k]] < level) {
                    throw CheckedArchive.problem(file, "has an invalid entry '" + UPPER + "': a link on level "
                            + level + " to item " + links[o + k] + ", which is not on that level");
                }
            }
        }
    }

    private static int[] ints(Path file, Map<String, byte[]> entries, String name, long count) throws IOException {
        byte[] data = entries.get(name);
        if (data == null) {
            throw CheckedArchive.problem(file, "is incomplete: it has no entry '" + name + "'");
        }
        if (data.length != count * 4) {
            throw CheckedArchive.problem(file, "has an invalid entry '" + name + "': " + data.length + " bytes where"
                    + " the header needs " + count * 4);
        }
        int[] values = new int[(int) count];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
        return values;
    }

    private static int integer(Path file, Properties header, String key, int min, int max) throws IOException {
        String text = header.getProperty(key);
        try {
            int value = Integer.parseInt(text == null ? "" : text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw CheckedArchive.problem(file, "has an invalid header: " + key + " is '" + text + "'; it must be"
                + " between " + min + " and " + max);
    }

    private static byte[] bytes(int[] values, int count) {
        ByteBuffer b = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
        IntBuffer ints = b.asIntBuffer();
        ints.put(values, 0, count);
        return b.array();
    }
}
