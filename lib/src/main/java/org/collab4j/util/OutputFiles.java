package org.collab4j.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks output files before the work that produces them starts, and turns a failure while writing into one
 * message naming the file. A run that will write files calls {@link #check(Path, Map)} with each output and
 * all of its inputs first, so that nothing is found wrong after an hour of training, and an input is never
 * overwritten by an output aimed at it.
 *
 * <p>It also names the temporary files that {@link AtomicFiles} and the model writer write beside a target
 * ({@link #temporaryPrefix}), short enough that a target of the longest legal name still has a legal temporary
 * name.
 */
public final class OutputFiles {

    /** The longest file name, in bytes, that the usual file systems (ext4, XFS, APFS, NTFS in UTF-16) allow. */
    public static final int MAX_NAME_BYTES = 255;
    /** Hex digits of the random part of a temporary name. */
    public static final int TEMP_RANDOM_HEX = 16;
    /** The ending of every temporary name. */
    public static final String TEMP_SUFFIX = ".tmp";

    private OutputFiles() {}

    /**
     * Checks an output file before anything is written: it is none of {@code inputs} (compared by real path,
     * so a link or another spelling of an input counts), not a directory, its name fits the file system, and its
     * folder, or the nearest existing parent when folders will be created, is a writable folder.
     *
     * @param file the file that will be written
     * @param inputs the run's input files by what they are (e.g. {@code "the ratings"}); null paths are skipped
     * @throws OutputFileException if the file cannot or must not be written
     */
    public static void check(Path file, Map<String, Path> inputs) throws OutputFileException {
        if (file == null) {
            throw new NullPointerException("file");
        }
        for (Map.Entry<String, Path> input : inputs.entrySet()) {
            if (input.getValue() != null && sameFile(file, input.getValue())) {
                throw new OutputFileException(file, OutputFileException.Kind.IS_INPUT, "also an input of this run ("
                        + input.getKey() + "): writing it would replace that input", "choose another file", null);
            }
        }
        if (InputFiles.isStream(file)) {
            throw new OutputFileException(file, OutputFileException.Kind.NOT_A_FILE, "a pipe or device, not a file"
                    + " (outputs are written to a temporary file that then replaces the target)", "give the name of"
                    + " a file; to pass the output on, write a file and read it from there", null);
        }
        if (Files.isDirectory(file)) {
            throw new OutputFileException(file, OutputFileException.Kind.DIRECTORY, "a directory",
                    "give a file name, e.g. " + Shown.plain(file.resolve("out").toString(), 300), null);
        }
        Path name = file.getFileName();
        int bytes = name == null ? 0 : name.toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_NAME_BYTES) {
            throw new OutputFileException(file, OutputFileException.Kind.NAME_TOO_LONG, "a name of " + bytes
                    + " bytes (file systems allow " + MAX_NAME_BYTES + ")", "choose a shorter name", null);
        }
        Path parent = file.toAbsolutePath().getParent();
        Path existing = parent;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return; // nothing to check against: the write will say what is wrong
        }
        if (!Files.isDirectory(existing)) {
            throw new OutputFileException(file, OutputFileException.Kind.NOT_A_FOLDER, Shown.plain(existing
                    .toString(), 300) + " is a file, not a folder", "choose a path in a folder", null);
        }
        if (!Files.isWritable(existing)) {
            String what = existing.equals(parent) ? "its folder " : "its folders would be created in ";
            throw new OutputFileException(file, OutputFileException.Kind.NOT_WRITABLE, what
                    + Shown.plain(existing.toString(), 300) + ", which is not writable (read-only, or no permission)",
                    "choose a writable folder", null);
        }
    }

    /**
     * Checks an output file against a list of inputs; see {@link #check(Path, Map)}.
     *
     * @param file the file that will be written
     * @param inputs the run's input files; null paths are skipped
     * @throws OutputFileException if the file cannot or must not be written
     */
    public static void check(Path file, Collection<Path> inputs) throws OutputFileException {
        Map<String, Path> named = new java.util.LinkedHashMap<>();
        for (Path input : inputs) {
            if (input != null) {
                named.put("the input " + Shown.plain(input.toString(), 300), input);
            }
        }
        check(file, named);
    }

    /**
     * Checks the outputs of one run against each other: no two may be one file (compared as {@link #check} compares
     * an output with the inputs, so {@code s.csv} and {@code ./s.csv} are one file), or the second would silently
     * replace the first.
     *
     * @param outputs the run's output files by what they are (e.g. {@code "the training CSV"}); null paths are
     *     skipped
     * @throws OutputFileException naming the second of two outputs that are one file
     */
    public static void checkDistinct(Map<String, Path> outputs) throws OutputFileException {
        List<Map.Entry<String, Path>> seen = new ArrayList<>();
        for (Map.Entry<String, Path> output : outputs.entrySet()) {
            if (output.getValue() == null) {
                continue;
            }
            for (Map.Entry<String, Path> earlier : seen) {
                if (sameFile(output.getValue(), earlier.getValue())) {
                    throw new OutputFileException(output.getValue(), OutputFileException.Kind.IS_OTHER_OUTPUT,
                            "also written by this run as " + earlier.getKey() + ": one would replace the other",
                            "give each output its own file", null);
                }
            }
            seen.add(output);
        }
    }

    /**
     * Tells whether two paths name one file: the same file when both exist (so a symbolic or hard link counts),
     * else the same absolute normalized path, after resolving the links of the nearest existing parent.
     *
     * @param a a path
     * @param b another path
     * @return true when writing one would write the other
     */
    public static boolean sameFile(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
            return resolved(a).equals(resolved(b));
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /** The absolute path with its nearest existing parent's links resolved (a file that does not exist yet). */
    private static Path resolved(Path file) throws IOException {
        Path absolute = file.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? absolute : existing.toRealPath().resolve(existing.relativize(absolute));
    }

    /**
     * Returns the start of the temporary names for a target: {@code .NAME.}, with {@code NAME} cut (at a
     * character boundary) so that the prefix, {@link #TEMP_RANDOM_HEX} hex digits and {@link #TEMP_SUFFIX} fit
     * in {@link #MAX_NAME_BYTES} bytes. Two targets whose names share their first 233 bytes share a prefix.
     *
     * @param targetName the target's file name
     * @return the prefix of its temporary files
     */
    public static String temporaryPrefix(String targetName) {
        int room = MAX_NAME_BYTES - TEMP_RANDOM_HEX - TEMP_SUFFIX.length() - 2;
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int i = 0; i < targetName.length(); ) {
            int cp = targetName.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > room) {
                break;
            }
            kept.appendCodePoint(cp);
            used += size;
            i += Character.charCount(cp);
        }
        return "." + kept + ".";
    }

    /**
     * Describes a failure while writing {@code target} in one line that names it and says what to do: a full
     * disk, a quota, a read-only file system, no permission, a folder that disappeared, or the system's words.
     *
     * @param target the file being written
     * @param cause what went wrong
     * @return the exception to throw; the caller guarantees the previous file is unchanged
     */
    public static OutputFileException failure(Path target, IOException cause) {
        if (cause instanceof OutputFileException already) {
            return already;
        }
        String reason = cause instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : String.valueOf(cause.getMessage());
        String lower = reason.toLowerCase(Locale.ROOT);
        String problem;
        String advice;
        if (lower.contains("no space left")) {
            problem = "the disk is full";
            advice = "free some space, or write to another disk";
        } else if (lower.contains("quota")) {
            problem = "the disk quota is exceeded";
            advice = "free some space, or write to another disk";
        } else if (lower.contains("read-only file system")) {
            problem = "the file system is read-only";
            advice = "choose a writable folder";
        } else if (cause instanceof AccessDeniedException || lower.contains("permission denied")) {
            problem = "permission denied";
            advice = "choose a folder this user may write to";
        } else if (cause instanceof NoSuchFileException) {
            problem = "its folder does not exist (or was removed while writing)";
            advice = "check the path";
        } else {
            problem = Shown.plain(cause.getClass().getSimpleName() + ": " + reason, 200);
            advice = "check the disk and the path, then try again";
        }
        return new OutputFileException(target, OutputFileException.Kind.WRITE_FAILED, problem, advice
                + " (the previous file, if any, is unchanged)", cause);
    }
}
