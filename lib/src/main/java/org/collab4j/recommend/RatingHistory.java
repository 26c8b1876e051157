package org.collab4j.recommend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one user rated (or interacted with), by original item ids, for folding that user into a model without
 * retraining ({@link UnknownIdPolicy#FOLD_IN}); or, for an item, which users rated it. Immutable.
 *
 * <pre>{@code
 * RatingHistory history = RatingHistory.builder().add("260", 5).add("1196", 4.5f).add("2571", 4).build();
 * List<ScoredId> top = recommender.recommend("new-user", history, 10);
 * }</pre>
 *
 * <p>The same id twice with the same value counts once; the same id with two different values is refused
 * (a history must say one thing about each item). Values must be finite; whether they fit the model's y-range is
 * checked when the history is used.
 */
public final class RatingHistory {

    /** A history with nothing in it. */
    public static final RatingHistory EMPTY = new RatingHistory(new LinkedHashMap<>());

    private final Map<String, Float> values;

    private RatingHistory(LinkedHashMap<String, Float> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Returns a builder.
     *
     * @return a new, empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a history from a map of ids to ratings.
     *
     * @param ratings the ratings by id
     * @return the history, in the map's order
     * @throws IllegalArgumentException if an id is null or a rating is null or not finite
     */
    public static RatingHistory of(Map<String, Float> ratings) {
        Builder builder = builder();
        ratings.forEach((id, rating) -> {
            if (rating == null) {
                throw new IllegalArgumentException("the rating of '" + id + "' is null");
            }
            builder.add(id, rating);
        });
        return builder.build();
    }

    /**
     * Returns the number of distinct ids.
     *
     * @return the size
     */
    public int size() {
        return values.size();
    }

    /**
     * Returns the ids, in the order they were first added.
     *
     * @return an unmodifiable list
     */
    public List<String> ids() {
        return List.copyOf(values.keySet());
    }

    /**
     * Returns the rating of an id.
     *
     * @param id an id
     * @return its rating, or {@code null} when the history does not hold it
     */
    public Float rating(String id) {
        return values.get(id);
    }

    /**
     * Tells whether the history holds an id.
     *
     * @param id an id
     * @return whether it does
     */
    public boolean contains(String id) {
        return values.containsKey(id);
    }

    /** The entries, for the recommender. */
    Map<String, Float> entries() {
        return values;
    }

    /**
     * Returns the size and the first few entries, e.g. {@code RatingHistory(3: 260=5.0, 1196=4.5, 2571=4.0)}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        List<String> head = new ArrayList<>();
        for (Map.Entry<String, Float> e : values.entrySet()) {
            if (head.size() == 5) {
                head.add("...");
                break;
            }
            head.add(e.getKey() + "=" + e.getValue());
        }
        return "RatingHistory(" + values.size() + ": " + String.join(", ", head) + ")";
    }

    /** Collects a {@link RatingHistory}. */
    public static final class Builder {

        private final LinkedHashMap<String, Float> values = new LinkedHashMap<>();

        Builder() {}

        /**
         * Adds a rating.
         *
         * @param id the item's (or, for an item's history, the user's) original id
         * @param rating the rating, or the strength of an interaction (1 for a plain one)
         * @return this builder
         * @throws IllegalArgumentException if the id is null, the rating not finite, or the id was added before
         *     with another rating
         */
        public Builder add(String id, float rating) {
            if (id == null) {
                throw new IllegalArgumentException("a history's ids must not be null");
            }
            if (!Float.isFinite(rating)) {
                throw new IllegalArgumentException("the rating of '" + id + "' is " + rating
                        + ": a history needs finite ratings");
            }
            Float before = values.putIfAbsent(id, rating);
            if (before != null && before != rating) {
                throw new IllegalArgumentException("'" + id + "' appears twice in the history, rated " + before
                        + " and " + rating + ": keep one of them (a history says one thing about each item)");
            }
            return this;
        }

        /**
         * Builds the history.
         *
         * @return the history
         */
        public RatingHistory build() {
            return new RatingHistory(new LinkedHashMap<>(values));
        }
    }
}
