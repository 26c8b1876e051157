package org.collab4j.train.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One way of training a batch, as a strategy of the learner's one epoch loop ({@code CollabLearner}'s
 * {@code runLoop}, shared by every {@code fit*} method and the LR finder).
 *
 * <p>The loop, per fit: {@link #beginFit()}; per epoch: it shuffles {@link #examples()} positions with one device
 * RNG (so every step sees the same batches; not for a step that does not {@link #shuffles()}) and calls
 * {@link #beginEpoch}; per batch {@code b < }{@link #batches()}:
 * sets the optimizer's learning rate and momentum and calls {@link #trainBatch}; every so many batches (every batch
 * for the LR finder, once per epoch or every few batches for a fit) it calls {@link #takeLosses()}, the one point
 * where a device step may wait for the device, and checks the losses for divergence; at the end of the epoch
 * {@link #writeBack()}, then evaluation and listeners read the block's parameters. After a restore of the weights
 * it calls {@link #reload()}.
 *
 * <p>Nothing in the loop assumes ratings or a squared error: a step reports its own loss (the mean of whatever it
 * minimises over the batch), says how many examples an epoch shuffles and how many batches it makes of them. A
 * ranking step (BPR, softmax over positives) shuffles its positives and samples its own negatives in
 * {@link #trainBatch}.
 *
 * <p>Not thread-safe; a step belongs to one learner.
 *
 * <p>Part of the learner's machinery: public so that {@code CollabLearner} (package {@code org.collab4j.train}) can
 * build and run it, as DJL's engine classes are public; not an API of its own.
 */
public interface TrainingStep extends AutoCloseable {

    /**
     * Returns the number of examples an epoch shuffles (the training ratings, for the rating steps).
     *
     * @return the examples per epoch, at least 1
     */
    int examples();

    /**
     * Returns the number of batches per epoch (the last partial batch is dropped, as fast.ai does).
     *
     * @return the batches, at least 1
     */
    int batches();

    /**
     * Says whether an epoch's order matters to the step: the loop draws no permutation for one that answers no
     * (iALS solves every row whatever the order; at 25M interactions the permutation took a tenth of a sweep).
     *
     * @return true, unless the step ignores {@link Epoch#order()}
     */
    default boolean shuffles() {
        return true;
    }

    /**
     * Starts a fit (or the LR finder's steps): e.g. loads host copies of the tables. Steps that train the block's
     * own arrays have nothing to do.
     */
    default void beginFit() {}

    /**
     * Starts an epoch.
     *
     * @param epoch the epoch's order, schedule and manager
     */
    void beginEpoch(Epoch epoch);

    /**
     * Trains batch {@code batch} of the current epoch with the optimizer's current learning rate and momentum.
     *
     * @param batch the batch, {@code 0 <= batch < batches()}
     */
    void trainBatch(int batch);

    /**
     * Returns the loss of every batch trained since the last call, in order, and forgets them. A step that keeps
     * its losses on the device reads them here, in one transfer.
     *
     * @return the losses, possibly none
     */
    float[] takeLosses();

    /**
     * Makes the block's parameters hold the step's current weights (host steps copy theirs back); nothing for
     * steps that train the block's own arrays.
     */
    default void writeBack() {}

    /**
     * Takes the block's parameters as the current weights again, after someone restored them; nothing for steps
     * that read the block's arrays at every step.
     */
    default void reload() {}

    /** Frees what the step holds (threads, device copies). */
    @Override
    void close();

    /**
     * One epoch as the loop hands it to a step.
     *
     * @param manager a manager closed at the end of the epoch, on the training device
     * @param order a permutation of {@code 0 .. examples()-1}, int64, on the training device; null for a step that
     *     does not {@link TrainingStep#shuffles()}
     * @param learningRates the schedule's learning rate for every batch of the epoch
     * @param momenta the momentum for every batch of the epoch
     */
    record Epoch(NDManager manager, NDArray order, float[] learningRates, float[] momenta) {}

    /**
     * The batches of an epoch of {@code examples} examples: {@code examples / batchSize}, at least 1.
     *
     * @param examples the examples per epoch
     * @param batchSize the batch size
     * @return the batches per epoch
     */
    static int batchesPerEpoch(int examples, int batchSize) {
        // As fast.ai does, drop the last partial batch: a tiny batch at a high learning rate is mostly noise.
        return examples > batchSize ? examples / batchSize : 1;
    }
}
