package org.collab4j.recommend;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.collab4j.util.InputFiles;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Item titles by original id, for showing recommendations to people: from a map or from MovieLens' title files
 * ({@code movies.csv}, ML-100k's {@code u.item}, ML-1M's {@code movies.dat}). Immutable.
 */
public final class Titles {

    /** No titles: every lookup returns {@code null}. */
    public static final Titles NONE = new Titles(Map.of());

    private final Map<String, String> titles;

    private Titles(Map<String, String> titles) {
        this.titles = titles;
    }

    /**
     * Creates titles from a map.
     *
     * @param titles title by item id
     * @return the titles (a copy)
     */
    public static Titles of(Map<String, String> titles) {
        return new Titles(Map.copyOf(titles));
    }

    /**
     * The MovieLens title files, one per ratings format {@link org.collab4j.data.RatingsFormat} reads.
     */
    public enum Format {
        /**
         * {@code movies.csv} of MovieLens latest, 20M and 25M: comma-separated with a header, quoted fields
         * allowed; ids from the column named {@code movieId} (else the first), titles from {@code title} (else
         * the second).
         */
        MOVIELENS_CSV,
        /** ML-100k's {@code u.item}: {@code id|title|release date|...}, no header. */
        ML100K_ITEM,
        /** ML-1M's and ML-10M's {@code movies.dat}: {@code id::title::genres}, no header. */
        MOVIELENS_DAT;

        /**
         * Chooses the format by the file's name: {@code *.item} is {@link #ML100K_ITEM}, {@code *.dat}
         * {@link #MOVIELENS_DAT}, anything else {@link #MOVIELENS_CSV}.
         *
         * @param file the titles file
         * @return its format
         */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            return name.endsWith(".item") ? ML100K_ITEM : name.endsWith(".dat") ? MOVIELENS_DAT : MOVIELENS_CSV;
        }
    }

    /**
     * Reads a MovieLens title file, its format chosen by its name ({@link Format#of}): {@code movies.csv},
     * ML-100k's {@code u.item} or ML-1M's {@code movies.dat}.
     *
     * @param file the titles file
     * @return the titles
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if a line is malformed (the message names the file and the line)
     */
    public static Titles read(Path file) throws IOException {
        return read(file, Format.of(file));
    }

    /**
     * Reads a title file of the given format. The text is decoded as UTF-8 when it is valid UTF-8, else as
     * ISO-8859-1: GroupLens wrote {@code u.item} and ML-1M's {@code movies.dat} in ISO-8859-1 ("Misérables,
     * Les") and the CSV files in UTF-8. Blank lines are skipped.
     *
     * @param file the titles file
     * @param format its format
     * @return the titles
     * @throws org.collab4j.util.InputFileException if the file is missing, a directory, unreadable, empty,
     *     compressed or UTF-16/UTF-32 text
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if a line is malformed (the message names the file and the line)
     */
    public static Titles read(Path file, Format format) throws IOException {
        byte[] bytes;
        try (java.io.InputStream in = InputFiles.openText(file)) {
            bytes = in.readAllBytes();
        }
        String text = decode(bytes);
        return switch (format) {
            case MOVIELENS_CSV -> readCsv(file, text);
            case ML100K_ITEM -> readDelimited(file, text, "|", "id|title|release date|...");
            case MOVIELENS_DAT -> readDelimited(file, text, "::", "id::title::genres");
        };
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static Titles readCsv(Path file, String text) {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        Map<String, String> titles = new HashMap<>();
        try (CSVParser parser = format.parse(new StringReader(text))) {
            List<String> header = parser.getHeaderNames();
            if (header.size() < 2) {
                throw new IllegalArgumentException(file + ": a titles file needs an id and a title column, found "
                        + header + "; for ML-100k's u.item or ML-1M's movies.dat keep their file names, which"
                        + " choose their formats");
            }
            int idColumn = header.contains("movieId") ? header.indexOf("movieId") : 0;
            int titleColumn = header.contains("title") ? header.indexOf("title") : 1;
            for (CSVRecord record : parser) {
                if (record.size() > Math.max(idColumn, titleColumn)) {
                    titles.put(record.get(idColumn), record.get(titleColumn));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // commons-csv wraps a malformed line (e.g. an unclosed quote) in an UncheckedIOException.
            Throwable cause = e instanceof java.io.UncheckedIOException ? e.getCause() : e;
            throw new IllegalArgumentException(file + ": " + cause.getMessage(), e);
        }
        return new Titles(titles);
    }

    private static Titles readDelimited(Path file, String text, String separator, String layout) {
        Map<String, String> titles = new HashMap<>();
        int lineNumber = 0;
        for (String line : (Iterable<String>) text.lines()::iterator) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            int first = line.indexOf(separator);
            if (first <= 0) {
                throw new IllegalArgumentException(file + ", line " + lineNumber + ": expected " + layout
                        + " (fields separated by '" + separator + "', the id first), found: " + abbreviate(line));
            }
            int second = line.indexOf(separator, first + separator.length());
            String title = second < 0 ? line.substring(first + separator.length())
                    : line.substring(first + separator.length(), second);
            titles.put(line.substring(0, first).strip(), title.strip());
        }
        return new Titles(titles);
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }

    /**
     * Returns an item's title.
     *
     * @param id the item's original id
     * @return the title, or {@code null} if there is none
     */
    public String get(String id) {
        return titles.get(id);
    }

    /**
     * Returns the number of titles.
     *
     * @return the number of ids with a title
     */
    public int size() {
        return titles.size();
    }
}
