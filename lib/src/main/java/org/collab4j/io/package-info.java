/**
 * Trained models as data, and their file: {@link org.collab4j.io.TrainedModel} snapshots a learner (or any
 * trained block) with its id maps, training items and {@link org.collab4j.io.Provenance}, saves it to one file
 * atomically and loads it back, checking checksums and the format version; a file that cannot be loaded fails
 * with a {@link org.collab4j.io.ModelFormatException} naming the file and the problem.
 */
package org.collab4j.io;
