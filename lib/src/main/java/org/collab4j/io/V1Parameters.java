package org.collab4j.io;

import org.collab4j.model.BlockKind;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the {@code parameters.bin} entry of a format-1 file, DJL's {@code Block.saveParameters} output, in plain
 * Java: every length, name and shape in it must be the one the configuration's block writes, and each is checked
 * before the values it announces are allocated. DJL itself trusts what it reads (it allocates what a length field
 * says), so a file changed with its checksums recomputed could make it allocate gigabytes.
 *
 * <p>The layout, big-endian: the block's version byte and its numbers of users and items; each direct parameter;
 * then (EmbeddingNet) each linear layer's version byte, units, input features and input shape, and its weight and
 * bias. A parameter is {@code 'P'} (a char), its version byte, its name (modified UTF-8), then DJL's array encoding:
 * {@code "NDAR"}, version 3, a name flag and the name, {@code "DENSE"}, {@code "FLOAT32"}, the shape (rank, longs,
 * layout chars), {@code '<'} and the data's byte length, then the little-endian values.
 */
final class V1Parameters {

    private static final byte BLOCK_VERSION = 1;
    private static final byte LINEAR_VERSION = 4;
    private static final byte PARAMETER_VERSION = 1;
    private static final int ARRAY_VERSION = 3;
    private static final int MAX_RANK = 8;

    private V1Parameters() {}

    /**
     * Decodes the weights.
     *
     * @param data the entry's bytes
     * @param config the configuration they must match
     * @return the weights, in {@link BlockConfig#layout()} order
     * @throws IOException saying which byte or field does not match
     */
    static Map<String, float[]> read(byte[] data, BlockConfig config) throws IOException {
        List<BlockConfig.Table> layout = config.layout();
        long values = 0;
        for (BlockConfig.Table table : layout) {
            values += table.size();
        }
        // Before anything else: the weights the configuration declares must be in the entry.
        if (values * Float.BYTES > data.length) {
            throw new IOException("it holds " + data.length + " bytes, fewer than the " + values * Float.BYTES
                    + " the weights of " + config + " take");
        }
        Reader in = new Reader(data);
        Map<String, float[]> weights = new LinkedHashMap<>();
        in.expectByte(BLOCK_VERSION, "the block's version");
        in.expectInt(config.numUsers(), "the block's number of users");
        in.expectInt(config.numItems(), "the block's number of items");
        int direct = config.kind() == BlockKind.EMBEDDING_DOT_BIAS ? 4 : 2;
        for (int k = 0; k < direct; k++) {
            parameter(in, layout.get(k), weights);
        }
        int inputs = config.userFactors() + config.itemFactors();
        for (int k = direct; k < layout.size(); k += 2) {
            BlockConfig.Table weight = layout.get(k);
            int units = weight.dims()[0];
            in.expectByte(LINEAR_VERSION, "a linear layer's version");
            in.expectLong(units, "a linear layer's units");
            in.expectLong(inputs, "a linear layer's input features");
            in.shape("a linear layer's input shape");
            parameter(in, weight, weights);
            parameter(in, layout.get(k + 1), weights);
            inputs = units;
        }
        if (in.remaining() > 0) {
            throw new IOException(in.remaining() + " bytes are left after the last parameter");
        }
        return weights;
    }

    private static void parameter(Reader in, BlockConfig.Table table, Map<String, float[]> weights)
            throws IOException {
        String what = "parameter " + table.name();
        if (in.readChar() != 'P') {
            throw new IOException(what + " is not marked initialised at byte " + (in.position() - 2));
        }
        in.expectByte(PARAMETER_VERSION, what + "'s version");
        String shortName = table.name().substring(table.name().lastIndexOf('_') + 1);
        in.expectUtf(shortName, what + "'s name");
        in.expectUtf("NDAR", what + "'s array magic");
        in.expectInt(ARRAY_VERSION, what + "'s array version");
        in.expectByte((byte) 1, what + "'s name flag");
        in.expectUtf(shortName, what + "'s array name");
        in.expectUtf("DENSE", what + "'s storage");
        in.expectUtf("FLOAT32", what + "'s data type");
        long[] dims = in.shape(what + "'s shape");
        if (dims.length != table.dims().length) {
            throw new IOException(what + " has rank " + dims.length + ", expected " + table);
        }
        for (int d = 0; d < dims.length; d++) {
            if (dims[d] != table.dims()[d]) {
                throw new IOException(what + " has shape " + java.util.Arrays.toString(dims) + ", expected "
                        + table);
            }
        }
        in.expectByte((byte) '<', what + "'s byte order");
        long bytes = table.size() * Float.BYTES;
        in.expectInt((int) bytes, what + "'s data length");
        if (bytes > in.remaining()) {
            throw new IOException(what + " needs " + bytes + " bytes but only " + in.remaining() + " are left");
        }
        float[] values = new float[(int) table.size()];
        in.floats(values);
        weights.put(table.name(), values);
    }

    /** Big-endian fields over the entry, with the position for messages. */
    private static final class Reader {

        private final byte[] data;
        private final DataInputStream in;
        private int position;

        Reader(byte[] data) {
            this.data = data;
            in = new DataInputStream(new ByteArrayInputStream(data));
        }

        int position() {
            return position;
        }

        int remaining() {
            return data.length - position;
        }

        private void need(int bytes) throws EOFException {
            if (bytes > remaining()) {
                throw new EOFException("the entry ends at byte " + data.length + ", in the middle of a field");
            }
            position += bytes;
        }

        char readChar() throws IOException {
            need(2);
            return in.readChar();
        }

        void expectByte(byte expected, String what) throws IOException {
            need(1);
            byte b = in.readByte();
            if (b != expected) {
                throw new IOException(what + " is " + b + " at byte " + (position - 1) + ", expected " + expected);
            }
        }

        void expectInt(int expected, String what) throws IOException {
            need(4);
            int v = in.readInt();
            if (v != expected) {
                throw new IOException(what + " is " + v + " at byte " + (position - 4) + ", expected " + expected);
            }
        }

        void expectLong(long expected, String what) throws IOException {
            need(8);
            long v = in.readLong();
            if (v != expected) {
                throw new IOException(what + " is " + v + " at byte " + (position - 8) + ", expected " + expected);
            }
        }

        void expectUtf(String expected, String what) throws IOException {
            need(2);
            int length = in.readUnsignedShort();
            if (length != expected.length()) {
                throw new IOException(what + " has length " + length + " at byte " + (position - 2)
                        + ", expected '" + expected + "'");
            }
            need(length);
            byte[] bytes = new byte[length];
            in.readFully(bytes);
            if (!new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).equals(expected)) {
                throw new IOException(what + " at byte " + (position - length) + " is not '" + expected + "'");
            }
        }

        /** A shape: rank, dimensions, one layout char per dimension. */
        long[] shape(String what) throws IOException {
            need(4);
            int rank = in.readInt();
            if (rank < 0 || rank > MAX_RANK) {
                throw new IOException(what + " has rank " + rank + " at byte " + (position - 4));
            }
            long[] dims = new long[rank];
            for (int d = 0; d < rank; d++) {
                need(8);
                dims[d] = in.readLong();
            }
            need(4);
            int layout = in.readInt();
            if (layout != rank) {
                throw new IOException(what + " has " + layout + " layout characters for rank " + rank + " at byte "
                        + (position - 4));
            }
            for (int d = 0; d < rank; d++) {
                need(2);
                in.readChar();
            }
            return dims;
        }

        void floats(float[] values) throws IOException {
            int bytes = values.length * Float.BYTES;
            ByteBuffer.wrap(data, position, bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            need(bytes);
            in.skipNBytes(bytes);
        }
    }
}
