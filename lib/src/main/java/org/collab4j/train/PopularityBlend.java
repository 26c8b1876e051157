package org.collab4j.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.Provenance;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.util.NDArrays;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Popularity blended into an iALS model where the data say it helps, so that the default ranking model does not
 * lose to the most-popular list on data whose interactions follow popularity more than taste: each item's score
 * becomes {@code x_u·y_i + w · p_i}, where {@code p_i} is the item's number of positive training rows divided by
 * the largest such number, and {@code w} is chosen at training time on an inner holdout of the training data
 * (never on validation data): {@value #HOLDOUT_PERCENT} % of each user's rows held out, the same objective and
 * sweeps fitted on the rest, and each weight of {@link #WEIGHTS} scored by NDCG@{@value #K} on at most
 * {@value #USERS} users' held-out positives (rows of weight at least 1), their inner training items left out. The
 * best weight counts only if its gain over no blend is more than {@value #Z} standard errors of the users' paired
 * differences, else {@code w = 0} (no blend): where the holdout cannot tell, the model stays as trained. Of the
 * weights below the best, the smallest within one standard error of it (and itself {@value #Z} above no blend) is
 * taken instead (the one-standard-error rule): the inner fit learned from less data than the model served and
 * leans on popularity more than the served model should (on FilmTrust's inner split the holdout's best, 0.3, gave
 * no gain on the outer holdout, 0.2 gave 0.007).
 *
 * <p>The fitted model carries the blend as one more factor, so it is saved, served, explained and folded in as
 * any {@code EmbeddingDot}: the user column holds {@code w}, the item column {@code p_i}. The cost is a second
 * fit on 80 % of the data (about 1.8 times the sweeps). {@link CollabLearnerBuilder#optPopularityBlend} turns it
 * off; a warm start never blends (its initial model's columns are all factors to it).
 */
public final class PopularityBlend {

    /** The weights tried; 1000 ranks by popularity, the dot product breaking ties. */
    static final float[] WEIGHTS = {0f, 0.03f, 0.1f, 0.2f, 0.3f, 1f, 3f, 1000f};
    /** The share of each user's rows held out, in percent. */
    public static final int HOLDOUT_PERCENT = 20;
    /** The most users the holdout scores. */
    public static final int USERS = 1000;
    /** The cut-off of the holdout's NDCG. */
    public static final int K = 10;

    private PopularityBlend() {}

    /**
     * Each item's popularity: its number of rows of weight at least 1 (positives) over the largest such number.
     *
     * @param train interactions, each value a weight
     * @return one value in [0, 1] per item of the id map
     */
    public static float[] popularity(Ratings train) {
        float[] counts = new float[train.items().size()];
        float max = 0f;
        for (int row = 0; row < train.size(); row++) {
            if (train.rating(row) >= 1f) {
                int i = train.item(row);
                counts[i]++;
                max = Math.max(max, counts[i]);
            }
        }
        if (max > 0) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] /= max;
            }
        }
        return counts;
    }

    /**
     * The weight chosen and the holdout's NDCG@k of each weight tried.
     *
     * @param weight the weight chosen, 0 for no blend
     * @param ndcg NDCG@k of each of {@link #WEIGHTS}, in order (empty when nothing could be held out)
     */
    public record Choice(float weight, double[] ndcg) {

        /** @return e.g. {@code w=0 0.2033, w=0.03 0.2101, ... -> 0.03} */
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (int k = 0; k < ndcg.length; k++) {
                s.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "w=%s %.4f", WEIGHTS[k], ndcg[k]));
            }
            return s.append(" -> ").append(weight).toString();
        }
    }

    /**
     * Chooses the weight for a learner's settings and training data, as the class comment says.
     *
     * @param learner the learner whose objective, factors, seed and threads the inner fit uses
     * @param train its training interactions
     * @param sweeps the sweeps of the inner fit
     * @param threads the threads the sweeps may use
     * @return the choice
     */
    static Choice choose(CollabLearner learner, Ratings train, int sweeps, int threads) {
        Split inner;
        try {
            inner = Splits.byUser(train, HOLDOUT_PERCENT / 100.0, learner.getSeed());
        } catch (IllegalArgumentException e) {
            return new Choice(0f, new double[0]); // every user has a single row: nothing to hold out
        }
        Ratings relevant = positives(inner.valid());
        if (relevant.size() == 0) {
            return new Choice(0f, new double[0]);
        }
        int factors = ((EmbeddingDot) learner.getBlock()).getFactors();
        double[] ndcg = new double[WEIGHTS.length];
        try (CollabLearner probe = CollabLearner.builder().setTrainData(inner.train())
                .optObjective(learner.getObjective())
                .optModel(EmbeddingDot.builder().optFactors(factors).optYRange(null))
                .optSeed(learner.getSeed()).optDevice(learner.getDevice().device()).optHostThreads(threads)
                .optOutput(null).optProgressBar(false).optPopularityBlend(false).build()) {
            probe.fitAls(sweeps);
            RankingProbe scorer = new RankingProbe(probe.getBlock(), inner.train(), relevant, K, USERS,
                    learner.getSeed());
            float[] prior = popularity(inner.train());
            double[][] perUser = scorer.ndcgs(prior, WEIGHTS);
            for (int k = 0; k < WEIGHTS.length; k++) {
                ndcg[k] = mean(perUser[k]);
            }
            int best = 0;
            for (int k = 1; k < WEIGHTS.length; k++) {
                if (ndcg[k] > ndcg[best] && clearlyBetter(perUser[k], perUser[0], Z)) {
                    best = k;
                }
            }
            // The one-standard-error rule: the smallest weight the best does not clearly beat, and that clearly
            // beats no blend. The inner fit learned from less data than the model served, so it leans more on
            // popularity than the served model should.
            for (int k = 1; k < best; k++) {
                if (!clearlyBetter(perUser[best], perUser[k], 1) && clearlyBetter(perUser[k], perUser[0], Z)) {
                    best = k;
                    break;
                }
            }
            return new Choice(WEIGHTS[best], ndcg);
        }
    }

    /**
     * Whether the users' NDCG is higher with {@code a} than with {@code b} by more than {@value #Z} standard errors
     * of the mean of their paired differences: a blend must beat noise, not only the no-blend figure.
     */
    static boolean clearlyBetter(double[] a, double[] b, double z) {
        int n = a.length;
        if (n < 2) {
            return false;
        }
        double sum = 0;
        double sq = 0;
        for (int u = 0; u < n; u++) {
            double d = a[u] - b[u];
            sum += d;
            sq += d * d;
        }
        double mean = sum / n;
        double variance = Math.max(0, (sq - n * mean * mean) / (n - 1));
        return mean > z * Math.sqrt(variance / n);
    }

    /** Standard errors a blend's gain must exceed. */
    static final double Z = 2;

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    private static Ratings positives(Ratings ratings) {
        int[] rows = new int[ratings.size()];
        int n = 0;
        for (int row = 0; row < ratings.size(); row++) {
            if (ratings.rating(row) >= 1f) {
                rows[n++] = row;
            }
        }
        return ratings.select(Arrays.copyOf(rows, n));
    }

    /**
     * The model with the blend as one more factor: users' rows end in {@code weight}, items' in their popularity.
     *
     * @param block the trained {@code EmbeddingDot}
     * @param train its training interactions
     * @param weight the weight, {@code > 0}
     * @param provenance how the block was trained
     * @param objective the objective's name
     * @param manager where the wider block's arrays live while it is snapshot
     * @return the snapshot
     */
    static TrainedModel apply(EmbeddingDot block, Ratings train, float weight, Provenance provenance,
            String objective, NDManager manager) {
        int k = block.getFactors();
        int users = block.getNumUsers();
        int items = block.getNumItems();
        float[] u = NDArrays.toFloatArray(block.getUserTables().get(0).getArray());
        float[] v = NDArrays.toFloatArray(block.getItemTables().get(0).getArray());
        float[] p = popularity(train);
        float[] wideU = widen(u, users, k, row -> weight);
        float[] wideV = widen(v, items, k, row -> p[row]);
        EmbeddingDot wide = EmbeddingDot.builder().optFactors(k + 1).optYRange(null).setNumUsers(users)
                .setNumItems(items).build();
        try (NDManager sub = manager.newSubManager()) {
            wide.initialize(sub, DataType.FLOAT32, new Shape(1), new Shape(1));
            wide.getUserTables().get(0).getArray().set(wideU);
            wide.getItemTables().get(0).getArray().set(wideV);
            Provenance described = new Provenance(wide + String.format(Locale.ROOT, " = %s with popularity blended"
                    + " in: last factor user %s, item its popularity", block, weight), provenance.seed(),
                    provenance.batchSize(), provenance.optimizer(), provenance.weightDecay(), provenance.fits(),
                    provenance.history(), provenance.device(), provenance.deviceReason(), provenance.djlVersion(),
                    provenance.engineVersion(), provenance.trainRatings(), provenance.validRatings(),
                    provenance.createdAt(), provenance.trainingStep());
            return TrainedModel.of(wide, train, described, objective);
        }
    }

    private static float[] widen(float[] rows, int n, int k, java.util.function.IntToDoubleFunction last) {
        float[] wide = new float[n * (k + 1)];
        for (int r = 0; r < n; r++) {
            System.arraycopy(rows, r * k, wide, r * (k + 1), k);
            wide[r * (k + 1) + k] = (float) last.applyAsDouble(r);
        }
        return wide;
    }

    /** Prints the choice to the learner's output. */
    static void report(PrintStream out, Choice choice) {
        if (out != null && choice.ndcg().length > 0) {
            out.println("popularity blend, NDCG@" + K + " on an inner " + HOLDOUT_PERCENT + " % per-user holdout of"
                    + " the training data: " + choice);
        }
    }
}
