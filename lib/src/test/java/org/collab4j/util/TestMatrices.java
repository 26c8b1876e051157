package org.collab4j.util;

/** Dense-matrix arithmetic for tests' reference computations. */
public final class TestMatrices {

    private TestMatrices() {}

    /**
     * Gauss–Jordan elimination with partial pivoting: a test's own inverse of a small dense matrix, independent of
     * the library's solvers.
     *
     * @param a a square, invertible matrix (not changed)
     * @return its inverse
     */
    public static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            double d = m[c][c];
            for (int k = 0; k < 2 * n; k++) {
                m[c][k] /= d;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c];
                    for (int k = 0; k < 2 * n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }
}
