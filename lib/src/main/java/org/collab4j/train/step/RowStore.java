package org.collab4j.train.step;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

import java.util.Map;

/** A parameter store that hands the block gathered rows instead of whole tables. */
final class RowStore extends ParameterStore {
    private final Map<Parameter, NDArray> rows;

    RowStore(NDManager manager, Map<Parameter, NDArray> rows) {
        super(manager, false);
        this.rows = rows;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray value = rows.get(parameter);
        return value != null ? value : super.getValue(parameter, device, training);
    }
}
