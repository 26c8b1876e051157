/**
 * The arithmetic of the models over plain arrays, shared by training and serving, and the factor core every
 * scorer of the library goes through.
 *
 * <ul>
 *   <li>{@link org.collab4j.kernel.Kernel}: the dot product, the biases, the sigmoid range and {@code EmbeddingNet}'s
 *       layers, each sum in one fixed order; {@link org.collab4j.kernel.ParameterNames}, the blocks' parameters.</li>
 *   <li>The factor core: {@link org.collab4j.kernel.FactorTable} (one side's rows and biases, held once, with the
 *       factor-major columns and norms made once on first use), {@link org.collab4j.kernel.FactorModel} (a dot
 *       model's score for a pair, and one side's row against a range of the other's, symmetric in
 *       {@link org.collab4j.kernel.Side}), {@link org.collab4j.kernel.TopK} and
 *       {@link org.collab4j.kernel.TopKSelection} (top-k with exclusions), {@link org.collab4j.kernel.Neighbours}
 *       (cosine similarity). The {@code Recommender}, its item side and user rows on Spark executors, fold-in and
 *       the training's ranking probe all score through it.</li>
 *   <li>{@link org.collab4j.kernel.RankingMetrics}: NDCG, precision, recall (capped and not), hit rate and AP over
 *       index arrays, the one implementation behind the epoch table and every ranking evaluation.</li>
 *   <li>{@link org.collab4j.kernel.Csr}: the one builder of compressed sparse rows (each user's items).</li>
 * </ul>
 *
 * <p>The package depends on nothing but the JDK, so that a model can be scored without DJL or PyTorch; training
 * ({@code org.collab4j.train}), the saved model ({@code org.collab4j.io}), the data ({@code org.collab4j.data}) and
 * serving ({@code org.collab4j.recommend}) call it, and a test pins it to the DJL blocks' forward passes.
 */
package org.collab4j.kernel;
