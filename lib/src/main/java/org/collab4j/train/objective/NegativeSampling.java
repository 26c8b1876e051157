package org.collab4j.train.objective;

/** How the engines draw negatives for a {@link SampledObjective}. */
public enum NegativeSampling {
    /** Every item equally likely. */
    UNIFORM,
    /** Items in proportion to their number of training interactions (plus one). */
    POPULARITY
}
