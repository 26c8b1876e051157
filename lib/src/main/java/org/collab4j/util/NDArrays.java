package org.collab4j.util;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;

/** Copies between DJL arrays and the Java heap that leave nothing behind on any device. */
public final class NDArrays {

    private NDArrays() {}

    /**
     * Copies an array's values to the Java heap, from any device.
     *
     * <p>DJL 0.25's {@code NDArray.toFloatArray()} on a GPU array first makes a CPU copy that it attaches to the
     * array's manager and never closes; for a model's parameters that manager lives as long as the model, so
     * every call leaked a host copy of the weights (found on an H100: the native array count grew by one per
     * parameter per epoch through the divergence guard's snapshot). This closes the copy at once.
     *
     * @param array the array, on any device
     * @return its values in row-major order
     */
    public static float[] toFloatArray(NDArray array) {
        if (array.getDevice().equals(Device.cpu())) {
            return array.toFloatArray();
        }
        try (NDArray host = array.toDevice(Device.cpu(), false)) {
            return host.toFloatArray();
        }
    }
}
