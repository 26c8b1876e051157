package org.collab4j.train.optimizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.core.Embedding;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.optimizer.Optimizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;

/**
 * A DJL {@link Optimizer} whose learning rate and momentum are set from outside before each step, the way
 * fast.ai's schedules drive its optimizers.
 *
 * <p>What every Collab4J optimizer shares, applied in this order at each {@link #update}:
 *
 * <ol>
 *   <li>gradient clipping to {@code [-clip, clip]} ({@link BaseBuilder#optClipGradient}; DJL's own
 *       {@code optClipGrad} clips only the upper side in the PyTorch engine);
 *   <li>weight decay, either decoupled, {@code w = w - lr·wd·w} (the default, as AdamW and fast.ai), or L2 added to
 *       the gradient, {@code g = g + wd·w} ({@link BaseBuilder#optDecoupledWeightDecay});
 *   <li>the optimizer's own step ({@link #step});
 *   <li>zeroing the gradient.
 * </ol>
 *
 * <p>{@link #updateRows} applies the same update to some rows of a table only (the rows a batch touched), with
 * the matching rows of every state array, so that a step costs in proportion to the batch rather than the table.
 * It is lazy the way {@code torch.optim.SparseAdam} is: rows the batch did not touch get no weight decay and no
 * momentum that step, so it equals {@link #update} exactly when every row is touched at every step (or, for
 * plain SGD without weight decay, always).
 *
 * <p>{@link #updateHost} and {@link #updateHostRows} are the same two updates on {@code float[]} copies of the
 * weights in the Java heap, for training steps written in plain Java (the learner's host step for the dot models
 * on the CPU): same step counter per parameter, learning rate and multiplier, weight-decay override, clipping and
 * decay, then the optimizer's own {@link #hostStep}, with its state kept as {@code float[]} beside the
 * {@link NDArray} state ({@link #resetState} clears both). {@link #updateHostRows} is not lazy: before it updates a
 * row it catches up the steps the row missed, what they would have done to it with a zero gradient (weight decay
 * and the momentum still in its state), in a few operations whatever their number ({@link #coast}); with
 * {@link #catchUpHostRows} before the table is read, touched-row updates then give the weights dense ones give.
 *
 * <p>Parameters can be left out of weight decay ({@link #excludeFromWeightDecay}) and given their own multiple
 * of the learning rate ({@link #setLearningRateMultiplier}: fast.ai's discriminative learning rates).
 *
 * <p>Arrays the step creates belong to the caller's {@link NDScope} (the learner opens one per batch); state
 * arrays (moments, velocities) belong to the weight's manager. Not thread-safe: one optimizer belongs to one
 * training loop.
 */
public abstract class CollabOptimizer extends Optimizer {

    /** Elements per slice of a dense host update: clipping and L2 decay go through a scratch this long. */
    private static final int HOST_CHUNK = 4096;
    /** Steps a table's catch-up log keeps before every row is brought up to date and the log restarts. */
    static final int CATCH_UP_STEPS = 1 << 16;

    private final float weightDecay;
    private final boolean decoupled;
    private final float clipGradient;
    private final Map<String, Float> decayOverride = new HashMap<>();
    private final Map<String, Float> lrMultipliers = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();
    private final Map<String, Map<String, NDArray>> states = new HashMap<>();
    private final Map<String, Map<String, float[]>> hostStates = new HashMap<>();
    // For the calling thread; the pool's blocks get their own.
    private float[] hostScratch = new float[HOST_CHUNK];
    private final Map<String, CatchUpLog> catchUps = new HashMap<>();
    private float learningRate;
    private float momentum;
    private Rows rows;

    /**
     * Creates an optimizer.
     *
     * @param builder the builder with the settings
     */
    protected CollabOptimizer(BaseBuilder<?> builder) {
        super(builder);
        this.weightDecay = builder.weightDecay;
        this.decoupled = builder.decoupled;
        this.clipGradient = builder.clipGradient;
        this.learningRate = builder.learningRate;
        this.momentum = builder.momentum;
    }

    /**
     * Updates one parameter from its gradient: clip, weight decay, the optimizer's step, zero the gradient.
     *
     * @param parameterId the parameter's id
     * @param weight the parameter's values, updated in place
     * @param grad the parameter's gradient
     */
    @Override
    public final void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        float lr = learningRate * lrMultipliers.getOrDefault(parameterId, 1f);
        float wd = decayOverride.getOrDefault(parameterId, weightDecay);
        NDArray g = clipGradient > 0 ? grad.clip(-clipGradient, clipGradient) : grad;
        if (wd != 0f && decoupled) {
            weight.muli(1 - lr * wd);
        } else if (wd != 0f) {
            g = g.add(weight.mul(wd));
        }
        if (!step(parameterId, t, weight, g, lr)) {
            zeroGradient(weight, grad);
        }
    }

    /**
     * Updates one parameter exactly as {@link #update} does, but takes every scalar operand from
     * {@code scalars} instead of making an array from a Java number: the learner's device step, where each such
     * array would be a blocking host-to-device copy on a GPU. Clipping is {@code maximum(-c)} then
     * {@code minimum(c)} (what {@code clamp} computes), decoupled decay multiplies by the scalar
     * {@code 1 - lr·wd}, L2 adds {@code weight·wd}; then {@link #stepOnDevice}. The step counter advances as with
     * {@link #update}. The values asked for are those {@link #deviceScalarValues} lists.
     *
     * @param parameterId the parameter's id
     * @param weight the parameter's values, updated in place
     * @param grad the parameter's gradient
     * @param scalars device arrays by value, prepared ahead ({@link #deviceScalarValues})
     */
    public final void updateOnDevice(String parameterId, NDArray weight, NDArray grad, DeviceScalars scalars) {
        if (!stepWithDeviceScalars(parameterId, weight, grad, scalars)) {
            zeroGradient(weight, grad);
        }
    }

    /**
     * Clip, weight decay and {@link #stepOnDevice}, every scalar from {@code scalars}; the step counter advances.
     *
     * @return whether the step zeroed the weight's gradient
     */
    private boolean stepWithDeviceScalars(String parameterId, NDArray weight, NDArray grad, DeviceScalars scalars) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        float lr = learningRate * lrMultipliers.getOrDefault(parameterId, 1f);
        float wd = decayOverride.getOrDefault(parameterId, weightDecay);
        NDArray g = clipGradient > 0
                ? grad.maximum(scalars.of(-clipGradient)).minimum(scalars.of(clipGradient)) : grad;
        if (wd != 0f && decoupled) {
            weight.muli(scalars.of(1 - lr * wd));
        } else if (wd != 0f) {
            g = g.add(weight.mul(scalars.of(wd)));
        }
        return stepOnDevice(parameterId, t, weight, g, lr, scalars);
    }

    /**
     * Lists the scalar values {@link #updateOnDevice} will ask for at one future step of a parameter, given the
     * schedule's learning rate and momentum for that step, so that the device step can make them all with one
     * copy per epoch.
     *
     * @param parameterId the parameter's id
     * @param scheduledLr the schedule's learning rate at that step (before this parameter's multiplier)
     * @param momentum the momentum at that step
     * @param out receives the values
     */
    public final void deviceScalarValues(String parameterId, float scheduledLr, float momentum,
            FloatConsumer out) {
        float lr = scheduledLr * lrMultipliers.getOrDefault(parameterId, 1f);
        float wd = decayOverride.getOrDefault(parameterId, weightDecay);
        if (clipGradient > 0) {
            out.accept(-clipGradient);
            out.accept(clipGradient);
        }
        if (wd != 0f && decoupled) {
            out.accept(1 - lr * wd);
        } else if (wd != 0f) {
            out.accept(wd);
        }
        stepScalarValues(lr, momentum, out);
    }

    /** Receives float values. */
    @FunctionalInterface
    public interface FloatConsumer {
        /**
         * Takes a value.
         *
         * @param value the value
         */
        void accept(float value);
    }

    /** Scalar arrays on the training device, by value, made ahead of the steps that use them. */
    @FunctionalInterface
    public interface DeviceScalars {
        /**
         * Returns a one-element float32 array holding {@code value} on the training device.
         *
         * @param value the value
         * @return the array
         */
        NDArray of(float value);
    }

    /**
     * The optimizer's own update on the device, after clipping and weight decay: the same arithmetic as
     * {@link #step}, with every scalar operand an array from {@code scalars} (native operations that take plain
     * numbers as arguments, such as DJL's fused Adam, need none). The default throws: optimizers that implement
     * it return {@code true} from {@link #supportsDeviceUpdates()}.
     *
     * @param parameterId the parameter's id
     * @param t the number of this step for this parameter, from 1
     * @param weight the parameter's values, to update in place
     * @param grad the clipped gradient, with L2 weight decay already added when that mode is chosen
     * @param lr the learning rate for this parameter at this step
     * @param scalars the scalar arrays, holding at least the values {@link #stepScalarValues} listed
     * @return {@code true} if the step already zeroed the weight's gradient
     */
    protected boolean stepOnDevice(String parameterId, int t, NDArray weight, NDArray grad, float lr,
            DeviceScalars scalars) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no device step");
    }

    /**
     * Lists the scalar values {@link #stepOnDevice} asks {@code scalars} for at a step with this learning rate and
     * momentum (default none).
     *
     * @param lr the learning rate of the parameter at that step
     * @param momentum the momentum at that step
     * @param out receives the values
     */
    protected void stepScalarValues(float lr, float momentum, FloatConsumer out) {}

    /**
     * Returns whether {@link #stepOnDevice} is implemented, so that the learner's device step can train with this
     * optimizer (Collab4J's Adam, SGD and RMSProp: yes).
     *
     * @return {@code false} unless overridden
     */
    public boolean supportsDeviceUpdates() {
        return false;
    }

    /**
     * Updates some rows of a table parameter from the gradient of those rows only: clip, weight decay, the
     * optimizer's step on the rows and on the same rows of its state, then both written back into the full
     * arrays. The step counter of the parameter advances as with {@link #update}.
     *
     * <p>Native calls: one gather per state array, the step's own operations on {@code (R, k)} arrays, and one
     * index-put for the rows and for each state array.
     *
     * @param parameterId the table parameter's id
     * @param table the full table {@code (n, k)}, updated in place at {@code rowIndices}
     * @param rowIndices the distinct row indices {@code (R)}, int64, on the table's device
     * @param rowValues the current values of those rows {@code (R, k)}, as gathered from the table; updated in
     *     place and written back
     * @param grad the gradient with respect to {@code rowValues}
     */
    public final void updateRows(String parameterId, NDArray table, NDArray rowIndices, NDArray rowValues,
            NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        float lr = learningRate * lrMultipliers.getOrDefault(parameterId, 1f);
        float wd = decayOverride.getOrDefault(parameterId, weightDecay);
        NDArray g = clipGradient > 0 ? grad.clip(-clipGradient, clipGradient) : grad;
        if (wd != 0f && decoupled) {
            rowValues.muli(1 - lr * wd);
        } else if (wd != 0f) {
            g = g.add(rowValues.mul(wd));
        }
        rows = new Rows(table, rowIndices);
        try {
            step(parameterId, t, rowValues, g, lr);
            NDIndex at = new NDIndex("{}", rowIndices);
            table.set(at, rowValues);
            for (NDArray[] pair : rows.gathered) {
                pair[0].set(at, pair[1]);
            }
        } finally {
            rows = null;
        }
    }

    /**
     * Updates some rows of a table exactly as {@link #updateRows} does, lazily, but with every scalar operand
     * from {@code scalars}, as {@link #updateOnDevice}: the device step's touched-row mode, where each array made
     * from a Java number would be a blocking host-to-device copy on a GPU. {@code rowIndices} may repeat a row,
     * provided each repeat carries the same values and gradient (the row's summed gradient): every repeat then
     * computes the same update, and the index-put writes the same values whichever repeat lands last. So the
     * caller needs no distinct rows, which on a device would cost a synchronising {@code unique}.
     *
     * @param parameterId the table parameter's id
     * @param table the full table {@code (n, k)}, updated in place at {@code rowIndices}
     * @param rowIndices the row indices {@code (R)}, int64, on the table's device; repeats allowed
     * @param rowValues the current values of those rows {@code (R, k)}, as gathered from the table; updated in
     *     place and written back
     * @param grad the gradient of each of those rows
     * @param scalars device arrays by value, prepared ahead ({@link #deviceScalarValues})
     */
    public final void updateRowsOnDevice(String parameterId, NDArray table, NDArray rowIndices, NDArray rowValues,
            NDArray grad, DeviceScalars scalars) {
        rows = new Rows(table, rowIndices);
        try {
            stepWithDeviceScalars(parameterId, rowValues, grad, scalars);
            NDIndex at = new NDIndex("{}", rowIndices);
            table.set(at, rowValues);
            for (NDArray[] pair : rows.gathered) {
                pair[0].set(at, pair[1]);
            }
        } finally {
            rows = null;
        }
    }

    /** The table and row indices of the {@link #updateRows} in progress, and the state rows it gathered. */
    private static final class Rows {
        final NDArray table;
        final NDArray indices;
        final List<NDArray[]> gathered = new ArrayList<>();

        Rows(NDArray table, NDArray indices) {
            this.table = table;
            this.indices = indices;
        }
    }

    /**
     * Updates a whole parameter held in the Java heap, exactly as {@link #update} updates an {@link NDArray}: clip,
     * weight decay, the optimizer's {@link #hostStep} on every element (elements with a zero gradient too), with
     * the host state. The step counter of the parameter advances as with {@link #update}.
     *
     * @param parameterId the parameter's id
     * @param weight the parameter's values, updated in place
     * @param grad the gradient, as long as {@code weight}; not changed
     */
    public final void updateHost(String parameterId, float[] weight, float[] grad) {
        updateHost(parameterId, weight, grad, (HostSplit) null);
    }

    /**
     * {@link #updateHost(String, float[], float[])} with the elements split into blocks that run on a pool. Every
     * element's update depends on that element alone, so the result is the same for any pool, or none.
     *
     * @param parameterId the parameter's id
     * @param weight the parameter's values, updated in place
     * @param grad the gradient, as long as {@code weight}; not changed
     * @param pool the threads to share the work with (the calling thread takes a block too), or {@code null}
     */
    public final void updateHost(String parameterId, float[] weight, float[] grad, ForkJoinPool pool) {
        updateHost(parameterId, weight, grad, HostSplit.of(pool));
    }

    /**
     * {@link #updateHost(String, float[], float[])} with the elements split into blocks that run on some threads.
     * Every element's update depends on that element alone, so the result is the same for any threads, or none.
     *
     * @param parameterId the parameter's id
     * @param weight the parameter's values, updated in place
     * @param grad the gradient, as long as {@code weight}; not changed
     * @param split the threads to share the work with, or {@code null}
     */
    public final void updateHost(String parameterId, float[] weight, float[] grad, HostSplit split) {
        if (grad.length != weight.length) {
            throw new IllegalArgumentException("gradient has " + grad.length + " values, weight " + weight.length);
        }
        int t = steps.merge(parameterId, 1, Integer::sum);
        float lr = learningRate * lrMultipliers.getOrDefault(parameterId, 1f);
        float wd = decayOverride.getOrDefault(parameterId, weightDecay);
        HostStep step = hostStep(parameterId, t, weight.length, lr);
        int chunks = (weight.length + HOST_CHUNK - 1) / HOST_CHUNK;
        inBlocks(split, chunks, HOST_CHUNK, HOST_CHUNK, (from, to, scratch) -> {
            for (int c = from; c < to; c++) {
                int offset = c * HOST_CHUNK;
                hostSlice(step, weight, offset, grad, offset, Math.min(HOST_CHUNK, weight.length - offset), lr, wd,
                        scratch);
            }
        });
    }

    /**
     * Updates some rows of a table held in the Java heap: first each row catches up the steps it missed since it was
     * last updated, as a dense {@link #updateHost} would have applied them with a zero gradient (weight decay and
     * the momentum in its state, {@link #coast}); then clip, weight decay and the optimizer's {@link #hostStep} on
     * those rows and the same rows of the host state only. The step counter of the parameter advances as with
     * {@link #update}. A step that reads the rows before it updates them (a forward pass) calls
     * {@link #catchUpHostRows(String, float[], int, int[], int)} for them first; anything that reads the whole table
     * calls {@link #catchUpHostRows(String, float[], int)} first.
     *
     * <p>The catch-up costs a few operations per row whatever the number of steps missed. It equals the dense update
     * up to rounding for SGD and RMSProp; for Adam, up to how ε weighs in the missed steps (the first moment over
     * {@code √v + ε}, with {@code √v} shrinking and ε not). Without it (L2 weight decay, whose zero-gradient step
     * depends on the weight; or an optimizer with no {@link #coast}), rows are updated lazily, as
     * {@link #updateRows}.
     *
     * @param parameterId the table parameter's id
     * @param table the full table, row-major {@code (n, columns)}, updated in place at the given rows
     * @param columns the length of a row
     * @param rows the distinct row indices; {@code rows[s]} is the row whose gradient starts at
     *     {@code grad[s * columns]}
     * @param count how many entries of {@code rows} to use
     * @param grad the gradients of those rows, {@code (count, columns)} row-major; not changed
     */
    public final void updateHostRows(String parameterId, float[] table, int columns, int[] rows, int count,
            float[] grad) {
        updateHostRows(parameterId, table, columns, rows, count, grad, (HostSplit) null);
    }

    /**
     * {@link #updateHostRows(String, float[], int, int[], int, float[])} with the rows split into blocks that run on
     * a pool. Rows are distinct and each row's update depends on that row alone, so the result is the same for any
     * pool, or none.
     *
     * @param parameterId the table parameter's id
     * @param table the full table, row-major {@code (n, columns)}, updated in place at the given rows
     * @param columns the length of a row
     * @param rows the distinct row indices; {@code rows[s]} is the row whose gradient starts at
     *     {@code grad[s * columns]}
     * @param count how many entries of {@code rows} to use
     * @param grad the gradients of those rows, {@code (count, columns)} row-major; not changed
     * @param pool the threads to share the work with (the calling thread takes a block too), or {@code null}
     */
    public final void updateHostRows(String parameterId, float[] table, int columns, int[] rows, int count,
            float[] grad, ForkJoinPool pool) {
        updateHostRows(parameterId, table, columns, rows, count, grad, HostSplit.of(pool), CATCH_UP_STEPS);
    }

    /**
     * {@link #updateHostRows(String, float[], int, int[], int, float[])} with the rows split into blocks that run
     * on some threads. Rows are distinct and each row's update depends on that row alone, so the result is the
     * same for any threads, or none.
     *
     * @param parameterId the table parameter's id
     * @param table the full table, row-major {@code (n, columns)}, updated in place at the given rows
     * @param columns the length of a row
     * @param rows the distinct row indices; {@code rows[s]} is the row whose gradient starts at
     *     {@code grad[s * columns]}
     * @param count how many entries of {@code rows} to use
     * @param grad the gradients of those rows, {@code (count, columns)} row-major; not changed
     * @param split the threads to share the work with, or {@code null}
     */
    public final void updateHostRows(String parameterId, float[] table, int columns, int[] rows, int count,
            float[] grad, HostSplit split) {
        updateHostRows(parameterId, table, columns, rows, count, grad, split, CATCH_UP_STEPS);
    }

    /** {@link #updateHostRows} with a catch-up log of at most {@code logSteps} steps; 0: lazily, no catch-up. */
    final void updateHostRows(String parameterId, float[] table, int columns, int[] rows, int count, float[] grad,
            HostSplit split, int logSteps) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        float lr = learningRate * lrMultipliers.getOrDefault(parameterId, 1f);
        float wd = decayOverride.getOrDefault(parameterId, weightDecay);
        // One rule for every parameter of the optimizer: with L2 decay all rows are lazy, also those of a parameter
        // left out of the decay (the biases), so that the step matches DJL's touched-row step, which is lazy.
        Coast coast = logSteps == 0 || !catchesUpHostRows() ? null : coast(t, lr);
        CatchUpLog log = coast == null ? null : catchUpLog(parameterId, table.length / columns, logSteps);
        // Before the step: a coaster may keep state the step then fills (Adam's direction).
        HostCoaster coaster = log == null ? null : hostCoaster(parameterId, table.length);
        HostStep step = hostStep(parameterId, t, table.length, lr);
        if (log != null && log.full()) {
            bringAllUpToDate(log, table, columns, coaster, split);
        }
        inBlocks(split, count, columns, columns, (from, to, scratch) -> {
            for (int s = from; s < to; s++) {
                int offset = rows[s] * columns;
                if (log != null) {
                    log.bringUpToDate(rows[s], table, offset, columns, coaster);
                }
                hostSlice(step, table, offset, grad, s * columns, columns, lr, wd, scratch);
            }
        });
        if (log != null) {
            log.record(wd != 0f ? 1 - lr * wd : 1f, coast.rate(), coast.ratio());
        }
    }

    /**
     * Returns whether {@link #updateHostRows} catches rows up on the steps they missed, so that touched-row host
     * updates give the weights of dense ones: the optimizer says what a zero-gradient step does ({@link #coast};
     * Collab4J's {@link Adam}, {@link Sgd} and {@link RmsProp} do) and weight decay is decoupled or absent (L2
     * decay makes a zero-gradient step depend on the weight).
     *
     * @return {@code true} if touched-row host updates catch up
     */
    public boolean catchesUpHostRows() {
        return supportsHostUpdates() && coast(1, learningRate) != null && (decoupled || weightDecay == 0f);
    }

    /**
     * Brings every row of a table that {@link #updateHostRows} updates up to date with the steps taken so far, so
     * that the table holds what dense updates would have made of it. Call it before the table is read (the
     * learner's host step does at the end of every epoch); without steps to catch up it does nothing.
     *
     * @param parameterId the table parameter's id
     * @param table the full table, row-major {@code (n, columns)}, updated in place
     * @param columns the length of a row
     */
    public final void catchUpHostRows(String parameterId, float[] table, int columns) {
        catchUpHostRows(parameterId, table, columns, (HostSplit) null);
    }

    /**
     * {@link #catchUpHostRows(String, float[], int)} with the rows split into blocks that run on some threads; each
     * row's catch-up depends on that row alone, so the result is the same for any threads, or none.
     *
     * @param parameterId the table parameter's id
     * @param table the full table, row-major {@code (n, columns)}, updated in place
     * @param columns the length of a row
     * @param split the threads to share the work with, or {@code null}
     */
    public final void catchUpHostRows(String parameterId, float[] table, int columns, HostSplit split) {
        CatchUpLog log = catchUps.get(parameterId);
        if (log != null) {
            bringAllUpToDate(log, table, columns, hostCoaster(parameterId, table.length), split);
        }
    }

    /** Brings every row of a table up to date, in blocks of rows, and restarts its log. */
    private void bringAllUpToDate(CatchUpLog log, float[] table, int columns, HostCoaster coaster, HostSplit split) {
        inBlocks(split, table.length / columns, columns, 0,
                (from, to, scratch) -> log.bringRowsUpToDate(from, to, table, columns, coaster));
        log.restart();
    }

    /**
     * Brings some rows of a table that {@link #updateHostRows} updates up to date with the steps taken so far,
     * before a step reads them: the forward pass of a touched-row step must see the rows a dense one would, or its
     * gradients are those of other weights. The step's {@link #updateHostRows} then finds them up to date.
     *
     * @param parameterId the table parameter's id
     * @param table the full table, row-major {@code (n, columns)}, updated in place at the given rows
     * @param columns the length of a row
     * @param rows the row indices
     * @param count how many entries of {@code rows} to use
     */
    public final void catchUpHostRows(String parameterId, float[] table, int columns, int[] rows, int count) {
        catchUpHostRows(parameterId, table, columns, rows, count, null);
    }

    /**
     * {@link #catchUpHostRows(String, float[], int, int[], int)} with the rows split into blocks that run on some
     * threads. Rows are distinct and each row's catch-up depends on that row alone, so the result is the same for
     * any threads, or none.
     *
     * @param parameterId the table parameter's id
     * @param table the full table, row-major {@code (n, columns)}, updated in place at the given rows
     * @param columns the length of a row
     * @param rows the distinct row indices
     * @param count how many entries of {@code rows} to use
     * @param split the threads to share the work with, or {@code null}
     */
    public final void catchUpHostRows(String parameterId, float[] table, int columns, int[] rows, int count,
            HostSplit split) {
        CatchUpLog log = catchUps.get(parameterId);
        if (log == null) {
            return;
        }
        HostCoaster coaster = hostCoaster(parameterId, table.length);
        inBlocks(split, count, columns, 0, (from, to, scratch) -> {
            for (int s = from; s < to; s++) {
                log.bringUpToDateNow(rows[s], table, rows[s] * columns, columns, coaster);
            }
        });
    }

    private CatchUpLog catchUpLog(String parameterId, int rows, int logSteps) {
        CatchUpLog log = catchUps.computeIfAbsent(parameterId, k -> new CatchUpLog(rows, logSteps));
        if (log.rows() != rows) {
            throw new IllegalStateException("catch-up log of " + parameterId + " has " + log.rows()
                    + " rows, the table " + rows);
        }
        return log;
    }

    /**
     * What one step does to an element whose gradient is zero, beyond decoupled weight decay: it moves the weight
     * by {@code -rate · d}, where {@code d} is a direction held in the optimizer's state that the same step shrinks
     * by {@code ratio} before the move (SGD's velocity, Adam's first moment over the root of its second). Together
     * with {@link #hostCoaster} it lets {@link #updateHostRows} catch rows up on the steps they missed.
     *
     * @param t the number of the step, from 1
     * @param lr the learning rate of the parameter at that step
     * @return the step's rate and ratio; {@code null} (the default) if the optimizer does not say, and touched rows
     *     are then updated lazily
     */
    protected Coast coast(int t, float lr) {
        return null;
    }

    /**
     * Returns how to apply a run of zero-gradient steps to a slice of a weight held in the Java heap and to its host
     * state, given their combined factors; see {@link #coast}.
     *
     * @param parameterId the parameter's id, to key host state by ({@link #hostState})
     * @param size the number of values of the whole parameter
     * @return the coaster
     * @throws UnsupportedOperationException if the optimizer has no {@link #coast}
     */
    protected HostCoaster hostCoaster(String parameterId, int size) {
        throw new UnsupportedOperationException(this + " cannot catch rows up");
    }

    /**
     * One step's action on an element with a zero gradient: {@link #coast}.
     *
     * @param rate the scale of the move
     * @param ratio the factor by which the direction shrinks, in {@code [0, 1)}
     */
    protected record Coast(double rate, double ratio) {}

    /** Applies a run of zero-gradient steps to a slice of a weight and its state ({@link #hostCoaster}). */
    @FunctionalInterface
    protected interface HostCoaster {

        /**
         * Updates {@code weight[offset .. offset + length)} and the same elements of the state by a run of steps
         * with a zero gradient: {@code w = decay·w - move·d} with the direction {@code d} of the state before the
         * run, then the state shrunk ({@code d} by {@code e^logShrink}).
         *
         * @param weight the weight, updated in place
         * @param offset the first element of the slice, in the weight and in the state
         * @param length the length of the slice
         * @param decay the product of the steps' weight-decay factors
         * @param move the steps' combined move along {@code d}
         * @param logShrink the logarithm of the product of the steps' ratios
         * @param steps the number of steps, for state that shrinks by a constant per step
         */
        void coast(float[] weight, int offset, int length, float decay, float move, double logShrink, int steps);
    }

    /** Work on items {@code [from, to)} with a scratch array of its own. */
    @FunctionalInterface
    private interface Block {
        void run(int from, int to, float[] scratch);
    }

    /**
     * Runs {@code items} items of {@code itemSize} values each: in one block on this thread, or, given threads and
     * enough work ({@link HostSplit#blocks}), in up to one block per thread.
     */
    private void inBlocks(HostSplit split, int items, int itemSize, int scratchSize, Block block) {
        int blocks = Math.min(HostSplit.blocks(split, (long) items * itemSize), Math.max(1, items));
        if (hostScratch.length < scratchSize) {
            hostScratch = new float[scratchSize];
        }
        if (blocks <= 1) {
            block.run(0, items, hostScratch);
            return;
        }
        // Block 0 takes this thread's scratch, whichever thread runs it; the others their own.
        split.run(blocks, b -> block.run((int) ((long) items * b / blocks), (int) ((long) items * (b + 1) / blocks),
                b == 0 ? hostScratch : new float[scratchSize]));
    }

    /** Clipping and weight decay on one slice, as {@link #update} does them, then the optimizer's step. */
    private void hostSlice(HostStep step, float[] weight, int offset, float[] grad, int gradOffset, int length,
            float lr, float wd, float[] scratch) {
        float[] g = grad;
        int gOffset = gradOffset;
        boolean l2 = wd != 0f && !decoupled;
        if (clipGradient > 0 || l2) {
            g = scratch;
            gOffset = 0;
            for (int j = 0; j < length; j++) {
                float v = grad[gradOffset + j];
                g[j] = clipGradient > 0 ? Math.max(-clipGradient, Math.min(clipGradient, v)) : v;
            }
        }
        if (l2) {
            for (int j = 0; j < length; j++) {
                g[j] = g[j] + weight[offset + j] * wd;
            }
        }
        // Decoupled decay is multiplied in by the step itself: one pass over the weights instead of two.
        step.apply(weight, offset, g, gOffset, length, wd != 0f && decoupled ? 1 - lr * wd : 1f);
    }

    /**
     * The optimizer's own update of one parameter held in the Java heap, after clipping and weight decay: the same
     * arithmetic as {@link #step}, prepared once per parameter and step and then applied to slices.
     *
     * @param parameterId the parameter's id, to key host state by ({@link #hostState})
     * @param t the number of this step for this parameter, from 1
     * @param size the number of values of the whole parameter (the length of its host state arrays)
     * @param lr the learning rate for this parameter at this step
     * @return the step to apply to slices of the weight
     * @throws UnsupportedOperationException if the optimizer has no host step ({@link #supportsHostUpdates()})
     */
    protected HostStep hostStep(String parameterId, int t, int size, float lr) {
        throw new UnsupportedOperationException(this + " has no host step: use update or updateRows");
    }

    /**
     * Returns whether {@link #updateHost} and {@link #updateHostRows} work: whether the optimizer implements
     * {@link #hostStep}. Collab4J's {@link Adam}, {@link Sgd} and {@link RmsProp} do; a subclass that only
     * implements {@link #step} does not, and the learner then trains with DJL's arrays.
     *
     * @return {@code true} if the optimizer can update weights held in the Java heap
     */
    public boolean supportsHostUpdates() {
        return false;
    }

    /**
     * One step of an optimizer on a slice of a weight held in the Java heap; host state is indexed like the
     * weight.
     */
    @FunctionalInterface
    protected interface HostStep {

        /**
         * Updates {@code weight[offset .. offset + length)} from {@code grad[gradOffset .. gradOffset + length)}
         * (already clipped and with L2 decay added) and the same elements of the state. Each weight is first
         * multiplied by {@code keep} (decoupled weight decay, {@code 1 - lr·wd}; exactly 1 without it), as
         * {@link #update} does before {@link #step}.
         *
         * @param weight the weight, updated in place
         * @param offset the first element of the slice in the weight and in the state
         * @param grad the gradient
         * @param gradOffset the first element of the slice in {@code grad}
         * @param length the length of the slice
         * @param keep the factor of decoupled weight decay
         */
        void apply(float[] weight, int offset, float[] grad, int gradOffset, int length, float keep);
    }

    /**
     * Returns a host state array of the parameter if one was made ({@link #hostState}), else {@code null}.
     *
     * @param parameterId the parameter's id
     * @param name the state's name
     * @return the state array, or {@code null}
     */
    protected final float[] hostStateIfPresent(String parameterId, String name) {
        Map<String, float[]> states = hostStates.get(parameterId);
        return states == null ? null : states.get(name);
    }

    /**
     * Returns a host state array of the parameter (e.g. Adam's first moment), created as zeros on first use; the
     * counterpart of {@link #state} for {@link #hostStep}.
     *
     * @param parameterId the parameter's id
     * @param name the state's name
     * @param size the number of values of the whole parameter
     * @return the state array
     */
    protected final float[] hostState(String parameterId, String name, int size) {
        float[] state = hostStates.computeIfAbsent(parameterId, k -> new HashMap<>())
                .computeIfAbsent(name, k -> new float[size]);
        if (state.length != size) {
            throw new IllegalStateException("host state '" + name + "' of " + parameterId + " has " + state.length
                    + " values, the parameter " + size);
        }
        return state;
    }

    /**
     * The optimizer's own update of one parameter, after clipping and weight decay.
     *
     * @param parameterId the parameter's id, to key state by
     * @param t the number of this step for this parameter, from 1
     * @param weight the parameter's values, to update in place
     * @param grad the clipped gradient, with L2 weight decay already added when that mode is chosen
     * @param lr the learning rate for this parameter at this step
     * @return {@code true} if the step already zeroed the weight's gradient
     */
    protected abstract boolean step(String parameterId, int t, NDArray weight, NDArray grad, float lr);

    /**
     * Returns a state array of the parameter (e.g. Adam's first moment), created as zeros on first use.
     *
     * <p>During {@link #updateRows} it returns the rows being updated of the state (a gathered copy, written back
     * after the step), so a {@link #step} written for whole arrays works unchanged on rows.
     *
     * @param parameterId the parameter's id
     * @param name the state's name
     * @param weight the parameter's values, whose shape, device and manager the state takes
     * @return the state array
     */
    protected final NDArray state(String parameterId, String name, NDArray weight) {
        if (rows != null) {
            NDArray full = fullState(parameterId, name, rows.table);
            NDArray gathered = Embedding.embedding(rows.indices, full, SparseFormat.DENSE).singletonOrThrow();
            rows.gathered.add(new NDArray[] {full, gathered});
            return gathered;
        }
        return fullState(parameterId, name, weight);
    }

    private NDArray fullState(String parameterId, String name, NDArray weight) {
        return states.computeIfAbsent(parameterId, k -> new HashMap<>())
                .computeIfAbsent(name, (Function<String, NDArray>) k -> {
                    NDArray state = weight.zerosLike();
                    // State lives as long as the weight, not as long as the batch that created it.
                    NDScope.unregister(state);
                    state.attach(weight.getManager());
                    return state;
                });
    }

    private static void zeroGradient(NDArray weight, NDArray grad) {
        if (weight instanceof PtNDArray) {
            JniUtils.zeroGrad((PtNDArray) weight);
        } else {
            grad.subi(grad);
        }
    }

    /**
     * Forgets all state (moments, velocities, step counts, steps logged for catching rows up), as if no step had
     * been taken. The weights are not touched: call {@link #catchUpHostRows} first for tables with rows to catch up.
     */
    public void resetState() {
        steps.clear();
        states.values().forEach(m -> m.values().forEach(NDArray::close));
        states.clear();
        hostStates.clear();
        catchUps.clear();
    }

    /**
     * Returns the learning rate the next step uses.
     *
     * @return the learning rate
     */
    public float getLearningRate() {
        return learningRate;
    }

    /**
     * Sets the learning rate for the following steps.
     *
     * @param learningRate the learning rate, finite and non-negative
     */
    public void setLearningRate(float learningRate) {
        if (!(learningRate >= 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    /**
     * Returns the momentum the next step uses (β1 for Adam).
     *
     * @return the momentum
     */
    public float getMomentum() {
        return momentum;
    }

    /**
     * Sets the momentum for the following steps (β1 for Adam).
     *
     * @param momentum the momentum, in {@code [0, 1)}
     */
    public void setMomentum(float momentum) {
        if (!(momentum >= 0f && momentum < 1f)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        this.momentum = momentum;
    }

    /**
     * Returns the weight decay applied to every parameter not excluded.
     *
     * @return the weight decay
     */
    @Override
    public float getWeightDecay() {
        return weightDecay;
    }

    /**
     * Returns whether weight decay is decoupled from the gradient (AdamW-style) rather than L2 in it.
     *
     * @return {@code true} for decoupled weight decay
     */
    public boolean isDecoupledWeightDecay() {
        return decoupled;
    }

    /**
     * Leaves a parameter out of weight decay (fast.ai does this for the biases of linear layers).
     *
     * @param parameterId the parameter's id ({@link ai.djl.nn.Parameter#getId()})
     */
    public void excludeFromWeightDecay(String parameterId) {
        decayOverride.put(parameterId, 0f);
    }

    /**
     * Gives a parameter its own multiple of the scheduled learning rate (discriminative learning rates).
     *
     * @param parameterId the parameter's id ({@link ai.djl.nn.Parameter#getId()})
     * @param multiplier the multiple, finite and non-negative
     */
    public void setLearningRateMultiplier(String parameterId, float multiplier) {
        if (!(multiplier >= 0f) || Float.isInfinite(multiplier)) {
            throw new IllegalArgumentException("learning rate multiplier must be finite and >= 0, got "
                    + multiplier);
        }
        lrMultipliers.put(parameterId, multiplier);
    }

    /**
     * Describes the shared settings, for subclasses' {@code toString}.
     *
     * @return e.g. {@code "wd=0.1 decoupled, clip=1.0"}
     */
    protected String describeShared() {
        return "wd=" + weightDecay + (decoupled ? " decoupled" : " L2")
                + (clipGradient > 0 ? ", clip=" + clipGradient : "");
    }

    /**
     * Settings every {@link CollabOptimizer} shares.
     *
     * @param <T> the concrete builder type
     */
    public abstract static class BaseBuilder<T extends BaseBuilder<T>> extends OptimizerBuilder<T> {

        float learningRate = 1e-3f;
        float momentum = 0.9f;
        float weightDecay;
        boolean decoupled = true;
        float clipGradient;

        /** Creates a builder. */
        protected BaseBuilder() {}

        /**
         * Sets the initial learning rate (default 1e-3); the trainer's schedule replaces it during a fit.
         *
         * @param learningRate the learning rate, finite and non-negative
         * @return this builder
         */
        public T optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return self();
        }

        /**
         * Sets the initial momentum (β1 for Adam; default 0.9); a one-cycle schedule replaces it during a fit.
         *
         * @param momentum the momentum, in {@code [0, 1)}
         * @return this builder
         */
        public T optMomentum(float momentum) {
            this.momentum = momentum;
            return self();
        }

        /**
         * Sets the weight decay (default 0).
         *
         * @param weightDecay the weight decay, finite and non-negative
         * @return this builder
         */
        public T optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return self();
        }

        /**
         * Chooses decoupled weight decay ({@code true}, the default: {@code w -= lr·wd·w}, as AdamW and fast.ai)
         * or L2 weight decay added to the gradient ({@code g += wd·w}, as classic SGD and Adam).
         *
         * @param decoupled whether weight decay is decoupled
         * @return this builder
         */
        public T optDecoupledWeightDecay(boolean decoupled) {
            this.decoupled = decoupled;
            return self();
        }

        /**
         * Clips every gradient element to {@code [-clip, clip]} before the step (default 0: no clipping).
         *
         * @param clip the bound, finite and non-negative; 0 turns clipping off
         * @return this builder
         */
        public T optClipGradient(float clip) {
            this.clipGradient = clip;
            return self();
        }

        /**
         * Checks the shared settings.
         *
         * @throws IllegalArgumentException if a setting is out of range
         */
        protected void validate() {
            if (!(learningRate >= 0f) || Float.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + learningRate);
            }
            if (!(momentum >= 0f && momentum < 1f)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            if (!(weightDecay >= 0f) || Float.isInfinite(weightDecay)) {
                throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
            }
            if (!(clipGradient >= 0f) || Float.isInfinite(clipGradient)) {
                throw new IllegalArgumentException("gradient clip must be finite and >= 0 (0 = off), got "
                        + clipGradient);
            }
        }
    }
}
