package org.collab4j.data;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.commons.csv.CSVFormat;

/**
 * How a delimited feature file is laid out and read into a {@link FeatureTable}: the id column, the
 * {@link FeatureColumn}s (categorical, multi-valued, numeric), the delimiter, quote, header and character set, and
 * how the vocabulary is bounded. Built with {@link #builder()} in DJL's convention; immutable.
 *
 * <pre>{@code
 * FeatureTable movies = FeatureFormat.builder()
 *         .setIdColumn("movieId")
 *         .addColumn(FeatureColumn.multiValued("genres", "|").named("genre"))
 *         .addColumn(FeatureColumn.numeric("year"))
 *         .build()
 *         .read(Path.of("movies.csv"));
 * }</pre>
 *
 * <p><b>Features.</b> A categorical value gives the feature {@code name=value} with weight 1 — once per id, however
 * often it appears on the id's lines; a numeric column gives the feature {@code name}, weighted by the number's
 * z-score over the file ({@code (x - mean) / sd}, the population standard deviation over the ids that have a
 * value; 0 for every id when the column is constant). Features are numbered column by column, each column's values
 * in the order they first appear.
 *
 * <p><b>Missing values.</b> An empty categorical field gives no feature. An empty numeric field gives no weight to
 * the column's feature (0 after standardising: the mean) and, with {@link Builder#optMissingIndicator} (the
 * default), the feature {@code name=<missing>} with weight 1, so that a model can learn what a missing value says;
 * that feature exists only when some value is missing.
 *
 * <p><b>Rare values</b> are pooled: a value that fewer than {@link Builder#optMinCount minCount} ids have becomes
 * {@code name=<other>} (one feature per name, weight 1). The default, 1, keeps every value: a file is a deliberate
 * choice of columns, and a small catalogue's values are few, so pooling is left to files with a long tail (free
 * tags; MovieLens's {@code tags.csv} reading pools below {@link MovieLensFeatures#DEFAULT_TAG_MIN_COUNT}).
 *
 * <p><b>Vocabulary cap.</b> At most {@link Builder#optMaxFeatures maxFeatures} features after pooling (default
 * {@value #DEFAULT_MAX_FEATURES}); while reading, at most four times as many distinct raw values, which bounds the
 * memory a free-text column can take. Either limit is a {@link FeatureFileException} that names the column and
 * says to pool (a higher minimum count) or to leave the column out.
 *
 * <p><b>Ids.</b> Each id has one line, or with {@link Builder#optRowsAccumulate} any number of lines whose
 * categorical features add up (MovieLens's {@code tags.csv}: one line per user, movie and tag). An empty or
 * duplicated id, a missing column, a line with another number of fields than the header, text or a non-finite
 * number in a numeric column, bytes not in the character set, broken quoting: each a {@link FeatureFileException}
 * naming the file, line and column and saying what to do.
 *
 * <p><b>Serving.</b> A table read here is the vocabulary a model trains with; a table given at serving time is laid
 * out in the model's vocabulary by name, and feature names the model never saw are ignored and counted (the
 * serving side reports how many). Numeric columns are standardised over the file being read, so serve with the
 * same file (new entities added to it) rather than a file of the new entities alone.
 */
public final class FeatureFormat {

    /** The default {@link Builder#optMinCount}: every value is kept. */
    public static final int DEFAULT_MIN_COUNT = 1;
    /** The default {@link Builder#optMaxFeatures}. */
    public static final int DEFAULT_MAX_FEATURES = 1_000_000;
    /** The value that rare values are pooled into: {@code name=<other>}. */
    public static final String OTHER = "<other>";
    /** The value of a numeric column's missing-value indicator: {@code name=<missing>}. */
    public static final String MISSING = "<missing>";

    private final Column idColumn;
    private final List<FeatureColumn> columns;
    private final char delimiter;
    private final Character quote;
    private final boolean header;
    private final Charset charset;
    private final int minCount;
    private final int maxFeatures;
    private final boolean missingIndicator;
    private final boolean rowsAccumulate;

    private FeatureFormat(Builder builder) {
        idColumn = builder.idColumn;
        columns = Collections.unmodifiableList(new ArrayList<>(builder.columns));
        delimiter = builder.delimiter;
        quote = builder.quote;
        header = builder.header;
        charset = builder.charset;
        minCount = builder.minCount;
        maxFeatures = builder.maxFeatures;
        missingIndicator = builder.missingIndicator;
        rowsAccumulate = builder.rowsAccumulate;
    }

    /**
     * Returns a builder: a comma-separated UTF-8 file with a header, double quotes, no columns yet.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a feature file.
     *
     * @param file the file
     * @return the table: one row per id, in the order the ids first appear
     * @throws FeatureFileException if the file's content does not fit this format (line and column named)
     * @throws org.collab4j.util.InputFileException if the file cannot be used at all (missing, a directory, empty,
     *     compressed, binary)
     * @throws IOException if reading fails otherwise
     */
    public FeatureTable read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return FeatureReader.read(file, this);
    }

    /**
     * Returns a builder holding this format's settings, to change some of them.
     *
     * @return the builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.idColumn = idColumn;
        b.columns.addAll(columns);
        b.delimiter = delimiter;
        b.quote = quote;
        b.header = header;
        b.charset = charset;
        b.minCount = minCount;
        b.maxFeatures = maxFeatures;
        b.missingIndicator = missingIndicator;
        b.rowsAccumulate = rowsAccumulate;
        return b;
    }

    /**
     * This format with another minimum count (the command lines' {@code --feature-min-count}).
     *
     * @param count the fewest ids a value needs to keep its own feature, at least 1
     * @return the format
     */
    public FeatureFormat withMinCount(int count) {
        return toBuilder().optMinCount(count).build();
    }

    /** @return the id column's header name, or null when it is chosen by position */
    public String idColumnName() {
        return idColumn.byName() ? idColumn.name() : null;
    }

    /** @return the id column's 0-based position, or -1 when it is chosen by name */
    public int idColumnIndex() {
        return idColumn.byName() ? -1 : idColumn.index();
    }

    /** @return the feature columns, in the order their features are numbered */
    public List<FeatureColumn> columns() {
        return columns;
    }

    /** @return the delimiter */
    public char delimiter() {
        return delimiter;
    }

    /** @return the quote character, or null for none */
    public Character quote() {
        return quote;
    }

    /** @return true if the first line is a header */
    public boolean hasHeader() {
        return header;
    }

    /** @return the character set */
    public Charset charset() {
        return charset;
    }

    /** @return the fewest ids a value needs to keep its own feature */
    public int minCount() {
        return minCount;
    }

    /** @return the most features a table may have after pooling */
    public int maxFeatures() {
        return maxFeatures;
    }

    /** @return true if a missing number also gives the feature {@code name=<missing>} */
    public boolean missingIndicator() {
        return missingIndicator;
    }

    /** @return true if an id's lines accumulate, false if each id has one line */
    public boolean rowsAccumulate() {
        return rowsAccumulate;
    }

    Column idColumn() {
        return idColumn;
    }

    CSVFormat csvFormat() {
        return CSVFormat.DEFAULT.builder()
                .setDelimiter(delimiter)
                .setQuote(quote)
                .setTrim(true)
                .setIgnoreEmptyLines(false)
                .build();
    }

    @Override
    public String toString() {
        return "FeatureFormat[id " + idColumn + ", " + columns + ", delimiter '" + delimiter + "', "
                + (header ? "header" : "no header") + ", " + charset + ", minCount " + minCount + ", maxFeatures "
                + maxFeatures + (rowsAccumulate ? ", rows accumulate" : "") + "]";
    }

    /** Builds a {@link FeatureFormat}: {@code setIdColumn} is required, every {@code opt} has a default. */
    public static final class Builder {

        private Column idColumn;
        private final List<FeatureColumn> columns = new ArrayList<>();
        private char delimiter = ',';
        private Character quote = '"';
        private boolean header = true;
        private Charset charset = StandardCharsets.UTF_8;
        private int minCount = DEFAULT_MIN_COUNT;
        private int maxFeatures = DEFAULT_MAX_FEATURES;
        private boolean missingIndicator = true;
        private boolean rowsAccumulate;

        Builder() {}

        /**
         * Sets the id column by header name.
         *
         * @param column the header name, e.g. {@code movieId}
         * @return this
         */
        public Builder setIdColumn(String column) {
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException("the id column's name must not be null or blank");
            }
            idColumn = Column.named(column);
            return this;
        }

        /**
         * Sets the id column by 0-based position.
         *
         * @param index the position
         * @return this
         */
        public Builder setIdColumn(int index) {
            if (index < 0) {
                throw new IllegalArgumentException("a column position is 0-based and not negative, got " + index);
            }
            idColumn = Column.at(index);
            return this;
        }

        /**
         * Adds a feature column; its features follow those of the columns added before.
         *
         * @param column the column
         * @return this
         */
        public Builder addColumn(FeatureColumn column) {
            columns.add(Objects.requireNonNull(column, "column"));
            return this;
        }

        /**
         * Sets the delimiter. Default {@code ,}.
         *
         * @param value the delimiter; not a quote, line break or the quote character
         * @return this
         */
        public Builder optDelimiter(char value) {
            delimiter = value;
            return this;
        }

        /**
         * Sets the quote character, or null for files that never quote fields. Default {@code "}.
         *
         * @param value the quote character, or null
         * @return this
         */
        public Builder optQuote(Character value) {
            quote = value;
            return this;
        }

        /**
         * Sets whether the first line is a header, which columns may then be chosen by name from. Default true.
         *
         * @param value true for a header
         * @return this
         */
        public Builder optHeader(boolean value) {
            header = value;
            return this;
        }

        /**
         * Sets the character set. Default UTF-8; ML-100k's files are ISO-8859-1.
         *
         * @param value the character set
         * @return this
         */
        public Builder optCharset(Charset value) {
            charset = Objects.requireNonNull(value, "charset");
            return this;
        }

        /**
         * Sets the fewest ids a categorical value needs to keep its own feature; rarer values are pooled into
         * {@code name=<other>}. Default {@value FeatureFormat#DEFAULT_MIN_COUNT} (keep every value).
         *
         * @param value at least 1
         * @return this
         */
        public Builder optMinCount(int value) {
            minCount = value;
            return this;
        }

        /**
         * Sets the most features a table may have after pooling; reading stops with an error past four times as
         * many distinct raw values. Default {@value FeatureFormat#DEFAULT_MAX_FEATURES}.
         *
         * @param value at least 1
         * @return this
         */
        public Builder optMaxFeatures(int value) {
            maxFeatures = value;
            return this;
        }

        /**
         * Sets whether a missing number also gives the feature {@code name=<missing>} (weight 1). Default true.
         *
         * @param value true for the indicator
         * @return this
         */
        public Builder optMissingIndicator(boolean value) {
            missingIndicator = value;
            return this;
        }

        /**
         * Sets whether an id may have several lines whose features add up (a file of one line per entity and
         * value, as MovieLens's {@code tags.csv}); such a format has no numeric columns. Default false: an id on
         * two lines is an error.
         *
         * @param value true to accumulate
         * @return this
         */
        public Builder optRowsAccumulate(boolean value) {
            rowsAccumulate = value;
            return this;
        }

        /**
         * Builds the format.
         *
         * @return the format
         * @throws IllegalArgumentException if there is no id column or no feature column, a column chosen by
         *     position has no feature name, a name is used by a numeric column and another column, a column is
         *     chosen by name in a file without a header, a numeric column is read with accumulating rows, or a
         *     setting is out of range
         */
        public FeatureFormat build() {
            if (idColumn == null) {
                throw new IllegalArgumentException("a feature format needs an id column: setIdColumn(\"movieId\")");
            }
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("a feature format needs at least one feature column: addColumn("
                        + "FeatureColumn.categorical(...)), multiValued(...) or numeric(...)");
            }
            if (minCount < 1) {
                throw new IllegalArgumentException("minCount must be at least 1 (1 keeps every value), got "
                        + minCount);
            }
            if (maxFeatures < 1) {
                throw new IllegalArgumentException("maxFeatures must be at least 1, got " + maxFeatures);
            }
            if (delimiter == '\n' || delimiter == '\r' || (quote != null && quote == delimiter)) {
                throw new IllegalArgumentException("the delimiter must not be a line break or the quote character");
            }
            if (!header && idColumn.byName()) {
                throw new IllegalArgumentException("the id column " + idColumn + " is chosen by name, but the"
                        + " format has no header: choose it by position or set optHeader(true)");
            }
            Map<String, FeatureColumn.Kind> names = new HashMap<>();
            for (FeatureColumn column : columns) {
                if (column.featureName() == null) {
                    throw new IllegalArgumentException(column + " is chosen by position: give it a feature name"
                            + " with named(...)");
                }
                if (!header && column.columnName() != null) {
                    throw new IllegalArgumentException(column + " is chosen by name, but the format has no header:"
                            + " choose it by position or set optHeader(true)");
                }
                if (column.featureName().indexOf('=') >= 0) {
                    throw new IllegalArgumentException("a feature name must not contain '=', got '"
                            + column.featureName() + "'; rename the column with named(...)");
                }
                if (column.kind() == FeatureColumn.Kind.NUMERIC && rowsAccumulate) {
                    throw new IllegalArgumentException(column + " is numeric, but the format's rows accumulate:"
                            + " a number needs one line per id");
                }
                FeatureColumn.Kind before = names.putIfAbsent(column.featureName(), column.kind());
                boolean numeric = column.kind() == FeatureColumn.Kind.NUMERIC;
                if (before != null && (numeric || before == FeatureColumn.Kind.NUMERIC)) {
                    throw new IllegalArgumentException("two columns give the feature name '" + column.featureName()
                            + "' and one is numeric; rename one with named(...)");
                }
            }
            return new FeatureFormat(this);
        }
    }
}
