package org.collab4j.train.ease;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The inverse of a symmetric positive definite matrix in plain Java, by Cholesky: {@code A = L·Lᵀ},
 * {@code W = L⁻¹} column by column, then {@code A⁻¹ = Wᵀ·W} row by row, the columns and rows split over threads.
 * About {@code n³/2} multiply-adds ({@code n³/6} each), in double precision.
 */
final class SpdInverse {

    private SpdInverse() {}

    /**
     * Inverts {@code a}.
     *
     * @param a the matrix, row-major {@code n × n}, symmetric (only its lower triangle is read); overwritten, and
     *     returned as the inverse
     * @param n the size
     * @param pool the threads the solves run on
     * @return {@code A⁻¹}, row-major
     * @throws IllegalArgumentException if the matrix is not positive definite
     */
    static double[] invert(double[] a, int n, ForkJoinPool pool) {
        factor(a, n, pool);
        // W = L⁻¹, lower triangular, column by column.
        double[] w = new double[n * n];
        run(pool, () -> IntStream.range(0, n).parallel().forEach(c -> inverseColumn(a, n, c, w)));
        // A⁻¹ = Wᵀ·W: row i's lower part is Σ_{k >= i} W[k, i]·W[k, 0..i], an AXPY over rows of W.
        double[] inverse = a;
        Arrays.fill(inverse, 0);
        run(pool, () -> IntStream.range(0, n).parallel().forEach(i -> {
            int ri = i * n;
            for (int k = i; k < n; k++) {
                int rk = k * n;
                double wki = w[rk + i];
                for (int j = 0; j <= i; j++) {
                    inverse[ri + j] += wki * w[rk + j];
                }
            }
        }));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                inverse[j * n + i] = inverse[i * n + j];
            }
        }
        return inverse;
    }

    /** Cholesky–Crout by columns: column j of L from the rows above, the rows below j in parallel. */
    private static void factor(double[] a, int n, ForkJoinPool pool) {
        for (int j = 0; j < n; j++) {
            int rj = j * n;
            double d = a[rj + j];
            for (int k = 0; k < j; k++) {
                d -= a[rj + k] * a[rj + k];
            }
            if (!(d > 0)) {
                throw new IllegalArgumentException("the matrix is not positive definite (pivot " + j + " is " + d
                        + ")");
            }
            double ljj = Math.sqrt(d);
            a[rj + j] = ljj;
            int col = j;
            if (n - j > 256) {
                run(pool, () -> IntStream.range(col + 1, n).parallel().forEach(i -> below(a, n, col, i, ljj)));
            } else {
                for (int i = j + 1; i < n; i++) {
                    below(a, n, j, i, ljj);
                }
            }
        }
    }

    private static void below(double[] a, int n, int j, int i, double ljj) {
        int ri = i * n;
        int rj = j * n;
        double s = a[ri + j];
        for (int k = 0; k < j; k++) {
            s -= a[ri + k] * a[rj + k];
        }
        a[ri + j] = s / ljj;
    }

    /** Column c of W = L⁻¹: solve L·y = e_c by forward substitution (y_i = 0 for i < c). */
    private static void inverseColumn(double[] l, int n, int c, double[] w) {
        double[] y = new double[n];
        for (int i = c; i < n; i++) {
            int ri = i * n;
            double s = i == c ? 1 : 0;
            for (int k = c; k < i; k++) {
                s -= l[ri + k] * y[k];
            }
            y[i] = s / l[ri + i];
            w[ri + c] = y[i];
        }
    }

    private static void run(ForkJoinPool pool, Runnable task) {
        pool.submit(task).join();
    }
}
