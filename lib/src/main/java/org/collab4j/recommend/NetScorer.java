package org.collab4j.recommend;

import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Kernel;
import org.collab4j.kernel.ParameterNames;
import org.collab4j.kernel.Side;

/**
 * {@code EmbeddingNet}'s forward pass at inference (dropout off): {@code concat(U[u], I[i])} through the linear
 * layers with ReLU between them, by {@link Kernel}.
 *
 * <p>The first layer's product splits into a user part and an item part, {@code W·[u; i] + b = (W_u·u + b) +
 * W_i·i}, which are computed once per user and once per item; a pair then costs only the small layers after it.
 * That makes top-N over the whole catalogue affordable. The sums run in another order than PyTorch's, so scores
 * differ from DJL's forward pass in the last bits (about 1e-6).
 */
final class NetScorer extends Scorer {

    private final int firstUnits;
    private final int userDim;
    private final int itemDim;
    /** The first layer: weight {@code (firstUnits, userDim + itemDim)} row-major, and bias. */
    private final float[] firstWeight;
    private final float[] firstBias;
    private final float[] userFactors;
    private final float[] userPart;
    private final float[] itemPart;
    /** Layers after the first: weight {@code (units, inputs)} row-major, and bias. */
    private final float[][] weights;
    private final float[][] biases;
    private final int[] units;

    NetScorer(TrainedModel model) {
        super(model.getConfig().yRange());
        userDim = model.getConfig().userFactors();
        itemDim = model.getConfig().itemFactors();
        int hidden = model.getConfig().hidden().length;
        int layers = hidden + 1;
        float[][] w = new float[layers][];
        float[][] b = new float[layers][];
        int[] u = new int[layers];
        for (int l = 0; l < layers; l++) {
            w[l] = model.parameter(ParameterNames.layerWeight(l, hidden));
            b[l] = model.parameter(ParameterNames.layerBias(l, hidden));
            u[l] = b[l].length;
        }
        firstUnits = u[0];
        firstWeight = w[0];
        firstBias = b[0];
        // The model's own tables, not copies: a table is held once.
        float[] users = model.factors(Side.USERS).rows();
        userFactors = users;
        float[] items = model.factors(Side.ITEMS).rows();
        int numUsers = model.getConfig().numUsers();
        int numItems = model.getConfig().numItems();
        int inputs = userDim + itemDim;
        userPart = new float[numUsers * firstUnits];
        itemPart = new float[numItems * firstUnits];
        for (int user = 0; user < numUsers; user++) {
            for (int h = 0; h < firstUnits; h++) {
                userPart[user * firstUnits + h] = Kernel.dot(w[0], h * inputs, users, user * userDim, userDim)
                        + b[0][h];
            }
        }
        for (int item = 0; item < numItems; item++) {
            for (int h = 0; h < firstUnits; h++) {
                itemPart[item * firstUnits + h] = Kernel.dot(w[0], h * inputs + userDim, items, item * itemDim,
                        itemDim);
            }
        }
        weights = new float[layers - 1][];
        biases = new float[layers - 1][];
        units = new int[layers - 1];
        for (int l = 1; l < layers; l++) {
            weights[l - 1] = w[l];
            biases[l - 1] = b[l];
            units[l - 1] = u[l];
        }
    }

    @Override
    float raw(int user, int item) {
        return raw(userPart, user * firstUnits, item, new float[maxUnits()], new float[maxUnits()]);
    }

    @Override
    void rawRange(int user, int from, int to, float[] out) {
        float[] x = new float[maxUnits()];
        float[] y = new float[maxUnits()];
        for (int i = from; i < to; i++) {
            out[i] = raw(userPart, user * firstUnits, i, x, y);
        }
    }

    @Override
    float rawFolded(float[] row, int item) {
        return raw(userPartOf(row), 0, item, new float[maxUnits()], new float[maxUnits()]);
    }

    @Override
    void rawRangeFolded(float[] row, int from, int to, float[] out) {
        float[] part = userPartOf(row);
        float[] x = new float[maxUnits()];
        float[] y = new float[maxUnits()];
        for (int i = from; i < to; i++) {
            out[i] = raw(part, 0, i, x, y);
        }
    }

    @Override
    float[] row(int user) {
        return java.util.Arrays.copyOfRange(userFactors, user * userDim, (user + 1) * userDim);
    }

    @Override
    int rowWidth() {
        return userDim;
    }

    /** The first layer's user part {@code W_u·u + b} of a user row, as the constructor computes it. */
    private float[] userPartOf(float[] row) {
        float[] part = new float[firstUnits];
        int inputs = userDim + itemDim;
        for (int h = 0; h < firstUnits; h++) {
            part[h] = Kernel.dot(firstWeight, h * inputs, row, 0, userDim) + firstBias[h];
        }
        return part;
    }

    /** The first layer's item part {@code W_i·v} of an item row. */
    private float[] itemPartOf(float[] row) {
        float[] part = new float[firstUnits];
        int inputs = userDim + itemDim;
        for (int h = 0; h < firstUnits; h++) {
            part[h] = Kernel.dot(firstWeight, h * inputs + userDim, row, 0, itemDim);
        }
        return part;
    }

    private int maxUnits() {
        int max = firstUnits;
        for (int n : units) {
            max = Math.max(max, n);
        }
        return max;
    }

    private float raw(float[] users, int userOffset, int item, float[] x, float[] y) {
        int width = firstUnits;
        for (int h = 0; h < width; h++) {
            x[h] = users[userOffset + h] + itemPart[item * firstUnits + h];
        }
        for (int l = 0; l < weights.length; l++) {
            // Every layer but the output is followed by a ReLU; x holds the previous layer's output.
            Kernel.relu(x, width);
            Kernel.linear(weights[l], biases[l], x, width, units[l], y);
            width = units[l];
            float[] swap = x;
            x = y;
            y = swap;
        }
        return x[0];
    }

    /**
     * Fits a new user row ({@code userSide}) or item row to a history with everything else fixed: gradient steps
     * from {@code mean} on {@code Σ_j (r_j − ŷ_j)² / σ² + p Σ_d (w_d − mean_d)² / variance_d}, each step scaled
     * by the prior's curvature and halved until the objective falls enough (Armijo), so that every step lowers
     * it. Deterministic; allocates a few small arrays per call.
     *
     * @param rows the other side's rows, ascending and trained
     * @param values their ratings
     * @param n how many
     * @param mean the trained rows' mean, the starting point
     * @param variance the trained rows' variance per factor
     * @return the row
     */
    float[] foldIn(boolean userSide, int[] rows, float[] values, int n, float[] mean, float[] variance, double noise,
            double priorWeight, int steps) {
        int dim = userSide ? userDim : itemDim;
        double[] w = new double[dim];
        double[] precision = new double[dim];
        for (int d = 0; d < dim; d++) {
            w[d] = mean[d];
            precision[d] = priorWeight / Math.max(variance[d], 1e-12);
        }
        int layers = weights.length;
        double[][] pre = new double[layers + 1][maxUnits()];
        double[][] delta = new double[layers + 1][maxUnits()];
        double[] part = new double[firstUnits];
        double[] sum = new double[firstUnits];
        double[] grad = new double[dim];
        double[] direction = new double[dim];
        double[] next = new double[dim];
        double current = netObjective(userSide, w, rows, values, n, mean, precision, noise, part, pre);
        double step = 1;
        for (int s = 0; s < steps; s++) {
            java.util.Arrays.fill(sum, 0);
            firstPart(userSide, w, part);
            for (int j = 0; j < n; j++) {
                double x = forward(userSide, part, rows[j], pre);
                double sig = Kernel.sigmoid(x);
                double y = squashSlope(x, sig, false);
                double slope = squashSlope(x, sig, true);
                delta[layers][0] = -2 * (values[j] - y) * slope / noise;
                for (int l = layers - 1; l >= 0; l--) {
                    int width = l == 0 ? firstUnits : units[l - 1];
                    for (int h = 0; h < width; h++) {
                        double back = 0;
                        for (int o = 0; o < units[l]; o++) {
                            back += weights[l][o * width + h] * delta[l + 1][o];
                        }
                        delta[l][h] = pre[l][h] > 0 ? back : 0;
                    }
                }
                for (int h = 0; h < firstUnits; h++) {
                    sum[h] += delta[0][h];
                }
            }
            int inputs = userDim + itemDim;
            int column = userSide ? 0 : userDim;
            double slopeAlong = 0;
            for (int d = 0; d < dim; d++) {
                double g = 2 * precision[d] * (w[d] - mean[d]);
                for (int h = 0; h < firstUnits; h++) {
                    g += firstWeight[h * inputs + column + d] * sum[h];
                }
                grad[d] = g;
                direction[d] = -g / (2 * precision[d]);
                slopeAlong += g * direction[d];
            }
            if (slopeAlong > -1e-12) {
                break;
            }
            boolean accepted = false;
            for (int half = 0; half < 30 && !accepted; half++) {
                for (int d = 0; d < dim; d++) {
                    next[d] = w[d] + step * direction[d];
                }
                double value = netObjective(userSide, next, rows, values, n, mean, precision, noise, part, pre);
                if (value <= current + 1e-4 * step * slopeAlong) {
                    accepted = true;
                    current = value;
                    System.arraycopy(next, 0, w, 0, dim);
                    step = Math.min(1, 2 * step);
                } else {
                    step /= 2;
                }
            }
            if (!accepted) {
                break;
            }
        }
        float[] row = new float[dim];
        for (int d = 0; d < dim; d++) {
            row[d] = (float) w[d];
        }
        return row;
    }

    /** {@code y} or, with {@code slope}, {@code dy/dx} of the squash at {@code x} ({@code sig = σ(x)}). */
    private double squashSlope(double x, double sig, boolean slope) {
        org.collab4j.model.YRange range = range();
        if (range == null) {
            return slope ? 1 : x;
        }
        double width = range.high() - range.low();
        return slope ? width * sig * (1 - sig) : range.low() + width * sig;
    }

    private double netObjective(boolean userSide, double[] w, int[] rows, float[] values, int n, float[] mean,
            double[] precision, double noise, double[] part, double[][] pre) {
        firstPart(userSide, w, part);
        double sum = 0;
        for (int j = 0; j < n; j++) {
            double x = forward(userSide, part, rows[j], pre);
            double e = values[j] - squashSlope(x, Kernel.sigmoid(x), false);
            sum += e * e;
        }
        double prior = 0;
        for (int d = 0; d < w.length; d++) {
            prior += precision[d] * (w[d] - mean[d]) * (w[d] - mean[d]);
        }
        return sum / noise + prior;
    }

    /** The first layer's part of the row being fitted: {@code W_u·u + b} for a user, {@code W_i·v} for an item. */
    private void firstPart(boolean userSide, double[] w, double[] part) {
        int inputs = userDim + itemDim;
        int column = userSide ? 0 : userDim;
        for (int h = 0; h < firstUnits; h++) {
            double s = userSide ? firstBias[h] : 0;
            for (int d = 0; d < w.length; d++) {
                s += firstWeight[h * inputs + column + d] * w[d];
            }
            part[h] = s;
        }
    }

    /** The raw output for the fitted row's first-layer part and one fixed row, keeping every pre-activation. */
    private double forward(boolean userSide, double[] part, int fixedRow, double[][] pre) {
        float[] fixed = userSide ? itemPart : userPart;
        for (int h = 0; h < firstUnits; h++) {
            pre[0][h] = part[h] + fixed[fixedRow * firstUnits + h];
        }
        int width = firstUnits;
        for (int l = 0; l < weights.length; l++) {
            for (int o = 0; o < units[l]; o++) {
                double s = biases[l][o];
                for (int h = 0; h < width; h++) {
                    s += weights[l][o * width + h] * Math.max(0, pre[l][h]);
                }
                pre[l + 1][o] = s;
            }
            width = units[l];
        }
        return pre[weights.length][0];
    }
}
