/**
 * The training engines, by where they run, and how the learner chooses one: the learner's machinery behind
 * {@code CollabLearner} (public so that the learner, in {@code org.collab4j.train}, can build them; not an API of
 * their own).
 *
 * <ul>
 *   <li>{@link org.collab4j.train.step.TrainingStep}: what the learner's one epoch loop calls (begin a fit, an
 *       epoch, train a batch, take the losses, write the weights back).
 *   <li>{@link org.collab4j.train.step.HostEngine}: plain Java over {@code float[]} copies of a dot block's tables
 *       ({@link org.collab4j.train.step.HostTables}), scoring with {@code org.collab4j.kernel.Kernel}, the
 *       server's arithmetic; rating, pairwise and listwise objectives.
 *   <li>{@link org.collab4j.train.step.DeviceEngine}: everything on the training device, no host-device copy in a
 *       steady-state step; rating objectives through the block's forward (any block), pairwise and listwise from
 *       the dot blocks' tables. Its DJL variants for ratings: {@link org.collab4j.train.step.DenseStep} (every
 *       table every step, loss read per step) and {@link org.collab4j.train.step.TouchedRowStep} (distinct rows
 *       found on the host, lazy updates).
 *   <li>{@link org.collab4j.train.step.SideFeatures}: one side's hybrid parts for side features (LightFM's form:
 *       row = id embedding + mean of the features' vectors), which the host engine trains through
 *       {@code HybridRows} and the device engine through {@code DeviceHybridRows} (the parts on the device, rows
 *       combined by a padded gather-and-sum) while the block's tables hold the combined rows; the ridge fit for
 *       iALS.
 *   <li>The ALS engine lives in {@code org.collab4j.train.als}.
 * </ul>
 *
 * <p>An engine owns where the examples are, the drawing of negatives, the scores, the chain rule into rows, row
 * batching ({@link org.collab4j.train.step.RowBatcher}) and the optimizer's update; the objective
 * ({@code org.collab4j.train.objective}) owns its loss over the scores, in a host and a device form.
 * {@link org.collab4j.train.step.StepPlanner} chooses the engine once from what the caller asked
 * ({@link org.collab4j.train.step.StepKind}), the device, block, optimizer, objective and sizes, into a
 * {@link org.collab4j.train.step.StepPlan} with its reason.
 *
 * <p>Nothing here refers to {@code org.collab4j.train} itself (the learner): the dependencies point from the
 * learner into its sub-packages ({@code TrainPackagesTest}).
 */
package org.collab4j.train.step;
