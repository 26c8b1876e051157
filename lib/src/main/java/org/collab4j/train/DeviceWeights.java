package org.collab4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

import org.collab4j.util.NDArrays;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The divergence guard's copy of the weights at the start of an epoch, kept on the training device: one native
 * copy per parameter per epoch and no transfer. Only a restore, after a divergence, goes through the host.
 * The copies belong to the epoch's scope and are freed with it.
 */
final class DeviceWeights {

    private final Map<Parameter, NDArray> copies = new LinkedHashMap<>();

    DeviceWeights(Iterable<Parameter> parameters) {
        for (Parameter p : parameters) {
            copies.put(p, p.getArray().duplicate());
        }
    }

    /** Puts the copies back into the parameters. */
    void restore() {
        copies.forEach((p, copy) -> p.getArray().set(NDArrays.toFloatArray(copy)));
    }
}
