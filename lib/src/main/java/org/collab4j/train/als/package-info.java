/**
 * The ALS engine: {@link org.collab4j.train.als.ImplicitAlsSolver}, implicit alternating least squares in closed
 * form over {@code float[]} factor tables, and {@link org.collab4j.train.als.AlsEngine}, which runs one sweep per
 * epoch as the learner's step for the {@code ials} objective ({@code org.collab4j.train.objective.Ials}).
 *
 * <p>The learner's machinery (public so that {@code CollabLearner} can build it); it uses the step package's host
 * tables and nothing of the learner itself.
 */
package org.collab4j.train.als;
