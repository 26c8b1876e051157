package org.collab4j.kernel;

/**
 * An item-item model's scores (EASE, Steck 2019): {@code score(u, i) = Σ_{j ∈ history(u)} x_uj · B[j, i]}, where
 * {@code B} is an {@code n × n} item-item weight matrix with a zero diagonal and {@code x_u} the user's history
 * row (1 for a plain interaction, or its weight). The one implementation that training (its inner-split choice),
 * serving and fold-in call.
 *
 * <p>{@code B} is held row-major, row {@code j} being what item {@code j} in a history adds to every item's score,
 * so a user's scores are a sum of {@code |history|} rows of {@code B}: {@code |history| · n} multiply-adds. Every
 * score is summed over the history in ascending item order, one order for a single score, a range of them and a
 * dense row, so all three give the same bits. Immutable; holds the arrays given (not copies).
 */
public final class ItemItemModel {

    private final int items;
    private final float[] weights;
    private final Csr history;
    private final float[] values;

    /**
     * Wraps a weight matrix and the users' histories.
     *
     * @param items n, the number of items
     * @param weights {@code B}, row-major {@code n × n}: {@code weights[j * n + i] = B[j, i]}; finite, zero diagonal
     * @param history each user's history items, ascending and distinct, in {@code [0, n)}
     * @param values each history entry's weight {@code x_uj}, aligned with {@code history.columns()}; finite
     * @throws IllegalArgumentException if the sizes disagree, a value is not finite or the diagonal is not 0
     */
    public ItemItemModel(int items, float[] weights, Csr history, float[] values) {
        if (items < 1 || (long) items * items != weights.length) {
            throw new IllegalArgumentException("an item-item matrix of " + items + " items has " + (long) items * items
                    + " weights, not " + weights.length);
        }
        if (values.length != history.size()) {
            throw new IllegalArgumentException("the history has " + history.size() + " entries but "
                    + values.length + " weights");
        }
        for (int i = 0; i < items; i++) {
            if (weights[i * items + i] != 0f) {
                throw new IllegalArgumentException("the item-item matrix's diagonal must be 0 (an item does not"
                        + " recommend itself), but B[" + i + ", " + i + "] is " + weights[i * items + i]);
            }
        }
        int[] columns = history.columns();
        for (int u = 0; u < history.rows(); u++) {
            for (int k = history.start(u); k < history.end(u); k++) {
                if (columns[k] < 0 || columns[k] >= items || k > history.start(u) && columns[k] <= columns[k - 1]) {
                    throw new IllegalArgumentException("user " + u + "'s history lists item " + columns[k]
                            + ", out of range or out of order");
                }
                if (!Float.isFinite(values[k])) {
                    throw new IllegalArgumentException("user " + u + "'s history weight of item " + columns[k]
                            + " is " + values[k]);
                }
            }
        }
        this.items = items;
        this.weights = weights;
        this.history = history;
        this.values = values;
    }

    /** @return n, the number of items */
    public int items() {
        return items;
    }

    /** @return the number of users with a history row */
    public int users() {
        return history.rows();
    }

    /** @return {@code B} itself, row-major; not to be modified */
    public float[] weights() {
        return weights;
    }

    /** @return the users' history items; not to be modified */
    public Csr history() {
        return history;
    }

    /** @return the history weights, aligned with {@link #history()}'s columns; not to be modified */
    public float[] historyValues() {
        return values;
    }

    /**
     * Returns a user's score for an item.
     *
     * @param user a user index
     * @param item an item index
     * @return {@code Σ_j x_uj B[j, item]}
     */
    public float score(int user, int item) {
        int[] columns = history.columns();
        float s = 0f;
        for (int k = history.start(user); k < history.end(user); k++) {
            s += values[k] * weights[columns[k] * items + item];
        }
        return s;
    }

    /**
     * Fills {@code out[i]} with {@code score(user, i)} for the items {@code [from, to)}, bit for bit.
     *
     * @param user a user index
     * @param from the first item
     * @param to one past the last
     * @param out one slot per item; only {@code [from, to)} is written
     */
    public void scores(int user, int from, int to, float[] out) {
        java.util.Arrays.fill(out, from, to, 0f);
        int[] columns = history.columns();
        for (int k = history.start(user); k < history.end(user); k++) {
            addRow(values[k], columns[k], from, to, out);
        }
    }

    /**
     * Returns the score of a history given as a dense row over the items (zeros are not in the history).
     *
     * @param row {@code x}, one weight per item
     * @param item an item index
     * @return {@code Σ_j x_j B[j, item]}, summed over the non-zero {@code x_j} in ascending {@code j}
     */
    public float score(float[] row, int item) {
        float s = 0f;
        for (int j = 0; j < items; j++) {
            if (row[j] != 0f) {
                s += row[j] * weights[j * items + item];
            }
        }
        return s;
    }

    /**
     * Fills {@code out[i]} with {@code score(row, i)} for the items {@code [from, to)}, bit for bit.
     *
     * @param row {@code x}, one weight per item
     * @param from the first item
     * @param to one past the last
     * @param out one slot per item; only {@code [from, to)} is written
     */
    public void scores(float[] row, int from, int to, float[] out) {
        java.util.Arrays.fill(out, from, to, 0f);
        for (int j = 0; j < items; j++) {
            if (row[j] != 0f) {
                addRow(row[j], j, from, to, out);
            }
        }
    }

    /**
     * Returns a user's history as a dense row, the form {@link #score(float[], int)} takes: a trained user's row
     * gives the user's own scores, and a new user's row is simply their history (EASE's fold-in).
     *
     * @param user a user index
     * @return a new row, one weight per item
     */
    public float[] row(int user) {
        float[] row = new float[items];
        int[] columns = history.columns();
        for (int k = history.start(user); k < history.end(user); k++) {
            row[columns[k]] = values[k];
        }
        return row;
    }

    private void addRow(float x, int j, int from, int to, float[] out) {
        int base = j * items;
        for (int i = from; i < to; i++) {
            out[i] += x * weights[base + i];
        }
    }
}
