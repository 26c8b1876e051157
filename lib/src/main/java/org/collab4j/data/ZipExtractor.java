package org.collab4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Extracts a zip archive safely and without its single top-level folder. */
final class ZipExtractor {

    private ZipExtractor() {}

    /**
     * Extracts {@code zip} into the existing directory {@code target}. If every entry lies under one
     * top-level folder (GroupLens archives hold {@code ml-latest-small/...}), that folder is left out.
     *
     * @param source where the archive came from, for messages
     * @throws IOException if the archive is unreadable or an entry would land outside {@code target}
     */
    static void extract(Path zip, Path target, String source) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            String prefix = topLevelFolder(archive);
            Enumeration<? extends ZipEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String relative = entry.getName().substring(prefix.length());
                if (relative.isEmpty()) {
                    continue;
                }
                Path path = root.resolve(relative).normalize();
                // "Zip slip": an entry like ../../.bashrc must not escape the target directory.
                if (!path.startsWith(root) || path.equals(root)) {
                    throw new IOException("the archive from " + source + " has an entry '" + entry.getName()
                            + "' that would be extracted outside its directory; refusing to extract it");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else {
                    Files.createDirectories(path.getParent());
                    try (InputStream in = archive.getInputStream(entry)) {
                        Files.copy(in, path);
                    }
                }
            }
        }
    }

    /** Returns {@code "name/"} if all entries are under the folder {@code name}, else {@code ""}. */
    private static String topLevelFolder(ZipFile archive) {
        String folder = null;
        Enumeration<? extends ZipEntry> entries = archive.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            int slash = name.indexOf('/');
            String first = slash < 0 ? null : name.substring(0, slash);
            if (first == null || (folder != null && !folder.equals(first))) {
                return "";
            }
            folder = first;
        }
        return folder == null || List.of("", ".", "..").contains(folder) ? "" : folder + "/";
    }

    /** Deletes a directory and everything in it; does nothing if it does not exist. */
    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}
