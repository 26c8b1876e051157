package org.collab4j.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.collab4j.kernel.FeatureMatrix;

/**
 * Side information for one side of a model — items (genres, tags, year) or users (age, country) — as named
 * features: row {@code r} is the entity {@code ids().id(r)}, and its features are the sparse row {@code r} of
 * {@link #matrix()}, whose columns are {@link #featureNames()} (e.g. {@code genre=Comedy}, {@code tag=funny},
 * {@code year}). Categorical values weigh 1; numeric columns carry their standardised value, and the table records
 * each numeric column's z-score ({@link #numericScales()}: the mean and spread of the file it was read from), so that
 * serving can put a file's numbers on the scale a model trained with.
 *
 * <p>Immutable. Tables read from files are checked line by line by their reader; {@link #alignedTo} lays a table out
 * in a model's id order, and {@link #join} puts two tables of the same entities side by side.
 */
public final class FeatureTable {

    private final IdMap ids;
    private final List<String> featureNames;
    private final FeatureMatrix matrix;
    private final String source;
    private final Map<String, NumericScale> numericScales;
    /** Per column name (a numeric feature, or a categorical feature's part before '='): where it was read. */
    private final Map<String, String> origins;

    private FeatureTable(IdMap ids, List<String> featureNames, FeatureMatrix matrix, String source,
            Map<String, NumericScale> numericScales, Map<String, String> origins) {
        this.ids = ids;
        this.featureNames = featureNames;
        this.matrix = matrix;
        this.source = source;
        this.numericScales = numericScales;
        this.origins = origins;
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
        return of(ids, featureNames, matrix, source, Map.of());
    }

    /**
     * A table from its parts, with the scales its numeric features' values were standardised on.
     *
     * @param ids the entities, one per row of {@code matrix}
     * @param featureNames the features, one per column of {@code matrix}, distinct
     * @param matrix the entities' features
     * @param source where the table came from, for messages (a file name)
     * @param numericScales for each numeric feature (by name, one of {@code featureNames}), the mean and standard
     *     deviation its values were standardised with; empty when no feature is numeric or the values are already on
     *     the scale a model needs
     * @return the table
     * @throws IllegalArgumentException if the sizes disagree, a feature name repeats, or a scale names no feature
     */
    public static FeatureTable of(IdMap ids, List<String> featureNames, FeatureMatrix matrix, String source,
            Map<String, NumericScale> numericScales) {
        return of(ids, featureNames, matrix, source, numericScales, Map.of());
    }

    /** As the public {@code of}, with where each column was read (the reader's). */
    static FeatureTable of(IdMap ids, List<String> featureNames, FeatureMatrix matrix, String source,
            Map<String, NumericScale> numericScales, Map<String, String> origins) {
        Objects.requireNonNull(source, "source");
        if (ids.size() != matrix.rows() || featureNames.size() != matrix.features()) {
            throw new IllegalArgumentException("a feature table of " + ids.size() + " ids and "
                    + featureNames.size() + " feature names cannot hold " + matrix);
        }
        IdMap names = IdMap.of(featureNames); // throws on a repeated name
        Map<String, NumericScale> scales = new LinkedHashMap<>();
        for (Map.Entry<String, NumericScale> e : numericScales.entrySet()) {
            if (!names.contains(e.getKey())) {
                throw new IllegalArgumentException("a feature table's scale for '" + e.getKey() + "' names none of"
                        + " its " + featureNames.size() + " features");
            }
            scales.put(e.getKey(), Objects.requireNonNull(e.getValue(), "scale"));
        }
        return new FeatureTable(ids, Collections.unmodifiableList(new ArrayList<>(featureNames)), matrix, source,
                Collections.unmodifiableMap(scales), Map.copyOf(origins));
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
     * The z-scores of the numeric features: each numeric feature's value in {@link #matrix()} is
     * {@code (x − mean) / sd} with its scale here (the mean and standard deviation over the file the table was read
     * from). Empty for a table without numeric features, or one built with {@link #of(IdMap, List, FeatureMatrix,
     * String)}.
     *
     * @return the scales by feature name, in column order
     */
    public Map<String, NumericScale> numericScales() {
        return numericScales;
    }

    /**
     * Where a column of this table was read, for messages that point at it: e.g. {@code movies.csv, line 1 (the
     * header), column 'title'} for {@code year}, or {@code movies.csv, line 1 (the header), column 'genres'} for
     * {@code genre} (a categorical feature's column is its name's part before {@code =}).
     *
     * @param column a numeric feature's name, or a categorical feature's column ({@code genre} of
     *     {@code genre=Comedy})
     * @return the file, line and column it was read from; for a table not read from a file, its source and the name
     */
    public String origin(String column) {
        String at = origins.get(column);
        return at != null ? at : source + ", column '" + column + "'";
    }

    /**
     * This table's rows in the order of {@code entities}: row {@code i} of the result holds the features of
     * {@code entities.id(i)}, empty when this table does not list that entity. The numeric values and their scales
     * stay those of the whole table.
     *
     * @param entities a model's ids for this side
     * @return the aligned table, with {@code entities} as its ids
     */
    public FeatureTable alignedTo(IdMap entities) {
        int[] rows = new int[entities.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = ids.indexOf(entities.id(i));
        }
        return new FeatureTable(entities, featureNames, matrix.select(rows), source, numericScales, origins);
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
     * (this table's first); an entity one table does not list has no features from it. Both tables' numeric scales
     * carry over.
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
        Map<String, NumericScale> scales = new LinkedHashMap<>(numericScales);
        scales.putAll(other.numericScales);
        Map<String, String> where = new LinkedHashMap<>(other.origins);
        where.putAll(origins);
        return of(union, names, FeatureMatrix.of(offsets, columns, values, names.size()),
                source + " + " + other.source, scales, where);
    }

    @Override
    public String toString() {
        return "FeatureTable[" + source + ": " + ids.size() + " ids × " + featureNames.size() + " features]";
    }
}
