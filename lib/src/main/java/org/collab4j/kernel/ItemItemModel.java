package org.collab4j.kernel;

/**
 * An item-item model's scores (EASE, Steck 2019): {@code score(u, i) = Σ_{j ∈ history(u)} x_uj · B[j, i]}, where
 * {@code B} is an {@code n × n} item-item weight matrix with a zero diagonal and {@code x_u} the user's history
 * row (1 for a plain interaction, or its weight). The one implementation that training (its inner-split choice),
 * serving and fold-in call.
 *
 * <p>{@code B} is held row-major, row {@code j} being what item {@code j} in a history adds to every item's score,
 * so a user's scores are a sum of {@code |history|} rows of {@code B}: {@code |history| · n} multiply-adds; or
 * sparse ({@link #sparse}), each row's kept entries only (a missing entry is 0). Every
 * score is summed over the history in ascending item order, one order for a single score, a range of them and a
 * dense row, so all three give the same bits. Immutable; holds the arrays given (not copies).
 */
public final class ItemItemModel {

    private final int items;
    /** Sparse {@code B}'s rows (their columns), or null for a dense {@code B}. */
    private final Csr matrix;
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
        this(items, null, weights, history, values);
    }

    /**
     * Wraps a sparse weight matrix (e.g. the largest entries of each column of a dense one) and the histories.
     *
     * @param items n, the number of items
     * @param matrix {@code B}'s rows: row {@code j} lists the columns {@code i} it keeps, ascending, never {@code j}
     * @param weights the kept entries' values, aligned with {@code matrix}'s columns
     * @param history each user's history items, ascending and distinct, in {@code [0, n)}
     * @param values each history entry's weight, aligned with {@code history.columns()}
     * @return the model
     * @throws IllegalArgumentException if the sizes disagree, a column is out of range or order, or on the diagonal
     */
    public static ItemItemModel sparse(int items, Csr matrix, float[] weights, Csr history, float[] values) {
        if (matrix == null) {
            throw new NullPointerException("matrix");
        }
        return new ItemItemModel(items, matrix, weights, history, values);
    }

    private ItemItemModel(int items, Csr matrix, float[] weights, Csr history, float[] values) {
        if (items < 1 || matrix == null && (long) items * items != weights.length) {
            throw new IllegalArgumentException("an item-item matrix of " + items + " items has " + (long) items * items
                    + " weights, not " + weights.length);
        }
        if (values.length != history.size()) {
            throw new IllegalArgumentException("the history has " + history.size() + " entries but "
                    + values.length + " weights");
        }
        if (matrix == null) {
            for (int i = 0; i < items; i++) {
                if (weights[i * items + i] != 0f) {
                    throw new IllegalArgumentException("the item-item matrix's diagonal must be 0 (an item does not"
                            + " recommend itself), but B[" + i + ", " + i + "] is " + weights[i * items + i]);
                }
            }
        } else {
            if (matrix.rows() != items || matrix.size() != weights.length) {
                throw new IllegalArgumentException("a sparse item-item matrix of " + items + " items has "
                        + matrix.rows() + " rows and " + matrix.size() + " entries for " + weights.length
                        + " weights");
            }
            checkRows(matrix, items, "row", true);
        }
        checkRows(history, items, "user", false);
        int[] columns = history.columns();
        for (int u = 0; u < history.rows(); u++) {
            for (int k = history.start(u); k < history.end(u); k++) {
                if (!Float.isFinite(values[k])) {
                    throw new IllegalArgumentException("user " + u + "'s history weight of item " + columns[k]
                            + " is " + values[k]);
                }
            }
        }
        this.items = items;
        this.matrix = matrix;
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

    private static void checkRows(Csr rows, int items, String what, boolean noDiagonal) {
        int[] columns = rows.columns();
        for (int r = 0; r < rows.rows(); r++) {
            for (int k = rows.start(r); k < rows.end(r); k++) {
                if (columns[k] < 0 || columns[k] >= items || k > rows.start(r) && columns[k] <= columns[k - 1]) {
                    throw new IllegalArgumentException(what + " " + r + " lists item " + columns[k]
                            + ", out of range or out of order");
                }
                if (noDiagonal && columns[k] == r) {
                    throw new IllegalArgumentException("the item-item matrix's diagonal must be 0 (an item does not"
                            + " recommend itself), but row " + r + " keeps an entry for item " + r);
                }
            }
        }
    }

    /**
     * Returns {@code B}'s values: row-major {@code n × n} for a dense matrix, the kept entries in the order of
     * {@link #matrixRows()} for a sparse one.
     *
     * @return the values themselves; not to be modified
     */
    public float[] weights() {
        return weights;
    }

    /** @return a sparse {@code B}'s rows (the columns each keeps), or {@code null} for a dense one */
    public Csr matrixRows() {
        return matrix;
    }

    /**
     * Returns {@code B[j, i]}.
     *
     * @param j a row (an item in a history)
     * @param i a column (an item scored)
     * @return the weight, 0 where a sparse matrix keeps none
     */
    public float weight(int j, int i) {
        if (matrix == null) {
            return weights[j * items + i];
        }
        int k = java.util.Arrays.binarySearch(matrix.columns(), matrix.start(j), matrix.end(j), i);
        return k >= 0 ? weights[k] : 0f;
    }

    /**
     * Fills {@code out} with row {@code j} of {@code B}: the scores of a history of item {@code j} alone.
     *
     * @param j a row
     * @param out one slot per item
     */
    public void matrixRow(int j, float[] out) {
        addRow(1f, j, 0, items, zero(out));
    }

    private static float[] zero(float[] out) {
        java.util.Arrays.fill(out, 0f);
        return out;
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
            s += values[k] * weight(columns[k], item);
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
                s += row[j] * weight(j, item);
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
        if (matrix != null) {
            // Entries a sparse row does not keep add x·0 = 0 in score(): leaving them out changes no bit.
            int[] columns = matrix.columns();
            for (int k = matrix.start(j); k < matrix.end(j); k++) {
                int i = columns[k];
                if (i >= from && i < to) {
                    out[i] += x * weights[k];
                }
            }
            return;
        }
        int base = j * items;
        for (int i = from; i < to; i++) {
            out[i] += x * weights[base + i];
        }
    }
}
