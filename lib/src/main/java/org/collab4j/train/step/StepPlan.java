package org.collab4j.train.step;

/**
 * The training step a learner runs and why: chosen once, when the learner is built, by one planner from the device,
 * the model, the optimizer, the batch size and the sizes of the data and tables (see
 * {@code CollabLearnerBuilder#optTrainingStep}); logged once, kept in the model's provenance and shown by
 * {@code CollabLearner#toString()}.
 *
 * @param kind the step, never {@link StepKind#AUTO}
 * @param touchedRows whether the step updates only the rows its batch touches (always for {@link StepKind#TOUCHED},
 *     never for {@link StepKind#DENSE}, either for {@link StepKind#HOST} and {@link StepKind#DEVICE})
 * @param reason why this step, in words
 */
public record StepPlan(StepKind kind, boolean touchedRows, String reason) {

    /**
     * Checks the plan.
     *
     * @param kind the step
     * @param touchedRows whether touched rows only are updated
     * @param reason why
     */
    public StepPlan {
        if (kind == null || kind == StepKind.AUTO) {
            throw new IllegalArgumentException("a plan names a step, not " + kind);
        }
        if (touchedRows != (kind == StepKind.TOUCHED) && kind != StepKind.HOST && kind != StepKind.DEVICE) {
            throw new IllegalArgumentException(kind.cliName() + " cannot have touchedRows=" + touchedRows);
        }
    }

    /**
     * Returns the step's short name: {@code device}, {@code device-touched}, {@code dense}, {@code touched},
     * {@code host} or {@code host-touched}.
     *
     * @return the name
     */
    public String name() {
        boolean either = kind == StepKind.HOST || kind == StepKind.DEVICE;
        return either && touchedRows ? kind.cliName() + "-touched" : kind.cliName();
    }

    /** @return e.g. {@code host-touched (the dot models on the CPU train in plain Java; ...)} */
    @Override
    public String toString() {
        return name() + " (" + reason + ")";
    }
}
