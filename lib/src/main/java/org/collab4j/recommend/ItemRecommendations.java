package org.collab4j.recommend;

import java.util.List;

/**
 * The top users for one item ({@link Recommender#recommendUsers}).
 *
 * @param itemId the item's original id
 * @param users the users, best first, with their predicted ratings of the item
 */
public record ItemRecommendations(String itemId, List<ScoredId> users) {

    /**
     * Creates the record with an unmodifiable copy of the users.
     *
     * @param itemId the item's original id
     * @param users the users, best first
     */
    public ItemRecommendations {
        users = List.copyOf(users);
    }
}
