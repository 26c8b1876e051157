/**
 * Starting DJL's PyTorch engine the way Collab4J needs it: natives from the Maven jars only, thread counts that
 * suit small ops, one clear error when the natives cannot load, and the choice of device (GPU when there is one,
 * else the CPU) with the reason.
 */
package org.collab4j.engine;
