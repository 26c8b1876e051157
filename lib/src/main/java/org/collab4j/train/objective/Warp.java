package org.collab4j.train.objective;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * LightFM's weighted approximate-rank pairwise loss (WARP; Weston, Bengio and Usunier, "WSABIE", 2011): for each
 * positive {@code (u, i)}, uniformly drawn negatives {@code j} are scored one at a time until one violates the
 * margin, {@code s_uj > s_ui − 1}, or {@link #maxTrials()} have been drawn. If the {@code n}-th draw violates, the
 * rank of the positive among the negatives is estimated as {@code ⌊(N − 1)/n⌋} ({@code N} the number of items) and
 * the pair's hinge is weighted by its logarithm; no violation, no term:
 *
 * <pre>
 * L(n)  = min(10, w · log(max(1, ⌊(N − 1)/n⌋)))
 * loss  = mean over positives of  L(n) · (1 − s_ui + s_uj)    (0 where no draw violates)
 * ∂loss/∂s_ui = −L(n)/B = −∂loss/∂s_uj
 * </pre>
 *
 * <p>This is LightFM's rule as {@code fit_warp} in {@code lightfm/_lightfm_fast.pyx.template} computes it
 * ({@code loss = weight * log(max(1.0, floor((item_features.rows - 1) / sampled)))}, clipped at
 * {@code MAX_LOSS = 10}, then a hinge step of that size; github.com/lyst/lightfm): the logarithm of the rank
 * estimate, not the harmonic sum {@code Σ_{k ≤ rank} 1/k} of the WSABIE paper (which exceeds the logarithm by less
 * than 1, by about Euler's constant 0.58 for large ranks). Defaults as LightFM's: at most 10 draws
 * ({@code max_sampled}), uniform negatives, margin 1.
 *
 * <p><b>Where it runs.</b> The host engine draws sequentially, as LightFM does, redrawing a negative that is one of
 * the user's training items up to four times before scoring it (LightFM redraws it until it is not, without
 * counting the draw). The device engine cannot stop at the first violation without reading scores back to the host:
 * it draws all {@code maxTrials} candidates per positive at once, scores them, and takes the first violating one by
 * a mask ({@code argmax} of the violations, which returns the first) with its index {@code n − 1}, all on the device;
 * it does not skip a user's own items (as for BPR). Draw for draw the two pick the same negative and the same
 * {@code n}; the device engine just scores the draws after the violating one for nothing.
 *
 * @param maxTrials the most negatives drawn per positive, at least 1 (LightFM's {@code max_sampled})
 */
public record Warp(int maxTrials) implements PairwiseObjective {

    /** LightFM's default {@code max_sampled}. */
    public static final int DEFAULT_MAX_TRIALS = 10;
    /** The margin a negative must come within to violate: {@code s_uj > s_ui − MARGIN}. */
    public static final float MARGIN = 1f;
    /** LightFM's {@code MAX_LOSS}: the largest weight of a pair's hinge. */
    public static final double MAX_WEIGHT = 10.0;

    /**
     * Checks the value.
     *
     * @param maxTrials the most draws per positive
     */
    public Warp {
        if (maxTrials < 1) {
            throw new IllegalArgumentException("maxTrials must be at least 1, got " + maxTrials);
        }
    }

    @Override
    public String name() {
        return "warp";
    }

    /** @return {@link NegativeSampling#UNIFORM}, as LightFM draws */
    @Override
    public NegativeSampling sampling() {
        return NegativeSampling.UNIFORM;
    }

    @Override
    public int trials() {
        return maxTrials;
    }

    @Override
    public boolean accepts(float positive, float negative) {
        return negative > positive - MARGIN;
    }

    /**
     * The log of the rank that a violation at draw {@code trial} estimates: {@code log(max(1, ⌊(items − 1)/trial⌋))}.
     *
     * @param trial the draw that violated, from 1
     * @param items the number of items
     * @return the weight before the positive's own weight and the clip
     */
    public static double rankWeight(int trial, int items) {
        return Math.log(Math.max(1.0, Math.floor((items - 1) / (double) trial)));
    }

    @Override
    public double hostLoss(float[] positive, float[] negative, int[] trial, float[] weights, int size, int items,
            float[] dPositive) {
        double sum = 0;
        for (int k = 0; k < size; k++) {
            double hinge = MARGIN - positive[k] + (double) negative[k];
            if (trial[k] == 0 || !(hinge > 0)) {
                dPositive[k] = 0f;
                continue;
            }
            double weight = Math.min(MAX_WEIGHT, weights[k] * rankWeight(trial[k], items));
            sum += weight * hinge;
            dPositive[k] = (float) (-weight / size);
        }
        return sum / size;
    }

    /**
     * The device form: every positive's {@code maxTrials} candidates at once. With {@code d = s_uj − s_ui}
     * ({@code (B, T)}), the violations {@code d > −1}, the first violation's index {@code n − 1} (the {@code argmax}
     * of the violations, 0 where there is none), whether there is one, the rank weight {@code log ⌊(N−1)/n⌋} from a
     * table made once, and {@code mean(found · min(10, w·L) · (1 + d_n))}. Where no draw violates, the term is
     * multiplied by 0 (its hinge needs no clamp: a violation's is positive). Constants made once: {@code 1},
     * {@code 0}, {@code −1}, {@code 10} and the table; no host-device copy.
     */
    @Override
    public DeviceForm deviceForm(NDManager manager, int items) {
        float[] table = new float[maxTrials];
        for (int n = 1; n <= maxTrials; n++) {
            table[n - 1] = (float) rankWeight(n, items);
        }
        NDArray rankWeights = manager.create(table);
        NDArray one = manager.create(new float[] {MARGIN});
        NDArray zero = manager.create(new float[] {0f});
        NDArray minusOne = manager.create(new float[] {-MARGIN});
        NDArray maxWeight = manager.create(new float[] {(float) MAX_WEIGHT});
        // DJL asks a fresh array for its type, device and shape with a native call the first time: ask now.
        for (NDArray a : new NDArray[] {rankWeights, one, zero, minusOne, maxWeight}) {
            a.getDataType();
            a.getDevice();
            a.getShape();
        }
        return (positive, candidates, weights) -> {
            NDArray difference = candidates.sub(positive);
            // PyTorch's ops through JniUtils where DJL's would first ask the fresh arrays for their type or shape
            // (a native call each) or convert the mask's type with a copy: a float mask, and argmax keeping its
            // axis, (B, 1).
            PtNDArray violates = JniUtils.where((PtNDArray) difference.gt(minusOne), (PtNDArray) one,
                    (PtNDArray) zero);
            NDArray first = JniUtils.argMax(violates, 1, true);
            NDArray found = violates.gather(first, 1);
            NDArray weight = weights.mul(rankWeights.take(first.getManager(), first)).minimum(maxWeight).mul(found);
            return weight.mul(difference.gather(first, 1).add(one)).mean();
        };
    }
}
