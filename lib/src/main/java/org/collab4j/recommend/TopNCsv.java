package org.collab4j.recommend;

import org.collab4j.util.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Writes top-N lists as the project's CSV: the header {@value #HEADER}, then one row per recommended item, a
 * user's items together, rank 1 the best, ids as the ratings file had them, the score as Java prints a
 * {@code float} (shortest decimal that reads back to the same bits; an exponent is written with a lower-case
 * {@code e}). Ids holding a comma, a quote or a line break are quoted as RFC 4180 says.
 *
 * <p>Streaming: rows go to the stream as they come, so a caller can write millions of them with one batch in
 * memory. To a file, {@link #write(Path, Content)} writes atomically through {@link AtomicFiles} (a reader, or the
 * next run after a crash, sees the previous file or the complete new one):
 *
 * <pre>{@code
 * TopNCsv.write(Path.of("top10.csv"), csv -> recommender.recommendAll(10, 256, csv.sink()));
 * }</pre>
 *
 * <p>The static {@link #writeHeader}, {@link #writeRows} and {@link #writeAll} serve callers that hold their own
 * {@link Writer} or want every known user's top-K in one call; they write exactly the same bytes.
 */
public final class TopNCsv {

    /** The header line, without its line break. */
    public static final String HEADER = "user,item,rank,score";

    /**
     * What writes the rows of a file.
     */
    @FunctionalInterface
    public interface Content {

        /**
         * Writes the rows.
         *
         * @param csv the writer, header already written
         * @throws IOException if writing fails
         */
        void writeTo(TopNCsv csv) throws IOException;
    }

    private final Writer out;
    private long rows;

    private TopNCsv(Writer out) throws IOException {
        this.out = out;
        writeHeader(out);
    }

    /**
     * Starts a CSV on a stream (e.g. standard output) by writing the header. The caller flushes and closes it.
     *
     * @param out the stream
     * @return the writer
     * @throws IOException if the header cannot be written
     */
    public static TopNCsv to(Writer out) throws IOException {
        return new TopNCsv(out);
    }

    /**
     * Writes a file atomically: the content goes to a temporary file in the same folder, which replaces
     * {@code file} only once complete. If {@code content} fails, {@code file} is left as it was.
     *
     * @param file the file
     * @param content writes the rows
     * @throws IOException if writing fails (an {@link UncheckedIOException} from {@link #sink()} is unwrapped)
     */
    public static void write(Path file, Content content) throws IOException {
        try {
            AtomicFiles.writeText(file, writer -> content.writeTo(new TopNCsv(writer)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Writes lists to a file atomically.
     *
     * @param file the file
     * @param lists the lists, written in this order
     * @throws IOException if writing fails
     */
    public static void write(Path file, List<UserRecommendations> lists) throws IOException {
        write(file, csv -> csv.write(lists));
    }

    /**
     * Writes top-{@code k} for every known user of a recommender (each user's training items left out) to a file,
     * atomically, streaming batch by batch: memory holds one batch of lists, not the whole file.
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
        write(file, csv -> {
            Consumer<List<UserRecommendations>> sink = csv.sink();
            recommender.recommendAll(k, batchSize, batch -> {
                sink.accept(batch);
                users[0] += batch.size();
            });
        });
        return users[0];
    }

    /**
     * Writes the header line to a stream.
     *
     * @param out where to write
     * @throws IOException if writing fails
     */
    public static void writeHeader(Writer out) throws IOException {
        out.write(HEADER);
        out.write('\n');
    }

    /**
     * Writes one user's rows to a stream, ranked in the list's order.
     *
     * @param out where to write
     * @param recommendations one user's items, best first
     * @return the number of rows written
     * @throws IOException if writing fails
     */
    public static int writeRows(Writer out, UserRecommendations recommendations) throws IOException {
        String user = quoted(recommendations.userId());
        List<ScoredId> items = recommendations.items();
        for (int rank = 1; rank <= items.size(); rank++) {
            ScoredId item = items.get(rank - 1);
            out.write(user);
            out.write(',');
            out.write(quoted(item.id()));
            out.write(',');
            out.write(Integer.toString(rank));
            out.write(',');
            out.write(Float.toString(item.score()).toLowerCase(Locale.ROOT));
            out.write('\n');
        }
        return items.size();
    }

    /**
     * Writes one user's rows.
     *
     * @param list the user's items, best first
     * @throws IOException if writing fails
     */
    public void write(UserRecommendations list) throws IOException {
        rows += writeRows(out, list);
    }

    /**
     * Writes several users' rows.
     *
     * @param lists the lists, in this order
     * @throws IOException if writing fails
     */
    public void write(List<UserRecommendations> lists) throws IOException {
        for (UserRecommendations list : lists) {
            write(list);
        }
    }

    /**
     * Returns a sink for {@link Recommender#recommendAll} and {@link Recommender#recommendWithHistories}, which
     * writes each batch; an {@link IOException} becomes an {@link UncheckedIOException}, which
     * {@link #write(Path, Content)} turns back.
     *
     * @return the sink
     */
    public Consumer<List<UserRecommendations>> sink() {
        return batch -> {
            try {
                write(batch);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * Returns how many item rows (not counting the header) were written.
     *
     * @return the rows
     */
    public long rows() {
        return rows;
    }

    /** The field as it is, or quoted with doubled quotes when it holds a comma, a quote or a line break. */
    static String quoted(String field) {
        for (int k = 0; k < field.length(); k++) {
            char c = field.charAt(k);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return '"' + field.replace("\"", "\"\"") + '"';
            }
        }
        return field;
    }

    /**
     * Returns how many rows were written, e.g. {@code TopNCsv(1200 rows)}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "TopNCsv(%d rows)", rows);
    }
}
