package org.collab4j.recommend;

/**
 * Solves small symmetric positive definite systems {@code A x = b} in place, in double precision, with the
 * Cholesky factorisation {@code A = L Lᵀ}: the k × k normal equations of a fold-in (k = factors, plus one for a
 * bias). No allocation; the same input gives the same bits.
 */
final class Cholesky {

    private Cholesky() {}

    /**
     * Overwrites the lower triangle of {@code a} with {@code L} and {@code b} with the solution.
     *
     * @param a the matrix, row-major {@code m × m}; only its lower triangle is read
     * @param m the size
     * @param b the right-hand side, replaced by {@code x}
     * @return {@code false} if {@code a} is not positive definite (then {@code a} and {@code b} hold garbage)
     */
    static boolean solve(double[] a, int m, double[] b) {
        if (!factor(a, m)) {
            return false;
        }
        substitute(a, m, b);
        return true;
    }

    /**
     * Inverts a symmetric positive definite matrix: one factorisation, then {@code m} substitutions.
     *
     * @param a the matrix, row-major {@code m × m}; only its lower triangle is read, and it is overwritten
     * @param m the size
     * @return the inverse, full (both triangles), or {@code null} if {@code a} is not positive definite
     */
    static double[] invert(double[] a, int m) {
        if (!factor(a, m)) {
            return null;
        }
        double[] inverse = new double[m * m];
        double[] e = new double[m];
        for (int col = 0; col < m; col++) {
            java.util.Arrays.fill(e, 0);
            e[col] = 1;
            substitute(a, m, e);
            for (int p = 0; p < m; p++) {
                inverse[p * m + col] = e[p];
            }
        }
        return inverse;
    }

    /** Overwrites the lower triangle of {@code a} with {@code L}; {@code false} if not positive definite. */
    private static boolean factor(double[] a, int m) {
        for (int j = 0; j < m; j++) {
            double d = a[j * m + j];
            for (int p = 0; p < j; p++) {
                d -= a[j * m + p] * a[j * m + p];
            }
            if (!(d > 0)) {
                return false;
            }
            double l = Math.sqrt(d);
            a[j * m + j] = l;
            for (int i = j + 1; i < m; i++) {
                double s = a[i * m + j];
                for (int p = 0; p < j; p++) {
                    s -= a[i * m + p] * a[j * m + p];
                }
                a[i * m + j] = s / l;
            }
        }
        return true;
    }

    /** Solves {@code L Lᵀ x = b} in place, {@code L} in the lower triangle of {@code a}. */
    private static void substitute(double[] a, int m, double[] b) {
        for (int i = 0; i < m; i++) {
            double s = b[i];
            for (int p = 0; p < i; p++) {
                s -= a[i * m + p] * b[p];
            }
            b[i] = s / a[i * m + i];
        }
        for (int i = m - 1; i >= 0; i--) {
            double s = b[i];
            for (int p = i + 1; p < m; p++) {
                s -= a[p * m + i] * b[p];
            }
            b[i] = s / a[i * m + i];
        }
    }
}
