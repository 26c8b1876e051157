package org.collab4j.train.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;

import org.collab4j.train.optimizer.CollabOptimizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the device engine ({@link DeviceEngine}) keeps on the training device for one epoch
 * so that a step copies nothing between host and device: every scalar the epoch's steps will use, made in one
 * array and split into one-element views looked up by value; and each step's loss, kept (detached) until the loop
 * takes them all in one transfer.
 */
final class DeviceEpoch {

    private final Map<Integer, NDArray> scalars = new HashMap<>();
    private final List<NDArray> losses = new ArrayList<>();
    private NDManager manager;
    private long scalarMisses;

    /**
     * Returns the epoch's order cut to the examples its batches use: all of them with one batch, else the
     * {@code batches · batchSize} that make full batches (the loop drops a partial last batch), so that
     * {@code split(batches)} cuts equal views.
     *
     * @param epoch the epoch
     * @param batches the epoch's batches
     * @param batchSize the batch size
     * @param examples the examples of the data
     * @return the order, a view of the epoch's
     */
    static NDArray usedOrder(TrainingStep.Epoch epoch, int batches, int batchSize, int examples) {
        int used = batches == 1 ? examples : batches * batchSize;
        return used == examples ? epoch.order() : epoch.order().get(new NDIndex().addSliceDim(0, used));
    }

    /**
     * Starts an epoch: makes the values {@code values} lists (repeats are made once) on the epoch's manager, in one
     * array.
     *
     * @param epochManager the epoch's manager, on the training device
     * @param values receives a sink and lists every value into it
     */
    void begin(NDManager epochManager, Consumer<CollabOptimizer.FloatConsumer> values) {
        manager = epochManager;
        Map<Integer, Float> distinct = new LinkedHashMap<>();
        values.accept(v -> distinct.putIfAbsent(Float.floatToRawIntBits(v), v));
        scalars.clear();
        if (distinct.isEmpty()) {
            return;
        }
        float[] all = new float[distinct.size()];
        int k = 0;
        for (float v : distinct.values()) {
            all[k++] = v;
        }
        NDArray array = epochManager.create(all);
        NDList views = all.length == 1 ? new NDList(array) : array.split(all.length);
        for (k = 0; k < all.length; k++) {
            scalars.put(Float.floatToRawIntBits(all[k]), views.get(k));
        }
    }

    /**
     * Returns the one-element array holding {@code value}: one made by {@link #begin}, or, if the epoch did not
     * list it, one made now from the Java number (a blocking copy on a GPU, counted by {@link #scalarMisses()}).
     *
     * @param value the value
     * @return the array, on the training device
     */
    NDArray scalar(float value) {
        NDArray array = scalars.get(Float.floatToRawIntBits(value));
        if (array == null) {
            scalarMisses++;
            array = manager.create(new float[] {value});
            NDScope.unregister(array);
            scalars.put(Float.floatToRawIntBits(value), array);
        }
        return array;
    }

    /**
     * Keeps a step's loss on the device, detached: the loss itself holds the autograd graph, whose nodes kept
     * enough alive to add 170 MB of RSS over an epoch of 50 batches (measured).
     *
     * @param loss the step's loss
     */
    void keepLoss(NDArray loss) {
        NDArray kept = loss.stopGradient();
        NDScope.unregister(kept);
        kept.attach(manager);
        losses.add(kept);
    }

    /**
     * Returns the losses kept since the last call, in one transfer, and frees them.
     *
     * @return the losses, in step order
     */
    float[] takeLosses() {
        if (losses.isEmpty()) {
            return new float[0];
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            return org.collab4j.util.NDArrays.toFloatArray(NDArrays.stack(new NDList(losses)));
        } finally {
            losses.forEach(NDArray::close);
            losses.clear();
        }
    }

    /** The number of scalars asked for that no {@link #begin} had made. */
    long scalarMisses() {
        return scalarMisses;
    }
}
