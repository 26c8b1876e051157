package org.collab4j.cli;

import org.collab4j.data.FeatureColumn;
import org.collab4j.data.FeatureFileException;
import org.collab4j.data.FeatureFormat;
import org.collab4j.data.FeatureTable;
import org.collab4j.data.MovieLensFeatures;
import org.collab4j.util.Shown;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Side features on the command line: {@code --item-features FILE} and {@code --user-features FILE} (each
 * repeatable; a side's files are joined with {@link FeatureTable#join}), {@code --item-feature-columns} /
 * {@code --user-feature-columns} for files in a layout of one's own, and {@code --feature-min-count}, read into
 * one {@link FeatureTable} per side. A command mixes it in, lists its files with {@link #addTo(RunFiles)} and
 * calls {@link #itemFeatures()} / {@link #userFeatures()}.
 *
 * <p><b>MovieLens's files need no column option:</b> a file named {@code movies.csv}, {@code tags.csv},
 * {@code u.item} (item features) or {@code u.user} (user features) is read as {@link MovieLensFeatures} reads it.
 * Any other file is read with its side's column option, whose value is a comma-separated list:
 *
 * <ul>
 *   <li>{@code id=COL} (required): the id column;
 *   <li>{@code cat=COL} (or {@code categorical=COL}): a categorical column, features {@code COL=value};
 *   <li>{@code multi=COL} or {@code multi=COL:SEP}: a multi-valued column, values split at {@code SEP}
 *       (default {@code |});
 *   <li>{@code num=COL} (or {@code numeric=COL}): a numeric column, standardised; an empty field is missing;
 *   <li>{@code sep=X}: the file's delimiter, one character or {@code tab} (default {@code ,});
 *   <li>{@code header=no}: the file has no header; columns are then 0-based positions and their features are
 *       named {@code colN};
 *   <li>{@code accumulate}: an id may have several lines whose values add up (one line per id and value).
 * </ul>
 *
 * e.g. {@code --item-feature-columns 'id=movieId,multi=genres:|,num=year'}. {@code --feature-min-count N} pools
 * the values fewer than N ids have into {@code COL=<other>}, in every file (default: each reading's own, 1 for a
 * file with a column option and {@code movies.csv}, {@value MovieLensFeatures#DEFAULT_TAG_MIN_COUNT} for
 * {@code tags.csv}).
 */
public class FeatureOptions {

    private static final Set<String> ITEM_FILES = Set.of("movies.csv", "tags.csv", "u.item");
    private static final Set<String> USER_FILES = Set.of("u.user");

    /** {@code --item-features}. */
    @Option(names = "--item-features", paramLabel = "FILE", description = "item features (repeatable, joined):"
            + " MovieLens's movies.csv, tags.csv or u.item as they are, any other file with --item-feature-columns")
    public List<Path> itemFiles = new ArrayList<>();

    /** {@code --user-features}. */
    @Option(names = "--user-features", paramLabel = "FILE", description = "user features (repeatable, joined):"
            + " ML-100k's u.user as it is, any other file with --user-feature-columns")
    public List<Path> userFiles = new ArrayList<>();

    /** {@code --item-feature-columns}. */
    @Option(names = "--item-feature-columns", paramLabel = "SPEC", description = "the columns of --item-features"
            + " files other than MovieLens's, e.g. id=movieId,multi=genres:|,cat=country,num=year"
            + " (also sep=X, header=no, accumulate)")
    public String itemColumns;

    /** {@code --user-feature-columns}. */
    @Option(names = "--user-feature-columns", paramLabel = "SPEC", description = "the columns of --user-features"
            + " files other than u.user, as --item-feature-columns, e.g. id=userId,cat=country,num=age")
    public String userColumns;

    /** {@code --feature-min-count}: null for each reading's own default. */
    @Option(names = "--feature-min-count", paramLabel = "N", description = "pool feature values fewer than N ids"
            + " have into one (default: 1, keep all; MovieLens's tags.csv "
            + MovieLensFeatures.DEFAULT_TAG_MIN_COUNT + ")")
    public Integer minCount;

    private Optional<FeatureTable> items;
    private Optional<FeatureTable> users;
    private boolean serving;

    /**
     * Reads the files for serving a model rather than training one: unless {@code --feature-min-count} is given,
     * every value is kept (minimum count 1, {@code tags.csv}'s default of 2 included). Pooling by the counts of a
     * file of new entities would send values the model knows to {@code COL=<other>}; kept, each value is matched to
     * the model's vocabulary, and one it does not know counts as its column's {@code <other>} where the model has one.
     * Call before the tables are read.
     *
     * @return this
     */
    public FeatureOptions forServing() {
        serving = true;
        return this;
    }

    /**
     * Checks the options before any file is read: the column specifications parse, every file that is not
     * MovieLens's has its side's column option, MovieLens's files are given for their own side, and the minimum
     * count is at least 1.
     *
     * @throws CliException naming the option and what to do
     */
    public void validate() {
        if (minCount != null && minCount < 1) {
            throw new CliException("--feature-min-count must be at least 1 (1 keeps every value), got " + minCount);
        }
        formats("--item-features", itemFiles, "--item-feature-columns", itemColumns, ITEM_FILES, USER_FILES);
        formats("--user-features", userFiles, "--user-feature-columns", userColumns, USER_FILES, ITEM_FILES);
    }

    /**
     * Lists the feature files as inputs of the run, to be checked with the others before any work.
     *
     * @param files the run's files
     * @return {@code files}
     */
    public RunFiles addTo(RunFiles files) {
        for (Path file : itemFiles) {
            files.text("--item-features", file);
        }
        for (Path file : userFiles) {
            files.text("--user-features", file);
        }
        return files;
    }

    /**
     * Returns the items' features: every {@code --item-features} file read and joined, in the order given (read
     * once; later calls return the same table).
     *
     * @return the table, or empty without {@code --item-features}
     * @throws CliException if an option is wrong or a file cannot be read as its layout says (the message names the
     *     option, the file, the line and the column)
     * @throws UncheckedIOException if reading fails otherwise
     */
    public Optional<FeatureTable> itemFeatures() {
        if (items == null) {
            items = read("--item-features", itemFiles, "--item-feature-columns", itemColumns, ITEM_FILES,
                    USER_FILES);
        }
        return items;
    }

    /**
     * Returns the users' features: every {@code --user-features} file read and joined, in the order given.
     *
     * @return the table, or empty without {@code --user-features}
     * @throws CliException if an option is wrong or a file cannot be read as its layout says
     * @throws UncheckedIOException if reading fails otherwise
     */
    public Optional<FeatureTable> userFeatures() {
        if (users == null) {
            users = read("--user-features", userFiles, "--user-feature-columns", userColumns, USER_FILES,
                    ITEM_FILES);
        }
        return users;
    }

    private Optional<FeatureTable> read(String option, List<Path> files, String columnsOption, String columns,
            Set<String> ownFiles, Set<String> otherSideFiles) {
        validate();
        List<FeatureFormat> formats = formats(option, files, columnsOption, columns, ownFiles, otherSideFiles);
        FeatureTable joined = null;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            FeatureTable table;
            try {
                table = formats.get(f).read(file);
            } catch (FeatureFileException e) {
                throw new CliException("cannot read " + option + " " + shown(file) + ": " + e.problem() + "; "
                        + advice(e, file, columnsOption), e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (joined == null) {
                joined = table;
            } else {
                try {
                    joined = joined.join(table);
                } catch (IllegalArgumentException e) {
                    throw new CliException(option + " " + shown(file) + " gives features an earlier " + option
                            + " file gives too (" + Shown.plain(String.valueOf(e.getMessage()), 200) + "); give each"
                            + " file once, or name its columns apart", e);
                }
            }
        }
        return Optional.ofNullable(joined);
    }

    /** Each file's format, checked before anything is read. */
    private List<FeatureFormat> formats(String option, List<Path> files, String columnsOption, String columns,
            Set<String> ownFiles, Set<String> otherSideFiles) {
        FeatureFormat custom = columns == null ? null : parseColumns(columnsOption, columns);
        List<FeatureFormat> formats = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            FeatureFormat format;
            if (ownFiles.contains(name)) {
                format = MovieLensFeatures.formatFor(file).orElseThrow();
            } else if (otherSideFiles.contains(name)) {
                throw new CliException(option + " " + shown(file) + ": MovieLens's " + name + " holds "
                        + (option.startsWith("--item") ? "user" : "item") + " features; pass it with "
                        + (option.startsWith("--item") ? "--user-features" : "--item-features"));
            } else if (custom != null) {
                format = custom;
            } else {
                throw new CliException(option + " " + shown(file) + ": not one of MovieLens's feature files ("
                        + String.join(", ", ownFiles.stream().sorted().toList()) + "), so its columns must be given:"
                        + " pass " + columnsOption + ", e.g. id=movieId,multi=genres:|,num=year");
            }
            formats.add(minCount != null ? format.withMinCount(minCount) : serving ? format.withMinCount(1) : format);
        }
        return formats;
    }

    /**
     * Parses a column option's value into a format (see the class description for the syntax).
     *
     * @param option the option, for messages
     * @param spec the value, e.g. {@code id=movieId,multi=genres:|,num=year}
     * @return the format, with the library's default minimum count
     * @throws CliException if the value does not parse
     */
    public static FeatureFormat parseColumns(String option, String spec) {
        String example = "; e.g. " + option + " 'id=movieId,multi=genres:|,cat=country,num=year'";
        List<String[]> entries = new ArrayList<>();
        boolean header = true;
        boolean accumulate = false;
        Character delimiter = null;
        String id = null;
        for (String part : spec.split(",", -1)) {
            String entry = part.trim();
            if (entry.equals("accumulate")) {
                accumulate = true;
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new CliException(option + ": expected KIND=COLUMN entries separated by commas, found "
                        + Shown.quoted(entry) + example);
            }
            String key = entry.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = entry.substring(eq + 1).trim();
            switch (key) {
                case "id" -> {
                    if (id != null) {
                        throw new CliException(option + ": the id column is given twice" + example);
                    }
                    id = value;
                }
                case "sep" -> {
                    if (value.equalsIgnoreCase("tab") || value.equals("\\t")) {
                        delimiter = '\t';
                    } else if (value.length() == 1 && value.charAt(0) != '"') {
                        delimiter = value.charAt(0);
                    } else {
                        throw new CliException(option + ": sep must be one character or tab, found "
                                + Shown.quoted(value) + example);
                    }
                }
                case "header" -> {
                    if (!value.equals("yes") && !value.equals("no")) {
                        throw new CliException(option + ": header is yes or no, found " + Shown.quoted(value));
                    }
                    header = value.equals("yes");
                }
                case "cat", "categorical", "multi", "num", "numeric" -> entries.add(new String[] {key, value});
                default -> throw new CliException(option + ": unknown entry " + Shown.quoted(key) + "; the entries"
                        + " are id, cat, multi, num, sep, header and accumulate" + example);
            }
        }
        if (id == null) {
            throw new CliException(option + ": name the id column with id=COLUMN" + example);
        }
        if (entries.isEmpty()) {
            throw new CliException(option + ": give at least one feature column (cat=, multi= or num=)" + example);
        }
        FeatureFormat.Builder format = FeatureFormat.builder().optHeader(header).optRowsAccumulate(accumulate);
        if (delimiter != null) {
            format.optDelimiter(delimiter);
        }
        try {
            if (header) {
                format.setIdColumn(id);
            } else {
                format.setIdColumn(position(option, id));
            }
            for (String[] entry : entries) {
                String column = entry[1];
                String separator = "|";
                if (entry[0].equals("multi")) {
                    int colon = column.lastIndexOf(':');
                    if (colon > 0 && colon < column.length() - 1) {
                        separator = column.substring(colon + 1);
                        column = column.substring(0, colon);
                    }
                }
                format.addColumn(column(option, entry[0], column, separator, header));
            }
            return format.build();
        } catch (CliException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new CliException(option + ": " + e.getMessage(), e);
        }
    }

    private static FeatureColumn column(String option, String kind, String column, String separator,
            boolean header) {
        if (header) {
            return switch (kind) {
                case "cat", "categorical" -> FeatureColumn.categorical(column);
                case "multi" -> FeatureColumn.multiValued(column, separator);
                default -> FeatureColumn.numeric(column);
            };
        }
        int index = position(option, column);
        FeatureColumn spec = switch (kind) {
            case "cat", "categorical" -> FeatureColumn.categorical(index);
            case "multi" -> FeatureColumn.multiValued(index, separator);
            default -> FeatureColumn.numeric(index);
        };
        return spec.named("col" + index);
    }

    private static int position(String option, String column) {
        try {
            return Integer.parseInt(column);
        } catch (NumberFormatException e) {
            throw new CliException(option + ": with header=no columns are 0-based positions, found "
                    + Shown.quoted(column) + "; give positions, or leave out header=no to name header columns");
        }
    }

    /** The advice in the command line's terms. */
    private String advice(FeatureFileException e, Path file, String columnsOption) {
        boolean movieLens = MovieLensFeatures.formatFor(file).isPresent();
        return switch (e.kind()) {
            case TOO_MANY_FEATURES -> "pool rare values with a higher --feature-min-count, or leave the column out"
                    + (movieLens ? "" : " of " + columnsOption);
            case DUPLICATE_ID -> "give each id one line" + (movieLens ? "" : ", or add accumulate to "
                    + columnsOption + " if each line adds features to its id");
            case MISSING_COLUMN -> movieLens
                    ? "the file is read as MovieLens's " + file.getFileName() + "; to read another layout, rename it"
                            + " and pass " + columnsOption
                    : "check " + columnsOption + " against the file's header (or its delimiter: sep=)";
            case ENCODING -> "convert the file to UTF-8, e.g. iconv -f LATIN1 -t UTF-8";
            case QUOTING -> "fix the quotes from that line on: a field that starts with a double quote must end with"
                    + " one, and a quote inside a quoted field is written twice";
            default -> e.advice().isEmpty() ? "fix the file" : e.advice();
        };
    }

    private static String shown(Path path) {
        return Shown.plain(path.toString(), 300);
    }

    /**
     * Returns the values as options, for tests that compare how two command lines parsed the same arguments.
     *
     * @return e.g. {@code --item-features=[movies.csv] --user-features=[] ...}
     */
    @Override
    public String toString() {
        return "--item-features=" + itemFiles + " --user-features=" + userFiles + " --item-feature-columns="
                + itemColumns + " --user-feature-columns=" + userColumns + " --feature-min-count=" + minCount;
    }
}
