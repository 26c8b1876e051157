package org.collab4j.data;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One column of a feature file and the features it gives, for a {@link FeatureFormat}:
 *
 * <ul>
 *   <li>{@link #categorical categorical}: one value per line, the feature {@code name=value} (weight 1);
 *   <li>{@link #multiValued multi-valued}: values split by a separator, as MovieLens's
 *       {@code Adventure|Animation|Children}, one feature {@code name=value} each;
 *   <li>{@link #numeric numeric}: a number, the feature {@code name} weighted by the number standardised over the
 *       file (z-score); an empty field is missing (see {@link FeatureFormat}).
 * </ul>
 *
 * <p>The feature name is the header name of the column unless {@link #named} says otherwise (a column chosen by
 * position must be named). Several categorical columns may share a name: their values share one vocabulary (the
 * 19 genre flag columns of ML-100k's {@code u.item} all give {@code genre=...}). {@link #mapped} turns each raw
 * value (trimmed; for a multi-valued column each part, trimmed) into the value used: null or empty means none (a
 * missing number), and an {@link IllegalArgumentException} is reported as a {@link FeatureFileException} naming
 * the line and column, with the exception's message as the problem. Immutable.
 */
public final class FeatureColumn {

    /** How a column's text becomes features. */
    public enum Kind {
        /** One value, the feature {@code name=value}. */
        CATEGORICAL,
        /** Values split by a separator, a feature {@code name=value} each. */
        MULTI_VALUED,
        /** A number, the feature {@code name} weighted by its standardised value. */
        NUMERIC
    }

    private final Column source;
    private final Kind kind;
    private final String separator;
    private final String name;
    private final UnaryOperator<String> mapping;

    private FeatureColumn(Column source, Kind kind, String separator, String name, UnaryOperator<String> mapping) {
        this.source = source;
        this.kind = kind;
        this.separator = separator;
        this.name = name;
        this.mapping = mapping;
    }

    /**
     * A categorical column chosen by header name; the features are {@code column=value}.
     *
     * @param column the header name
     * @return the column
     */
    public static FeatureColumn categorical(String column) {
        return new FeatureColumn(Column.named(checkName(column)), Kind.CATEGORICAL, null, column, null);
    }

    /**
     * A categorical column chosen by 0-based position; give it a feature name with {@link #named}.
     *
     * @param index the 0-based position
     * @return the column
     */
    public static FeatureColumn categorical(int index) {
        return new FeatureColumn(Column.at(checkIndex(index)), Kind.CATEGORICAL, null, null, null);
    }

    /**
     * A multi-valued column chosen by header name: the values are split at each {@code separator}.
     *
     * @param column the header name
     * @param separator what separates the values, e.g. {@code |}; not empty
     * @return the column
     */
    public static FeatureColumn multiValued(String column, String separator) {
        return new FeatureColumn(Column.named(checkName(column)), Kind.MULTI_VALUED, checkSeparator(separator),
                column, null);
    }

    /**
     * A multi-valued column chosen by 0-based position; give it a feature name with {@link #named}.
     *
     * @param index the 0-based position
     * @param separator what separates the values; not empty
     * @return the column
     */
    public static FeatureColumn multiValued(int index, String separator) {
        return new FeatureColumn(Column.at(checkIndex(index)), Kind.MULTI_VALUED, checkSeparator(separator), null,
                null);
    }

    /**
     * A numeric column chosen by header name: the feature {@code column}, weighted by the standardised number.
     *
     * @param column the header name
     * @return the column
     */
    public static FeatureColumn numeric(String column) {
        return new FeatureColumn(Column.named(checkName(column)), Kind.NUMERIC, null, column, null);
    }

    /**
     * A numeric column chosen by 0-based position; give it a feature name with {@link #named}.
     *
     * @param index the 0-based position
     * @return the column
     */
    public static FeatureColumn numeric(int index) {
        return new FeatureColumn(Column.at(checkIndex(index)), Kind.NUMERIC, null, null, null);
    }

    /**
     * This column with another feature name: {@code genre=Comedy} rather than {@code genres=Comedy}.
     *
     * @param featureName the name before {@code =}; not empty, without {@code =}
     * @return the renamed column
     */
    public FeatureColumn named(String featureName) {
        checkName(featureName);
        if (featureName.indexOf('=') >= 0) {
            throw new IllegalArgumentException("a feature name must not contain '=', got "
                    + RatingsReader.shown(featureName));
        }
        return new FeatureColumn(source, kind, separator, featureName, mapping);
    }

    /**
     * This column with each raw value turned into the value used (after any earlier mapping): null or empty for
     * none, an {@link IllegalArgumentException} (whose message becomes the problem) for a value to refuse.
     *
     * @param valueMapping the mapping, e.g. {@code v -> v.toLowerCase(Locale.ROOT)}
     * @return the mapped column
     */
    public FeatureColumn mapped(UnaryOperator<String> valueMapping) {
        Objects.requireNonNull(valueMapping, "valueMapping");
        UnaryOperator<String> before = mapping;
        UnaryOperator<String> combined = before == null ? valueMapping : v -> {
            String first = before.apply(v);
            return first == null ? null : valueMapping.apply(first);
        };
        return new FeatureColumn(source, kind, separator, name, combined);
    }

    /** @return how the column's text becomes features */
    public Kind kind() {
        return kind;
    }

    /** @return the feature name (the part before {@code =}), or null for a positional column not yet named */
    public String featureName() {
        return name;
    }

    /** @return the separator of a multi-valued column, else null */
    public String separator() {
        return separator;
    }

    /** @return the column's header name, or null for a positional column */
    public String columnName() {
        return source.byName() ? source.name() : null;
    }

    /** @return the column's 0-based position, or -1 for a column chosen by name */
    public int columnIndex() {
        return source.byName() ? -1 : source.index();
    }

    Column source() {
        return source;
    }

    /** The value used for a raw (trimmed) value: null for none. */
    String map(String raw) {
        String value = mapping == null ? raw : mapping.apply(raw);
        return value == null || value.isEmpty() ? null : value;
    }

    private static String checkName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a column or feature name must not be null or blank");
        }
        return name;
    }

    private static int checkIndex(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("a column position is 0-based and not negative, got " + index);
        }
        return index;
    }

    private static String checkSeparator(String separator) {
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException("a multi-valued column needs a separator such as \"|\"");
        }
        return separator;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + source + (separator == null ? ""
                : " split by \"" + separator + "\"") + (name == null ? "" : " as " + name) + ")";
    }
}
