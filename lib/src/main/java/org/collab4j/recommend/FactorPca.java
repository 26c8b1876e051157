package org.collab4j.recommend;

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
        List<PrincipalComponent> result = new ArrayList<>();
        for (int c = 0; c < components; c++) {
            double[] v = eigen.vectors[c];
            // An eigenvector's sign is arbitrary: make the largest coefficient positive, so runs agree.
            int largest = 0;
            for (int d = 1; d < dim; d++) {
                largest = Math.abs(v[d]) > Math.abs(v[largest]) ? d : largest;
            }
            double sign = v[largest] < 0 ? -1 : 1;
            TopK high = new TopK(extremes, rows.length);
            TopK low = new TopK(extremes, rows.length);
            for (int r : rows) {
                double projection = 0;
                for (int d = 0; d < dim; d++) {
                    projection += (factors[r * dim + d] - mean[d]) * v[d] * sign;
                }
                high.offer((float) projection, r);
                low.offer((float) -projection, r);
            }
            double variance = Math.max(0, eigen.values[c]);
            result.add(new PrincipalComponent(c + 1, variance, total == 0 ? 0 : variance / total,
                    labelled(high, 1, labeller), labelled(low, -1, labeller)));
        }
        return result;
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
