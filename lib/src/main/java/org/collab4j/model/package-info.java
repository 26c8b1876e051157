/**
 * Collaborative-filtering models as DJL {@link ai.djl.nn.Block}s: {@link org.collab4j.model.EmbeddingDot},
 * {@link org.collab4j.model.EmbeddingDotBias} and {@link org.collab4j.model.EmbeddingNet}.
 *
 * <p>Every model takes an {@link ai.djl.ndarray.NDList} of two integer arrays of shape {@code (B)}, the user
 * indices and the item indices, and returns an {@code NDList} with one float array of shape {@code (B)}, the
 * predicted ratings. The blocks work with a plain DJL {@link ai.djl.Model} and {@link ai.djl.training.Trainer}
 * as well as with {@link org.collab4j.train.CollabLearner}.
 */
package org.collab4j.model;
