/**
 * Small utilities the other packages share: writing output files atomically, opening input files and checking output
 * files with messages that say what is wrong ({@link org.collab4j.util.InputFiles},
 * {@link org.collab4j.util.OutputFiles}), quoting values in messages ({@link org.collab4j.util.Shown}), copying arrays
 * to the heap.
 */
package org.collab4j.util;
