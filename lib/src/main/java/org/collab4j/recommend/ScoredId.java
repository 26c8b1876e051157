package org.collab4j.recommend;

/**
 * An item (or user) with a score: a predicted rating, a similarity, a bias or a projection, depending on the
 * method that returned it.
 *
 * @param id the original id
 * @param score the score
 * @param title the title from the recommender's {@link Titles}, or {@code null} when it has none for this id
 */
public record ScoredId(String id, float score, String title) {

    /**
     * Returns the title when there is one, else the id: what to show a person.
     *
     * @return the title or the id
     */
    public String label() {
        return title != null ? title : id;
    }
}
