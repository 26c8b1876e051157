package org.collab4j.io;

import java.util.List;
import java.util.Objects;

import org.collab4j.kernel.FeatureMatrix;

/**
 * A hybrid model's learned feature vectors for one side (LightFM's form): an entity's factor row is its own id
 * embedding (when {@link #idEmbeddings()}) plus the weighted mean of its features' vectors, and its bias likewise.
 * A {@link TrainedModel}'s factor tables already hold the combined rows of every entity it was trained with, so known
 * entities are served as before; these vectors serve entities the model has not seen, from their features alone
 * ({@link #combine}).
 *
 * @param featureNames the vocabulary, one name per feature row (e.g. {@code genre=Comedy}, {@code year})
 * @param factors the length of each vector
 * @param vectors the features' vectors, row-major, {@code featureNames.size() × factors}
 * @param biases the features' bias terms, one per feature, or {@code null} for a model without biases
 * @param idEmbeddings whether known entities also have an id embedding (if not, a known entity's row is its features'
 *     mean alone)
 */
public record FeatureEmbeddings(List<String> featureNames, int factors, float[] vectors, float[] biases,
        boolean idEmbeddings) {

    /** Checks the sizes. */
    public FeatureEmbeddings {
        featureNames = List.copyOf(featureNames);
        Objects.requireNonNull(vectors, "vectors");
        if (factors <= 0 || vectors.length != (long) featureNames.size() * factors
                || (biases != null && biases.length != featureNames.size())) {
            throw new IllegalArgumentException("feature embeddings of " + featureNames.size() + " features × "
                    + factors + " factors cannot hold " + vectors.length + " values and "
                    + (biases == null ? "no" : biases.length) + " biases");
        }
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
