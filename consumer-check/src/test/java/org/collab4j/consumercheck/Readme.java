package org.collab4j.consumercheck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The parts of README.md a new user copies: the Java snippet of "Use it from Java" and the XML blocks of
 * "Dependency and natives". Read from the file at test time, so the check can never drift from what the README
 * says.
 */
final class Readme {

    static final String SNIPPET_SECTION = "## Use it from Java";
    static final String DEPENDENCY_SECTION = "## Dependency and natives";

    private final Path file;
    private final List<String> lines;

    private Readme(Path file, List<String> lines) {
        this.file = file;
        this.lines = lines;
    }

    static Readme read(Path file) throws IOException {
        return new Readme(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** The first {@code java} code block under "Use it from Java", as written. */
    String javaSnippet() {
        List<String> blocks = codeBlocks(SNIPPET_SECTION, "java");
        if (blocks.isEmpty()) {
            throw new IllegalStateException(file + " has no ```java block under '" + SNIPPET_SECTION + "'");
        }
        return blocks.get(0);
    }

    /**
     * The one {@code xml} block under "Dependency and natives" that {@code kind} accepts.
     *
     * @param description what the block is, for the error message
     */
    String xmlBlock(String description, Predicate<String> kind) {
        List<String> matching = codeBlocks(DEPENDENCY_SECTION, "xml").stream().filter(kind).toList();
        if (matching.size() != 1) {
            throw new IllegalStateException(file + " should have exactly one ```xml block for " + description
                    + " under '" + DEPENDENCY_SECTION + "', found " + matching.size());
        }
        return matching.get(0);
    }

    /** Fenced blocks of one language inside a {@code ## } section, fences removed, indentation kept. */
    private List<String> codeBlocks(String section, String language) {
        int start = lines.indexOf(section);
        if (start < 0) {
            throw new IllegalStateException(file + " has no section '" + section + "'");
        }
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        String fenceIndent = "";
        for (int i = start + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (block == null && line.startsWith("## ")) {
                break;
            }
            String trimmed = line.strip();
            if (block == null) {
                if (trimmed.equals("```" + language)) {
                    block = new StringBuilder();
                    // A block inside a list item is indented; its lines carry the same indentation.
                    fenceIndent = line.substring(0, line.indexOf('`'));
                }
            } else if (trimmed.equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else {
                block.append(line.startsWith(fenceIndent) ? line.substring(fenceIndent.length()) : line)
                        .append('\n');
            }
        }
        return blocks;
    }
}
