/**
 * Ratings data: reading delimited ratings files, mapping ids to embedding rows, splitting, and
 * downloading MovieLens.
 *
 * <p>The pieces, in the order a user meets them:
 *
 * <ul>
 *   <li>{@link org.collab4j.data.MovieLens} downloads and caches a MovieLens archive;
 *   <li>{@link org.collab4j.data.RatingsFormat} says how a ratings file is laid out (delimiter,
 *       header, which column is what), with presets for the MovieLens files;
 *   <li>{@link org.collab4j.data.Ratings} is the parsed table: one row per rating, users and items
 *       as contiguous indices whose original ids live in an {@link org.collab4j.data.IdMap};
 *   <li>{@link org.collab4j.data.Splits} divides a table into a training and a validation {@link
 *       org.collab4j.data.Split}.
 * </ul>
 *
 * <p>A malformed file raises {@link org.collab4j.data.RatingsFileException}, which names the file,
 * the line and the field.
 */
package org.collab4j.data;
