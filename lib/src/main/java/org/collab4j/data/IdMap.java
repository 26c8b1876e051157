package org.collab4j.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, bidirectional map between original ids (as they appear in a ratings file) and the
 * contiguous indices {@code 0..size()-1} that select rows of an embedding table.
 *
 * <p>Indices are given in order of first appearance: the first id added gets 0, the next new id
 * gets 1, and so on. Two maps are equal when they hold the same ids in the same order.
 */
public final class IdMap {

    private static final int TO_STRING_IDS = 5;

    private final Map<String, Integer> indices;
    private final List<String> ids;

    private IdMap(Map<String, Integer> indices, List<String> ids) {
        this.indices = indices;
        this.ids = Collections.unmodifiableList(ids);
    }

    /**
     * Returns a builder that assigns indices in order of first appearance.
     *
     * @return a new, empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a map whose index {@code i} is {@code ids.get(i)}.
     *
     * @param ids the ids, in index order; no nulls, no duplicates
     * @return the map
     * @throws IllegalArgumentException if an id is null or appears twice
     */
    public static IdMap of(List<String> ids) {
        Builder builder = new Builder();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id == null) {
                throw new IllegalArgumentException("ids[" + i + "] is null; every id must be a non-null string");
            }
            int index = builder.add(id);
            if (index != i) {
                throw new IllegalArgumentException(
                        "id \"" + id + "\" appears twice, at positions " + index + " and " + i
                                + "; IdMap.of needs distinct ids (use IdMap.builder() to drop repeats)");
            }
        }
        return builder.build();
    }

    /**
     * Returns a map that keeps this map's ids at their indices and appends the ids of {@code more} that this map
     * lacks, in {@code more}'s order: what a model's id map becomes when training goes on with new users or items
     * (the rows of the old ones stay where they are).
     *
     * @param more the ids to add
     * @return the extended map ({@code this} when {@code more} adds nothing)
     */
    public IdMap extendedWith(IdMap more) {
        Builder builder = new Builder();
        for (String id : ids) {
            builder.add(id);
        }
        for (String id : more.ids) {
            builder.add(id);
        }
        return builder.ids.size() == ids.size() ? this : builder.build();
    }

    /**
     * Returns the number of ids.
     *
     * @return the number of ids, which is also one more than the largest index
     */
    public int size() {
        return ids.size();
    }

    /**
     * Returns the index of an id.
     *
     * @param id the original id
     * @return its index, or -1 if the map does not contain it
     */
    public int indexOf(String id) {
        Integer index = indices.get(id);
        return index == null ? -1 : index;
    }

    /**
     * Tells whether the map contains an id.
     *
     * @param id the original id
     * @return true if {@link #indexOf(String)} would return an index
     */
    public boolean contains(String id) {
        return indices.containsKey(id);
    }

    /**
     * Returns the original id at an index.
     *
     * @param index an index in {@code 0..size()-1}
     * @return the id
     * @throws IndexOutOfBoundsException if the index is outside {@code 0..size()-1}
     */
    public String id(int index) {
        if (index < 0 || index >= ids.size()) {
            throw new IndexOutOfBoundsException(
                    "index " + index + " is out of range for an IdMap of " + ids.size() + " ids (valid: 0.."
                            + (ids.size() - 1) + ")");
        }
        return ids.get(index);
    }

    /**
     * Returns all ids in index order.
     *
     * @return an unmodifiable list whose element {@code i} is {@code id(i)}
     */
    public List<String> ids() {
        return ids;
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof IdMap && ids.equals(((IdMap) o).ids);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return ids.hashCode();
    }

    /**
     * Returns the size and the first few ids, e.g. {@code IdMap[size=610, ids=1, 2, 3, 4, 5, ...]}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        List<String> head = ids.subList(0, Math.min(TO_STRING_IDS, ids.size()));
        String more = ids.size() > TO_STRING_IDS ? ", ..." : "";
        return "IdMap[size=" + ids.size() + ", ids=" + String.join(", ", head) + more + "]";
    }

    /** Collects ids and gives each new one the next index. */
    public static final class Builder {

        private final Map<String, Integer> indices = new HashMap<>();
        private final List<String> ids = new ArrayList<>();

        Builder() {}

        /**
         * Adds an id if it is new.
         *
         * @param id the original id
         * @return the id's index: the existing one if it was added before, else {@code size} before the
         *     call
         * @throws IllegalArgumentException if the id is null
         */
        public int add(String id) {
            if (id == null) {
                throw new IllegalArgumentException("id is null; every id must be a non-null string");
            }
            Integer index = indices.putIfAbsent(id, ids.size());
            if (index != null) {
                return index;
            }
            ids.add(id);
            return ids.size() - 1;
        }

        /**
         * Returns a map of the ids added so far. The builder stays usable; later additions do not
         * change maps already built.
         *
         * @return the map
         */
        public IdMap build() {
            return new IdMap(new HashMap<>(indices), new ArrayList<>(ids));
        }
    }
}
