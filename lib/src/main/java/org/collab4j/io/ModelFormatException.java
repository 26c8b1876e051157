package org.collab4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown when a file cannot be loaded as a Collab4J model: it is not one, it was damaged or cut short after it was
 * written, or it was written in a format version this Collab4J does not read. The message names the file and says
 * what is wrong, e.g.
 *
 * <pre>
 * models/ml.c4j is damaged: entry 'parameters.bin' does not match its SHA-256 in SHA256SUMS
 * models/ml.c4j was written in model format version 2 by a newer Collab4J; this one reads version 1 only
 * </pre>
 *
 * <p>It is an {@link IOException} because it happens while loading: callers already handle I/O failures there.
 * A missing file is reported as the JDK's {@link java.nio.file.NoSuchFileException} instead.
 */
public final class ModelFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** The file's path; a String rather than a Path, which is not serializable. */
    private final String file;

    /**
     * Creates an exception.
     *
     * @param file the file being loaded
     * @param problem what is wrong, a sentence fragment following the file name
     * @param cause the underlying exception, or {@code null}
     */
    ModelFormatException(Path file, String problem, Throwable cause) {
        super(file + " " + problem, cause);
        this.file = file.toString();
    }

    /**
     * Returns the file that could not be loaded.
     *
     * @return the path as given to {@link TrainedModel#load(Path)}
     */
    public Path file() {
        return Path.of(file);
    }
}
