package org.collab4j.recommend;

import org.collab4j.kernel.Kernel;

import org.collab4j.kernel.FactorTable;
import org.collab4j.model.YRange;

/**
 * Fits one new row of a dot model's table (a user's, or an item's) with the other side fixed, as {@link FoldIn}
 * describes: the row {@code w} (factors, then the bias when the model has biases) against the fixed rows
 * {@code a_j = [v_j; 1]} with offsets {@code b_j} (the fixed side's bias), so that the raw score is
 * {@code w·a_j + b_j}, exactly the block's {@code dot + b_u + b_i}.
 *
 * <p>Immutable and so thread-safe: each call allocates its own {@code (k+1)²} system and a few vectors, nothing
 * per rating; sums run over the history in ascending index order, so a history gives the same bits whatever order
 * it came in.
 */
final class DotFoldIn {

    private static final double TOLERANCE = 1e-5;
    private static final int HALVINGS = 20;

    private final int k;
    private final int m;
    private final float[] fixedFactors;
    private final float[] fixedBias;
    private final YRange range;
    private final FoldIn.Objective objective;
    private final FoldIn settings;
    private final double noise;
    private final double[] priorMean;
    /** {@code p · Σ⁻¹}, row-major {@code m × m}. */
    private final double[] priorPrecision;
    /** IMPLICIT: {@code G = Σ a_i a_iᵀ} and {@code Σ b_i a_i} over the known fixed rows. */
    private final double[] gram;
    private final double[] gramBias;
    /** IMPLICIT: {@code N}, every row of the fixed side (trained or not), as the training solver counts them. */
    private final int fixedRows;

    /**
     * @param solved the side being folded in: its trained rows make the prior (and its biases say whether the row
     *     has a bias)
     * @param solvedKnown which of those rows were trained
     * @param fixed the other side's table
     * @param fixedKnown which of the other side's rows were trained (the IMPLICIT Gram matrix is over them)
     */
    DotFoldIn(FactorTable solved, boolean[] solvedKnown, FactorTable fixed, boolean[] fixedKnown, YRange range,
            FoldIn.Objective objective, FoldIn settings, double noise) {
        this.k = solved.factors();
        float[] solvedFactors = solved.rows();
        float[] solvedBias = solved.biases();
        float[] fixedFactors = fixed.rows();
        float[] fixedBias = fixed.biases();
        this.m = k + (solvedBias != null ? 1 : 0);
        this.fixedFactors = fixedFactors;
        this.fixedBias = fixedBias;
        this.range = range;
        this.objective = objective;
        this.settings = settings;
        this.noise = noise;
        fixedRows = fixedKnown.length;
        priorMean = new double[m];
        priorPrecision = prior(solvedFactors, solvedBias, solvedKnown, settings.priorWeight());
        if (objective == FoldIn.Objective.IMPLICIT) {
            gram = new double[m * m];
            gramBias = new double[m];
            double[] a = new double[m];
            for (int row = 0; row < fixedKnown.length; row++) {
                if (fixedKnown[row]) {
                    fixed(row, a);
                    addOuter(gram, a, 1);
                    double b = offset(row);
                    for (int p = 0; p < m; p++) {
                        gramBias[p] += b * a[p];
                    }
                }
            }
        } else {
            gram = null;
            gramBias = null;
        }
    }

    /** The mean of the trained rows into {@link #priorMean}, and {@code weight · Σ⁻¹} of their covariance. */
    private double[] prior(float[] factors, float[] bias, boolean[] known, double weight) {
        int n = 0;
        double[] row = new double[m];
        for (int r = 0; r < known.length; r++) {
            if (known[r]) {
                solvedRow(factors, bias, r, row);
                for (int p = 0; p < m; p++) {
                    priorMean[p] += row[p];
                }
                n++;
            }
        }
        for (int p = 0; p < m && n > 0; p++) {
            priorMean[p] /= n;
        }
        double[] cov = new double[m * m];
        for (int r = 0; r < known.length; r++) {
            if (known[r]) {
                solvedRow(factors, bias, r, row);
                for (int p = 0; p < m; p++) {
                    row[p] -= priorMean[p];
                }
                addOuter(cov, row, 1.0 / Math.max(1, n - 1));
            }
        }
        double trace = 0;
        for (int p = 0; p < m; p++) {
            trace += cov[p * m + p];
        }
        // A small ridge keeps the covariance invertible when rows are few or some factors never moved.
        double ridge = trace > 0 ? 1e-4 * trace / m : 1;
        double[] precision = new double[m * m];
        double[] a = new double[m * m];
        double[] e = new double[m];
        for (int col = 0; col < m; col++) {
            for (int p = 0; p < m * m; p++) {
                a[p] = cov[p];
            }
            for (int p = 0; p < m; p++) {
                a[p * m + p] += ridge;
                e[p] = p == col ? 1 : 0;
            }
            if (!Cholesky.solve(a, m, e)) {
                throw new IllegalStateException("the trained rows' covariance is not positive definite");
            }
            for (int p = 0; p < m; p++) {
                precision[p * m + col] = weight * e[p];
            }
        }
        return precision;
    }

    private void solvedRow(float[] factors, float[] bias, int r, double[] out) {
        for (int d = 0; d < k; d++) {
            out[d] = factors[r * k + d];
        }
        if (bias != null) {
            out[k] = bias[r];
        }
    }

    /** {@code a = [v_row; 1]} (the 1 only with biases). */
    void fixed(int row, double[] a) {
        for (int d = 0; d < k; d++) {
            a[d] = fixedFactors[row * k + d];
        }
        if (m > k) {
            a[k] = 1;
        }
    }

    private double offset(int row) {
        return fixedBias == null ? 0 : fixedBias[row];
    }

    /** {@code target += scale · a aᵀ}, lower triangle only (all that {@link Cholesky} reads). */
    private void addOuter(double[] target, double[] a, double scale) {
        for (int p = 0; p < m; p++) {
            double ap = scale * a[p];
            int base = p * m;
            for (int q = 0; q <= p; q++) {
                target[base + q] += ap * a[q];
            }
        }
    }

    /**
     * Fits the row to a history.
     *
     * @param rows the fixed side's rows (items rated by the user being folded in), ascending, distinct, trained
     * @param values the ratings (RATINGS) or interaction strengths (IMPLICIT), one per row
     * @param n how many of them
     * @return the row: {@code k} factors, then the bias when the model has biases
     */
    float[] solve(int[] rows, float[] values, int n) {
        return solve(rows, values, n, priorMean);
    }

    /**
     * Fits the row to a history with the prior centred on {@code mean} instead of the trained rows' mean (a row made
     * from the entity's features): RATINGS starts there and is pulled back to it with the same precision; IMPLICIT's
     * ridge pulls toward it instead of toward zero.
     *
     * @param mean the prior's centre, {@code k} factors then the bias when the model has biases
     */
    float[] solve(int[] rows, float[] values, int n, float[] mean) {
        double[] centre = new double[m];
        for (int p = 0; p < m; p++) {
            centre[p] = mean[p];
        }
        return solve(rows, values, n, centre);
    }

    private float[] solve(int[] rows, float[] values, int n, double[] mean) {
        double[] w = objective == FoldIn.Objective.IMPLICIT ? implicit(rows, values, n, mean)
                : ratings(rows, values, n, mean);
        float[] result = new float[m];
        for (int p = 0; p < m; p++) {
            result[p] = (float) w[p];
        }
        return result;
    }

    private double[] implicit(int[] rows, float[] values, int n, double[] mean) {
        double w0 = settings.unobservedWeight();
        double[] h = new double[m * m];
        double[] g = new double[m];
        double[] a = new double[m];
        for (int p = 0; p < m * m; p++) {
            h[p] = w0 * gram[p];
        }
        // As ImplicitAlsSolver: the ridge grows with the row's terms, n observed plus α0 times every fixed row.
        double ridge = settings.regularization() * (n + w0 * fixedRows);
        for (int p = 0; p < m; p++) {
            h[p * m + p] += ridge;
            g[p] = -w0 * gramBias[p] + (mean == priorMean ? 0 : ridge * mean[p]);
        }
        for (int j = 0; j < n; j++) {
            fixed(rows[j], a);
            double c = settings.alpha() * values[j];
            addOuter(h, a, c);
            double t = c * (1 - offset(rows[j]));
            for (int p = 0; p < m; p++) {
                g[p] += t * a[p];
            }
        }
        if (!Cholesky.solve(h, m, g)) {
            // Only when λ = 0 and the Gram matrix is singular: fall back to the average row.
            return mean.clone();
        }
        return g;
    }

    private double[] ratings(int[] rows, float[] values, int n, double[] priorMean) {
        double[] w = priorMean.clone();
        double[] h = new double[m * m];
        double[] g = new double[m];
        double[] a = new double[m];
        double[] next = new double[m];
        double current = objective(w, rows, values, n, a, priorMean);
        int iterations = range == null ? 1 : settings.iterations();
        for (int it = 0; it < iterations; it++) {
            System.arraycopy(priorPrecision, 0, h, 0, m * m);
            for (int p = 0; p < m; p++) {
                double s = 0;
                for (int q = 0; q < m; q++) {
                    s += priorPrecision[p * m + q] * (w[q] - priorMean[q]);
                }
                g[p] = -s;
            }
            for (int j = 0; j < n; j++) {
                fixed(rows[j], a);
                double x = dot(w, a) + offset(rows[j]);
                double y;
                double slope;
                if (range == null) {
                    y = x;
                    slope = 1;
                } else {
                    double sig = Kernel.sigmoid(x);
                    double width = range.high() - range.low();
                    y = range.low() + width * sig;
                    slope = width * sig * (1 - sig);
                }
                addOuter(h, a, slope * slope / noise);
                double e = slope * (values[j] - y) / noise;
                for (int p = 0; p < m; p++) {
                    g[p] += e * a[p];
                }
            }
                if (!Cholesky.solve(h, m, g)) {
                break;
            }
            // g now holds the Gauss–Newton step; halve it until the objective does not rise.
            double step = 1;
            double moved = 0;
            boolean accepted = false;
            for (int half = 0; half <= HALVINGS && !accepted; half++, step /= 2) {
                for (int p = 0; p < m; p++) {
                    next[p] = w[p] + step * g[p];
                }
                double value = objective(next, rows, values, n, a, priorMean);
                if (value <= current) {
                    accepted = true;
                    current = value;
                    for (int p = 0; p < m; p++) {
                        moved = Math.max(moved, Math.abs(next[p] - w[p]));
                    }
                    System.arraycopy(next, 0, w, 0, m);
                }
            }
            if (!accepted || moved < TOLERANCE) {
                break;
            }
        }
        return w;
    }

    /** The RATINGS objective at {@code w}: squared errors over σ², plus the prior. */
    double objective(double[] w, int[] rows, float[] values, int n, double[] scratch) {
        return objective(w, rows, values, n, scratch, priorMean);
    }

    private double objective(double[] w, int[] rows, float[] values, int n, double[] scratch, double[] priorMean) {
        double sum = 0;
        for (int j = 0; j < n; j++) {
            fixed(rows[j], scratch);
            double x = dot(w, scratch) + offset(rows[j]);
            double y = range == null ? x
                    : range.low() + (range.high() - range.low()) / (1 + Math.exp(-x));
            double e = values[j] - y;
            sum += e * e;
        }
        double prior = 0;
        for (int p = 0; p < m; p++) {
            double s = 0;
            for (int q = 0; q < m; q++) {
                s += priorPrecision[p * m + q] * (w[q] - priorMean[q]);
            }
            prior += (w[p] - priorMean[p]) * s;
        }
        return sum / noise + prior;
    }

    /** The prior mean row: what a fold-in without ratings would give. */
    float[] priorMean() {
        float[] result = new float[m];
        for (int p = 0; p < m; p++) {
            result[p] = (float) priorMean[p];
        }
        return result;
    }

    /** @return the row's length {@code m}: the factors, plus one for a bias */
    int size() {
        return m;
    }

    /** {@link #solve}'s row as doubles (what {@link #information} is evaluated at). */
    double[] solveExact(int[] rows, float[] values, int n) {
        float[] row = solve(rows, values, n);
        double[] w = new double[m];
        for (int p = 0; p < m; p++) {
            w[p] = row[p];
        }
        return w;
    }

    /**
     * The curvature of the fold-in's objective at the row {@code w}, full {@code m × m} (both triangles): for
     * RATINGS the Gauss–Newton Hessian {@code p·Σ⁻¹ + Σ_j s_j² a_j a_jᵀ / σ²} ({@code s_j} the y-range sigmoid's
     * slope at {@code w·a_j + b_j}, 1 without a y-range), for IMPLICIT the normal matrix
     * {@code α0·G + λ(n + α0·N)·I + Σ_j α·c_j a_j a_jᵀ}. Its inverse is the row's posterior covariance (Laplace's
     * approximation): how uncertain the fold-in still is, direction by direction.
     */
    double[] information(int[] rows, float[] values, int n, double[] w) {
        double[] h = new double[m * m];
        double[] a = new double[m];
        if (objective == FoldIn.Objective.IMPLICIT) {
            double w0 = settings.unobservedWeight();
            for (int p = 0; p < m * m; p++) {
                h[p] = w0 * gram[p];
            }
            double ridge = settings.regularization() * (n + w0 * fixedRows);
            for (int p = 0; p < m; p++) {
                h[p * m + p] += ridge;
            }
            for (int j = 0; j < n; j++) {
                fixed(rows[j], a);
                addOuter(h, a, settings.alpha() * values[j]);
            }
        } else {
            System.arraycopy(priorPrecision, 0, h, 0, m * m);
            for (int j = 0; j < n; j++) {
                fixed(rows[j], a);
                addOuter(h, a, answerWeight(rows[j], w, a));
            }
        }
        for (int p = 0; p < m; p++) {
            for (int q = 0; q < p; q++) {
                h[q * m + p] = h[p * m + q];
            }
        }
        return h;
    }

    /**
     * What one more answer about the fixed row {@code row} adds to {@link #information}, as a multiple of
     * {@code a aᵀ}: {@code s²/σ²} for RATINGS at the row {@code w}, {@code α} (a plain interaction) for IMPLICIT.
     *
     * @param a the row's {@code [v; 1]}, as {@link #fixed} fills it
     */
    double answerWeight(int row, double[] w, double[] a) {
        if (objective == FoldIn.Objective.IMPLICIT) {
            return settings.alpha();
        }
        if (range == null) {
            return 1 / noise;
        }
        double sig = Kernel.sigmoid(dot(w, a) + offset(row));
        double slope = (range.high() - range.low()) * sig * (1 - sig);
        return slope * slope / noise;
    }

    private double dot(double[] w, double[] a) {
        double s = 0;
        for (int p = 0; p < m; p++) {
            s += w[p] * a[p];
        }
        return s;
    }
}
