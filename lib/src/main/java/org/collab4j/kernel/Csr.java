package org.collab4j.kernel;

import java.util.Arrays;

/**
 * Rows of a sparse matrix in compressed sparse row form: row {@code r}'s entries are
 * {@code offsets()[r] .. offsets()[r + 1]}. The one CSR builder of the library: training (iALS, the ranking steps'
 * negatives), splits, the model's rated items and serving all group interactions by row with it.
 *
 * <p>{@link #group} keeps, for every entry, the position it had in the input ({@link #order()}), so that any
 * per-interaction column (items, weights, confidences) can be laid out in row order with {@link #gather}. Within a
 * row the entries keep their input order (the grouping is a stable counting sort); {@link #sortedDistinct()}
 * sorts each row's columns and drops repeats.
 *
 * <p>Immutable once built: the arrays it returns are its own and must not be changed.
 */
public final class Csr {

    private final int[] offsets;
    private final int[] columns;
    private final int[] order;

    private Csr(int[] offsets, int[] columns, int[] order) {
        this.offsets = offsets;
        this.columns = columns;
        this.order = order;
    }

    /**
     * Groups entries by row, without columns: {@link #order()} lists the input positions of row 0's entries,
     * then row 1's, and so on, each row's in input order.
     *
     * @param rows the number of rows
     * @param rowOf the row of every entry, each in {@code [0, rows)}
     * @return the grouping ({@link #columns()} is {@code null})
     * @throws IllegalArgumentException if a row is out of range
     */
    public static Csr group(int rows, int[] rowOf) {
        int[] offsets = new int[rows + 1];
        for (int r : rowOf) {
            if (r < 0 || r >= rows) {
                throw new IllegalArgumentException("row " + r + " is outside [0, " + rows + ")");
            }
            offsets[r + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            offsets[r + 1] += offsets[r];
        }
        int[] fill = offsets.clone();
        int[] order = new int[rowOf.length];
        for (int e = 0; e < rowOf.length; e++) {
            order[fill[rowOf[e]]++] = e;
        }
        return new Csr(offsets, null, order);
    }

    /**
     * Groups entries by row with their columns, each row's in input order.
     *
     * @param rows the number of rows
     * @param rowOf the row of every entry
     * @param columnOf the column of every entry, as long as {@code rowOf}
     * @return the matrix
     * @throws IllegalArgumentException if the arrays differ in length or a row is out of range
     */
    public static Csr of(int rows, int[] rowOf, int[] columnOf) {
        if (rowOf.length != columnOf.length) {
            throw new IllegalArgumentException(rowOf.length + " rows but " + columnOf.length + " columns");
        }
        Csr grouped = group(rows, rowOf);
        return new Csr(grouped.offsets, grouped.gather(columnOf), grouped.order);
    }

    /**
     * Wraps offsets and columns built elsewhere (e.g. read from a model file), without copying.
     *
     * @param offsets {@code rows + 1} non-decreasing offsets starting at 0 and ending at {@code columns.length}
     * @param columns the columns
     * @return the matrix, with no {@link #order()}
     * @throws IllegalArgumentException if the offsets do not describe {@code columns}
     */
    public static Csr wrap(int[] offsets, int[] columns) {
        if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != columns.length) {
            throw new IllegalArgumentException("offsets must start at 0 and end at the number of columns, "
                    + columns.length);
        }
        for (int r = 1; r < offsets.length; r++) {
            if (offsets[r] < offsets[r - 1]) {
                throw new IllegalArgumentException("offsets decrease at row " + (r - 1));
            }
        }
        return new Csr(offsets, columns, null);
    }

    /**
     * Returns the same rows with each row's columns ascending and repeats dropped (e.g. each user's distinct
     * items). The result has no {@link #order()}: its entries no longer match the input one to one.
     *
     * @return the matrix
     * @throws IllegalStateException if this matrix has no columns
     */
    public Csr sortedDistinct() {
        if (columns == null) {
            throw new IllegalStateException("a grouping without columns has nothing to sort");
        }
        int rows = rows();
        int[] all = columns.clone();
        int[] kept = new int[rows + 1];
        int n = 0;
        for (int r = 0; r < rows; r++) {
            int from = offsets[r];
            int to = offsets[r + 1];
            Arrays.sort(all, from, to);
            kept[r] = n;
            for (int e = from; e < to; e++) {
                if (e == from || all[e] != all[e - 1]) {
                    all[n++] = all[e];
                }
            }
        }
        kept[rows] = n;
        return new Csr(kept, n == all.length ? all : Arrays.copyOf(all, n), null);
    }

    /**
     * Returns some rows of this matrix, in the order given, as a new matrix (e.g. the training items of the users
     * a slice of a model serves). The result has no {@link #order()}.
     *
     * @param rows the rows to keep, each in {@code [0, rows())}; a row may be given more than once
     * @return the matrix of {@code rows.length} rows
     * @throws IllegalStateException if this matrix has no columns
     */
    public Csr select(int[] rows) {
        if (columns == null) {
            throw new IllegalStateException("a grouping without columns has no rows to select");
        }
        int[] kept = new int[rows.length + 1];
        for (int n = 0; n < rows.length; n++) {
            kept[n + 1] = Math.addExact(kept[n], offsets[rows[n] + 1] - offsets[rows[n]]);
        }
        int[] out = new int[kept[rows.length]];
        for (int n = 0; n < rows.length; n++) {
            System.arraycopy(columns, offsets[rows[n]], out, kept[n], kept[n + 1] - kept[n]);
        }
        return new Csr(kept, out, null);
    }

    /**
     * Returns the rows {@code [from, to)} of this matrix as a new matrix, renumbered from 0.
     *
     * @param from the first row
     * @param to one past the last row
     * @return the matrix of {@code to - from} rows
     * @throws IndexOutOfBoundsException if the range is not within {@code [0, rows()]}
     * @throws IllegalStateException if this matrix has no columns
     */
    public Csr slice(int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, rows());
        if (columns == null) {
            throw new IllegalStateException("a grouping without columns has no rows to slice");
        }
        int[] kept = new int[to - from + 1];
        for (int n = 0; n < kept.length; n++) {
            kept[n] = offsets[from + n] - offsets[from];
        }
        return new Csr(kept, Arrays.copyOfRange(columns, offsets[from], offsets[to]), null);
    }

    /**
     * Returns a copy of one row's columns.
     *
     * @param row the row
     * @return its columns, in row order
     */
    public int[] row(int row) {
        return Arrays.copyOfRange(columns, offsets[row], offsets[row + 1]);
    }

    /**
     * Lays a per-entry column out in row order.
     *
     * @param perEntry one value per input entry
     * @return the values in row order
     * @throws IllegalStateException if this matrix has no {@link #order()}
     */
    public int[] gather(int[] perEntry) {
        int[] out = new int[requireOrder(perEntry.length).length];
        for (int e = 0; e < out.length; e++) {
            out[e] = perEntry[order[e]];
        }
        return out;
    }

    /**
     * Lays a per-entry column out in row order.
     *
     * @param perEntry one value per input entry
     * @return the values in row order
     * @throws IllegalStateException if this matrix has no {@link #order()}
     */
    public float[] gather(float[] perEntry) {
        float[] out = new float[requireOrder(perEntry.length).length];
        for (int e = 0; e < out.length; e++) {
            out[e] = perEntry[order[e]];
        }
        return out;
    }

    private int[] requireOrder(int length) {
        if (order == null) {
            throw new IllegalStateException("this matrix does not know its entries' input positions");
        }
        if (length != order.length) {
            throw new IllegalArgumentException("expected " + order.length + " values, got " + length);
        }
        return order;
    }

    /**
     * Returns whether row {@code row} holds {@code column}, by binary search: for {@link #sortedDistinct()}
     * matrices (or rows sorted some other way).
     *
     * @param row the row
     * @param column the column
     * @return whether the row holds it
     */
    public boolean contains(int row, int column) {
        return Arrays.binarySearch(columns, offsets[row], offsets[row + 1], column) >= 0;
    }

    /** @return the number of rows */
    public int rows() {
        return offsets.length - 1;
    }

    /** @return the number of entries */
    public int size() {
        return offsets[offsets.length - 1];
    }

    /**
     * Returns where row {@code row} starts.
     *
     * @param row the row
     * @return its first entry
     */
    public int start(int row) {
        return offsets[row];
    }

    /**
     * Returns where row {@code row} ends.
     *
     * @param row the row
     * @return one past its last entry
     */
    public int end(int row) {
        return offsets[row + 1];
    }

    /** @return the offsets, {@code rows() + 1} of them (not a copy) */
    public int[] offsets() {
        return offsets;
    }

    /** @return the columns in row order (not a copy), or {@code null} for a {@link #group} without columns */
    public int[] columns() {
        return columns;
    }

    /** @return the input position of every entry in row order (not a copy), or {@code null} where unknown */
    public int[] order() {
        return order;
    }
}
