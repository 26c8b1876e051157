package org.collab4j.recommend;

import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Kernel;
import org.collab4j.kernel.ParameterNames;

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
    private final float[] userPart;
    private final float[] itemPart;
    /** Layers after the first: weight {@code (units, inputs)} row-major, and bias. */
    private final float[][] weights;
    private final float[][] biases;
    private final int[] units;

    NetScorer(TrainedModel model) {
        super(model.getConfig().yRange());
        int userDim = model.getConfig().userFactors();
        int itemDim = model.getConfig().itemFactors();
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
        float[] users = model.parameter(ParameterNames.USER_FACTORS);
        float[] items = model.parameter(ParameterNames.ITEM_FACTORS);
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
        return raw(user, item, new float[maxUnits()], new float[maxUnits()]);
    }

    @Override
    void rawAll(int user, float[] out) {
        float[] x = new float[maxUnits()];
        float[] y = new float[maxUnits()];
        for (int i = 0; i < out.length; i++) {
            out[i] = raw(user, i, x, y);
        }
    }

    private int maxUnits() {
        int max = firstUnits;
        for (int n : units) {
            max = Math.max(max, n);
        }
        return max;
    }

    private float raw(int user, int item, float[] x, float[] y) {
        int width = firstUnits;
        for (int h = 0; h < width; h++) {
            x[h] = userPart[user * firstUnits + h] + itemPart[item * firstUnits + h];
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
}
