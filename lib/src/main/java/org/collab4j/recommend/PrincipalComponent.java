package org.collab4j.recommend;

import java.util.List;

/**
 * One principal component of the item factors, and the items at either end of it. The sign of a component is
 * arbitrary; Collab4J turns each so that its largest coefficient is positive, which makes results reproducible.
 *
 * @param number the component's rank, from 1 (the most variance)
 * @param variance the variance of the items' factors along it (the covariance matrix's eigenvalue)
 * @param varianceShare its share of the total variance, in {@code [0, 1]}
 * @param positive the items with the highest projection on it, highest first; scores are the projections
 * @param negative the items with the lowest projection on it, lowest first
 */
public record PrincipalComponent(int number, double variance, double varianceShare, List<ScoredId> positive,
        List<ScoredId> negative) {

    /**
     * Creates the record with unmodifiable copies of the lists.
     *
     * @param number the component's rank, from 1
     * @param variance the variance along it
     * @param varianceShare its share of the total variance
     * @param positive the items with the highest projection, highest first
     * @param negative the items with the lowest projection, lowest first
     */
    public PrincipalComponent {
        positive = List.copyOf(positive);
        negative = List.copyOf(negative);
    }
}
