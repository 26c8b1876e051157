package org.collab4j.recommend;

import org.collab4j.data.FeatureFormat;
import org.collab4j.data.FeatureTable;
import org.collab4j.data.IdMap;
import org.collab4j.data.NumericScale;
import org.collab4j.io.FeatureEmbeddings;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Csr;
import org.collab4j.kernel.FeatureMatrix;
import org.collab4j.kernel.Side;
import org.collab4j.util.Shown;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Factor rows made from features, for the entities of one side a hybrid model has not trained (cold start): a
 * feature table's columns are matched by name to the model's feature vocabulary ({@link FeatureEmbeddings}), features
 * the vocabulary lacks are ignored and counted (a value of a column whose rare values the model pooled,
 * {@code tag=<other>}, counts as that pooled value), and each entity's row is the weighted mean of its known features'
 * vectors ({@link FeatureEmbeddings#combine} over {@link FeatureMatrix#rowNormalized()}), its bias likewise: the
 * combined row the model's own table holds for an entity it trained without an id embedding. For an
 * {@code EmbeddingNet} with side columns the categorical features are averaged and the numeric ones taken as they
 * are ({@link FeatureMatrix#categoricalMean}), and the id embedding part of the row is zero.
 *
 * <p>Numeric features are put on the model's scale first: a table's value {@code z} of a column standardised over
 * its own file ({@link FeatureTable#numericScales()}) becomes {@code (z·sd_file + mean_file − mean_model) / sd_model}
 * with the scale the model trained with ({@link FeatureEmbeddings#numericScales()}), so a file of new items alone
 * serves them as the training file would have. A table that contradicts the model — a column numeric in one and
 * categorical in the other, or a numeric column without its scale where the model has one — is refused, naming the
 * file, line and column. A model whose scales are unknown (saved before models recorded them) takes the table's
 * values as they are. Immutable.
 */
final class FeatureRows {

    /** How many unknown feature names a report lists. */
    private static final int SAMPLE = 5;

    private final Side side;
    private final List<String> ids;
    private final float[] factors;
    private final float[] biases;
    private final ColdStartReport report;

    private FeatureRows(Side side, List<String> ids, float[] factors, float[] biases, ColdStartReport report) {
        this.side = side;
        this.ids = ids;
        this.factors = factors;
        this.biases = biases;
        this.report = report;
    }

    /**
     * The model's feature vectors for a side.
     *
     * @throws IllegalArgumentException if the model was trained without features on that side
     */
    static FeatureEmbeddings embeddings(TrainedModel model, Side side) {
        return model.features(side).orElseThrow(() -> new IllegalArgumentException("the model was trained without "
                + side.noun() + " features, so it cannot serve " + side.noun() + "s from theirs: train it with"
                + " --" + side.noun() + "-features (CollabLearnerBuilder.opt" + (side == Side.USERS ? "User" : "Item")
                + "Features)"));
    }

    /**
     * The rows of the table's entities the model has not trained (absent from its ids, or present without training
     * ratings), from the features the model knows.
     *
     * @param model the model
     * @param side the table's side
     * @param table the features
     * @return the rows and a report of what was used
     * @throws IllegalArgumentException if the model has no features on that side, the table shares no feature
     *     name with the model's vocabulary (it was read with other columns, or is of the other side), or it
     *     contradicts the model's numeric columns ({@link #scaleOf})
     */
    static FeatureRows of(TrainedModel model, Side side, FeatureTable table) {
        FeatureEmbeddings embeddings = embeddings(model, side);
        IdMap vocabulary = IdMap.of(embeddings.featureNames());
        int[] column = new int[table.featureNames().size()];
        NumericScale[] fileScale = new NumericScale[column.length];
        NumericScale[] modelScale = new NumericScale[column.length];
        // Values the model pooled count once per entity, as the reader counts a pooled value once per id: three rare
        // tags are one tag=<other>, not three.
        boolean[] viaPool = new boolean[column.length];
        Set<String> categorical = categoricalColumns(embeddings);
        List<String> unknown = new ArrayList<>();
        int pooled = 0;
        for (int c = 0; c < column.length; c++) {
            String name = table.featureNames().get(c);
            modelScale[c] = scaleOf(embeddings, vocabulary, categorical, table, name, side);
            fileScale[c] = modelScale[c] == null ? null : table.numericScales().get(name);
            column[c] = vocabulary.indexOf(name);
            if (column[c] < 0) {
                column[c] = pooledColumn(vocabulary, name);
                if (column[c] < 0) {
                    unknown.add(name);
                } else {
                    pooled++;
                    viaPool[c] = true;
                }
            }
        }
        if (column.length > 0 && unknown.size() + pooled == column.length) {
            throw new IllegalArgumentException(table.source() + " (line 1, the header): none of its "
                    + column.length + " " + side.noun() + " features (" + sample(table.featureNames()) + ") is one"
                    + " the model was trained with (" + embeddings.featureNames().size() + ", e.g. "
                    + sample(embeddings.featureNames()) + "): read the file with the columns and format used in"
                    + " training, and check it holds " + side.noun() + " features");
        }
        IdMap modelIds = side == Side.USERS ? model.users() : model.items();
        boolean[] trained = trained(model, side);
        FeatureMatrix matrix = table.matrix();
        List<String> ids = new ArrayList<>();
        int[] offsets = new int[table.ids().size() + 1];
        int[] columns = new int[matrix.size()];
        float[] values = new float[matrix.size()];
        int without = 0;
        int at = 0;
        for (int r = 0; r < table.ids().size(); r++) {
            String id = table.ids().id(r);
            int row = modelIds.indexOf(id);
            if (row >= 0 && trained[row]) {
                continue;
            }
            int start = at;
            for (int e = matrix.start(r); e < matrix.end(r); e++) {
                int f = matrix.columns()[e];
                int c = column[f];
                float v = modelScale[f] == null ? matrix.values()[e]
                        : modelScale[f].restandardised(matrix.values()[e], fileScale[f]);
                if (c >= 0 && v != 0f && !(viaPool[f] && holds(columns, start, at, c))) {
                    columns[at] = c;
                    values[at++] = v;
                }
            }
            if (at == start) {
                without++;
                continue;
            }
            ids.add(id);
            offsets[ids.size()] = at;
        }
        FeatureMatrix known = FeatureMatrix.of(Arrays.copyOf(offsets, ids.size() + 1), Arrays.copyOf(columns, at),
                Arrays.copyOf(values, at), vocabulary.size());
        known = normalized(model, embeddings, known);
        int k = embeddings.factors();
        float[] factors = new float[Math.multiplyExact(ids.size(), k)];
        boolean withBias = model.getConfig().hasBiases();
        float[] biases = withBias ? new float[ids.size()] : null;
        for (int n = 0; n < ids.size(); n++) {
            System.arraycopy(embeddings.combine(known, n), 0, factors, n * k, k);
            if (withBias) {
                biases[n] = embeddings.combineBias(known, n);
            }
        }
        ColdStartReport report = new ColdStartReport(side, table.source(), table.ids().size(),
                table.ids().size() - ids.size() - without, ids.size(), without, column.length, pooled, unknown.size(),
                List.copyOf(unknown.subList(0, Math.min(SAMPLE, unknown.size()))));
        return new FeatureRows(side, List.copyOf(ids), factors, biases, report);
    }

    /**
     * The model's scale for a table's feature when its value must be put on it, after checking the two agree on
     * what is numeric.
     *
     * @return the model's scale for a numeric feature of both, or {@code null} when the value is taken as it is (a
     *     categorical feature, one the model does not know, a model whose scales are unknown, or a table on the
     *     model's own scale)
     * @throws IllegalArgumentException naming the table's file, line and column, if the feature is numeric in the
     *     model and categorical or without a scale in the table, or numeric in the table and categorical in the model
     */
    private static NumericScale scaleOf(FeatureEmbeddings embeddings, IdMap vocabulary, Set<String> categorical,
            FeatureTable table, String name, Side side) {
        Map<String, NumericScale> scales = embeddings.numericScales();
        if (scales == null) {
            return null;
        }
        NumericScale model = scales.get(name);
        NumericScale file = table.numericScales().get(name);
        int at = name.indexOf('=');
        String column = at < 0 ? name : name.substring(0, at);
        if (model != null && file == null) {
            throw contradiction(table, column, "the model's " + side.noun() + " feature " + Shown.quoted(name, 60)
                    + " is numeric, standardised on its training file (mean " + model.mean() + ", sd " + model.sd()
                    + "), but the table gives no scale for its values", "read the file with a FeatureFormat (its"
                    + " reader records each numeric column's scale), or build the table with its scales"
                    + " (FeatureTable.of(..., numericScales))");
        }
        if (model == null && file != null && (vocabulary.contains(name) || categorical.contains(name))) {
            if (categorical.contains(name)) {
                throw contradiction(table, column, "the column is numeric here but categorical in the model (its "
                        + side.noun() + " features include " + Shown.quoted(firstOf(embeddings, name), 60) + ")",
                        "read the column as the model was trained (FeatureColumn.categorical or multiValued), e.g."
                                + " with the training command's column options");
            }
            throw contradiction(table, column, "the column is numeric here, standardised over this file, but the"
                    + " model has no scale for its " + side.noun() + " feature " + Shown.quoted(name, 60)
                    + " (it trained on a table that gave none)", "serve it with a table built as the training one"
                    + " was, without scales (FeatureTable.of(ids, names, matrix, source))");
        }
        if (at > 0 && file == null && scales.containsKey(column)
                && !name.substring(at + 1).equals(FeatureFormat.MISSING)) {
            throw contradiction(table, column, "the column is categorical here (" + Shown.quoted(name, 60) + ") but"
                    + " numeric in the model's " + side.noun() + " features (" + Shown.quoted(column, 60) + ")",
                    "read the column as a number (FeatureColumn.numeric), as the model was trained");
        }
        // The training file itself (the same scale) keeps its values bit for bit.
        return model != null && file != null && !model.equals(file) ? model : null;
    }

    /** The columns (a name's part before {@code =}) of the model's categorical features, missing indicators aside. */
    private static Set<String> categoricalColumns(FeatureEmbeddings embeddings) {
        Set<String> columns = new HashSet<>();
        for (String name : embeddings.featureNames()) {
            int at = name.indexOf('=');
            if (at > 0 && !name.substring(at + 1).equals(FeatureFormat.MISSING)) {
                columns.add(name.substring(0, at));
            }
        }
        return columns;
    }

    private static String firstOf(FeatureEmbeddings embeddings, String column) {
        for (String name : embeddings.featureNames()) {
            if (name.startsWith(column + "=")) {
                return name;
            }
        }
        return column;
    }

    private static IllegalArgumentException contradiction(FeatureTable table, String column, String problem,
            String advice) {
        return new IllegalArgumentException(table.origin(column) + ": " + problem + "; " + advice);
    }

    /** Whether {@code columns[from, to)} holds {@code c}. */
    private static boolean holds(int[] columns, int from, int to, int c) {
        for (int e = from; e < to; e++) {
            if (columns[e] == c) {
                return true;
            }
        }
        return false;
    }

    /**
     * The column of the model's pooled value for a value it does not know: {@code tag=new} goes to
     * {@code tag=<other>} when the model was trained with rare tags pooled there ({@link FeatureFormat#OTHER}).
     *
     * @return the column, or -1
     */
    static int pooledColumn(IdMap vocabulary, String name) {
        int at = name.indexOf('=');
        return at < 0 ? -1 : vocabulary.indexOf(name.substring(0, at + 1) + FeatureFormat.OTHER);
    }

    /** Which rows of a side had training ratings. */
    private static boolean[] trained(TrainedModel model, Side side) {
        Csr rated = model.ratedItems();
        if (side == Side.USERS) {
            boolean[] t = new boolean[model.users().size()];
            for (int u = 0; u < t.length; u++) {
                t[u] = rated.end(u) > rated.start(u);
            }
            return t;
        }
        boolean[] t = new boolean[model.items().size()];
        for (int i : rated.columns()) {
            t[i] = true;
        }
        return t;
    }

    /**
     * A row from named features (a request's): names the vocabulary lacks are ignored.
     *
     * @param model the model
     * @param side the side
     * @param features feature names and their weights (1 for a categorical value)
     * @return the row as the scorer takes it (factors, then the bias for a model with biases), or {@code null} when
     *     no feature is known to the model
     */
    static float[] row(TrainedModel model, Side side, Map<String, Float> features) {
        FeatureEmbeddings embeddings = embeddings(model, side);
        IdMap vocabulary = IdMap.of(embeddings.featureNames());
        int[] columns = new int[features.size()];
        float[] values = new float[features.size()];
        int n = 0;
        Map<String, NumericScale> scales = embeddings.numericScales() == null ? Map.of() : embeddings.numericScales();
        for (Map.Entry<String, Float> e : features.entrySet()) {
            int at = Catalogue.requireId(e.getKey(), "a feature name").indexOf('=');
            if (at > 0 && scales.containsKey(e.getKey().substring(0, at))
                    && !e.getKey().substring(at + 1).equals(FeatureFormat.MISSING)) {
                String column = e.getKey().substring(0, at);
                NumericScale scale = scales.get(column);
                throw new IllegalArgumentException("feature " + Shown.quoted(e.getKey(), 60) + ": " + Shown.quoted(
                        column, 60) + " is numeric in the model's " + side.noun() + " features; give it as "
                        + Shown.quoted(column, 60) + " with its standardised value, (x - " + scale.mean() + ") / "
                        + scale.sd() + " (NumericScale.standardise)");
            }
            int c = vocabulary.indexOf(e.getKey());
            boolean viaPool = c < 0;
            c = c >= 0 ? c : pooledColumn(vocabulary, e.getKey());
            float v = e.getValue() == null ? Float.NaN : e.getValue();
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("feature " + Shown.quoted(e.getKey(), 60) + " has the weight " + v
                        + "; weights must be finite (1 for a categorical value)");
            }
            if (c >= 0 && v != 0f && !(viaPool && holds(columns, 0, n, c))) {
                columns[n] = c;
                values[n++] = v;
            }
        }
        if (n == 0) {
            return null;
        }
        FeatureMatrix m = FeatureMatrix.of(new int[] {0, n}, Arrays.copyOf(columns, n), Arrays.copyOf(values, n),
                vocabulary.size());
        m = normalized(model, embeddings, m);
        int k = embeddings.factors();
        boolean withBias = model.getConfig().hasBiases();
        float[] row = Arrays.copyOf(embeddings.combine(m, 0), withBias ? k + 1 : k);
        if (withBias) {
            row[k] = embeddings.combineBias(m, 0);
        }
        return row;
    }

    /**
     * The rows normalised as the model trained them: LightFM's mean over every feature for the dot models, the
     * mean over the categorical features with the numeric values as they are for an {@code EmbeddingNet}'s side
     * columns ({@link FeatureMatrix#categoricalMean}; its feature vectors are rows of its folded table, so the
     * combined row is {@code [0, side columns]}: a zero id embedding beside the entity's features).
     */
    private static FeatureMatrix normalized(TrainedModel model, FeatureEmbeddings embeddings, FeatureMatrix m) {
        if (model.getConfig().kind() != org.collab4j.model.BlockKind.EMBEDDING_NET) {
            return m.rowNormalized();
        }
        boolean[] numeric = new boolean[m.features()];
        Map<String, NumericScale> scales = embeddings.numericScales();
        for (int f = 0; f < numeric.length; f++) {
            numeric[f] = scales != null && scales.containsKey(embeddings.featureNames().get(f));
        }
        return m.categoricalMean(numeric);
    }

    private static String sample(List<String> names) {
        List<String> shown = new ArrayList<>();
        for (int n = 0; n < Math.min(3, names.size()); n++) {
            shown.add(Shown.quoted(names.get(n), 40));
        }
        return String.join(", ", shown) + (names.size() > 3 ? ", ..." : "");
    }

    /**
     * The model a recommender serves: the model given with the rows of its feature tables' new entities set, which
     * rows are cold (served from features), and what each table served.
     *
     * @param model the served model
     * @param coldUsers the users served from their features, ascending
     * @param coldItems the items served from their features, ascending
     * @param users what the user table served, or {@code null} without one
     * @param items what the item table served, or {@code null} without one
     */
    record Served(TrainedModel model, int[] coldUsers, int[] coldItems, ColdStartReport users,
            ColdStartReport items) {

        /**
         * @param itemTable the items' features, or {@code null}
         * @param userTable the users' features, or {@code null}
         * @param coldItems the cold items of a model an {@link ItemSide} already served, or {@code null}
         */
        static Served of(TrainedModel base, FeatureTable itemTable, FeatureTable userTable, int[] coldItems) {
            TrainedModel served = base;
            int[] cold = coldItems != null ? coldItems : TopN.NONE;
            ColdStartReport items = null;
            if (itemTable != null) {
                FeatureRows rows = FeatureRows.of(served, Side.ITEMS, itemTable);
                served = rows.applyTo(served);
                cold = rows.indicesIn(served);
                items = rows.report();
            }
            int[] coldUsers = TopN.NONE;
            ColdStartReport users = null;
            if (userTable != null) {
                FeatureRows rows = FeatureRows.of(served, Side.USERS, userTable);
                served = rows.applyTo(served);
                coldUsers = rows.indicesIn(served);
                users = rows.report();
            }
            return new Served(served, coldUsers, cold, users, items);
        }
    }

    /** The model with these rows set ({@link TrainedModel#withRows}). */
    TrainedModel applyTo(TrainedModel model) {
        return ids.isEmpty() ? model : model.withRows(side, ids, factors, biases);
    }

    /** The rows' indices in {@code served} (the model {@link #applyTo} returned), ascending. */
    int[] indicesIn(TrainedModel served) {
        IdMap map = side == Side.USERS ? served.users() : served.items();
        return ids.stream().mapToInt(map::indexOf).sorted().toArray();
    }

    /** @return what the table gave */
    ColdStartReport report() {
        return report;
    }
}
