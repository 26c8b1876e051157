package org.collab4j.data;

/** How {@link Interactions#aggregate(Ratings, Aggregation)} merges repeated events of one (user, item) pair. */
public enum Aggregation {
    /** One row per pair whose value is the number of events (their weights are ignored). */
    COUNT,
    /** One row per pair whose value is the sum of the events' weights. */
    SUM
}
