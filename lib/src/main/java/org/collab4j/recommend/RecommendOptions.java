package org.collab4j.recommend;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Per-call choices for {@link Recommender#recommend(String, int, RecommendOptions)}: which items may be
 * recommended. Immutable; build with {@link #builder()} ({@link #DEFAULT} leaves out the user's training items and
 * nothing else, as {@link Recommender#recommend(String, int)} does).
 *
 * <pre>{@code
 * RecommendOptions inStock = RecommendOptions.builder()
 *         .optCandidates(catalogue.inStockIds())      // rank only these
 *         .optExclude(cart.itemIds())                 // and never these
 *         .optFilter(id -> !id.startsWith("adult-"))  // nor these
 *         .build();
 * recommender.recommend("42", 10, inStock);
 * }</pre>
 */
public final class RecommendOptions {

    /** The user's training items left out, every other known item a candidate. */
    public static final RecommendOptions DEFAULT = builder().build();

    private final boolean excludeTrainingItems;
    private final Set<String> exclude;
    private final Set<String> candidates;
    private final Predicate<String> filter;

    private RecommendOptions(Builder builder) {
        excludeTrainingItems = builder.excludeTrainingItems;
        exclude = Set.copyOf(builder.exclude);
        candidates = builder.candidates != null ? Set.copyOf(builder.candidates) : null;
        filter = builder.filter;
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns whether the user's training items are left out.
     *
     * @return {@code true} unless turned off
     */
    public boolean excludesTrainingItems() {
        return excludeTrainingItems;
    }

    /**
     * Returns the item ids never recommended.
     *
     * @return the ids (unmodifiable, possibly empty)
     */
    public Set<String> exclude() {
        return exclude;
    }

    /**
     * Returns the item ids that alone may be recommended, or {@code null} for every known item.
     *
     * @return the ids (unmodifiable), or {@code null}
     */
    public Set<String> candidates() {
        return candidates;
    }

    /**
     * Returns the test an item id must pass, or {@code null}.
     *
     * @return the predicate, or {@code null}
     */
    public Predicate<String> filter() {
        return filter;
    }

    /** Builds {@link RecommendOptions}. */
    public static final class Builder {
        private boolean excludeTrainingItems = true;
        private final Set<String> exclude = new LinkedHashSet<>();
        private Set<String> candidates;
        private Predicate<String> filter;

        private Builder() {}

        /**
         * Sets whether the user's training items are left out (default {@code true}; {@code false} suits "buy
         * again" lists and re-watching).
         *
         * @param exclude whether to leave them out
         * @return this builder
         */
        public Builder optExcludeTrainingItems(boolean exclude) {
            this.excludeTrainingItems = exclude;
            return this;
        }

        /**
         * Adds item ids never to recommend (ids the model does not know are ignored).
         *
         * @param itemIds the ids
         * @return this builder
         * @throws NullPointerException if the collection or an id is {@code null}
         */
        public Builder optExclude(Collection<String> itemIds) {
            Objects.requireNonNull(itemIds, "itemIds");
            for (String id : itemIds) {
                exclude.add(Objects.requireNonNull(id, "itemIds holds a null id"));
            }
            return this;
        }

        /**
         * Restricts the recommendations to these item ids (the user's training items and {@link #optExclude}
         * still apply). Ids the model does not know are ignored; if none is known the call is an error.
         *
         * @param itemIds the candidates, at least one
         * @return this builder
         * @throws IllegalArgumentException if the collection is empty
         * @throws NullPointerException if the collection or an id is {@code null}
         */
        public Builder optCandidates(Collection<String> itemIds) {
            Objects.requireNonNull(itemIds, "itemIds");
            if (itemIds.isEmpty()) {
                throw new IllegalArgumentException("the candidate list is empty, so nothing could be recommended:"
                        + " pass at least one item id, or leave optCandidates out to rank every known item");
            }
            Set<String> copy = new LinkedHashSet<>();
            for (String id : itemIds) {
                copy.add(Objects.requireNonNull(id, "itemIds holds a null id"));
            }
            candidates = copy;
            return this;
        }

        /**
         * Sets a test an item id must pass to be recommended (called once per candidate item and call; it must
         * be thread-safe if the recommender is shared).
         *
         * @param filter the test, or {@code null} for none
         * @return this builder
         */
        public Builder optFilter(Predicate<String> filter) {
            this.filter = filter;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public RecommendOptions build() {
            return new RecommendOptions(this);
        }
    }
}
