package org.collab4j.kernel;

import java.util.Arrays;

/**
 * Entities' features as sparse weighted rows: row {@code r} (a user or an item) has the features
 * {@code columns()[start(r) .. end(r))} with the weights {@code values()} at the same positions. A hybrid factor
 * model represents an entity by a weighted sum of its features' embeddings ({@link #combine}); LightFM's form, in
 * which each row's weights sum to one (the mean of its features' vectors), is {@link #rowNormalized()}.
 *
 * <p>The seam between feature tables (read in {@code org.collab4j.data}), training and serving: it knows indices
 * and weights only, never names, and depends on nothing but the JDK. Immutable once built: the arrays it returns
 * are its own and must not be changed.
 */
public final class FeatureMatrix {

    private final int[] offsets;
    private final int[] columns;
    private final float[] values;
    private final int features;

    private FeatureMatrix(int[] offsets, int[] columns, float[] values, int features) {
        this.offsets = offsets;
        this.columns = columns;
        this.values = values;
        this.features = features;
    }

    /**
     * Wraps arrays already in row order (not copied).
     *
     * @param offsets {@code rows + 1} non-decreasing offsets, the first 0 and the last {@code columns.length}
     * @param columns each entry's feature, in {@code [0, features)}
     * @param values each entry's weight, finite
     * @param features the number of features (the vocabulary's size)
     * @return the matrix
     * @throws IllegalArgumentException if the arrays do not describe such rows
     */
    public static FeatureMatrix of(int[] offsets, int[] columns, float[] values, int features) {
        if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != columns.length
                || values.length != columns.length || features < 0) {
            throw new IllegalArgumentException("offsets must start at 0 and end at " + columns.length
                    + " entries, with as many values as columns and features >= 0");
        }
        for (int r = 1; r < offsets.length; r++) {
            if (offsets[r] < offsets[r - 1]) {
                throw new IllegalArgumentException("offsets decrease at row " + (r - 1));
            }
        }
        for (int e = 0; e < columns.length; e++) {
            if (columns[e] < 0 || columns[e] >= features) {
                throw new IllegalArgumentException("feature " + columns[e] + " is outside [0, " + features + ")");
            }
            if (!Float.isFinite(values[e])) {
                throw new IllegalArgumentException("weight " + values[e] + " of entry " + e + " is not finite");
            }
        }
        return new FeatureMatrix(offsets, columns, values, features);
    }

    /**
     * A matrix of {@code rows} empty rows.
     *
     * @param rows the number of rows
     * @param features the number of features
     * @return the matrix
     */
    public static FeatureMatrix empty(int rows, int features) {
        return new FeatureMatrix(new int[rows + 1], new int[0], new float[0], features);
    }

    /** @return the number of rows (entities) */
    public int rows() {
        return offsets.length - 1;
    }

    /** @return the number of features, the width of the matrix */
    public int features() {
        return features;
    }

    /** @return the number of non-zero entries */
    public int size() {
        return columns.length;
    }

    /**
     * @param row a row
     * @return the position of the row's first entry
     */
    public int start(int row) {
        return offsets[row];
    }

    /**
     * @param row a row
     * @return one past the position of the row's last entry
     */
    public int end(int row) {
        return offsets[row + 1];
    }

    /** @return the offsets, {@code rows() + 1} of them */
    public int[] offsets() {
        return offsets;
    }

    /** @return every entry's feature, in row order */
    public int[] columns() {
        return columns;
    }

    /** @return every entry's weight, in row order */
    public float[] values() {
        return values;
    }

    /**
     * Adds the row's weighted sum of feature vectors, {@code Σ values[e] · table[columns[e]]}, to {@code out}.
     *
     * @param row the row
     * @param table the features' vectors, row-major, {@code features() × factors}
     * @param factors the length of each vector
     * @param out where the sum is added, at least {@code factors} long
     */
    public void combine(int row, float[] table, int factors, float[] out) {
        for (int e = offsets[row]; e < offsets[row + 1]; e++) {
            float w = values[e];
            int base = columns[e] * factors;
            for (int f = 0; f < factors; f++) {
                out[f] += w * table[base + f];
            }
        }
    }

    /**
     * This matrix with each row's weights divided by their sum of absolute values, so that {@link #combine} gives
     * a weighted mean of the features' vectors (LightFM's normalisation). Empty rows stay empty.
     *
     * @return the normalised matrix
     */
    public FeatureMatrix rowNormalized() {
        float[] scaled = new float[values.length];
        for (int r = 0; r < rows(); r++) {
            double sum = 0;
            for (int e = offsets[r]; e < offsets[r + 1]; e++) {
                sum += Math.abs(values[e]);
            }
            for (int e = offsets[r]; e < offsets[r + 1]; e++) {
                scaled[e] = sum == 0 ? 0f : (float) (values[e] / sum);
            }
        }
        return new FeatureMatrix(offsets, columns, scaled, features);
    }

    /**
     * This matrix with each row's categorical weights divided by their sum of absolute values and its numeric
     * columns' weights left as they are: {@link #combine} then gives the mean of the categorical features' vectors
     * plus the numeric values times theirs. {@code EmbeddingNet}'s side columns (lesson 4's tabular form: entity
     * embeddings averaged, continuous columns raw). Empty rows stay empty.
     *
     * @param numeric for each feature (column), whether it is numeric; {@code features()} long
     * @return the normalised matrix
     * @throws IllegalArgumentException if {@code numeric} is not {@code features()} long
     */
    public FeatureMatrix categoricalMean(boolean[] numeric) {
        if (numeric.length != features) {
            throw new IllegalArgumentException("numeric marks " + numeric.length + " features, the matrix has "
                    + features);
        }
        float[] scaled = new float[values.length];
        for (int r = 0; r < rows(); r++) {
            double sum = 0;
            for (int e = offsets[r]; e < offsets[r + 1]; e++) {
                sum += numeric[columns[e]] ? 0 : Math.abs(values[e]);
            }
            for (int e = offsets[r]; e < offsets[r + 1]; e++) {
                scaled[e] = numeric[columns[e]] ? values[e] : sum == 0 ? 0f : (float) (values[e] / sum);
            }
        }
        return new FeatureMatrix(offsets, columns, scaled, features);
    }

    /**
     * The rows {@code rows[0], rows[1], ...} of this matrix, in that order; a row of {@code -1} is empty (an entity
     * the table has no features for).
     *
     * @param rows rows of this matrix, or {@code -1}
     * @return the selected rows
     */
    public FeatureMatrix select(int[] rows) {
        int[] newOffsets = new int[rows.length + 1];
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            newOffsets[i + 1] = newOffsets[i] + (r < 0 ? 0 : offsets[r + 1] - offsets[r]);
        }
        int[] newColumns = new int[newOffsets[rows.length]];
        float[] newValues = new float[newColumns.length];
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            if (r >= 0) {
                int length = offsets[r + 1] - offsets[r];
                System.arraycopy(columns, offsets[r], newColumns, newOffsets[i], length);
                System.arraycopy(values, offsets[r], newValues, newOffsets[i], length);
            }
        }
        return new FeatureMatrix(newOffsets, newColumns, newValues, features);
    }

    @Override
    public String toString() {
        return "FeatureMatrix[" + rows() + " rows × " + features + " features, " + size() + " entries]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureMatrix m && features == m.features && Arrays.equals(offsets, m.offsets)
                && Arrays.equals(columns, m.columns) && Arrays.equals(values, m.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(columns) * 31 + features;
    }
}
