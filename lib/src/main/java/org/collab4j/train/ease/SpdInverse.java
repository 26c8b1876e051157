package org.collab4j.train.ease;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The inverse of a symmetric positive definite matrix in plain Java, by Cholesky: {@code A = L·Lᵀ}, then
 * {@code A⁻¹}'s columns by forward and back substitution, the columns split over threads. About {@code n³}
 * multiply-adds in all ({@code n³/6} for the factor, the rest for the {@code n} solves), in double precision.
 */
final class SpdInverse {

    private SpdInverse() {}

    /**
     * Inverts {@code a}.
     *
     * @param a the matrix, row-major {@code n × n}, symmetric (only its lower triangle is read); overwritten with
     *     its Cholesky factor
     * @param n the size
     * @param pool the threads the solves run on
     * @return {@code A⁻¹}, row-major
     * @throws IllegalArgumentException if the matrix is not positive definite
     */
    static double[] invert(double[] a, int n, ForkJoinPool pool) {
        factor(a, n, pool);
        double[] inverse = new double[n * n];
        run(pool, () -> IntStream.range(0, n).parallel().forEach(c -> column(a, n, c, inverse)));
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

    /** Column c of A⁻¹: solve L·y = e_c (y_i = 0 for i < c), then Lᵀ·x = y, x written as row c (A⁻¹ is symmetric). */
    private static void column(double[] l, int n, int c, double[] inverse) {
        double[] y = new double[n];
        for (int i = c; i < n; i++) {
            int ri = i * n;
            double s = i == c ? 1 : 0;
            for (int k = c; k < i; k++) {
                s -= l[ri + k] * y[k];
            }
            y[i] = s / l[ri + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            int ri = i * n;
            double x = y[i] / l[ri + i];
            y[i] = x;
            for (int k = 0; k < i; k++) {
                y[k] -= l[ri + k] * x;
            }
        }
        for (int i = 0; i < n; i++) {
            inverse[c * n + i] = y[i];
        }
    }

    private static void run(ForkJoinPool pool, Runnable task) {
        pool.submit(task).join();
    }
}
