package org.collab4j.recommend;

import java.util.List;

/**
 * The top items for one user.
 *
 * @param userId the user's original id
 * @param items the items, best first, with their predicted ratings
 */
public record UserRecommendations(String userId, List<ScoredId> items) {

    /**
     * Creates the record with an unmodifiable copy of the items.
     *
     * @param userId the user's original id
     * @param items the items, best first
     */
    public UserRecommendations {
        items = List.copyOf(items);
    }
}
