/**
 * Ratings data: where interactions come from, how they are read, mapping ids to embedding rows, splitting, and
 * downloading MovieLens.
 *
 * <p>The pieces, in the order a user meets them:
 *
 * <ul>
 *   <li>{@link org.collab4j.data.MovieLens} downloads and caches a MovieLens archive;
 *   <li>{@link org.collab4j.data.InteractionsSource} is the seam every input goes through: something that yields a
 *       {@link org.collab4j.data.Ratings} table under {@link org.collab4j.data.ReadOptions} and names itself in
 *       messages. {@link org.collab4j.data.RatingsFile} is the delimited text file; the Spark module's
 *       {@code SparkRatings.source(...)} reads a Spark table (csv or Parquet); a reader of Parquet without Spark
 *       would implement the same interface in a module of its own, so that this library stays free of Hadoop;
 *   <li>{@link org.collab4j.data.RatingsFormat} says how a delimited file is laid out (delimiter, header, which
 *       column is what), with presets for the MovieLens files;
 *   <li>{@link org.collab4j.data.ReadOptions} says what reading does with the values, whatever the source:
 *       duplicate pairs ({@link org.collab4j.data.DuplicatePolicy}), a rating range, positive weights;
 *   <li>{@link org.collab4j.data.Ratings} is the parsed table: one row per rating, users and items
 *       as contiguous indices whose original ids live in an {@link org.collab4j.data.IdMap};
 *   <li>{@link org.collab4j.data.Interactions} turns implicit feedback (aggregated events, or ratings above a
 *       threshold) into such a table;
 *   <li>{@link org.collab4j.data.Splits} divides a table into a training and a validation {@link
 *       org.collab4j.data.Split};
 *   <li>side features: a {@link org.collab4j.data.FeatureFormat} (an id column and
 *       {@link org.collab4j.data.FeatureColumn}s: categorical, multi-valued, numeric) reads a feature file into a
 *       {@link org.collab4j.data.FeatureTable}, and {@link org.collab4j.data.MovieLensFeatures} reads MovieLens's
 *       {@code movies.csv}, {@code tags.csv}, {@code u.item} and {@code u.user} as they are.
 * </ul>
 *
 * <p>A malformed ratings file raises {@link org.collab4j.data.RatingsFileException}, which names the file,
 * the line and the field; a malformed feature file a {@link org.collab4j.data.FeatureFileException} (an
 * {@link java.io.IOException}, like {@link org.collab4j.util.InputFileException}), which names the file, the line
 * and the column.
 */
package org.collab4j.data;
