package org.collab4j.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Thrown when a file cannot be loaded as a Collab4J model: it is not one, it was damaged or cut short after it was
 * written, declares sizes or values its content does not have, or it was written in a format version this Collab4J
 * does not read. The message names the file and says what is wrong, e.g.
 *
 * <pre>
 * models/ml.c4j is damaged: entry 'weights/userFactors.f32' does not match its SHA-256 in SHA256SUMS
 * models/ml.c4j has an invalid entry 'config.json': userFactors is 50000000; it must be between 1 and 65536
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
