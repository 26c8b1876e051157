package org.collab4j.recommend;

import org.collab4j.kernel.Csr;
import org.collab4j.kernel.Side;

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

    /** The rows of some users of a model, cut by its scorer (factors, then the bias) with their training items. */
    static UserRows of(int[] users, Scorer scorer, Catalogue catalogue) {
        int width = scorer.rowWidth();
        float[] rows = new float[Math.multiplyExact(users.length, width)];
        for (int n = 0; n < users.length; n++) {
            System.arraycopy(scorer.row(users[n]), 0, rows, n * width, width);
        }
        String[] ids = new String[users.length];
        for (int n = 0; n < users.length; n++) {
            ids[n] = catalogue.ids(Side.USERS).id(users[n]);
        }
        Csr excluded = catalogue.rated().select(users);
        return new UserRows(ids, rows, width, excluded.offsets(), excluded.columns(),
                catalogue.ids(Side.ITEMS).size());
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
        Csr items = excluded().slice(from, to);
        return new UserRows(java.util.Arrays.copyOfRange(ids, from, to),
                java.util.Arrays.copyOfRange(rows, from * width, to * width), width, items.offsets(), items.columns(),
                numItems);
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

    /** Each row's training items, ascending: row {@code n} of the matrix is row {@code n} of the slice. */
    Csr excluded() {
        return Csr.wrap(excludedOffsets, excluded);
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
