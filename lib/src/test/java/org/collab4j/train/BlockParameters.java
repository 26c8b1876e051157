package org.collab4j.train;

/** Reads and writes a learner's block parameters by name, for tests that set weights and check updates by hand. */
public final class BlockParameters {

    private BlockParameters() {}

    /**
     * Sets a parameter's values.
     *
     * @param learner the learner
     * @param name the parameter's name, e.g. {@code userFactors}
     * @param values its values, row by row
     */
    public static void set(CollabLearner learner, String name, float... values) {
        for (var pair : learner.getBlock().getParameters()) {
            if (pair.getKey().equals(name)) {
                pair.getValue().getArray().set(values);
                return;
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    /**
     * Returns a parameter's values.
     *
     * @param learner the learner
     * @param name the parameter's name
     * @return its values, row by row
     */
    public static float[] get(CollabLearner learner, String name) {
        for (var pair : learner.getBlock().getParameters()) {
            if (pair.getKey().equals(name)) {
                return pair.getValue().getArray().toFloatArray();
            }
        }
        throw new AssertionError("no parameter " + name);
    }
}
