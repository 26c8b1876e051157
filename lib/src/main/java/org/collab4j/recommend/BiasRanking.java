package org.collab4j.recommend;

import java.util.List;

/**
 * The highest and lowest learned biases of one side of an {@code EmbeddingDotBias} model. An item's bias says how
 * much more (or less) it is liked than its raters' habits and its factors predict; a user's, how generously they
 * rate. Scores are the raw biases, in the model's units before the sigmoid.
 *
 * @param highest the ids with the highest bias, highest first
 * @param lowest the ids with the lowest bias, lowest first
 */
public record BiasRanking(List<ScoredId> highest, List<ScoredId> lowest) {

    /**
     * Creates the record with unmodifiable copies of the lists.
     *
     * @param highest the ids with the highest bias, highest first
     * @param lowest the ids with the lowest bias, lowest first
     */
    public BiasRanking {
        highest = List.copyOf(highest);
        lowest = List.copyOf(lowest);
    }
}
