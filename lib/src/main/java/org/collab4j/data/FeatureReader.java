package org.collab4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVParser;
import org.collab4j.kernel.FeatureMatrix;
import org.collab4j.util.InputFiles;
import org.collab4j.util.Shown;

/**
 * Reads a feature file as its {@link FeatureFormat} describes, line by line with commons-csv (as
 * {@link RatingsReader} reads ratings), reporting every problem as a {@link FeatureFileException} with its line and
 * column. Categorical values are collected per id as distinct (id, value) pairs, counted, pooled and numbered at the
 * end; numbers are kept per id and standardised at the end, their columns' means and deviations recorded on the
 * table ({@link FeatureTable#numericScales()}).
 */
final class FeatureReader {

    private static final char REPLACEMENT = '\uFFFD';

    private final Path file;
    private final FeatureFormat format;
    private final List<FeatureColumn> specs;
    /** The feature names of the categorical columns, in the order they first appear among the columns. */
    private final Map<String, Integer> groups = new LinkedHashMap<>();
    /** Per column: its categorical group, or its numeric slot. */
    private final int[] slot;
    private final int readCap;

    private List<String> header;
    private int expectedFields = -1;
    private long firstLine;
    private int idIndex;
    private int[] columnIndex;

    private final IdMap.Builder ids = IdMap.builder();
    private int idCount;
    private long[] lineOfRow = new long[256];

    /** Distinct raw values, keyed {@code name=value}, numbered as they first appear. */
    private final Map<String, Integer> rawIndex = new HashMap<>();
    private final List<String> rawNames = new ArrayList<>();
    private final IntList rawGroup = new IntList();
    private final IntList entryRow = new IntList();
    private final IntList entryRaw = new IntList();
    /** Per numeric column, each row's number, NaN when missing. */
    private final List<double[]> numbers = new ArrayList<>();
    private int numericColumns;

    private FeatureReader(Path file, FeatureFormat format) {
        this.file = file;
        this.format = format;
        this.specs = format.columns();
        slot = new int[specs.size()];
        for (int s = 0; s < specs.size(); s++) {
            FeatureColumn spec = specs.get(s);
            if (spec.kind() == FeatureColumn.Kind.NUMERIC) {
                slot[s] = numericColumns++;
                numbers.add(new double[256]);
            } else {
                slot[s] = groups.computeIfAbsent(spec.featureName(), name -> groups.size());
            }
        }
        readCap = (int) Math.min(Integer.MAX_VALUE - 8, 4L * format.maxFeatures());
    }

    static FeatureTable read(Path file, FeatureFormat format) throws IOException {
        // Undecodable bytes become U+FFFD, reported by line and column (checkText).
        try (BufferedReader in = new BufferedReader(new InputStreamReader(InputFiles.openText(file),
                format.charset()));
                CSVParser parser = new CSVParser(in, format.csvFormat())) {
            return new FeatureReader(file, format).readAll(parser);
        }
    }

    private FeatureTable readAll(CSVParser parser) throws IOException {
        CsvRecords<FeatureFileException> records = new CsvRecords<>(parser, this::malformed);
        while (records.next()) {
            String[] fields = records.fields();
            long line = records.line();
            if (expectedFields < 0) {
                firstLine = line;
                if (format.hasHeader()) {
                    header = List.of(fields);
                    resolveColumns(fields.length, line);
                    continue;
                }
                resolveColumns(fields.length, line);
            }
            readRow(fields, line);
        }
        if (idCount == 0) {
            throw new FeatureFileException(file, 0, null, FeatureFileException.Kind.NO_ROWS, header == null
                    ? "holds no rows" : "holds no rows, only the header on line " + firstLine,
                    "give a file with one line per id after the header");
        }
        return build();
    }

    private void resolveColumns(int fieldCount, long line) throws FeatureFileException {
        idIndex = resolve(format.idColumn(), fieldCount, line, "the id");
        columnIndex = new int[specs.size()];
        for (int s = 0; s < specs.size(); s++) {
            columnIndex[s] = resolve(specs.get(s).source(), fieldCount, line, "the feature " + specs.get(s));
        }
        expectedFields = fieldCount;
    }

    private int resolve(Column column, int fieldCount, long line, String role) throws FeatureFileException {
        if (column.byName()) {
            int index = header.indexOf(column.name());
            if (index < 0) {
                throw new FeatureFileException(file, line, column.name(), FeatureFileException.Kind.MISSING_COLUMN,
                        "no column named '" + Shown.plain(column.name(), 60) + "' in the header; its columns are "
                                + Shown.list(header), fieldCount == 1
                                ? "check the delimiter (the format uses '" + shownDelimiter() + "')"
                                : "choose one of the header's columns, or check the file");
            }
            return index;
        }
        if (column.index() >= fieldCount) {
            throw new FeatureFileException(file, line, "column " + column.index(),
                    FeatureFileException.Kind.MISSING_COLUMN, "the format reads " + role + " from column "
                            + column.index() + " (0-based) but " + (header == null ? "the line" : "the header")
                            + " has only " + fieldCount + " fields", fieldCount == 1
                            ? "check the delimiter (the format uses '" + shownDelimiter() + "')"
                            : "choose a column the file has");
        }
        return column.index();
    }

    private void readRow(String[] fields, long line) throws FeatureFileException {
        if (fields.length != expectedFields) {
            throw new FeatureFileException(file, line, fieldName(Math.min(fields.length, expectedFields)),
                    FeatureFileException.Kind.FIELD_COUNT, "expected " + expectedFields + " fields (as "
                            + (header == null ? "on" : "in the header on") + " line " + firstLine + "), found "
                            + fields.length, fields.length < expectedFields
                            ? "complete the line, or quote a field that holds the delimiter"
                            : "quote the fields that hold the delimiter '" + shownDelimiter() + "'");
        }
        String id = checkText(fields[idIndex], idIndex, line);
        if (id.isEmpty()) {
            throw new FeatureFileException(file, line, fieldName(idIndex), FeatureFileException.Kind.EMPTY_ID,
                    "expected an id, found an empty value", "give every line an id, or remove the line");
        }
        int row = ids.add(id);
        if (row < idCount) {
            if (!format.rowsAccumulate()) {
                throw new FeatureFileException(file, line, fieldName(idIndex),
                        FeatureFileException.Kind.DUPLICATE_ID, "the id " + Shown.quoted(id) + " is already on line "
                                + lineOfRow[row], "give each id one line (merge the two), or read the file with"
                                + " rows that accumulate if each line adds features to its id");
            }
        } else {
            if (idCount == lineOfRow.length) {
                lineOfRow = Arrays.copyOf(lineOfRow, idCount * 2);
            }
            lineOfRow[idCount++] = line;
        }
        for (int s = 0; s < specs.size(); s++) {
            FeatureColumn spec = specs.get(s);
            int column = columnIndex[s];
            String text = checkText(fields[column], column, line);
            switch (spec.kind()) {
                case CATEGORICAL -> {
                    if (!text.isEmpty()) {
                        addValue(row, s, map(spec, text, column, line), column, line);
                    }
                }
                case MULTI_VALUED -> {
                    int from = 0;
                    String separator = spec.separator();
                    while (from <= text.length()) {
                        int to = text.indexOf(separator, from);
                        if (to < 0) {
                            to = text.length();
                        }
                        String part = text.substring(from, to).trim();
                        if (!part.isEmpty()) {
                            addValue(row, s, map(spec, part, column, line), column, line);
                        }
                        from = to + separator.length();
                    }
                }
                case NUMERIC -> setNumber(row, slot[s], parseNumber(spec, text, column, line));
                default -> throw new IllegalStateException(spec.kind().name());
            }
        }
    }

    private String map(FeatureColumn spec, String raw, int column, long line) throws FeatureFileException {
        try {
            return spec.map(raw);
        } catch (IllegalArgumentException e) {
            throw new FeatureFileException(file, line, fieldName(column), FeatureFileException.Kind.BAD_VALUE,
                    Shown.plain(String.valueOf(e.getMessage()), 200) + ", found " + Shown.quoted(raw),
                    "fix the value", e);
        }
    }

    private void addValue(int row, int spec, String value, int column, long line) throws FeatureFileException {
        if (value == null) {
            return;
        }
        String key = specs.get(spec).featureName() + "=" + value;
        Integer raw = rawIndex.get(key);
        if (raw == null) {
            if (rawNames.size() >= readCap) {
                throw new FeatureFileException(file, line, fieldName(column),
                        FeatureFileException.Kind.TOO_MANY_FEATURES, "more than " + readCap + " distinct feature"
                                + " values (four times the cap of " + format.maxFeatures() + " features)",
                        "leave this column out or map its values to fewer (it looks like free text or an id),"
                                + " or raise the cap (optMaxFeatures)");
            }
            raw = rawNames.size();
            rawIndex.put(key, raw);
            rawNames.add(key);
            rawGroup.add(slot[spec]);
        }
        entryRow.add(row);
        entryRaw.add(raw);
    }

    private double parseNumber(FeatureColumn spec, String text, int column, long line) throws FeatureFileException {
        if (text.isEmpty()) {
            return Double.NaN;
        }
        String mapped = map(spec, text, column, line);
        if (mapped == null) {
            return Double.NaN;
        }
        double value;
        try {
            value = Double.parseDouble(mapped);
        } catch (NumberFormatException e) {
            boolean maybeHeader = header == null && line == firstLine;
            throw new FeatureFileException(file, line, fieldName(column), FeatureFileException.Kind.NOT_A_NUMBER,
                    "expected a number, found " + Shown.quoted(mapped), maybeHeader
                            ? "if line " + line + " is a header, read the file with a header"
                            : "fix the value, or leave the field empty for a missing value", e);
        }
        if (!Double.isFinite(value) || Math.abs(value) > Float.MAX_VALUE) {
            throw new FeatureFileException(file, line, fieldName(column), FeatureFileException.Kind.NOT_FINITE,
                    "expected a finite number, found " + Shown.quoted(mapped),
                    "fix the value, or leave the field empty for a missing value");
        }
        return value;
    }

    private void setNumber(int row, int numeric, double value) {
        double[] values = numbers.get(numeric);
        if (row >= values.length) {
            values = Arrays.copyOf(values, Math.max(row + 1, values.length * 2));
            numbers.set(numeric, values);
        }
        values[row] = value;
    }

    private String checkText(String text, int column, long line) throws FeatureFileException {
        if (text.indexOf(REPLACEMENT) >= 0) {
            throw new FeatureFileException(file, line, fieldName(column), FeatureFileException.Kind.ENCODING,
                    "bytes that are not valid " + format.charset() + " (" + Shown.quoted(text) + ")",
                    "convert the file to " + format.charset() + ", e.g. iconv -f LATIN1 -t UTF-8, or read it with"
                            + " its character set (optCharset)");
        }
        return text;
    }

    /** The error for a record with bad quoting (commons-csv's plain IOException), starting on {@code line}. */
    private FeatureFileException malformed(IOException cause, long line) {
        return new FeatureFileException(file, line, null, FeatureFileException.Kind.QUOTING,
                "malformed quoting in the record starting on this line (" + Shown.plain(cause.getMessage(), 120)
                        + ")", "a field that starts with a double quote must end with one, and a quote inside a"
                        + " quoted field is written twice; or read the file without quoting (optQuote(null))",
                cause);
    }

    private FeatureTable build() throws FeatureFileException {
        int rows = idCount;
        // Distinct (row, raw value) pairs: a value weighs 1 per id however often its lines repeat it.
        long[] pairs = new long[entryRow.size()];
        for (int e = 0; e < pairs.length; e++) {
            pairs[e] = ((long) entryRow.get(e) << 32) | entryRaw.get(e);
        }
        Arrays.sort(pairs);
        int distinct = 0;
        for (int e = 0; e < pairs.length; e++) {
            if (e == 0 || pairs[e] != pairs[e - 1]) {
                pairs[distinct++] = pairs[e];
            }
        }
        int[] idsWith = new int[rawNames.size()];
        for (int e = 0; e < distinct; e++) {
            idsWith[(int) pairs[e]]++;
        }

        // The vocabulary, column by column: a numeric column's feature (and its missing indicator), a categorical
        // name's kept values in order of appearance, then its pooled value.
        Map<String, Integer> names = new LinkedHashMap<>();
        int[] rawToFeature = new int[rawNames.size()];
        int[] numericFeature = new int[numericColumns];
        int[] missingFeature = new int[numericColumns];
        double[] mean = new double[numericColumns];
        double[] sd = new double[numericColumns];
        boolean[] groupDone = new boolean[groups.size()];
        int[] featuresOfSpec = new int[specs.size()];
        for (int s = 0; s < specs.size(); s++) {
            FeatureColumn spec = specs.get(s);
            int before = names.size();
            if (spec.kind() == FeatureColumn.Kind.NUMERIC) {
                int n = slot[s];
                numericFeature[n] = feature(names, spec.featureName());
                missingFeature[n] = -1;
                double[] values = numbers.get(n);
                double sum = 0;
                int present = 0;
                for (int r = 0; r < rows; r++) {
                    if (!Double.isNaN(values[r])) {
                        sum += values[r];
                        present++;
                    }
                }
                mean[n] = present == 0 ? 0 : sum / present;
                double squares = 0;
                for (int r = 0; r < rows; r++) {
                    if (!Double.isNaN(values[r])) {
                        double d = values[r] - mean[n];
                        squares += d * d;
                    }
                }
                sd[n] = present == 0 ? 0 : Math.sqrt(squares / present);
                if (present < rows && format.missingIndicator()) {
                    missingFeature[n] = feature(names, spec.featureName() + "=" + FeatureFormat.MISSING);
                }
            } else if (!groupDone[slot[s]]) {
                int group = slot[s];
                groupDone[group] = true;
                boolean pooled = false;
                for (int raw = 0; raw < rawNames.size(); raw++) {
                    if (rawGroup.get(raw) == group) {
                        if (idsWith[raw] >= format.minCount()) {
                            rawToFeature[raw] = feature(names, rawNames.get(raw));
                        } else {
                            rawToFeature[raw] = -1;
                            pooled = true;
                        }
                    }
                }
                if (pooled) {
                    int other = feature(names, spec.featureName() + "=" + FeatureFormat.OTHER);
                    for (int raw = 0; raw < rawNames.size(); raw++) {
                        if (rawGroup.get(raw) == group && rawToFeature[raw] < 0) {
                            rawToFeature[raw] = other;
                        }
                    }
                }
            }
            featuresOfSpec[s] = names.size() - before;
        }
        IdMap vocabulary = IdMap.of(new ArrayList<>(names.keySet()));
        if (vocabulary.size() > format.maxFeatures()) {
            int most = 0;
            for (int s = 1; s < specs.size(); s++) {
                most = featuresOfSpec[s] > featuresOfSpec[most] ? s : most;
            }
            throw new FeatureFileException(file, 0, fieldName(columnIndex[most]),
                    FeatureFileException.Kind.TOO_MANY_FEATURES, vocabulary.size() + " features after pooling the"
                            + " values fewer than " + format.minCount() + " ids have, more than the cap of "
                            + format.maxFeatures() + "; this column gives " + featuresOfSpec[most],
                    "pool rare values (a higher minimum count), leave the column out, or raise the cap"
                            + " (optMaxFeatures)");
        }

        // Each row's entries: its categorical features (pooled values merged), then its numbers.
        long[] keyed = new long[distinct];
        for (int e = 0; e < distinct; e++) {
            keyed[e] = (pairs[e] & 0xFFFF_FFFF_0000_0000L) | rawToFeature[(int) pairs[e]];
        }
        Arrays.sort(keyed);
        int unique = 0;
        for (int e = 0; e < keyed.length; e++) {
            if (e == 0 || keyed[e] != keyed[e - 1]) {
                keyed[unique++] = keyed[e];
            }
        }
        int[] offsets = new int[rows + 1];
        for (int e = 0; e < unique; e++) {
            offsets[(int) (keyed[e] >>> 32) + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            int extra = 0;
            for (int n = 0; n < numericColumns; n++) {
                extra += Double.isNaN(numbers.get(n)[r]) ? (missingFeature[n] >= 0 ? 1 : 0) : 1;
            }
            offsets[r + 1] += offsets[r] + extra;
        }
        int[] columns = new int[offsets[rows]];
        float[] values = new float[columns.length];
        int e = 0;
        for (int r = 0; r < rows; r++) {
            int at = offsets[r];
            for (; e < unique && (int) (keyed[e] >>> 32) == r; e++) {
                columns[at] = (int) keyed[e];
                values[at++] = 1f;
            }
            for (int n = 0; n < numericColumns; n++) {
                double x = numbers.get(n)[r];
                if (!Double.isNaN(x)) {
                    columns[at] = numericFeature[n];
                    values[at++] = sd[n] == 0 ? 0f : (float) ((x - mean[n]) / sd[n]);
                } else if (missingFeature[n] >= 0) {
                    columns[at] = missingFeature[n];
                    values[at++] = 1f;
                }
            }
            sortRow(columns, values, offsets[r], at);
        }
        FeatureMatrix matrix = FeatureMatrix.of(offsets, columns, values, vocabulary.size());
        Map<String, NumericScale> scales = new LinkedHashMap<>();
        Map<String, String> origins = new HashMap<>();
        for (int s = 0; s < specs.size(); s++) {
            FeatureColumn spec = specs.get(s);
            if (spec.kind() == FeatureColumn.Kind.NUMERIC) {
                scales.put(spec.featureName(), new NumericScale(mean[slot[s]], sd[slot[s]]));
            }
            origins.putIfAbsent(spec.featureName(), file + ", line " + firstLine + (header != null ? " (the header)"
                    : "") + ", column '" + fieldName(columnIndex[s]) + "'");
        }
        return FeatureTable.of(ids.build(), vocabulary.ids(), matrix, file.toString(), scales, origins);
    }

    /** The feature's number, a new one for a new name (a pooled or missing value may repeat a data value). */
    private static int feature(Map<String, Integer> names, String name) {
        Integer index = names.get(name);
        if (index == null) {
            index = names.size();
            names.put(name, index);
        }
        return index;
    }

    /** Orders one row's entries by feature (rows are short: insertion sort). */
    private static void sortRow(int[] columns, float[] values, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int c = columns[i];
            float v = values[i];
            int j = i - 1;
            while (j >= from && columns[j] > c) {
                columns[j + 1] = columns[j];
                values[j + 1] = values[j];
                j--;
            }
            columns[j + 1] = c;
            values[j + 1] = v;
        }
    }

    private String fieldName(int column) {
        return header != null && column < header.size() ? header.get(column) : "column " + column;
    }

    private String shownDelimiter() {
        return format.delimiter() == '\t' ? "\\t" : String.valueOf(format.delimiter());
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] data = new int[1024];
        private int size;

        void add(int value) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = value;
        }

        int get(int index) {
            return data[index];
        }

        int size() {
            return size;
        }
    }
}
