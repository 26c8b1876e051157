package org.collab4j.recommend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.collab4j.util.AtomicFiles;

/**
 * Writes top-N lists as the project's CSV, header exactly {@code user,item,rank,score}: one row per recommended
 * item, rank 1 = best, original ids. Files are written atomically (a temp file renamed into place), so a failed run
 * leaves any earlier file untouched.
 */
public final class TopNCsv {

    /** The header line, without the line break. */
    public static final String HEADER = "user,item,rank,score";

    private TopNCsv() {}

    /**
     * Writes the header line.
     *
     * @param out where to write
     * @throws IOException if writing fails
     */
    public static void writeHeader(Writer out) throws IOException {
        out.write(HEADER);
        out.write('\n');
    }

    /**
     * Writes one user's rows, ranked in the list's order.
     *
     * @param out where to write
     * @param recommendations one user's items, best first
     * @throws IOException if writing fails
     */
    public static void writeRows(Writer out, UserRecommendations recommendations) throws IOException {
        String user = field(recommendations.userId());
        List<ScoredId> items = recommendations.items();
        for (int rank = 1; rank <= items.size(); rank++) {
            ScoredId item = items.get(rank - 1);
            out.write(user);
            out.write(',');
            out.write(field(item.id()));
            out.write(',');
            out.write(Integer.toString(rank));
            out.write(',');
            // Float.toString is the shortest decimal that reads back to the same float.
            out.write(Float.toString(item.score()).toLowerCase(Locale.ROOT));
            out.write('\n');
        }
    }

    /**
     * Writes top-{@code k} for every known user of a recommender (each user's training items left out), streaming
     * batch by batch: memory holds one batch of lists, not the whole file.
     *
     * @param file the CSV to write, replaced atomically
     * @param recommender the model to recommend from
     * @param k how many items per user, at least 1
     * @param batchSize users per batch, at least 1
     * @return the number of users written
     * @throws IOException if the file cannot be written
     */
    public static int writeAll(Path file, Recommender recommender, int k, int batchSize) throws IOException {
        int[] users = new int[1];
        AtomicFiles.writeText(file, out -> {
            writeHeader(out);
            try {
                recommender.recommendAll(k, batchSize, batch -> {
                    for (UserRecommendations list : batch) {
                        try {
                            writeRows(out, list);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    users[0] += batch.size();
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        });
        return users[0];
    }

    /** Quotes an id that holds a comma, quote or line break, as RFC 4180 says. */
    private static String field(String id) {
        if (id.indexOf(',') < 0 && id.indexOf('"') < 0 && id.indexOf('\n') < 0 && id.indexOf('\r') < 0) {
            return id;
        }
        return '"' + id.replace("\"", "\"\"") + '"';
    }
}
