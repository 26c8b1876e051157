package org.collab4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

import org.collab4j.engine.Engines;

/** Helpers for block tests: initialise, set weights by name, predict. */
final class BlockTesting {

    private BlockTesting() {}

    static NDManager manager() {
        return Engines.pytorch().newBaseManager();
    }

    static void init(Block block, NDManager manager) {
        block.initialize(manager, DataType.FLOAT32, new Shape(1), new Shape(1));
    }

    /** Sets a parameter (by its path in {@code getParameters()}, e.g. "userFactors" or "hidden0_weight"). */
    static void set(Block block, String name, float[] values) {
        block.getParameters().get(name).getArray().set(values);
    }

    static float[] predict(Block block, NDManager manager, long[] users, long[] items, boolean training) {
        NDList input = new NDList(manager.create(users), manager.create(items));
        NDArray out = block.forward(new ParameterStore(manager, false), input, training).singletonOrThrow();
        return out.toFloatArray();
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
