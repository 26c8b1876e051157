package org.collab4j.train.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import org.collab4j.kernel.FeatureMatrix;
import org.collab4j.model.CollabBlock;
import org.collab4j.train.optimizer.CollabOptimizer;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The device engine's form of one side's {@link SideFeatures} (what {@link HybridRows} is to the host engine): the
 * parts live on the training device as arrays with gradients, and a batch's combined rows are built there by autograd
 * ops, so that the backward reaches the id embeddings and the features' vectors through the chain rule of
 * {@code row = id + Σ w_f · vector_f} without any host work per step.
 *
 * <ul>
 *   <li>Once per fit ({@link #load}), the feature rows as a padded index matrix {@code (n, maxF)} and weight matrix
 *       {@code (n, maxF)} (padding: feature 0 with weight 0, so it adds nothing and gets no gradient) are on the
 *       device, made when the engine is built; the block's combined rows are read once and split into parts
 *       ({@link SideFeatures#decompose}), and the parts are copied to the device.
 *   <li>Per lookup of rows {@code index} (any shape), {@link #rows}: gather the padded feature ids and weights of
 *       the rows (once per index array and step), gather the vectors, multiply by the weights and sum over
 *       {@code maxF}, add the gathered id rows: 8 native calls; {@link #bias} 5 more (the feature biases gathered,
 *       weighted and summed, the id biases gathered and added), reusing the gathered feature ids and weights.
 *   <li>The parts are updated densely by {@link CollabOptimizer#updateOnDevice}, each under its own optimizer-state
 *       key: the block's table's id for the id embeddings (as the host engine), {@link SideFeatures#vectorId()} and
 *       {@link SideFeatures#biasId()} for the features'.
 *   <li>{@link #writeBack}: the parts are read into {@link SideFeatures}' arrays and the block's tables get the
 *       combined rows ({@link SideFeatures#combineAll}), as the host engine leaves them: one device-to-host copy of
 *       the parts and one host-to-device copy of the rows, at the learner's cadence (each epoch's end).
 * </ul>
 */
final class DeviceHybridRows {

    private final SideFeatures features;
    private final Parameter factorTable;
    /** The block's bias table of this side where the engine trains it (and the features have biases), else null. */
    private final Parameter biasTable;
    private final NDManager manager;
    private final int rows;
    private final int factors;
    /** The padded feature ids {@code (n, maxF)}, int64, and their weights {@code (n, maxF)}. */
    private final NDArray featureIndex;
    private final NDArray featureWeight;
    private final int vectorRows;
    // The parts on the device, with gradients; null before load (ids: null without id embeddings).
    private NDArray ids;
    private NDArray idBias;
    private NDArray vectors;
    private NDArray vectorBias;
    /** This step's gathered feature ids and weights (expanded to {@code (…, maxF, 1)}) by index array. */
    private final Map<NDArray, NDArray[]> gathered = new IdentityHashMap<>();

    /**
     * @param features the side's parts
     * @param factorTable the block's factor table of the side
     * @param biasTable the block's bias table of the side where the engine trains it, or {@code null}
     * @param manager the engine's manager (the arrays live as long as the engine)
     */
    DeviceHybridRows(SideFeatures features, Parameter factorTable, Parameter biasTable, NDManager manager) {
        this.features = features;
        this.factorTable = factorTable;
        this.biasTable = features.biases() != null ? biasTable : null;
        this.manager = manager;
        FeatureMatrix matrix = features.rows();
        rows = matrix.rows();
        factors = features.factors();
        int maxF = 1;
        for (int r = 0; r < rows; r++) {
            maxF = Math.max(maxF, matrix.end(r) - matrix.start(r));
        }
        long[] index = new long[rows * maxF];
        float[] weight = new float[rows * maxF];
        for (int r = 0; r < rows; r++) {
            for (int e = matrix.start(r), j = 0; e < matrix.end(r); e++, j++) {
                index[r * maxF + j] = matrix.columns()[e];
                weight[r * maxF + j] = matrix.values()[e];
            }
        }
        featureIndex = manager.create(index, new Shape(rows, maxF));
        featureWeight = manager.create(weight, new Shape(rows, maxF));
        NDScope.unregister(featureIndex, featureWeight);
        vectorRows = Math.max(1, matrix.features());
        prime(featureIndex, featureWeight);
    }

    /** DJL asks a fresh array for its type, device and shape with a native call the first time: ask now. */
    private static void prime(NDArray... arrays) {
        for (NDArray a : arrays) {
            if (a != null) {
                a.getDataType();
                a.getDevice();
                a.getShape();
            }
        }
    }

    /** @return the block's factor table of this side */
    Parameter factorTable() {
        return factorTable;
    }

    /** @return the block's bias table of this side that the parts replace, or {@code null} */
    Parameter biasTable() {
        return biasTable;
    }

    /**
     * Splits the block's combined rows into parts and puts the parts on the device (once per fit, and after a
     * restore).
     */
    void load() {
        float[] combined = factorTable.getArray().toFloatArray();
        float[] combinedBias = biasTable != null ? biasTable.getArray().toFloatArray() : null;
        features.decompose(combined, combinedBias);
        close();
        vectors = parameter(pad(features.vectors(), factors), vectorRows, factors);
        vectorBias = biasTable != null ? parameter(pad(features.biases(), 1), vectorRows, 1) : null;
        if (features.idEmbeddings()) {
            ids = parameter(features.ids(), rows, factors);
            idBias = biasTable != null ? parameter(features.idBiases(), rows, 1) : null;
        }
    }

    /** The features' values padded to {@link #vectorRows} rows (a table with no feature keeps one zero row). */
    private float[] pad(float[] values, int width) {
        if (values.length == vectorRows * width) {
            return values;
        }
        return new float[vectorRows * width];
    }

    private NDArray parameter(float[] values, int n, int width) {
        NDArray a = manager.create(values, new Shape(n, width));
        // A restore may reload the parts inside an epoch's scope: they outlive it.
        NDScope.unregister(a);
        a.setRequiresGradient(true);
        prime(a);
        return a;
    }

    /**
     * The combined factor rows of {@code index}: {@code id[index] + Σ_f w · vector[f]}, shape
     * {@code index.shape + (factors)}. The gathered feature ids and weights are kept for the step ({@link #bias}
     * and later lookups of the same index array reuse them).
     *
     * @param index row indices, int64
     * @param axis the number of dimensions of {@code index} (given: a fresh array's shape costs a native call)
     * @return the combined rows, differentiable in the parts
     */
    NDArray rows(NDArray index, int axis) {
        NDArray[] g = gather(index, axis);
        NDArray mean = CollabBlock.lookup(vectors, g[0]).mul(g[1]).sum(new int[] {axis});
        return ids != null ? mean.add(CollabBlock.lookup(ids, index)) : mean;
    }

    /** The padded feature ids and weights of {@code index}'s rows, gathered once per step and index array. */
    private NDArray[] gather(NDArray index, int axis) {
        return gathered.computeIfAbsent(index, i -> new NDArray[] {CollabBlock.lookup(featureIndex, i),
            CollabBlock.lookup(featureWeight, i).expandDims(axis + 1)});
    }

    /** Forgets the gathered feature ids and weights (they belong to the step that made them). */
    void endStep() {
        gathered.clear();
    }

    /**
     * The combined biases of {@code index}, shape {@code index.shape + (1)}.
     *
     * @param index row indices, int64
     * @param axis the number of dimensions of {@code index}
     * @return the combined biases, or {@code null} where the engine trains no bias on this side
     */
    NDArray bias(NDArray index, int axis) {
        if (biasTable == null) {
            return null;
        }
        NDArray[] g = gather(index, axis);
        NDArray mean = CollabBlock.lookup(vectorBias, g[0]).mul(g[1]).sum(new int[] {axis});
        return idBias != null ? mean.add(CollabBlock.lookup(idBias, index)) : mean;
    }

    /** @return the optimizer-state keys of the trained parts, in update order */
    List<String> partIds() {
        List<String> out = new ArrayList<>();
        if (features.idEmbeddings()) {
            out.add(factorTable.getId());
            if (biasTable != null) {
                out.add(biasTable.getId());
            }
        }
        out.add(features.vectorId());
        if (biasTable != null) {
            out.add(features.biasId());
        }
        return out;
    }

    /** Updates every part from its gradient (dense). */
    void update(CollabOptimizer optimizer, CollabOptimizer.DeviceScalars scalars) {
        if (ids != null) {
            optimizer.updateOnDevice(factorTable.getId(), ids, ids.getGradient(), scalars);
            if (idBias != null) {
                optimizer.updateOnDevice(biasTable.getId(), idBias, idBias.getGradient(), scalars);
            }
        }
        optimizer.updateOnDevice(features.vectorId(), vectors, vectors.getGradient(), scalars);
        if (vectorBias != null) {
            optimizer.updateOnDevice(features.biasId(), vectorBias, vectorBias.getGradient(), scalars);
        }
    }

    /** Reads the parts into {@link SideFeatures} and writes the combined rows into the block's tables. */
    void writeBack() {
        if (vectors == null) {
            return;
        }
        int used = features.vectors().length;
        System.arraycopy(vectors.toFloatArray(), 0, features.vectors(), 0, used);
        if (vectorBias != null) {
            System.arraycopy(vectorBias.toFloatArray(), 0, features.biases(), 0, features.biases().length);
        }
        if (ids != null) {
            System.arraycopy(ids.toFloatArray(), 0, features.ids(), 0, features.ids().length);
            if (idBias != null) {
                System.arraycopy(idBias.toFloatArray(), 0, features.idBiases(), 0, features.idBiases().length);
            }
        }
        float[] combined = new float[rows * factors];
        float[] combinedBias = biasTable != null ? biasTable.getArray().toFloatArray() : null;
        features.combineAll(combined, combinedBias);
        factorTable.getArray().set(combined);
        if (combinedBias != null) {
            biasTable.getArray().set(combinedBias);
        }
    }

    /** Frees the parts on the device. */
    void close() {
        for (NDArray a : new NDArray[] {ids, idBias, vectors, vectorBias}) {
            if (a != null) {
                a.close();
            }
        }
        ids = null;
        idBias = null;
        vectors = null;
        vectorBias = null;
    }
}
