package org.collab4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.collab4j.util.InputFileException;
import org.collab4j.util.InputFiles;

/**
 * The fast path of {@link RatingsReader} for the files that are read most and are largest: plain delimited ASCII
 * with no quotes, spaces, carriage returns or blank lines, every value well formed. It parses bytes straight into
 * the primitive columns, with no object per row (ids become a {@code String} only the first time they are seen,
 * found again through a byte-hashed table), 3 to 5 times faster than the general reader on MovieLens-25M-sized
 * files.
 *
 * <p>It reads regular files only (a pipe can be read once). It gives up, returning {@code null}, at the first thing
 * it does not handle or any value the general reader
 * would refuse; the caller then reads the file again with the general reader, which reports every problem by line
 * and field as before. Whatever it returns is the same table the general reader builds: the same ids in the same
 * order, and the same floats (a decimal with at most 7 significant digits and 10 decimals is one correctly rounded
 * float division of two exactly represented floats, which is what {@link Float#parseFloat} computes).
 */
final class PlainRatingsReader {

    private static final int CHUNK = 1 << 20;
    /** 2^24: every integer up to it is an exact float. */
    private static final int EXACT_FLOAT_INT = 1 << 24;
    /** 10^0..10^10, each an exact float (5^10 &lt; 2^24). */
    private static final float[] POWERS_OF_TEN = {1f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};

    private final RatingsFormat format;
    private final ReadOptions options;
    private final byte delimiter;
    private final IdTable users = new IdTable();
    private final IdTable items = new IdTable();
    private int[] userIndices = new int[1 << 16];
    private int[] itemIndices = new int[1 << 16];
    private float[] values = new float[1 << 16];
    private long[] timestamps;
    private int size;
    private int fieldCount = -1;
    private int user;
    private int item;
    private int rating;
    private int timestamp = -1;
    private boolean headerRead;

    private PlainRatingsReader(RatingsFormat format, ReadOptions options, byte delimiter) {
        this.format = format;
        this.options = options;
        this.delimiter = delimiter;
    }

    /**
     * Reads the file if it is plain, else returns {@code null} (then nothing is kept).
     *
     * @param file a file {@link InputFiles#check} accepted
     * @param format its layout
     * @param options the read options
     * @return the ratings, duplicates resolved, or {@code null} for the general reader
     * @throws IOException if reading fails
     */
    static Ratings tryRead(Path file, RatingsFormat format, ReadOptions options) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null; // a pipe or a device can be read only once: the general reader reads it
        }
        String delimiterString = format.csvFormat().getDelimiterString();
        if (delimiterString.length() != 1 || delimiterString.charAt(0) >= 0x80
                || plain((byte) delimiterString.charAt(0))) {
            return null;
        }
        PlainRatingsReader reader = new PlainRatingsReader(format, options, (byte) delimiterString.charAt(0));
        InputStream in;
        try {
            in = InputFiles.openText(file);
        } catch (InputFileException e) {
            return null; // the general reader words it as a ratings problem where it is one (binary content)
        }
        try (in) {
            return reader.readAll(in);
        }
    }

    /** Bytes a plain field may hold: ASCII letters, digits and {@code . _ - + :}. */
    private static boolean plain(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '.' || b == '_'
                || b == '-' || b == '+' || b == ':';
    }

    private Ratings readAll(InputStream in) throws IOException {
        byte[] buffer = new byte[CHUNK];
        int filled = 0;
        int[] ends = new int[8];
        while (true) {
            int read = in.read(buffer, filled, buffer.length - filled);
            boolean last = read < 0;
            if (!last) {
                filled += read;
            }
            int start = 0;
            while (true) {
                int newline = indexOf(buffer, start, filled, (byte) '\n');
                if (newline < 0 && !(last && start < filled)) {
                    break;
                }
                int end = newline < 0 ? filled : newline;
                if (end == start || !line(buffer, start, end, ends)) {
                    return null;
                }
                start = newline < 0 ? filled : newline + 1;
            }
            if (last) {
                break;
            }
            // Keep the unfinished line; a line longer than the buffer doubles it.
            System.arraycopy(buffer, start, buffer, 0, filled - start);
            filled -= start;
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
        }
        if (size == 0) {
            return null;
        }
        Ratings ratings = new Ratings(users.ids.build(), items.ids.build(), size, userIndices, itemIndices, values,
                timestamps);
        if (options.duplicates() == DuplicatePolicy.ERROR) {
            try {
                return Duplicates.apply(ratings, DuplicatePolicy.ERROR, (first, second) -> new GiveUp());
            } catch (GiveUp e) {
                return null; // the general reader names both lines
            }
        }
        return Duplicates.apply(ratings, options.duplicates(), (first, second) -> new IllegalStateException());
    }

    private static int indexOf(byte[] buffer, int from, int to, byte b) {
        for (int k = from; k < to; k++) {
            if (buffer[k] == b) {
                return k;
            }
        }
        return -1;
    }

    /** Reads one line; false when it is not plain or not valid. */
    private boolean line(byte[] b, int start, int end, int[] ends) {
        int fields = 0;
        for (int k = start; k < end; k++) {
            byte c = b[k];
            if (c == delimiter) {
                if (fields == ends.length) {
                    return false;
                }
                ends[fields++] = k;
            } else if (!plain(c)) {
                return false;
            }
        }
        if (fields == ends.length) {
            return false;
        }
        ends[fields++] = end;
        if (!headerRead) {
            headerRead = true;
            if (!columns(b, start, ends, fields)) {
                return false;
            }
            if (format.hasHeader()) {
                return true;
            }
        }
        if (fields != fieldCount) {
            return false;
        }
        return row(b, start, ends);
    }

    private boolean columns(byte[] b, int start, int[] ends, int fields) {
        if (format.hasHeader()) {
            List<String> names = new ArrayList<>(fields);
            for (int f = 0; f < fields; f++) {
                int from = f == 0 ? start : ends[f - 1] + 1;
                names.add(new String(b, from, ends[f] - from, StandardCharsets.US_ASCII));
            }
            user = column(format.userColumn(), names);
            item = column(format.itemColumn(), names);
            rating = column(format.ratingColumn(), names);
            timestamp = format.timestampColumn() == null ? -1 : column(format.timestampColumn(), names);
        } else {
            user = format.userColumn().index();
            item = format.itemColumn().index();
            rating = format.ratingColumn().index();
            timestamp = format.timestampColumn() == null ? -1 : format.timestampColumn().index();
        }
        fieldCount = fields;
        int[] columns = {user, item, rating, timestamp};
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] >= fields || (i < 3 && columns[i] < 0)) {
                return false;
            }
            for (int j = 0; j < i; j++) {
                if (columns[i] >= 0 && columns[i] == columns[j]) {
                    return false;
                }
            }
        }
        if (format.timestampColumn() != null && timestamp < 0) {
            return false;
        }
        if (timestamp >= 0) {
            timestamps = new long[userIndices.length];
        }
        return true;
    }

    private static int column(Column column, List<String> names) {
        return column.byName() ? names.indexOf(column.name()) : column.index();
    }

    private boolean row(byte[] b, int start, int[] ends) {
        int userIndex = users.index(b, from(start, ends, user), ends[user]);
        int itemIndex = items.index(b, from(start, ends, item), ends[item]);
        if (userIndex < 0 || itemIndex < 0) {
            return false;
        }
        float value = parseFloat(b, from(start, ends, rating), ends[rating]);
        if (Float.isNaN(value) || (options.positiveValues() && !(value > 0))
                || (options.hasRatingRange() && !(value >= options.minRating() && value <= options.maxRating()))) {
            return false;
        }
        long time = 0;
        if (timestamp >= 0) {
            int from = from(start, ends, timestamp);
            if (!isLong(b, from, ends[timestamp])) {
                return false;
            }
            time = parseLong(b, from, ends[timestamp]);
        }
        if (size == userIndices.length) {
            if (!grow()) {
                return false;
            }
        }
        userIndices[size] = userIndex;
        itemIndices[size] = itemIndex;
        values[size] = value;
        if (timestamps != null) {
            timestamps[size] = time;
        }
        size++;
        return true;
    }

    private static int from(int start, int[] ends, int field) {
        return field == 0 ? start : ends[field - 1] + 1;
    }

    private boolean grow() {
        long capacity = Math.min(Integer.MAX_VALUE - 8L, size + (size >> 1) + 16L);
        if (capacity <= size) {
            return false;
        }
        userIndices = Arrays.copyOf(userIndices, (int) capacity);
        itemIndices = Arrays.copyOf(itemIndices, (int) capacity);
        values = Arrays.copyOf(values, (int) capacity);
        if (timestamps != null) {
            timestamps = Arrays.copyOf(timestamps, (int) capacity);
        }
        return true;
    }

    /**
     * Parses {@code [-]digits[.digits]} with at most 7 significant digits and 10 decimals exactly as
     * {@link Float#parseFloat} does; NaN for anything else (the general reader then parses or refuses it).
     */
    static float parseFloat(byte[] b, int from, int to) {
        int k = from;
        boolean negative = k < to && b[k] == '-';
        if (negative) {
            k++;
        }
        int mantissa = 0;
        int digits = 0;
        int decimals = -1;
        for (; k < to; k++) {
            byte c = b[k];
            if (c >= '0' && c <= '9') {
                if (++digits > 8) {
                    return Float.NaN; // beyond 2^24 anyway; and the int cannot overflow
                }
                mantissa = mantissa * 10 + (c - '0');
                if (decimals >= 0) {
                    decimals++;
                }
            } else if (c == '.' && decimals < 0) {
                decimals = 0;
            } else {
                return Float.NaN;
            }
        }
        if (digits == 0 || mantissa > EXACT_FLOAT_INT || decimals >= POWERS_OF_TEN.length) {
            return Float.NaN;
        }
        // Both operands are exact floats, so the one division is correctly rounded, like parseFloat.
        float value = decimals <= 0 ? (float) mantissa : (float) mantissa / POWERS_OF_TEN[decimals];
        return negative ? -value : value;
    }

    private static boolean isLong(byte[] b, int from, int to) {
        int k = from < to && b[from] == '-' ? from + 1 : from;
        if (k == to || to - k > 18) {
            return false; // empty, or possibly beyond a long: left to Long.parseLong
        }
        for (; k < to; k++) {
            if (b[k] < '0' || b[k] > '9') {
                return false;
            }
        }
        return true;
    }

    private static long parseLong(byte[] b, int from, int to) {
        boolean negative = b[from] == '-';
        long value = 0;
        for (int k = negative ? from + 1 : from; k < to; k++) {
            value = value * 10 + (b[k] - '0');
        }
        return negative ? -value : value;
    }

    /** Thrown inside {@link Duplicates#apply} to leave a duplicate's message to the general reader. */
    private static final class GiveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GiveUp() {
            super(null, null, false, false);
        }
    }

    /**
     * Ids by their bytes: an open-addressing table of indices, the bytes of each id kept once in a pool, so a row
     * whose ids were seen before creates no object.
     */
    private static final class IdTable {

        final IdMap.Builder ids = IdMap.builder();
        private int[] slots = new int[1 << 12]; // index + 1, 0 when empty
        private int[] hashes = new int[1 << 11];
        private int[] offsets = new int[1 << 11];
        private int[] lengths = new int[1 << 11];
        private byte[] pool = new byte[1 << 14];
        private int poolSize;
        private int count;

        /** Returns the id's index, adding it if new; -1 if empty. */
        int index(byte[] b, int from, int to) {
            int length = to - from;
            if (length == 0) {
                return -1;
            }
            int hash = 1;
            for (int k = from; k < to; k++) {
                hash = 31 * hash + b[k];
            }
            hash ^= hash >>> 16;
            int mask = slots.length - 1;
            for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
                int entry = slots[slot] - 1;
                if (entry < 0) {
                    return add(b, from, length, hash, slot);
                }
                if (hashes[entry] == hash && lengths[entry] == length
                        && Arrays.equals(pool, offsets[entry], offsets[entry] + length, b, from, to)) {
                    return entry;
                }
            }
        }

        private int add(byte[] b, int from, int length, int hash, int slot) {
            int index = ids.add(new String(b, from, length, StandardCharsets.US_ASCII));
            if (index != count) {
                throw new IllegalStateException("id table out of step with the id map");
            }
            if (count == hashes.length) {
                hashes = Arrays.copyOf(hashes, count * 2);
                offsets = Arrays.copyOf(offsets, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
            }
            while (poolSize + length > pool.length) {
                pool = Arrays.copyOf(pool, pool.length * 2);
            }
            System.arraycopy(b, from, pool, poolSize, length);
            hashes[count] = hash;
            offsets[count] = poolSize;
            lengths[count] = length;
            poolSize += length;
            slots[slot] = ++count;
            if (count * 2 > slots.length) {
                rehash();
            }
            return index;
        }

        private void rehash() {
            slots = new int[slots.length * 2];
            int mask = slots.length - 1;
            for (int entry = 0; entry < count; entry++) {
                int slot = hashes[entry] & mask;
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = entry + 1;
            }
        }
    }
}
