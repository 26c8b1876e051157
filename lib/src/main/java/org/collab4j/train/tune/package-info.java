/**
 * Hyperparameter search, independent of what is trained: {@link org.collab4j.train.tune.SuccessiveHalving} samples
 * configurations, trains each for a few epochs and gives the best third more, within a time budget ({@link org.collab4j.train.tune.TuneBudget}); each run is a {@link org.collab4j.train.tune.Trial}. Nothing
 * here knows the learner: {@code org.collab4j.train.CollabTuner} supplies the configurations (objectives and their
 * ranges), trains them and refits the choice.
 */
package org.collab4j.train.tune;
