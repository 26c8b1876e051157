/**
 * What a learner trains for, one class per loss: {@link org.collab4j.train.objective.Mse} (ratings),
 * {@link org.collab4j.train.objective.Ials}, {@link org.collab4j.train.objective.Bpr},
 * {@link org.collab4j.train.objective.Softmax} and {@link org.collab4j.train.objective.Warp} (rankings from implicit
 * feedback), each found by name in {@link org.collab4j.train.objective.Objectives}.
 *
 * <p>An objective owns its arithmetic as a function of <em>scores</em>, in two forms: a host form over
 * {@code float[]} (the loss and its derivative with respect to each score the engine computed) and a device form
 * over DJL {@code NDArray}s (the loss as an array that autograd differentiates). The training engines
 * ({@code org.collab4j.train.step}) own everything else: where the examples are, how negatives are drawn, scoring
 * (dot products and biases, {@code org.collab4j.kernel.Kernel} on the host), the chain rule into the rows, row
 * batching and the optimizer's update. The engines know objectives only by their family:
 * <ul>
 *   <li>{@link org.collab4j.train.objective.RatingObjective}: one score per example against its target (MSE);
 *   <li>{@link org.collab4j.train.objective.PairwiseObjective}: a positive against one negative drawn for it, with
 *       a rule that says which of up to {@code trials()} draws counts (BPR: the first; WARP: the first that
 *       violates the margin);
 *   <li>{@link org.collab4j.train.objective.ListwiseObjective}: a positive against negatives the batch shares
 *       (the sampled softmax);
 *   <li>{@link org.collab4j.train.objective.Ials}, solved in closed form by the ALS engine.
 * </ul>
 * So a new loss of one of these families is one class and one line of registration.
 */
package org.collab4j.train.objective;
