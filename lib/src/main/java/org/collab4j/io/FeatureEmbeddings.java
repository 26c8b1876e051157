package org.collab4j.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.collab4j.data.IdMap;
import org.collab4j.data.NumericScale;
import org.collab4j.kernel.FeatureMatrix;

/**
 * A hybrid model's learned feature vectors for one side (LightFM's form): an entity's factor row is its own id
 * embedding (when {@link #idEmbeddings()}) plus the weighted mean of its features' vectors, and its bias likewise.
 * A {@link TrainedModel}'s factor tables already hold the combined rows of every entity it was trained with, so known
 * entities are served as before; these vectors serve entities the model has not seen, from their features alone
 * ({@link #combine}).
 *
 * <p>The numeric features' values are z-scores on the scales the model trained with ({@link #numericScales()}: the
 * training table's means and deviations); serving puts a table's numbers on those scales first, so a file of new
 * items alone gives them the rows they would have had inside the training file.
 *
 * @param featureNames the vocabulary, one name per feature row (e.g. {@code genre=Comedy}, {@code year})
 * @param factors the length of each vector
 * @param vectors the features' vectors, row-major, {@code featureNames.size() × factors}
 * @param biases the features' bias terms, one per feature, or {@code null} for a model without biases
 * @param idEmbeddings whether known entities also have an id embedding (if not, a known entity's row is its features'
 *     mean alone)
 * @param numericScales the numeric features' scales by name (each a name of the vocabulary; a feature without one is
 *     categorical), or {@code null} when unknown: a model saved before models recorded them, or built without them
 *     (then a served table's numbers are taken as they are, standardised over the file served)
 */
public record FeatureEmbeddings(List<String> featureNames, int factors, float[] vectors, float[] biases,
        boolean idEmbeddings, Map<String, NumericScale> numericScales) {

    /** Checks the sizes, and that every scale names a feature. */
    public FeatureEmbeddings {
        featureNames = List.copyOf(featureNames);
        Objects.requireNonNull(vectors, "vectors");
        if (factors <= 0 || vectors.length != (long) featureNames.size() * factors
                || (biases != null && biases.length != featureNames.size())) {
            throw new IllegalArgumentException("feature embeddings of " + featureNames.size() + " features × "
                    + factors + " factors cannot hold " + vectors.length + " values and "
                    + (biases == null ? "no" : biases.length) + " biases");
        }
        if (numericScales != null) {
            IdMap names = IdMap.of(featureNames);
            Map<String, NumericScale> scales = new LinkedHashMap<>();
            for (Map.Entry<String, NumericScale> e : numericScales.entrySet()) {
                if (!names.contains(e.getKey())) {
                    throw new IllegalArgumentException("the numeric scale of '" + e.getKey() + "' names none of"
                            + " the " + featureNames.size() + " features");
                }
                scales.put(e.getKey(), Objects.requireNonNull(e.getValue(), "scale"));
            }
            numericScales = Collections.unmodifiableMap(scales);
        }
    }

    /**
     * Feature embeddings whose numeric scales are unknown ({@link #numericScales()} {@code null}); see
     * {@link #withNumericScales}.
     *
     * @param featureNames the vocabulary
     * @param factors the length of each vector
     * @param vectors the features' vectors
     * @param biases the features' bias terms, or {@code null}
     * @param idEmbeddings whether known entities also have an id embedding
     */
    public FeatureEmbeddings(List<String> featureNames, int factors, float[] vectors, float[] biases,
            boolean idEmbeddings) {
        this(featureNames, factors, vectors, biases, idEmbeddings, null);
    }

    /**
     * These embeddings with the scales their numeric features trained on (a training table's
     * {@link org.collab4j.data.FeatureTable#numericScales()}).
     *
     * @param scales the scales by feature name (empty when no feature is numeric), or {@code null} for unknown
     * @return the embeddings with those scales (the same arrays)
     * @throws IllegalArgumentException if a scale names no feature of the vocabulary
     */
    public FeatureEmbeddings withNumericScales(Map<String, NumericScale> scales) {
        return new FeatureEmbeddings(featureNames, factors, vectors, biases, idEmbeddings, scales);
    }

    /**
     * The factor row an entity gets from its features alone: the weighted mean of its features' vectors
     * (each row of {@code features} normalised to weights summing to one, as in training).
     *
     * @param features the entity's features, in this vocabulary's columns, already {@link FeatureMatrix#rowNormalized}
     * @param row the entity's row of {@code features}
     * @return the factor row, {@code factors} long
     */
    public float[] combine(FeatureMatrix features, int row) {
        float[] out = new float[factors];
        features.combine(row, vectors, factors, out);
        return out;
    }

    /**
     * The bias an entity gets from its features alone, 0 for a model without biases.
     *
     * @param features the entity's features, normalised as for {@link #combine}
     * @param row the entity's row
     * @return the bias
     */
    public float combineBias(FeatureMatrix features, int row) {
        if (biases == null) {
            return 0f;
        }
        float[] out = new float[1];
        features.combine(row, biases, 1, out);
        return out[0];
    }
}
