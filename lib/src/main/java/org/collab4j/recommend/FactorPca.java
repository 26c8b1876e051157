package org.collab4j.recommend;

import org.collab4j.kernel.TopK;

import java.util.ArrayList;
import java.util.List;

/**
 * Principal component analysis of embedding rows: the eigenvectors of their covariance matrix, which is only
 * factors × factors however many rows there are, so a {@link SymmetricEigen} decomposition is cheap.
 */
final class FactorPca {

    /** Makes the result entry for a row index and its projection. */
    interface Labeller {
        ScoredId label(int row, float projection);
    }

    private FactorPca() {}

    /**
     * Computes the leading components of some rows of a factor table and the rows at either end of each.
     *
     * @param factors the table, row-major
     * @param dim the number of factors per row
     * @param rows the row indices taking part, at least two
     * @param components how many components, at most {@code dim}
     * @param extremes how many rows to list at each end
     * @param labeller turns a row and its projection into a result entry
     * @return the components, most variance first
     */
    static List<PrincipalComponent> of(float[] factors, int dim, int[] rows, int components, int extremes,
            Labeller labeller) {
        Basis basis = Basis.of(factors, dim, rows);
        List<PrincipalComponent> result = new ArrayList<>();
        for (int c = 0; c < components; c++) {
            TopK high = new TopK(extremes, rows.length);
            TopK low = new TopK(extremes, rows.length);
            for (int r : rows) {
                double projection = basis.project(factors, r, c);
                high.offer((float) projection, r);
                low.offer((float) -projection, r);
            }
            double variance = Math.max(0, basis.eigen.values[c]);
            result.add(new PrincipalComponent(c + 1, variance, basis.total == 0 ? 0 : variance / basis.total,
                    labelled(high, 1, labeller), labelled(low, -1, labeller)));
        }
        return result;
    }

    /**
     * Projects rows of a factor table on the leading components, the same components (and signs) as {@link #of}.
     *
     * @param factors the table, row-major
     * @param dim the number of factors per row
     * @param rows the row indices taking part, at least two
     * @param components how many components, at most {@code dim}
     * @return {@code result[k][c]}: row {@code rows[k]}'s coordinate on component {@code c + 1}
     */
    static double[][] project(float[] factors, int dim, int[] rows, int components) {
        Basis basis = Basis.of(factors, dim, rows);
        double[][] result = new double[rows.length][components];
        for (int k = 0; k < rows.length; k++) {
            for (int c = 0; c < components; c++) {
                result[k][c] = basis.project(factors, rows[k], c);
            }
        }
        return result;
    }

    /** The rows' mean, the covariance's eigen-decomposition with each vector's sign fixed, the total variance. */
    private static final class Basis {

        final int dim;
        final double[] mean;
        final SymmetricEigen eigen;
        final double[] signs;
        final double total;

        private Basis(int dim, double[] mean, SymmetricEigen eigen, double[] signs, double total) {
            this.dim = dim;
            this.mean = mean;
            this.eigen = eigen;
            this.signs = signs;
            this.total = total;
        }

        static Basis of(float[] factors, int dim, int[] rows) {
            double[] mean = new double[dim];
            for (int r : rows) {
                for (int d = 0; d < dim; d++) {
                    mean[d] += factors[r * dim + d];
                }
            }
            for (int d = 0; d < dim; d++) {
                mean[d] /= rows.length;
            }
            double[][] covariance = new double[dim][dim];
            double[] x = new double[dim];
            for (int r : rows) {
                for (int d = 0; d < dim; d++) {
                    x[d] = factors[r * dim + d] - mean[d];
                }
                for (int a = 0; a < dim; a++) {
                    for (int b = a; b < dim; b++) {
                        covariance[a][b] += x[a] * x[b];
                    }
                }
            }
            double total = 0;
            for (int a = 0; a < dim; a++) {
                for (int b = a; b < dim; b++) {
                    covariance[a][b] /= rows.length - 1;
                    covariance[b][a] = covariance[a][b];
                }
                total += covariance[a][a];
            }
            SymmetricEigen eigen = SymmetricEigen.of(covariance);
            double[] signs = new double[dim];
            for (int c = 0; c < dim; c++) {
                double[] v = eigen.vectors[c];
                // An eigenvector's sign is arbitrary: make the largest coefficient positive, so runs agree.
                int largest = 0;
                for (int d = 1; d < dim; d++) {
                    largest = Math.abs(v[d]) > Math.abs(v[largest]) ? d : largest;
                }
                signs[c] = v[largest] < 0 ? -1 : 1;
            }
            return new Basis(dim, mean, eigen, signs, total);
        }

        /** Row {@code r}'s coordinate on component {@code c} (from 0). */
        double project(float[] factors, int r, int c) {
            double[] v = eigen.vectors[c];
            double projection = 0;
            for (int d = 0; d < dim; d++) {
                projection += (factors[r * dim + d] - mean[d]) * v[d] * signs[c];
            }
            return projection;
        }
    }

    private static List<ScoredId> labelled(TopK top, int sign, Labeller labeller) {
        float[] scores = new float[top.size()];
        int[] best = top.sorted(scores);
        List<ScoredId> result = new ArrayList<>(best.length);
        for (int n = 0; n < best.length; n++) {
            result.add(labeller.label(best[n], sign * scores[n]));
        }
        return result;
    }
}
