package org.collab4j.train;

import ai.djl.nn.Parameter;

import org.collab4j.train.step.SideFeatures;
import org.collab4j.util.NDArrays;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A copy of a model's weights on the Java heap, to put back later (best weights, the LR finder, the divergence
 * guard). Heap copies are device-independent and cost one transfer each way.
 */
public final class WeightsSnapshot {

    private final Map<Parameter, float[]> values = new LinkedHashMap<>();

    /** Side features' vectors and biases, restored with the weights (the step then splits the rows again). */
    private final Map<SideFeatures, float[][]> features = new LinkedHashMap<>();

    WeightsSnapshot(Iterable<Parameter> parameters) {
        for (Parameter p : parameters) {
            values.put(p, NDArrays.toFloatArray(p.getArray()));
        }
    }

    WeightsSnapshot(Iterable<Parameter> parameters, SideFeatures... sides) {
        this(parameters);
        for (SideFeatures side : sides) {
            if (side != null) {
                features.put(side, side.snapshot());
            }
        }
    }

    void restore() {
        values.forEach((p, v) -> p.getArray().set(v));
        features.forEach(SideFeatures::restore);
    }
}
