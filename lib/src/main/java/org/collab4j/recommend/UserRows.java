package org.collab4j.recommend;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A slice of a model's users as plain arrays: each user's id, row (factors, then the bias for a model with
 * biases) and training items, from {@link Recommender#userRows}. It is what travels to the JVM that scores
 * those users against an {@link ItemSide}, so a cluster never needs every user's row in one place. Immutable;
 * its serial form is checked on reading (lengths, item indices ascending and in range).
 */
public final class UserRows implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String[] ids;
    /** The rows, {@code size × width} row-major. */
    private final float[] rows;
    private final int width;
    /** User {@code n}'s training items are {@code excluded[excludedOffsets[n] .. excludedOffsets[n + 1])}. */
    private final int[] excludedOffsets;
    private final int[] excluded;
    private final int numItems;

    private UserRows(String[] ids, float[] rows, int width, int[] excludedOffsets, int[] excluded, int numItems) {
        this.ids = ids;
        this.rows = rows;
        this.width = width;
        this.excludedOffsets = excludedOffsets;
        this.excluded = excluded;
        this.numItems = numItems;
    }

    static UserRows of(List<String> ids, List<float[]> rows, List<int[]> excluded, int width, int numItems) {
        int n = ids.size();
        float[] flat = new float[Math.multiplyExact(n, width)];
        int[] offsets = new int[n + 1];
        for (int u = 0; u < n; u++) {
            System.arraycopy(rows.get(u), 0, flat, u * width, width);
            offsets[u + 1] = Math.addExact(offsets[u], excluded.get(u).length);
        }
        int[] items = new int[offsets[n]];
        for (int u = 0; u < n; u++) {
            System.arraycopy(excluded.get(u), 0, items, offsets[u], excluded.get(u).length);
        }
        return new UserRows(ids.toArray(new String[0]), flat, width, offsets, items, numItems);
    }

    /**
     * Returns how many users the slice holds.
     *
     * @return the number of users
     */
    public int size() {
        return ids.length;
    }

    /**
     * Returns a user's original id.
     *
     * @param n a position in the slice
     * @return the id
     */
    public String id(int n) {
        return ids[n];
    }

    /**
     * Returns the users' ids, in the slice's order.
     *
     * @return the ids
     */
    public List<String> ids() {
        return Collections.unmodifiableList(new ArrayList<>(List.of(ids)));
    }

    /**
     * Returns the users at positions {@code [from, to)} of this slice.
     *
     * @param from the first position
     * @param to one past the last
     * @return the rows, copied
     * @throws IndexOutOfBoundsException if the range is not within {@code [0, size()]}
     */
    public UserRows slice(int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, ids.length);
        int[] offsets = new int[to - from + 1];
        for (int n = 0; n < offsets.length; n++) {
            offsets[n] = excludedOffsets[from + n] - excludedOffsets[from];
        }
        return new UserRows(java.util.Arrays.copyOfRange(ids, from, to),
                java.util.Arrays.copyOfRange(rows, from * width, to * width), width, offsets,
                java.util.Arrays.copyOfRange(excluded, excludedOffsets[from], excludedOffsets[to]), numItems);
    }

    /** Values per row: the model's factors, plus one for the bias. */
    int width() {
        return width;
    }

    /** The item count of the model the rows were cut from. */
    int numItems() {
        return numItems;
    }

    /** A copy of row {@code n}. */
    float[] row(int n) {
        return java.util.Arrays.copyOfRange(rows, n * width, (n + 1) * width);
    }

    /** Row {@code n}'s training items, ascending. */
    int[] excluded(int n) {
        return java.util.Arrays.copyOfRange(excluded, excludedOffsets[n], excludedOffsets[n + 1]);
    }

    @Serial
    private void readObject(ObjectInputStream in) throws java.io.IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (ids == null || rows == null || excludedOffsets == null || excluded == null || width < 1
                || numItems < 0 || (long) ids.length * width != rows.length
                || excludedOffsets.length != ids.length + 1 || excludedOffsets[0] != 0
                || excludedOffsets[ids.length] != excluded.length) {
            throw new InvalidObjectException("serialized UserRows whose lengths do not agree");
        }
        for (int u = 0; u < ids.length; u++) {
            if (ids[u] == null || excludedOffsets[u + 1] < excludedOffsets[u]) {
                throw new InvalidObjectException("serialized UserRows with a missing id or a negative item count");
            }
            for (int e = excludedOffsets[u]; e < excludedOffsets[u + 1]; e++) {
                if (excluded[e] < 0 || excluded[e] >= numItems
                        || e > excludedOffsets[u] && excluded[e] <= excluded[e - 1]) {
                    throw new InvalidObjectException("serialized UserRows whose items are out of range or not"
                            + " ascending");
                }
            }
        }
    }
}
