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
        return true;
    }
}
