/**
 * The arithmetic of the models over plain {@code float[]} arrays, shared by training and serving: the dot product,
 * the biases, the sigmoid range and {@code EmbeddingNet}'s layers in {@link org.collab4j.kernel.Kernel}, and the
 * names of the blocks' parameters in {@link org.collab4j.kernel.ParameterNames}.
 *
 * <p>The package depends on nothing but the JDK, so that a model can be scored without DJL or PyTorch; the host
 * training step ({@code org.collab4j.train}) and the {@code Recommender} ({@code org.collab4j.recommend}) both call
 * it, and a test pins it to the DJL blocks' forward passes.
 */
package org.collab4j.kernel;
