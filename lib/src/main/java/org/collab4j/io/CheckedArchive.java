package org.collab4j.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The model file's checked container ({@code ModelFile}) for files that travel beside a model, such as an
 * approximate top-N index: named entries with a {@code SHA256SUMS} entry over them and a SHA-256 of the whole file
 * in the zip comment, written atomically (a temporary file forced to the disk, then renamed over the target), and
 * verified before any entry is returned, each entry's size checked against a budget that bounds the memory a read
 * takes by the file's size.
 */
public final class CheckedArchive {

    /** The entry every archive has, the format version as decimal text; {@link #write} adds it. */
    public static final String VERSION_ENTRY = ModelFile.VERSION_ENTRY;

    private CheckedArchive() {}

    /**
     * Writes entries atomically, {@link #VERSION_ENTRY} first.
     *
     * @param file the file
     * @param version the format version of what the entries hold, at least 1 (and no higher than the model
     *     format's, which the container's reader checks)
     * @param entries the other entries, by name, in the order to write them
     * @throws IOException if the file cannot be written (an {@code OutputFileException} naming it)
     */
    public static void write(Path file, int version, Map<String, byte[]> entries) throws IOException {
        Map<String, byte[]> all = new java.util.LinkedHashMap<>();
        all.put(VERSION_ENTRY, (version + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        all.putAll(entries);
        ModelFile.writeEntries(file, all);
    }

    /**
     * Reads and verifies an archive.
     *
     * @param file the file
     * @return its entries, {@link #VERSION_ENTRY} included, by name
     * @throws ModelFormatException if the file is damaged, cut short or not such an archive
     * @throws IOException if it cannot be read
     */
    public static Map<String, byte[]> read(Path file) throws IOException {
        return ModelFile.readEntries(file);
    }

    /**
     * The exception a reader of an archive throws when an entry is wrong.
     *
     * @param file the file
     * @param problem what is wrong, a sentence fragment following the file name
     * @return the exception, to throw
     */
    public static ModelFormatException problem(Path file, String problem) {
        return new ModelFormatException(file, problem, null);
    }
}
