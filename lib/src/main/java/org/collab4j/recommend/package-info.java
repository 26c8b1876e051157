/**
 * Using a trained model: the {@link org.collab4j.recommend.Recommender} predicts ratings and recommends items by
 * original ids, finds similar items and users, ranks biases and runs PCA on the item factors, with a documented
 * {@link org.collab4j.recommend.UnknownIdPolicy} for ids the model has not trained; it is immutable and
 * thread-safe. {@link org.collab4j.recommend.RankingEvaluation} measures top-k quality on held-out ratings, and
 * {@link org.collab4j.recommend.Titles} gives results readable names.
 */
package org.collab4j.recommend;
