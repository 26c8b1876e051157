package org.collab4j.data;

import java.io.IOException;

/**
 * Where interactions come from: anything that yields a {@link Ratings} table (user ids, item ids, a value and
 * optionally a timestamp per row, held as primitive columns) under {@link ReadOptions}, and can say what it reads
 * for messages. Everything after reading (splits, the learner, the {@code Recommender}) takes the table and does not
 * know the source.
 *
 * <pre>{@code
 * InteractionsSource source = RatingsFile.of(Path.of("ratings.csv"), RatingsFormat.MOVIELENS_CSV);
 * Ratings ratings = source.read(ReadOptions.builder().optDuplicates(DuplicatePolicy.MEAN).build());
 * }</pre>
 *
 * <p>Implementations: {@link RatingsFile}, a delimited text file read line by line (errors name the line); in the
 * Spark module, {@code SparkRatings.source(...)}, a Spark table (csv or Parquet, read by Spark) pulled to the
 * driver as primitive arrays. A reader of another format (Parquet or ORC without Spark, a database table, a
 * message log) implements this interface in its own module, so that the library itself does not depend on Hadoop
 * or a driver: it builds the table with {@link Ratings#builder()} (ids as strings, indexed in order of first
 * appearance) or {@link Ratings#ofIndices} (ids already indexed, no per-row objects), and applies the options
 * with {@link ReadOptions#applyTo(Ratings, String)} unless it checks them as it reads.
 */
public interface InteractionsSource {

    /**
     * Reads the interactions.
     *
     * @param options what to do with duplicate pairs and which values to refuse
     * @return the rows, users and items indexed
     * @throws IOException if the source cannot be read
     * @throws IllegalArgumentException (or {@link RatingsFileException} for a file) if the data are malformed or
     *     break the options; the message names {@link #description()}
     */
    Ratings read(ReadOptions options) throws IOException;

    /**
     * Reads the interactions with {@link ReadOptions#DEFAULTS}: every row kept, any finite value.
     *
     * @return the rows
     * @throws IOException if the source cannot be read
     */
    default Ratings read() throws IOException {
        return read(ReadOptions.DEFAULTS);
    }

    /**
     * Returns what the source reads, as messages name it: a path, a table, a query.
     *
     * @return a short description
     */
    String description();
}
