package org.collab4j.train.step;

import org.collab4j.train.objective.Ials;
import org.collab4j.train.objective.SampledObjective;

import java.util.Locale;

/**
 * The training steps a {@code CollabLearner} can run: the engines by where they run, as a {@link StepPlan} records
 * them and {@code bench --step} names them. {@link #AUTO} lets the planner choose; a {@link StepChoice} (the value of
 * {@code CollabLearnerBuilder.optTrainingStep}) asks for one. {@link #RANKING}, {@link #DEVICE_RANKING} and
 * {@link #ALS} are the ranking objectives' steps, which the planner chooses from the objective (with a sampled
 * ranking objective, {@link StepChoice#DEVICE} asks for {@link #DEVICE_RANKING} and {@link StepChoice#HOST} for
 * {@link #RANKING}).
 */
public enum StepKind {
    /** Let the planner choose (the default). */
    AUTO,
    /**
     * The device engine ({@link DeviceEngine}) with ratings: ratings, the epoch's order and its batches, the scalars and the losses
     * stay there; no host-device copy in a steady-state step. Dense by default, the same weights as {@link #DENSE}
     * (the GPU default); with touched rows ({@link StepPlan#touchedRows()}, the GPU's choice for very large
     * tables) it updates only a batch's rows, lazily, as {@link #TOUCHED}, with the index work on the device.
     */
    DEVICE,
    /** DJL's dense step ({@link DenseStep}): every table updated every step, loss read per step. */
    DENSE,
    /**
     * DJL's touched-row step ({@link TouchedRowStep}): a batch's distinct rows are found on the host and only they (and their optimizer
     * state) are updated, lazily, as {@code torch.optim.SparseAdam}.
     */
    TOUCHED,
    /**
     * The host engine ({@link HostEngine}) with ratings: plain Java over host copies of the tables, for
     * EmbeddingDot and EmbeddingDotBias on the CPU, with
     * dense or touched-row updates ({@link StepPlan#touchedRows()}); touched rows catch up on the steps they
     * missed, so both train the same weights (with L2 decay, touched rows are lazy).
     */
    HOST,
    /**
     * The host engine with a sampled ranking objective ({@link SampledObjective}: BPR, the softmax, WARP): the
     * planner's choice for them on the CPU, and what {@link StepChoice#HOST} asks for with one of them; never named
     * on a command line.
     */
    RANKING,
    /**
     * The device engine with a sampled ranking objective: positives, batches and negatives drawn on the device,
     * losses read at the loop's cadence, no host-device copy in a steady-state step. The planner's choice for them
     * on a GPU, and what {@link StepChoice#DEVICE} asks for with one of them (on the CPU too); never named on a
     * command line.
     */
    DEVICE_RANKING,
    /**
     * The ALS engine ({@code org.collab4j.train.als}) for {@link Ials}: one batch per epoch, one sweep per batch. Chosen by the
     * planner whenever the learner's objective is iALS, never by name.
     */
    ALS;

    /**
     * Returns the name used on command lines: {@code auto}, {@code device}, {@code dense}, {@code touched},
     * {@code host}; the objectives' steps, which no command line names, show as {@code ranking},
     * {@code device-ranking} and {@code als}.
     *
     * @return the lower-case name
     */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a command-line name.
     *
     * @param name one of {@code auto|device|dense|touched|host}
     * @return the kind
     * @throws IllegalArgumentException naming the accepted values if {@code name} is none of them
     */
    public static StepKind parse(String name) {
        for (StepKind kind : values()) {
            // The objective's steps follow from the objective: they cannot be asked for by name.
            if (kind != RANKING && kind != DEVICE_RANKING && kind != ALS && kind.cliName().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown training step '" + name
                + "': use one of auto, device, dense, touched, host");
    }
}
