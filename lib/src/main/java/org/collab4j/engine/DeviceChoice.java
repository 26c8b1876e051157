package org.collab4j.engine;

import ai.djl.Device;

/**
 * The device Collab4J trains on and why it was chosen.
 *
 * @param device the device
 * @param reason a sentence saying why, e.g. "DJL sees 1 GPU and the CUDA natives are loaded"
 */
public record DeviceChoice(Device device, String reason) {

    @Override
    public String toString() {
        return device + " (" + reason + ")";
    }
}
