package org.collab4j.train.objective;

/**
 * A ranking objective trained by gradient steps against negatives that the engine draws: the
 * {@link PairwiseObjective}s and {@link ListwiseObjective}s. The engine owns the drawing (on the host, skipping a
 * user's own items where the family says so; on the device, without a host copy); the objective says from which
 * distribution.
 */
public interface SampledObjective extends Objective {

    /**
     * Returns how negatives are drawn.
     *
     * @return the distribution
     */
    NegativeSampling sampling();
}
