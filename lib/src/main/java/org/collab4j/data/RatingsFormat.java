package org.collab4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;

/**
 * An immutable description of a delimited ratings file: the delimiter, whether the first line is a
 * header, and which columns hold the user id, the item id, the rating and (optionally) a timestamp.
 *
 * <p>Columns are chosen by 0-based index or, when the file has a header, by name:
 *
 * <pre>{@code
 * RatingsFormat format = RatingsFormat.builder()
 *         .setDelimiter(";")
 *         .optUserColumn("customer")
 *         .optItemColumn("product")
 *         .optRatingColumn("stars")
 *         .build();
 * }</pre>
 *
 * <p>Values are trimmed of surrounding whitespace and blank lines are skipped. Presets cover the
 * MovieLens files: {@link #MOVIELENS_CSV}, {@link #ML_100K} and {@link #ML_DAT}; {@link #toBuilder()} adapts
 * one.
 *
 * <p>What reading does with the values (duplicate pairs, a rating range) is not part of the layout: pass
 * {@link ReadOptions} beside the format ({@link Ratings#read(java.nio.file.Path, RatingsFormat, ReadOptions)},
 * {@link RatingsFile}). The format's own {@code optDuplicates} and {@code optRatingRange} are kept, deprecated,
 * for the readers called without options.
 */
public final class RatingsFormat {

    /**
     * MovieLens {@code ratings.csv} (ml-latest, ml-latest-small, ml-20m, ml-25m): comma-separated, a
     * header {@code userId,movieId,rating,timestamp}, columns chosen by name.
     */
    public static final RatingsFormat MOVIELENS_CSV =
            builder()
                    .setDelimiter(",")
                    .optUserColumn("userId")
                    .optItemColumn("movieId")
                    .optRatingColumn("rating")
                    .optTimestampColumn("timestamp")
                    .build();

    /**
     * MovieLens 100K {@code u.data}: tab-separated, no header, columns user, item, rating,
     * timestamp.
     */
    public static final RatingsFormat ML_100K =
            builder().setDelimiter("\t").optHeader(false).optQuote(null).optTimestampColumn(3).build();

    /**
     * MovieLens 1M and 10M {@code ratings.dat}: {@code ::}-separated, no header, columns user, item,
     * rating, timestamp.
     */
    public static final RatingsFormat ML_DAT =
            builder().setDelimiter("::").optHeader(false).optQuote(null).optTimestampColumn(3).build();

    private static final Map<String, RatingsFormat> BY_NAME =
            Map.of("csv", MOVIELENS_CSV, "tsv", ML_100K, "dat", ML_DAT);

    private final String delimiter;
    private final boolean header;
    private final Character quote;
    private final Column user;
    private final Column item;
    private final Column rating;
    private final Column timestamp;
    private final ReadOptions readOptions;
    private final CSVFormat csvFormat;

    private RatingsFormat(Builder builder, ReadOptions readOptions, CSVFormat csvFormat) {
        delimiter = builder.delimiter;
        header = builder.header;
        quote = builder.quote;
        user = builder.user;
        item = builder.item;
        rating = builder.rating;
        timestamp = builder.timestamp;
        this.readOptions = readOptions;
        this.csvFormat = csvFormat;
    }

    /**
     * Returns a builder. {@link Builder#setDelimiter(String)} is required; everything else has a
     * default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a preset by short name, for command lines and configuration files.
     *
     * @param name {@code "csv"} ({@link #MOVIELENS_CSV}), {@code "tsv"} ({@link #ML_100K}) or {@code
     *     "dat"} ({@link #ML_DAT}); case does not matter
     * @return the preset
     * @throws IllegalArgumentException if the name is none of these
     */
    public static RatingsFormat forName(String name) {
        RatingsFormat format = name == null ? null : BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
        if (format == null) {
            throw new IllegalArgumentException(
                    "unknown ratings format " + org.collab4j.util.Shown.quoted(name) + "; use one of: csv (MovieLens"
                            + " ratings.csv), "
                            + "tsv (MovieLens 100K u.data), dat (MovieLens 1M/10M ratings.dat)");
        }
        return format;
    }

    /**
     * Returns a builder holding this format's settings, to change some of them:
     * {@code RatingsFormat.MOVIELENS_CSV.toBuilder().setDelimiter(";").build()}.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.delimiter = delimiter;
        b.header = header;
        b.quote = quote;
        b.user = user;
        b.item = item;
        b.rating = rating;
        b.timestamp = timestamp;
        b.duplicates = readOptions.duplicates();
        b.minRating = readOptions.minRating();
        b.maxRating = readOptions.maxRating();
        return b;
    }

    /**
     * Returns what reading does with a user who rated the same item more than once.
     *
     * @return the policy; {@link DuplicatePolicy#KEEP_ALL} unless set
     * @deprecated read {@link ReadOptions#duplicates()} of the options passed beside the format
     */
    @Deprecated
    public DuplicatePolicy duplicates() {
        return readOptions.duplicates();
    }

    /**
     * The read options the deprecated {@code optDuplicates} and {@code optRatingRange} set, for the readers called
     * without options.
     */
    ReadOptions readOptions() {
        return readOptions;
    }

    boolean hasHeader() {
        return header;
    }

    Column userColumn() {
        return user;
    }

    Column itemColumn() {
        return item;
    }

    Column ratingColumn() {
        return rating;
    }

    /** Returns the timestamp column, or null when the format has none. */
    Column timestampColumn() {
        return timestamp;
    }

    CSVFormat csvFormat() {
        return csvFormat;
    }

    /**
     * Returns the settings, e.g. {@code RatingsFormat[delimiter="\t", header=false, quote=none,
     * user=column 0, item=column 1, rating=column 2, timestamp=column 3]}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "RatingsFormat[delimiter=\"" + delimiter.replace("\t", "\\t") + "\", header=" + header
                + ", quote=" + (quote == null ? "none" : quote.toString()) + ", user=" + user + ", item=" + item
                + ", rating=" + rating + ", timestamp=" + (timestamp == null ? "none" : timestamp)
                + (readOptions.duplicates() == DuplicatePolicy.KEEP_ALL ? "" : ", duplicates="
                        + readOptions.duplicates())
                + (readOptions.hasRatingRange() ? ", ratingRange=[" + readOptions.minRating() + ", "
                        + readOptions.maxRating() + "]" : "") + "]";
    }

    /** Collects the settings of a {@link RatingsFormat}; {@link #build()} checks them. */
    public static final class Builder {

        private String delimiter;
        private boolean header = true;
        private Character quote = '"';
        private Column user = Column.at(0);
        private Column item = Column.at(1);
        private Column rating = Column.at(2);
        private Column timestamp;
        private DuplicatePolicy duplicates = DuplicatePolicy.KEEP_ALL;
        private float minRating = Float.NaN;
        private float maxRating = Float.NaN;

        Builder() {}

        /**
         * Sets the field delimiter (required).
         *
         * @param delimiter one or more characters, e.g. {@code ","}, {@code "\t"} or {@code "::"}
         * @return this builder
         */
        public Builder setDelimiter(String delimiter) {
            this.delimiter = delimiter;
            return this;
        }

        /**
         * Sets whether the first line is a header naming the columns. Default: true.
         *
         * @param header true if the first line is a header
         * @return this builder
         */
        public Builder optHeader(boolean header) {
            this.header = header;
            return this;
        }

        /**
         * Sets the character that quotes fields containing the delimiter, or null for files that never
         * quote (a stray quote is then an ordinary character). Default: {@code '"'}.
         *
         * @param quote the quote character, or null for none
         * @return this builder
         */
        public Builder optQuote(Character quote) {
            this.quote = quote;
            return this;
        }

        /**
         * Sets the user id column by 0-based index. Default: 0.
         *
         * @param index the column index
         * @return this builder
         */
        public Builder optUserColumn(int index) {
            user = Column.at(index);
            return this;
        }

        /**
         * Sets the user id column by header name (requires a header).
         *
         * @param name the column name as written in the header
         * @return this builder
         */
        public Builder optUserColumn(String name) {
            user = Column.named(name);
            return this;
        }

        /**
         * Sets the item id column by 0-based index. Default: 1.
         *
         * @param index the column index
         * @return this builder
         */
        public Builder optItemColumn(int index) {
            item = Column.at(index);
            return this;
        }

        /**
         * Sets the item id column by header name (requires a header).
         *
         * @param name the column name as written in the header
         * @return this builder
         */
        public Builder optItemColumn(String name) {
            item = Column.named(name);
            return this;
        }

        /**
         * Sets the rating column by 0-based index. Default: 2.
         *
         * @param index the column index
         * @return this builder
         */
        public Builder optRatingColumn(int index) {
            rating = Column.at(index);
            return this;
        }

        /**
         * Sets the rating column by header name (requires a header).
         *
         * @param name the column name as written in the header
         * @return this builder
         */
        public Builder optRatingColumn(String name) {
            rating = Column.named(name);
            return this;
        }

        /**
         * Sets the timestamp column (an integer, e.g. seconds since the epoch) by 0-based index.
         * Default: no timestamp column.
         *
         * @param index the column index
         * @return this builder
         */
        public Builder optTimestampColumn(int index) {
            timestamp = Column.at(index);
            return this;
        }

        /**
         * Sets the timestamp column (an integer, e.g. seconds since the epoch) by header name
         * (requires a header). Default: no timestamp column.
         *
         * @param name the column name as written in the header
         * @return this builder
         */
        public Builder optTimestampColumn(String name) {
            timestamp = Column.named(name);
            return this;
        }

        /**
         * Sets what to do when a user rated the same item on more than one line. Default:
         * {@link DuplicatePolicy#KEEP_ALL}, every line is a rating. With {@link DuplicatePolicy#ERROR} reading fails
         * with a {@link RatingsFileException} naming both lines. Applies when the file is read without
         * {@link ReadOptions}.
         *
         * @param policy the policy
         * @return this builder
         * @deprecated a read option, not part of the layout: use {@link ReadOptions.Builder#optDuplicates}
         */
        @Deprecated
        public Builder optDuplicates(DuplicatePolicy policy) {
            this.duplicates = policy;
            return this;
        }

        /**
         * Rejects ratings outside {@code [min, max]} (both included): reading fails with a
         * {@link RatingsFileException} naming the line. Default: any finite rating is accepted. Applies when the
         * file is read without {@link ReadOptions}.
         *
         * @param min the smallest valid rating
         * @param max the largest valid rating, at least {@code min}
         * @return this builder
         * @deprecated a read option, not part of the layout: use {@link ReadOptions.Builder#optRatingRange}
         */
        @Deprecated
        public Builder optRatingRange(float min, float max) {
            this.minRating = min;
            this.maxRating = max;
            return this;
        }

        /**
         * Checks the settings and builds the format.
         *
         * @return the format
         * @throws IllegalArgumentException if the delimiter is missing or unusable, a column index is
         *     negative, a column name is empty or given without a header, two roles share a column, the duplicate
         *     policy is null, or the rating range is not two finite numbers with {@code min <= max}
         */
        public RatingsFormat build() {
            ReadOptions readOptions = ReadOptions.builder().optDuplicates(duplicates)
                    .optRatingRange(minRating, maxRating).build();
            if (delimiter == null || delimiter.isEmpty()) {
                throw new IllegalArgumentException(
                        "no delimiter; call setDelimiter(...) with e.g. \",\", \"\\t\" or \"::\"");
            }
            if (delimiter.indexOf('\n') >= 0 || delimiter.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("the delimiter must not contain a line break");
            }
            if (quote != null && delimiter.indexOf(quote) >= 0) {
                throw new IllegalArgumentException(
                        "the delimiter \"" + delimiter + "\" contains the quote character " + quote
                                + "; choose another quote with optQuote(...), or optQuote(null) for none");
            }
            List<String> roles = List.of("user", "item", "rating", "timestamp");
            List<Column> columns = new ArrayList<>();
            columns.add(user);
            columns.add(item);
            columns.add(rating);
            columns.add(timestamp);
            for (int i = 0; i < columns.size(); i++) {
                checkColumn(roles.get(i), columns.get(i));
                for (int j = 0; j < i; j++) {
                    if (columns.get(i) != null && columns.get(i).sameAs(columns.get(j))) {
                        throw new IllegalArgumentException(
                                "the " + roles.get(j) + " and " + roles.get(i) + " columns are both "
                                        + columns.get(i) + "; give each role its own column");
                    }
                }
            }
            CSVFormat csvFormat =
                    CSVFormat.DEFAULT.builder()
                            .setDelimiter(delimiter)
                            .setQuote(quote)
                            .setTrim(true)
                            // Blank lines come back as one-field records and are skipped by the reader,
                            // so that every physical line is seen and error line numbers stay exact.
                            .setIgnoreEmptyLines(false)
                            .build();
            return new RatingsFormat(this, readOptions, csvFormat);
        }

        private void checkColumn(String role, Column column) {
            if (column == null) {
                return;
            }
            String setter = "opt" + Character.toUpperCase(role.charAt(0)) + role.substring(1) + "Column";
            if (column.byName()) {
                if (column.name() == null || column.name().isBlank()) {
                    throw new IllegalArgumentException(
                            "the " + role + " column name is empty; pass the name as written in the header to "
                                    + setter);
                }
                if (!header) {
                    throw new IllegalArgumentException(
                            "the " + role + " column is chosen by name (" + column + ") but the format has no "
                                    + "header; use optHeader(true) or choose the column by index with " + setter
                                    + "(int)");
                }
            } else if (column.index() < 0) {
                throw new IllegalArgumentException(
                        "the " + role + " column index is " + column.index() + "; column indices start at 0");
            }
        }
    }
}
