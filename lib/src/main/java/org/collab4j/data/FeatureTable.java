package org.collab4j.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.collab4j.kernel.FeatureMatrix;

/**
 * Side information for one side of a model — items (genres, tags, year) or users (age, country) — as named
 * features: row {@code r} is the entity {@code ids().id(r)}, and its features are the sparse row {@code r} of
 * {@link #matrix()}, whose columns are {@link #featureNames()} (e.g. {@code genre=Comedy}, {@code tag=funny},
 * {@code year}). Categorical values weigh 1; numeric columns carry their standardised value.
 *
 * <p>Immutable. Tables read from files are checked line by line by their reader; {@link #alignedTo} lays a table out
 * in a model's id order, and {@link #join} puts two tables of the same entities side by side.
 */
public final class FeatureTable {

    private final IdMap ids;
    private final List<String> featureNames;
    private final FeatureMatrix matrix;
    private final String source;

    private FeatureTable(IdMap ids, List<String> featureNames, FeatureMatrix matrix, String source) {
        this.ids = ids;
        this.featureNames = featureNames;
        this.matrix = matrix;
        this.source = source;
    }

    /**
     * A table from its parts.
     *
     * @param ids the entities, one per row of {@code matrix}
     * @param featureNames the features, one per column of {@code matrix}, distinct
     * @param matrix the entities' features
     * @param source where the table came from, for messages (a file name)
     * @return the table
     * @throws IllegalArgumentException if the sizes disagree or a feature name repeats
     */
    public static FeatureTable of(IdMap ids, List<String> featureNames, FeatureMatrix matrix, String source) {
        Objects.requireNonNull(source, "source");
        if (ids.size() != matrix.rows() || featureNames.size() != matrix.features()) {
            throw new IllegalArgumentException("a feature table of " + ids.size() + " ids and "
                    + featureNames.size() + " feature names cannot hold " + matrix);
        }
        IdMap.of(featureNames); // throws on a repeated name
        return new FeatureTable(ids, Collections.unmodifiableList(new ArrayList<>(featureNames)), matrix, source);
    }

    /** @return the entities, in row order */
    public IdMap ids() {
        return ids;
    }

    /** @return the features' names, in column order */
    public List<String> featureNames() {
        return featureNames;
    }

    /** @return the entities' features */
    public FeatureMatrix matrix() {
        return matrix;
    }

    /** @return where the table came from (a file name), for messages */
    public String source() {
        return source;
    }

    /**
     * This table's rows in the order of {@code entities}: row {@code i} of the result holds the features of
     * {@code entities.id(i)}, empty when this table does not list that entity.
     *
     * @param entities a model's ids for this side
     * @return the aligned table, with {@code entities} as its ids
     */
    public FeatureTable alignedTo(IdMap entities) {
        int[] rows = new int[entities.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = ids.indexOf(entities.id(i));
        }
        return new FeatureTable(entities, featureNames, matrix.select(rows), source);
    }

    /**
     * The entities of this table that {@code entities} does not hold (new items to serve from their features).
     *
     * @param entities a model's ids for this side
     * @return the ids listed here and absent there, in this table's order
     */
    public List<String> idsNotIn(IdMap entities) {
        List<String> missing = new ArrayList<>();
        for (String id : ids.ids()) {
            if (!entities.contains(id)) {
                missing.add(id);
            }
        }
        return missing;
    }

    /**
     * The two tables side by side: this table's features, then {@code other}'s, for the union of their entities
     * (this table's first); an entity one table does not list has no features from it.
     *
     * @param other another table of the same side
     * @return the joined table
     * @throws IllegalArgumentException if a feature name appears in both
     */
    public FeatureTable join(FeatureTable other) {
        IdMap union = ids.extendedWith(other.ids);
        FeatureMatrix a = alignedTo(union).matrix;
        FeatureMatrix b = other.alignedTo(union).matrix;
        int rows = union.size();
        int[] offsets = new int[rows + 1];
        int[] columns = new int[a.size() + b.size()];
        float[] values = new float[columns.length];
        int at = 0;
        for (int r = 0; r < rows; r++) {
            for (int e = a.start(r); e < a.end(r); e++) {
                columns[at] = a.columns()[e];
                values[at++] = a.values()[e];
            }
            for (int e = b.start(r); e < b.end(r); e++) {
                columns[at] = a.features() + b.columns()[e];
                values[at++] = b.values()[e];
            }
            offsets[r + 1] = at;
        }
        List<String> names = new ArrayList<>(featureNames);
        names.addAll(other.featureNames);
        return of(union, names, FeatureMatrix.of(offsets, columns, values, names.size()),
                source + " + " + other.source);
    }

    @Override
    public String toString() {
        return "FeatureTable[" + source + ": " + ids.size() + " ids × " + featureNames.size() + " features]";
    }
}
