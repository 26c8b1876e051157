package org.collab4j.model;

import ai.djl.nn.Parameter;

/**
 * The groups a collaborative-filtering model's parameters fall into, for discriminative learning rates (fast.ai's
 * layer groups).
 */
public enum ParameterGroup {
    /** The user and item factor tables. */
    EMBEDDINGS,
    /** The user and item bias tables of {@link EmbeddingDotBias}. */
    BIASES,
    /** The weights and biases of {@link EmbeddingNet}'s linear layers. */
    HEAD;

    /**
     * Returns the group of a parameter, by its path in {@code block.getParameters()}.
     *
     * @param name the parameter's path, e.g. {@code userFactors}, {@code itemBias} or {@code 01hidden0_weight}
     * @return the group
     */
    public static ParameterGroup of(String name) {
        if (name.endsWith("Factors")) {
            return EMBEDDINGS;
        }
        if (name.endsWith("Bias")) {
            return BIASES;
        }
        return HEAD;
    }

    /**
     * Returns whether a parameter is a bias: a bias table, or the bias of a linear layer.
     *
     * @param name the parameter's path
     * @param parameter the parameter
     * @return {@code true} for biases
     */
    public static boolean isBias(String name, Parameter parameter) {
        return name.endsWith("Bias") || parameter.getType() == Parameter.Type.BIAS;
    }
}
