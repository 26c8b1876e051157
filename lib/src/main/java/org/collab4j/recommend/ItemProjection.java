package org.collab4j.recommend;

/**
 * An item's position on the leading principal components of the item factors, from
 * {@link Recommender#itemPcaProjection}: the coordinates behind fast.ai's map of movies on two components.
 *
 * @param id the item's original id
 * @param title the title from the recommender's {@link Titles}, or {@code null} when it has none for this id
 * @param ratingCount how many users rated the item in training
 * @param coordinates the projection on components 1, 2, ... ({@code coordinates[0]} on the first)
 */
public record ItemProjection(String id, String title, int ratingCount, double[] coordinates) {

    /**
     * Creates the record with a copy of the coordinates.
     *
     * @param id the item's original id
     * @param title the title, or {@code null}
     * @param ratingCount how many users rated the item in training
     * @param coordinates the projection on components 1, 2, ...
     */
    public ItemProjection {
        coordinates = coordinates.clone();
    }

    /**
     * Returns a copy of the coordinates.
     *
     * @return the projection on components 1, 2, ...
     */
    @Override
    public double[] coordinates() {
        return coordinates.clone();
    }

    /**
     * Returns the coordinate on one component.
     *
     * @param component the component, from 1
     * @return the projection on it
     */
    public double coordinate(int component) {
        return coordinates[component - 1];
    }

    /**
     * Returns the title when there is one, else the id: what to show a person.
     *
     * @return the title or the id
     */
    public String label() {
        return title != null ? title : id;
    }
}
