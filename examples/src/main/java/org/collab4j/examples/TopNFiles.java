package org.collab4j.examples;

import org.collab4j.util.InputFiles;
import org.collab4j.util.AtomicFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes top-N CSVs: header exactly {@code user,item,rank,score}, one row per recommended item, rank 1 =
 * best, original ids. Every system in {@code bench/ranking.sh} (Collab4J, LibRec, most-popular) writes this format
 * and {@code score-topn} reads it.
 */
final class TopNFiles {

    static final String HEADER = "user,item,rank,score";

    private TopNFiles() {}

    /** One recommended item and its score. */
    record Scored(String item, double score) {}

    /**
     * Reads a top-N CSV.
     *
     * @param file the file
     * @return each user's items, best first, users in the order the file first lists them
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming file, line and field for a wrong header, a malformed row, a rank
     *     that is not a positive integer, or an item or rank listed twice for one user
     */
    static Map<String, List<String>> read(Path file) throws IOException {
        Map<String, Map<Integer, String>> byRank = new LinkedHashMap<>();
        Map<String, Set<String>> items = new LinkedHashMap<>();
        // Opened once through InputFiles: a pipe or process substitution works, a binary file is named.
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(InputFiles.openText(file),
                StandardCharsets.UTF_8))) {
            String header = in.readLine();
            if (header == null || !header.strip().replace("\uFEFF", "").equals(HEADER)) {
                throw new IllegalArgumentException(file + ":1: the header must be exactly " + HEADER + ", got "
                        + (header == null ? "an empty file" : "'" + header + "'")
                        + "; write top-N lists with recommend --all -k K --out FILE");
            }
            String line;
            long number = 1;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (f.length != 4) {
                    throw new IllegalArgumentException(file + ":" + number + ": expected 4 fields (" + HEADER
                            + "), got " + f.length + "; ids with commas are not supported");
                }
                String user = f[0].strip();
                String item = f[1].strip();
                if (user.isEmpty() || item.isEmpty()) {
                    throw new IllegalArgumentException(file + ":" + number + ": field "
                            + (user.isEmpty() ? "user" : "item") + " is empty");
                }
                int rank;
                try {
                    rank = Integer.parseInt(f[2].strip());
                } catch (NumberFormatException e) {
                    rank = 0;
                }
                if (rank < 1) {
                    throw new IllegalArgumentException(file + ":" + number + ": field rank '" + f[2]
                            + "' is not a positive integer (rank 1 = best)");
                }
                try {
                    Double.parseDouble(f[3].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + ":" + number + ": field score '" + f[3]
                            + "' is not a number");
                }
                if (!items.computeIfAbsent(user, u -> new HashSet<>()).add(item)) {
                    throw new IllegalArgumentException(file + ":" + number + ": field item: user " + user
                            + " is recommended item " + item + " twice; each item may appear once per user");
                }
                if (byRank.computeIfAbsent(user, u -> new java.util.TreeMap<>()).putIfAbsent(rank, item) != null) {
                    throw new IllegalArgumentException(file + ":" + number + ": field rank: user " + user
                            + " has rank " + rank + " twice");
                }
            }
        }
        Map<String, List<String>> lists = new LinkedHashMap<>();
        byRank.forEach((user, ranks) -> lists.put(user, new ArrayList<>(ranks.values())));
        return lists;
    }

    /**
     * Writes a top-N CSV atomically (a reader sees the old file or the whole new one).
     *
     * @param file the file
     * @param lists each user's items, best first; rank j+1 is written for position j
     * @throws IOException if the file cannot be written
     */
    static void write(Path file, Map<String, List<Scored>> lists) throws IOException {
        AtomicFiles.writeText(file, out -> {
            out.write(HEADER + "\n");
            for (Map.Entry<String, List<Scored>> user : lists.entrySet()) {
                int rank = 0;
                for (Scored s : user.getValue()) {
                    out.write(user.getKey() + "," + s.item() + "," + ++rank + ","
                            + String.format(Locale.ROOT, "%.6g", s.score()) + "\n");
                }
            }
        });
    }
}
