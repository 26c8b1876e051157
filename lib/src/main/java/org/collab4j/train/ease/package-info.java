/**
 * EASE, the item-item model solved in closed form ({@link org.collab4j.train.ease.EaseTrainer}), λ and its input
 * chosen on an inner per-user split of the training data. Refers to {@code org.collab4j.train.objective} only
 * ({@code TrainPackagesTest}).
 */
package org.collab4j.train.ease;
