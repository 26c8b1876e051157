package org.collab4j.recommend;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.collab4j.util.InputFiles;
import org.collab4j.util.Shown;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Item titles by original id, for showing recommendations to people. Immutable.
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
     * Reads a {@code movies.csv}-style file: comma-separated, a header line, quoted fields allowed. The ids come
     * from the column named {@code movieId} (else the first column) and the titles from the column named
     * {@code title} (else the second).
     *
     * @param file a UTF-8 CSV file
     * @return the titles
     * @throws org.collab4j.util.InputFileException if the file is missing, a directory, unreadable, empty,
     *     compressed or not UTF-8
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it has fewer than two columns or a malformed line
     */
    public static Titles read(Path file) throws IOException {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
        Map<String, String> titles = new HashMap<>();
        try (Reader reader = new BufferedReader(new InputStreamReader(InputFiles.openText(file),
                        StandardCharsets.UTF_8));
                CSVParser parser = format.parse(reader)) {
            List<String> header = parser.getHeaderNames();
            if (header.size() < 2) {
                throw new IllegalArgumentException(file + ": a titles file needs an id and a title column, found "
                        + Shown.list(header) + "; give a movies.csv-style file (movieId,title,...)");
            }
            int idColumn = header.contains("movieId") ? header.indexOf("movieId") : 0;
            int titleColumn = header.contains("title") ? header.indexOf("title") : 1;
            for (CSVRecord record : parser) {
                if (record.size() > Math.max(idColumn, titleColumn)) {
                    titles.put(record.get(idColumn), record.get(titleColumn));
                }
            }
        } catch (java.io.UncheckedIOException e) {
            // commons-csv wraps a malformed line (e.g. an unclosed quote) this way.
            throw new IllegalArgumentException(file + ": malformed line in the titles file ("
                    + Shown.plain(e.getCause().getMessage(), 120) + "); fix its quoting", e);
        }
        return new Titles(titles);
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
