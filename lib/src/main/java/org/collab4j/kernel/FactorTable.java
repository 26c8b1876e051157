package org.collab4j.kernel;

/**
 * One side of a model's factors, users' or items': {@link #size()} rows of {@link #factors()} values, row-major,
 * and one bias per row for a model with biases. The one place a served table lives: the recommender, the
 * neighbours, fold-in and the analyses all read the same arrays, which the model file's reader (or the learner's
 * snapshot) made; nothing copies them.
 *
 * <p>Two views of the table are derived on first use, once, and then shared by every caller: the factor-major copy
 * ({@link #columns()}) that scoring a row against the whole table reads ({@link Kernel#dotRange}), made only for
 * the side that is scored against (the items, when users get recommendations), and the row norms the cosine
 * similarity divides by ({@link #norms()}).
 *
 * <p>Immutable by contract: it wraps the arrays it is given without copying, and the arrays it returns are its own
 * and must not be changed. Thread-safe.
 */
public final class FactorTable {

    private final float[] rows;
    private final float[] bias;
    private final int size;
    private final int factors;
    private volatile float[][] columns;
    private volatile float[] norms;

    private FactorTable(float[] rows, int factors, float[] bias) {
        this.rows = rows;
        this.factors = factors;
        this.size = rows.length / factors;
        this.bias = bias;
    }

    /**
     * Wraps a table, without copying it.
     *
     * @param rows the factors, {@code size × factors} row-major
     * @param factors the row length, at least 1
     * @param bias one bias per row, or {@code null} for a model without biases
     * @return the table
     * @throws IllegalArgumentException if the lengths do not agree
     */
    public static FactorTable of(float[] rows, int factors, float[] bias) {
        if (factors < 1 || rows.length % factors != 0) {
            throw new IllegalArgumentException("a table of " + rows.length + " values does not hold rows of "
                    + factors + " factors");
        }
        if (bias != null && bias.length != rows.length / factors) {
            throw new IllegalArgumentException(bias.length + " biases for " + rows.length / factors + " rows");
        }
        return new FactorTable(rows, factors, bias);
    }

    /** @return the number of rows */
    public int size() {
        return size;
    }

    /** @return the number of factors per row */
    public int factors() {
        return factors;
    }

    /** @return whether the rows have biases */
    public boolean hasBias() {
        return bias != null;
    }

    /**
     * Returns a row's bias.
     *
     * @param row the row
     * @return its bias
     * @throws NullPointerException if the table has no biases
     */
    public float bias(int row) {
        return bias[row];
    }

    /** @return the factors, row-major (not a copy: must not be changed) */
    public float[] rows() {
        return rows;
    }

    /** @return the biases (not a copy: must not be changed), or {@code null} */
    public float[] biases() {
        return bias;
    }

    /**
     * Returns a copy of a row's factors.
     *
     * @param row the row
     * @return its {@link #factors()} values
     */
    public float[] row(int row) {
        return java.util.Arrays.copyOfRange(rows, row * factors, (row + 1) * factors);
    }

    /**
     * The dot product of a row with another row of {@link #factors()} values, the other row first:
     * {@code Kernel.dot(other, offset, rows, row · factors, factors)}.
     *
     * @param other the other row's array
     * @param offset where the other row starts
     * @param row this table's row
     * @return the dot product
     */
    public float dot(float[] other, int offset, int row) {
        return Kernel.dot(other, offset, rows, row * factors, factors);
    }

    /**
     * Returns the table factor-major ({@code columns[d][r]} = row {@code r}'s factor {@code d}, {@link
     * Kernel#columns}), made on the first call and shared after it.
     *
     * @return the columns (not a copy: must not be changed)
     */
    public float[][] columns() {
        float[][] c = columns;
        if (c == null) {
            synchronized (this) {
                c = columns;
                if (c == null) {
                    c = Kernel.columns(rows, size, factors);
                    columns = c;
                }
            }
        }
        return c;
    }

    /**
     * Returns every row's Euclidean norm, {@code sqrt(Kernel.dot(row, row))}, made on the first call and shared.
     *
     * @return the norms (not a copy: must not be changed)
     */
    public float[] norms() {
        float[] n = norms;
        if (n == null) {
            n = new float[size];
            for (int r = 0; r < size; r++) {
                n[r] = norm(rows, r * factors, factors);
            }
            // Two threads may both compute them; they compute the same values.
            norms = n;
        }
        return n;
    }

    /**
     * The Euclidean norm of a row, as {@link #norms()} computes each.
     *
     * @param values the row's array
     * @param offset where the row starts
     * @param length the row length
     * @return {@code sqrt(Kernel.dot(row, row))} in {@code float}
     */
    public static float norm(float[] values, int offset, int length) {
        return (float) Math.sqrt(Kernel.dot(values, offset, values, offset, length));
    }
}
