package org.collab4j.train.step;

import java.util.Locale;
import java.util.Objects;

/**
 * What the caller asks of the step planner: which training step ({@link StepKind}, or {@link #AUTO} to let the
 * planner choose) and, for the steps that can do either, dense or touched-row updates ({@link #touchedRows(boolean)};
 * by default the planner's rule). The one value {@code CollabLearnerBuilder.optTrainingStep} takes; the rule is
 * documented there.
 *
 * <pre>{@code
 * StepChoice.AUTO                      // the planner chooses the step and its updates (the default)
 * StepChoice.AUTO.touchedRows(true)    // the planner chooses the step; touched-row updates
 * StepChoice.HOST                      // the host engine (dot models on the CPU), updates by the rule
 * StepChoice.DEVICE.touchedRows(true)  // the device engine, touched rows with the index work on the device
 * StepChoice.DENSE, StepChoice.TOUCHED // DJL's dense or touched-row step
 * StepChoice.DJL                       // one of DJL's steps, dense or touched rows by the rule (never the engines)
 * }</pre>
 *
 * <p>Immutable.
 */
public final class StepChoice {

    /** The planner chooses the step and its updates. */
    public static final StepChoice AUTO = new StepChoice(StepKind.AUTO, null, false);
    /** The host engine ({@link StepKind#HOST}; with a sampled ranking objective {@link StepKind#RANKING}). */
    public static final StepChoice HOST = new StepChoice(StepKind.HOST, null, false);
    /**
     * The device engine ({@link StepKind#DEVICE}; with a sampled ranking objective {@link StepKind#DEVICE_RANKING}).
     */
    public static final StepChoice DEVICE = new StepChoice(StepKind.DEVICE, null, false);
    /** DJL's dense step ({@link StepKind#DENSE}): dense updates. */
    public static final StepChoice DENSE = new StepChoice(StepKind.DENSE, false, false);
    /** DJL's touched-row step ({@link StepKind#TOUCHED}): touched rows. */
    public static final StepChoice TOUCHED = new StepChoice(StepKind.TOUCHED, true, false);
    /**
     * One of DJL's own steps, {@link StepKind#DENSE} or {@link StepKind#TOUCHED}, by {@link #touchedRows(boolean)} or
     * the planner's rule for them (the choice before the host and device engines existed, to compare with them).
     */
    public static final StepChoice DJL = new StepChoice(StepKind.AUTO, null, true);

    private final StepKind kind;
    private final Boolean touchedRows;
    private final boolean djl;

    private StepChoice(StepKind kind, Boolean touchedRows, boolean djl) {
        this.kind = kind;
        this.touchedRows = touchedRows;
        this.djl = djl;
    }

    /**
     * Returns the choice of a step by kind, its updates by the planner's rule where the step can do either.
     *
     * @param kind {@link StepKind#AUTO}, {@link StepKind#DEVICE}, {@link StepKind#DENSE}, {@link StepKind#TOUCHED} or
     *     {@link StepKind#HOST}
     * @return the choice
     * @throws IllegalArgumentException for the objectives' own steps ({@link StepKind#RANKING},
     *     {@link StepKind#DEVICE_RANKING}, {@link StepKind#ALS}), which the planner chooses from the objective
     */
    public static StepChoice of(StepKind kind) {
        switch (Objects.requireNonNull(kind, "kind")) {
            case AUTO:
                return AUTO;
            case HOST:
                return HOST;
            case DEVICE:
                return DEVICE;
            case DENSE:
                return DENSE;
            case TOUCHED:
                return TOUCHED;
            default:
                throw new IllegalArgumentException("the " + kind.cliName() + " step follows from the objective and"
                        + " cannot be asked for: ask for auto, host or device");
        }
    }

    /**
     * Parses a command-line name, as {@link StepKind#parse} does.
     *
     * @param name one of {@code auto|device|dense|touched|host}
     * @return the choice, updates by the planner's rule
     * @throws IllegalArgumentException naming the accepted values
     */
    public static StepChoice parse(String name) {
        return of(StepKind.parse(name));
    }

    /**
     * Returns the same step with its updates fixed: only the rows a batch touches, or every row of every table.
     *
     * @param touched {@code true} for touched rows, {@code false} for dense updates
     * @return the choice
     * @throws IllegalArgumentException for a step whose updates are fixed the other way (DJL's dense step cannot
     *     update touched rows, nor its touched-row step every row)
     */
    public StepChoice touchedRows(boolean touched) {
        if (touchedRows != null && (kind == StepKind.DENSE || kind == StepKind.TOUCHED) && touchedRows != touched) {
            throw new IllegalArgumentException("the " + kind.cliName() + " step's updates are fixed ("
                    + (touchedRows ? "touched rows" : "dense") + "): ask for " + (touched ? "touched" : "dense")
                    + ", or for the host or device step with touchedRows(" + touched + ")");
        }
        return new StepChoice(kind, touched, djl);
    }

    /**
     * Returns the step asked for.
     *
     * @return the kind; {@link StepKind#AUTO} for {@link #AUTO} and {@link #DJL}
     */
    public StepKind kind() {
        return kind;
    }

    /**
     * Returns the updates asked for.
     *
     * @return {@code true} touched rows, {@code false} dense, {@code null} the planner's rule
     */
    public Boolean touchedRows() {
        return touchedRows;
    }

    /**
     * Returns whether the choice is limited to DJL's own steps ({@link #DJL}).
     *
     * @return {@code true} for {@link #DJL} and its variants
     */
    public boolean djlOnly() {
        return djl;
    }

    /**
     * Returns the choice in words, as messages quote it: {@code auto}, {@code host, touched rows}, {@code djl, dense
     * updates}, ...
     *
     * @return the description
     */
    @Override
    public String toString() {
        String name = djl ? "djl" : kind.cliName();
        boolean fixed = kind == StepKind.DENSE || kind == StepKind.TOUCHED;
        return touchedRows == null || fixed ? name
                : String.format(Locale.ROOT, "%s, %s", name, touchedRows ? "touched rows" : "dense updates");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StepChoice c && c.kind == kind && Objects.equals(c.touchedRows, touchedRows)
                && c.djl == djl;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, touchedRows, djl);
    }
}
