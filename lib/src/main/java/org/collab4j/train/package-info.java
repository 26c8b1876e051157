/**
 * Training collaborative-filtering models: {@link org.collab4j.train.CollabLearner}, fast.ai's {@code Learner}
 * for DJL, with one-cycle and constant schedules, an epoch table, listeners, evaluation and prediction by original
 * ids.
 *
 * <p>The learner's parts live in sub-packages that never refer back to it: what it trains for
 * ({@code org.collab4j.train.objective}: one class per loss, found by name), where a batch is trained
 * ({@code org.collab4j.train.step}: the host and device engines and the planner that chooses one;
 * {@code org.collab4j.train.als}: the ALS engine), the optimizers ({@code org.collab4j.train.optimizer}) and
 * schedules ({@code org.collab4j.train.schedule}).
 */
package org.collab4j.train;
