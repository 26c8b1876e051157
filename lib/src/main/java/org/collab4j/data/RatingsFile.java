package org.collab4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A delimited text file of ratings or interactions as an {@link InteractionsSource}: the file and its layout
 * ({@link RatingsFormat}). Reading streams the file (about 12 bytes a row, 20 with timestamps) and checks the
 * {@link ReadOptions} line by line, so a {@link RatingsFileException} names the file, the line and the field.
 *
 * <pre>{@code
 * Ratings ratings = RatingsFile.of(Path.of("u.data"), RatingsFormat.ML_100K).read(ReadOptions.DEFAULTS);
 * }</pre>
 */
public final class RatingsFile implements InteractionsSource {

    private final Path file;
    private final RatingsFormat format;

    private RatingsFile(Path file, RatingsFormat format) {
        this.file = file;
        this.format = format;
    }

    /**
     * Returns the source of a file.
     *
     * @param file a UTF-8 text file
     * @param format how the file is laid out
     * @return the source; nothing is read yet
     * @throws IllegalArgumentException if an argument is null
     */
    public static RatingsFile of(Path file, RatingsFormat format) {
        if (file == null || format == null) {
            throw new IllegalArgumentException("file and format must not be null");
        }
        return new RatingsFile(file, format);
    }

    /**
     * Returns the file.
     *
     * @return the path given
     */
    public Path file() {
        return file;
    }

    /**
     * Returns the layout.
     *
     * @return the format given
     */
    public RatingsFormat format() {
        return format;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Users and items are indexed in order of first appearance. The format's own (deprecated) duplicate policy
     * and rating range are not used: {@code options} says.
     *
     * @throws RatingsFileException if the file does not match the format, has a malformed value or one the options
     *     refuse (naming the line), or contains no ratings
     */
    @Override
    public Ratings read(ReadOptions options) throws IOException {
        return RatingsReader.read(file, format, options);
    }

    /**
     * Reads the file with the read options the format carries: the defaults, unless its deprecated
     * {@code optDuplicates} or {@code optRatingRange} were set. {@link Ratings#read(Path, RatingsFormat)} reads this
     * way.
     *
     * @return the rows
     * @throws IOException if the file cannot be read
     * @throws RatingsFileException as {@link #read(ReadOptions)}
     */
    @Override
    public Ratings read() throws IOException {
        return RatingsReader.read(file, format);
    }

    /**
     * {@inheritDoc}
     *
     * @return the file's path
     */
    @Override
    public String description() {
        return file.toString();
    }

    @Override
    public String toString() {
        return "RatingsFile[" + file + ", " + format + "]";
    }
}
