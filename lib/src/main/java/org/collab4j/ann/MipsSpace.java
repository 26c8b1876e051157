package org.collab4j.ann;

import org.collab4j.kernel.FactorTable;

/**
 * The item table as the graph sees it, searched by inner product. A dot model scores {@code u·i + b_i (+ b_u)};
 * {@code b_u} does not change a user's ranking, so the ranking is that of the inner product of the query
 * {@code [u, 1]} with the item {@code [i, b_i]} (without biases: {@code u} with {@code i}) — the item bias folded in
 * as one more coordinate.
 *
 * <p>Two ways to link the items ({@link #item}):
 * <ul>
 *   <li>by that inner product itself, as in Morozov and Babenko's ip-NSW ("Non-metric similarity graphs for maximum
 *       inner product search", NeurIPS 2018): items with large norms, which win many users' lists, become hubs that
 *       searches pass through. The default.
 *   <li>with Bachrach et al.'s transform ("Speeding up the Xbox recommender system using a Euclidean transformation
 *       for inner-product spaces", 2014): each item gets the coordinate {@code sqrt(M² − |[i, b_i]|²)} with
 *       {@code M} the largest item norm, which puts every item at norm {@code M}; the query gets a 0 there, which
 *       leaves its inner products unchanged, and among points of one norm a larger inner product is a smaller
 *       Euclidean distance, so a metric graph finds the largest scores. Measured worse (docs/benchmarks.md): when
 *       item norms spread, as trained ones do, most items get an extra coordinate near {@code M}, and every query,
 *       at 0 there, lies far from all of them, where a graph's greedy search loses its way.
 * </ul>
 *
 * <p>Nothing is copied: the item rows are the model's; the transform holds one float per item.
 */
final class MipsSpace {

    private final float[] rows;
    private final float[] bias;
    /** The transform's extra coordinate per item, or {@code null} to link by the inner product itself. */
    private final float[] extra;
    private final int factors;
    private final int size;

    MipsSpace(FactorTable items, boolean transform) {
        this.rows = items.rows();
        this.bias = items.biases();
        this.factors = items.factors();
        this.size = items.size();
        this.extra = transform ? extraCoordinates() : null;
    }

    private float[] extraCoordinates() {
        double[] squared = new double[size];
        double max = 0;
        for (int r = 0; r < size; r++) {
            double s = 0;
            for (int d = 0, o = r * factors; d < factors; d++) {
                s += (double) rows[o + d] * rows[o + d];
            }
            if (bias != null) {
                s += (double) bias[r] * bias[r];
            }
            squared[r] = s;
            max = Math.max(max, s);
        }
        float[] e = new float[size];
        for (int r = 0; r < size; r++) {
            e[r] = (float) Math.sqrt(Math.max(0, max - squared[r]));
        }
        return e;
    }

    boolean transformed() {
        return extra != null;
    }

    int size() {
        return size;
    }

    int factors() {
        return factors;
    }

    /** How alike two items are: the inner product of {@code [i, b_i]} (and the extra coordinate, transformed). */
    float item(int a, int b) {
        float s = dot(rows, a * factors, rows, b * factors, factors);
        if (extra != null) {
            s += extra[a] * extra[b];
        }
        return bias == null ? s : s + bias[a] * bias[b];
    }

    /** The inner product of the query {@code [q, 1]} with the item {@code [i, b_i]} (0 on the extra coordinate). */
    float query(float[] q, int b) {
        float s = dot(q, 0, rows, b * factors, factors);
        return bias == null ? s : s + bias[b];
    }

    /**
     * One load from every cache line of the rows of {@code ids[0 .. n)} (values 64 bytes apart at most) and of
     * their biases: independent loads, which the processor keeps many of in flight, so that the comparisons that
     * follow find the rows in the cache.
     *
     * @return the sum of what it read, for the caller to keep
     */
    float touch(int[] ids, int n) {
        float sum = 0;
        for (int k = 0; k < n; k++) {
            int o = ids[k] * factors;
            for (int d = 0; d < factors; d += 16) {
                sum += rows[o + d];
            }
            sum += rows[o + factors - 1];
            if (bias != null) {
                sum += bias[ids[k]];
            }
        }
        return sum;
    }

    /**
     * A dot product with eight running sums: the graph's own, for speed (the JIT does not vectorise a float sum).
     * Its order differs from the kernel's, which is why the recommender rescores what the graph finds.
     */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int d = 0;
        for (; d + 8 <= n; d += 8) {
            s0 += a[ao + d] * b[bo + d];
            s1 += a[ao + d + 1] * b[bo + d + 1];
            s2 += a[ao + d + 2] * b[bo + d + 2];
            s3 += a[ao + d + 3] * b[bo + d + 3];
            s4 += a[ao + d + 4] * b[bo + d + 4];
            s5 += a[ao + d + 5] * b[bo + d + 5];
            s6 += a[ao + d + 6] * b[bo + d + 6];
            s7 += a[ao + d + 7] * b[bo + d + 7];
        }
        for (; d < n; d++) {
            s0 += a[ao + d] * b[bo + d];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
