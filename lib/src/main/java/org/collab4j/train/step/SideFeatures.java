package org.collab4j.train.step;

import org.collab4j.data.FeatureTable;
import org.collab4j.data.IdMap;
import org.collab4j.io.FeatureEmbeddings;
import org.collab4j.kernel.FeatureMatrix;
import org.collab4j.kernel.Side;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One side's hybrid representation during training (LightFM's form): entity {@code r}'s factor row is its id
 * embedding plus the weighted mean of its features' vectors,
 *
 * <pre>
 * row[r]  = id[r]  + Σ_f w_rf · vector[f]        (w_r· = the entity's feature row, normalised to sum to one)
 * bias[r] = idBias[r] + Σ_f w_rf · bias[f]
 * </pre>
 *
 * and the gradient of a loss with respect to {@code row[r]} reaches {@code id[r]} unchanged and {@code vector[f]}
 * scaled by {@code w_rf}. The block's own tables hold the combined rows (what the probe, the predictor, snapshots
 * and the saved model read); this object holds the parts: the id embeddings ({@link #ids()}, zero and untrained
 * without id embeddings) and the features' vectors and biases, trained by the host engine ({@code HybridRows}) or
 * the device engine ({@code DeviceHybridRows}, which copies the parts here at each write-back) with their own
 * optimizer state under {@link #vectorId()} and {@link #biasId()}.
 *
 * <p>The feature rows are the table {@link FeatureTable#alignedTo aligned} to the training data's ids; features
 * that no training entity has are never trained and stay zero, and ids the table lists but the training data does
 * not are not trained either: the model serves them from their features ({@link #embeddings()}).
 *
 * <p>Part of the learner's machinery: public so that {@code CollabLearner} (package {@code org.collab4j.train}) can
 * build and run it; not an API of its own.
 */
public final class SideFeatures {

    private final Side side;
    private final FeatureTable table;
    private final FeatureMatrix rows;
    private final int factors;
    private final boolean idEmbeddings;
    private final String vectorId;
    private final String biasId;
    private final float[] vectors;
    private final float[] biases;
    private final float[] ids;
    private final float[] idBiases;
    private final int trainedFeatures;
    private final int entitiesWithFeatures;

    /**
     * Aligns the table to the training data's ids and initialises the features' vectors.
     *
     * @param side the side
     * @param table the side's feature table
     * @param entities the training data's id map of that side
     * @param factors the model's factors
     * @param bias whether the block has a bias table on this side
     * @param idEmbeddings whether entities keep an id embedding beside their features
     * @param parameterId the block's factor table's parameter id (the optimizer state of the parts is keyed by it)
     * @param seed the seed of the vectors' initialisation (truncated normal, σ 0.01, as the block's tables)
     * @return the side's features
     */
    public static SideFeatures of(Side side, FeatureTable table, IdMap entities, int factors, boolean bias,
            boolean idEmbeddings, String parameterId, long seed) {
        return new SideFeatures(side, table, entities, factors, bias, idEmbeddings, parameterId, seed);
    }

    /**
     * Refuses a table none of whose ids is in the training data: almost surely the wrong id column or file.
     *
     * @param side the side
     * @param table the side's feature table
     * @param entities the training data's id map of that side
     * @throws IllegalArgumentException if the table lists ids and none of them is in {@code entities}
     */
    public static void requireOverlap(Side side, FeatureTable table, IdMap entities) {
        IdMap ids = table.ids();
        for (int r = 0; r < ids.size(); r++) {
            if (entities.contains(ids.id(r))) {
                return;
            }
        }
        if (ids.size() > 0 && entities.size() > 0) {
            throw new IllegalArgumentException("the " + side.noun() + " features " + table.source() + " list "
                    + ids.size() + " ids and none of them is a " + side.noun() + " of the training data"
                    + " (features for '" + ids.id(0) + "', training " + side.noun() + "s such as '"
                    + entities.id(0) + "'): check that the feature file's id column holds the ratings' "
                    + side.noun() + " ids");
        }
    }

    private SideFeatures(Side side, FeatureTable table, IdMap entities, int factors, boolean bias,
            boolean idEmbeddings, String parameterId, long seed) {
        this.side = side;
        this.table = table;
        this.rows = table.alignedTo(entities).matrix().rowNormalized();
        this.factors = factors;
        this.idEmbeddings = idEmbeddings;
        this.vectorId = parameterId + ".features";
        this.biasId = parameterId + ".featureBiases";
        int features = rows.features();
        vectors = new float[features * factors];
        biases = bias ? new float[features] : null;
        ids = new float[rows.rows() * factors];
        idBiases = bias ? new float[rows.rows()] : null;
        boolean[] used = new boolean[features];
        int with = 0;
        for (int r = 0; r < rows.rows(); r++) {
            if (rows.end(r) > rows.start(r)) {
                with++;
            }
            for (int e = rows.start(r); e < rows.end(r); e++) {
                used[rows.columns()[e]] = true;
            }
        }
        entitiesWithFeatures = with;
        SplittableRandom random = new SplittableRandom(seed ^ (side == Side.USERS ? 0x5eedL : 0x17e3L));
        int trained = 0;
        for (int f = 0; f < features; f++) {
            if (!used[f]) {
                continue;
            }
            trained++;
            for (int c = 0; c < factors; c++) {
                vectors[f * factors + c] = truncatedNormal(random, 0.01);
            }
        }
        trainedFeatures = trained;
    }

    private static float truncatedNormal(SplittableRandom random, double std) {
        // Box-Muller, redrawn beyond two standard deviations (as DJL's TruncatedNormalInitializer).
        while (true) {
            double g = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
            if (Math.abs(g) <= 2) {
                return (float) (g * std);
            }
        }
    }

    /** @return the side */
    public Side side() {
        return side;
    }

    /** @return the feature rows of the training entities, in model order, each row's weights summing to one */
    public FeatureMatrix rows() {
        return rows;
    }

    /** @return the factors per vector */
    public int factors() {
        return factors;
    }

    /** @return whether entities keep an id embedding beside their features */
    public boolean idEmbeddings() {
        return idEmbeddings;
    }

    /** @return the features' vectors, row-major, {@code features × factors} (not a copy: the engine trains it) */
    public float[] vectors() {
        return vectors;
    }

    /** @return the features' biases, or {@code null} when the block has no bias on this side (not a copy) */
    public float[] biases() {
        return biases;
    }

    /** @return the entities' id embeddings, row-major (not a copy); zero without id embeddings */
    public float[] ids() {
        return ids;
    }

    /** @return the entities' id biases, or {@code null} (not a copy) */
    public float[] idBiases() {
        return idBiases;
    }

    /** @return the optimizer-state key of the vectors */
    public String vectorId() {
        return vectorId;
    }

    /** @return the optimizer-state key of the feature biases */
    public String biasId() {
        return biasId;
    }

    /**
     * Splits combined rows into their parts: each id embedding becomes the row minus its features' mean, so that
     * the combined rows stay exactly as given (a fresh block's initial rows, a warm start's, restored weights).
     * Without id embeddings the ids stay zero, and the rows become the features' mean. Vectors that are not finite
     * (a diverged step) are reset to zero first.
     *
     * @param combined the combined factor rows, row-major
     * @param combinedBias the combined biases, or {@code null} where the engine does not train this side's bias
     */
    public void decompose(float[] combined, float[] combinedBias) {
        resetIfNotFinite(vectors);
        if (biases != null) {
            resetIfNotFinite(biases);
        }
        if (!idEmbeddings) {
            return;
        }
        float[] mean = new float[factors];
        for (int r = 0; r < rows.rows(); r++) {
            Arrays.fill(mean, 0f);
            rows.combine(r, vectors, factors, mean);
            for (int c = 0; c < factors; c++) {
                ids[r * factors + c] = combined[r * factors + c] - mean[c];
            }
            if (combinedBias != null && biases != null) {
                idBiases[r] = combinedBias[r] - combineBias(r);
            }
        }
    }

    private static void resetIfNotFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                Arrays.fill(values, 0f);
                return;
            }
        }
    }

    /**
     * Writes entity {@code r}'s combined row (and bias, where {@code combinedBias} is given) from its parts.
     *
     * @param r the entity's row
     * @param combined where the row goes, at {@code r · factors}
     * @param combinedBias where the bias goes, at {@code r}, or {@code null}
     */
    public void combine(int r, float[] combined, float[] combinedBias) {
        int o = r * factors;
        System.arraycopy(ids, o, combined, o, factors);
        int start = rows.start(r);
        int end = rows.end(r);
        int[] columns = rows.columns();
        float[] weights = rows.values();
        for (int e = start; e < end; e++) {
            float w = weights[e];
            int fo = columns[e] * factors;
            for (int c = 0; c < factors; c++) {
                combined[o + c] += w * vectors[fo + c];
            }
        }
        if (combinedBias != null && biases != null) {
            combinedBias[r] = idBiases[r] + combineBias(r);
        }
    }

    /** Writes every entity's combined row and bias ({@link #combine(int, float[], float[])}). */
    public void combineAll(float[] combined, float[] combinedBias) {
        for (int r = 0; r < rows.rows(); r++) {
            combine(r, combined, combinedBias);
        }
    }

    private float combineBias(int r) {
        float sum = 0f;
        for (int e = rows.start(r); e < rows.end(r); e++) {
            sum += rows.values()[e] * biases[rows.columns()[e]];
        }
        return sum;
    }

    /**
     * Fits the features' vectors (and biases) to given rows by ridge regression — the attribute-to-factor mapping of
     * Gantner et al. (2010): {@code V = argmin ‖X·V − R‖² + λ‖V‖²} over the entities with features, {@code X} their
     * feature rows. With id embeddings the ids then take the residuals, so the combined rows stay the given ones;
     * without, the rows become {@code X·V}. The iALS path: the solver trains the rows, this gives the vectors that
     * serve entities from their features alone.
     *
     * @param combined the trained rows, row-major
     * @param combinedBias their biases, or {@code null}
     * @param lambda the ridge penalty, positive
     */
    public void fitRidge(float[] combined, float[] combinedBias, double lambda) {
        int features = rows.features();
        int width = factors + (biases != null && combinedBias != null ? 1 : 0);
        double[] gram = new double[features * features];
        double[] rhs = new double[features * width];
        int[] columns = rows.columns();
        float[] weights = rows.values();
        for (int r = 0; r < rows.rows(); r++) {
            int start = rows.start(r);
            int end = rows.end(r);
            for (int a = start; a < end; a++) {
                int fa = columns[a];
                double wa = weights[a];
                for (int b = start; b < end; b++) {
                    gram[fa * features + columns[b]] += wa * weights[b];
                }
                for (int c = 0; c < factors; c++) {
                    rhs[fa * width + c] += wa * combined[r * factors + c];
                }
                if (width > factors) {
                    rhs[fa * width + factors] += wa * combinedBias[r];
                }
            }
        }
        for (int f = 0; f < features; f++) {
            gram[f * features + f] += lambda;
        }
        choleskySolve(gram, features, rhs, width);
        for (int f = 0; f < features; f++) {
            for (int c = 0; c < factors; c++) {
                vectors[f * factors + c] = (float) rhs[f * width + c];
            }
            if (width > factors) {
                biases[f] = (float) rhs[f * width + factors];
            }
        }
        if (idEmbeddings) {
            decompose(combined, width > factors ? combinedBias : null);
        } else {
            combineAll(combined, width > factors ? combinedBias : null);
        }
    }

    /** Solves {@code A·X = B} in place for a symmetric positive-definite {@code A} ({@code m × m}), {@code B m × n}. */
    private static void choleskySolve(double[] a, int m, double[] b, int n) {
        for (int j = 0; j < m; j++) {
            double d = a[j * m + j];
            for (int k = 0; k < j; k++) {
                d -= a[j * m + k] * a[j * m + k];
            }
            d = Math.sqrt(d);
            a[j * m + j] = d;
            for (int i = j + 1; i < m; i++) {
                double s = a[i * m + j];
                for (int k = 0; k < j; k++) {
                    s -= a[i * m + k] * a[j * m + k];
                }
                a[i * m + j] = s / d;
            }
        }
        for (int c = 0; c < n; c++) {
            for (int i = 0; i < m; i++) {
                double s = b[i * n + c];
                for (int k = 0; k < i; k++) {
                    s -= a[i * m + k] * b[k * n + c];
                }
                b[i * n + c] = s / a[i * m + i];
            }
            for (int i = m - 1; i >= 0; i--) {
                double s = b[i * n + c];
                for (int k = i + 1; k < m; k++) {
                    s -= a[k * m + i] * b[k * n + c];
                }
                b[i * n + c] = s / a[i * m + i];
            }
        }
    }

    /**
     * Starts from an earlier model's vectors (a warm start) when they have this table's vocabulary, in order, and
     * this model's factors; the id embeddings then take the rest of each row when the engine splits the rows.
     *
     * @param earlier the earlier model's feature embeddings of this side
     * @return whether they were taken
     */
    public boolean startFrom(FeatureEmbeddings earlier) {
        if (!earlier.featureNames().equals(table.featureNames()) || earlier.factors() != factors) {
            return false;
        }
        System.arraycopy(earlier.vectors(), 0, vectors, 0, vectors.length);
        if (biases != null && earlier.biases() != null) {
            System.arraycopy(earlier.biases(), 0, biases, 0, biases.length);
        }
        return true;
    }

    /** @return a copy of the vectors and biases, to put back with {@link #restore} */
    public float[][] snapshot() {
        return new float[][] {vectors.clone(), biases == null ? null : biases.clone()};
    }

    /**
     * Puts back the vectors and biases of a {@link #snapshot}.
     *
     * @param snapshot the copy
     */
    public void restore(float[][] snapshot) {
        System.arraycopy(snapshot[0], 0, vectors, 0, vectors.length);
        if (biases != null) {
            System.arraycopy(snapshot[1], 0, biases, 0, biases.length);
        }
    }

    /** @return the vectors as the model serves them: names, copies of the vectors and biases, id embeddings */
    public FeatureEmbeddings embeddings() {
        return new FeatureEmbeddings(table.featureNames(), factors, vectors.clone(),
                biases == null ? null : biases.clone(), idEmbeddings).withNumericScales(table.numericScales());
    }

    /** @return the table's source and sizes, for the model's provenance */
    public String describe() {
        return String.format(Locale.ROOT, "%s features %s (%d ids, %d features, %d trained; %d of %d training %ss"
                + " with features; %s)", side.noun(), table.source(), table.ids().size(),
                table.featureNames().size(), trainedFeatures, entitiesWithFeatures, rows.rows(), side.noun(),
                idEmbeddings ? "id embedding + mean of features" : "mean of features, no id embeddings");
    }

    @Override
    public String toString() {
        return describe();
    }

    /** @return the feature names, the vocabulary */
    public List<String> featureNames() {
        return table.featureNames();
    }
}
