package org.collab4j.train.objective;

import ai.djl.ndarray.NDArray;

import org.collab4j.kernel.Kernel;
import org.collab4j.model.YRange;

/**
 * The mean squared error of predicted ratings: fast.ai's collaborative-filtering loss, and the default objective.
 *
 * <pre>
 * pred = sigmoid(x)·(high − low) + low   (pred = x without a y-range)
 * loss = mean((pred − r)²);   ∂loss/∂x = 2·(pred − r)/B · sigmoid(x)·(1 − sigmoid(x))·(high − low)
 * </pre>
 *
 * <p>The host form works on the raw score {@code x} and applies the y-range with {@link Kernel}'s sigmoid, as the
 * {@code Recommender} serves it; the device form on the block's output, whose forward applies it (three ops:
 * subtract, square, mean, as fast.ai's {@code MSELossFlat}).
 */
public record Mse() implements RatingObjective {

    @Override
    public String name() {
        return "mse";
    }

    @Override
    public double hostLoss(float[] scores, float[] targets, int size, YRange range, float[] dScores) {
        float width = range != null ? range.high() - range.low() : 1f;
        float scale = 2f / size;
        double sumSquares = 0;
        for (int k = 0; k < size; k++) {
            float x = scores[k];
            float prediction;
            float slope;
            if (range != null) {
                float s = Kernel.sigmoid(x);
                prediction = Kernel.toRange(s, range.low(), range.high());
                slope = s * (1 - s) * width;
            } else {
                prediction = x;
                slope = 1f;
            }
            float error = prediction - targets[k];
            sumSquares += (double) error * error;
            dScores[k] = scale * error * slope;
        }
        return sumSquares / size;
    }

    @Override
    public NDArray deviceLoss(NDArray predictions, NDArray targets) {
        return predictions.sub(targets).square().mean();
    }
}
