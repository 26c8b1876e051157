package org.collab4j.kernel;

/**
 * The models' forward arithmetic over row-major {@code float[]} tables: the one implementation the host training
 * step and the {@code Recommender} both use, so that what a model is trained on is exactly what it serves.
 *
 * <pre>
 * EmbeddingDot:      x = U[u] · I[i]
 * EmbeddingDotBias:  x = U[u] · I[i] + b_u[u] + b_i[i]
 * with a y-range:    pred = sigmoid(x) · (high - low) + low
 * EmbeddingNet:      x = W_n · relu(… relu(W_1 · [U[u]; I[i]] + b_1) …) + b_n, then the y-range
 * </pre>
 *
 * <p>Every sum runs from the first element to the last, in {@code float}, so a value computed here is the same
 * bits wherever it is computed. DJL's blocks compute the same functions with PyTorch's summation order; the
 * agreement test bounds the difference.
 */
public final class Kernel {

    private Kernel() {}

    /**
     * The dot product of two rows, summed from the first element to the last.
     *
     * @param a the first table
     * @param aOffset where the first row starts
     * @param b the second table
     * @param bOffset where the second row starts
     * @param length the row length
     * @return {@code Σ a[aOffset + j] · b[bOffset + j]}
     */
    public static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float sum = 0f;
        for (int j = 0; j < length; j++) {
            sum += a[aOffset + j] * b[bOffset + j];
        }
        return sum;
    }

    /**
     * {@code EmbeddingDotBias}'s score before the y-range: the dot product plus the user bias, plus the item bias,
     * added in that order as the block adds them.
     *
     * @param dot the dot product of the two factor rows
     * @param userBias the user's bias
     * @param itemBias the item's bias
     * @return {@code (dot + userBias) + itemBias}
     */
    public static float withBiases(float dot, float userBias, float itemBias) {
        return dot + userBias + itemBias;
    }

    /**
     * The logistic function, computed in {@code double} and rounded once.
     *
     * @param x the input
     * @return {@code 1 / (1 + e^-x)}
     */
    public static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /**
     * The logistic sigmoid in double precision, as fold-in's Gauss-Newton steps use it (the float form above is
     * this value rounded).
     *
     * @param x the input
     * @return {@code 1 / (1 + e^-x)}
     */
    public static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * Scales a sigmoid output into a range, as DJL's {@code sigmoidRange} does after the sigmoid.
     *
     * @param sigmoid a value in {@code [0, 1]}
     * @param low the range's low end
     * @param high the range's high end
     * @return {@code sigmoid · (high - low) + low}
     */
    public static float toRange(float sigmoid, float low, float high) {
        return sigmoid * (high - low) + low;
    }

    /**
     * fast.ai's {@code sigmoid_range}: squashes a raw score into {@code (low, high)}.
     *
     * @param x the raw score
     * @param low the range's low end
     * @param high the range's high end
     * @return {@code sigmoid(x) · (high - low) + low}
     */
    public static float sigmoidRange(float x, float low, float high) {
        return toRange(sigmoid(x), low, high);
    }

    /**
     * The dot product of one user row with every item row at once, over the item table stored factor-major, one
     * array per factor ({@code columns[d][i] = I[i][d]}, {@link #columns}): a loop without a reduction whose arrays
     * are all indexed by the loop counter alone, which the JIT vectorises (HotSpot 17 leaves a loop scalar when an
     * array in it is read at {@code offset + i}: 1–1.5 against 2.3–6.6 GMAC/s measured for 9,724 × 64). Each
     * {@code out[i]} sees the same additions in the same order as {@link #dot}, so both give the same bits.
     *
     * @param user the user table
     * @param userOffset where the user's row starts
     * @param columns the item table, factor-major: {@code factors} arrays of {@code numItems}
     * @param numItems the number of items
     * @param factors the row length
     * @param out receives {@code dot(user row, I[i])} in {@code out[0 .. numItems)}
     */
    public static void dotAll(float[] user, int userOffset, float[][] columns, int numItems, int factors,
            float[] out) {
        dotRange(user, userOffset, columns, 0, numItems, factors, out);
    }

    /**
     * {@link #dotAll} over the items {@code [from, to)} only, written to {@code out[from .. to)}: a caller scoring
     * many users walks the items in tiles small enough for the core's cache and scores every user against one
     * tile before the next, so the item table is read from memory once per tile of users rather than once per
     * user. Each {@code out[i]} is the same bits as {@link #dotAll}'s.
     *
     * @param user the user table
     * @param userOffset where the user's row starts
     * @param columns the item table, factor-major: {@code factors} arrays of at least {@code to} items
     * @param from the first item
     * @param to one past the last item
     * @param factors the row length
     * @param out receives {@code dot(user row, I[i])} in {@code out[from .. to)}
     */
    public static void dotRange(float[] user, int userOffset, float[][] columns, int from, int to, int factors,
            float[] out) {
        java.util.Arrays.fill(out, from, to, 0f);
        int d = 0;
        // Four factors per pass: a quarter of the loads and stores of out, the additions still in factor order.
        // Every array is indexed by the loop counter alone, which the JIT needs to vectorise the loop.
        for (; d + 3 < factors; d += 4) {
            float u0 = user[userOffset + d];
            float u1 = user[userOffset + d + 1];
            float u2 = user[userOffset + d + 2];
            float u3 = user[userOffset + d + 3];
            float[] c0 = columns[d];
            float[] c1 = columns[d + 1];
            float[] c2 = columns[d + 2];
            float[] c3 = columns[d + 3];
            for (int i = from; i < to; i++) {
                out[i] = out[i] + u0 * c0[i] + u1 * c1[i] + u2 * c2[i] + u3 * c3[i];
            }
        }
        for (; d < factors; d++) {
            float ud = user[userOffset + d];
            float[] c = columns[d];
            for (int i = from; i < to; i++) {
                out[i] += ud * c[i];
            }
        }
    }

    /**
     * Transposes a row-major table into the factor-major layout {@link #dotAll} reads.
     *
     * @param table the table, {@code rows × factors} row-major
     * @param rows the number of rows
     * @param factors the row length
     * @return {@code columns[d][r] = table[r * factors + d]}
     */
    public static float[][] columns(float[] table, int rows, int factors) {
        float[][] columns = new float[factors][rows];
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < factors; d++) {
                columns[d][r] = table[r * factors + d];
            }
        }
        return columns;
    }

    /**
     * A linear layer as DJL's {@code Linear}: {@code out[o] = W[o] · x + b[o]}.
     *
     * @param weight the weights, {@code (units, inputs)} row-major
     * @param bias the biases, {@code (units)}
     * @param x the input, {@code inputs} values
     * @param inputs the input width
     * @param units the output width
     * @param out receives the {@code units} outputs
     */
    public static void linear(float[] weight, float[] bias, float[] x, int inputs, int units, float[] out) {
        for (int o = 0; o < units; o++) {
            out[o] = dot(weight, o * inputs, x, 0, inputs) + bias[o];
        }
    }

    /**
     * The ReLU, in place.
     *
     * @param x the values
     * @param length how many of them, from the first
     */
    public static void relu(float[] x, int length) {
        for (int h = 0; h < length; h++) {
            x[h] = Math.max(0f, x[h]);
        }
    }
}
