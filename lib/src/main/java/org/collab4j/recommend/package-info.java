/**
 * Using a trained model: the {@link org.collab4j.recommend.Recommender} predicts ratings and recommends items by
 * original ids, finds similar items and users, ranks biases and runs PCA on the item factors, with a documented
 * {@link org.collab4j.recommend.UnknownIdPolicy} for ids the model has not trained; it is immutable and
 * thread-safe. {@link org.collab4j.recommend.RankingEvaluation} measures top-k quality on held-out ratings, and
 * {@link org.collab4j.recommend.Titles} gives results readable names.
 *
 * <p>The {@code Recommender} is a facade over ids, the unknown-id policy and titles ({@code Catalogue}: what the
 * model knows, by side); the work is done by named pieces, each over the kernel's factor core
 * ({@link org.collab4j.kernel.FactorModel}, {@link org.collab4j.kernel.TopKSelection},
 * {@link org.collab4j.kernel.Neighbours}, {@link org.collab4j.kernel.RankingMetrics}): {@code TopN}, the one top-N
 * path (a user, many users a tile of items at a time, user rows, histories, options; users for items);
 * {@code Scorer} (the dot models through {@code FactorModel}, {@code NetScorer} for {@code EmbeddingNet});
 * {@code Predictor}, a pair's rating and FALLBACK's rule; {@code FoldIns}, the targets of requests with a history
 * and the fold-in solvers ({@code DotFoldIn}, {@code NetScorer.foldIn}); {@code Similarity}; {@code FactorAnalysis}
 * (bias rankings, {@code FactorPca}); {@code Evaluations}. A model is served in pieces across JVMs as an
 * {@link org.collab4j.recommend.ItemSide} and {@link org.collab4j.recommend.UserRows} slices.
 */
package org.collab4j.recommend;
