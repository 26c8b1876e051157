/**
 * Training collaborative-filtering models: {@link org.collab4j.train.CollabLearner}, fast.ai's {@code Learner}
 * for DJL, with one-cycle and constant schedules, an epoch table, evaluation and prediction by original ids.
 */
package org.collab4j.train;
