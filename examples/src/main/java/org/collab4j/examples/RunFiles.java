package org.collab4j.examples;

import org.collab4j.util.InputFileException;
import org.collab4j.util.InputFiles;
import org.collab4j.util.OutputFileException;
import org.collab4j.util.OutputFiles;
import org.collab4j.util.Shown;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files one run of a command reads and writes, checked together before any work starts: every input can be
 * read (not missing, a directory, unreadable, empty, compressed or UTF-16), and every output can be written and
 * is none of the inputs (by real path, so {@code train --ratings r.csv --save r.csv} is refused, links too). Each
 * command lists its options' files and calls {@link #check()} first:
 *
 * <pre>{@code
 * new RunFiles().text("--ratings", ratings).text("--valid", valid).output("--save", save)
 *         .outputs("--history", history, "history.csv", "losses.png").check();
 * }</pre>
 *
 * A problem is a {@link CliException}: one line, {@code <what>, <option> <path>; <what to do>}, exit status 2.
 */
final class RunFiles {

    private enum Kind {
        TEXT, BINARY, FOLDER
    }

    private record Input(String option, Path path, Kind kind) {}

    private record Output(String option, Path file) {}

    private final List<Input> inputs = new ArrayList<>();
    private final List<Output> outputs = new ArrayList<>();

    /**
     * Adds a text input (ratings, titles); null (an option not given) is skipped.
     *
     * @return this
     */
    RunFiles text(String option, Path file) {
        if (file != null) {
            inputs.add(new Input(option, file, Kind.TEXT));
        }
        return this;
    }

    /**
     * Adds a binary input (a model file); null is skipped.
     *
     * @return this
     */
    RunFiles binary(String option, Path file) {
        if (file != null) {
            inputs.add(new Input(option, file, Kind.BINARY));
        }
        return this;
    }

    /**
     * Adds an input folder whose files are inputs too (e.g. {@code --data DIR} with its ratings.csv); the named
     * files that exist in it are checked as text, the others are left to the command.
     *
     * @return this
     */
    RunFiles folder(String option, Path folder, String... textFiles) {
        if (folder != null) {
            inputs.add(new Input(option, folder, Kind.FOLDER));
            for (String name : textFiles) {
                Path file = folder.resolve(name);
                if (Files.exists(file)) {
                    inputs.add(new Input(option, file, Kind.TEXT));
                }
            }
        }
        return this;
    }

    /**
     * Adds an output file; null is skipped.
     *
     * @return this
     */
    RunFiles output(String option, Path file) {
        if (file != null) {
            outputs.add(new Output(option, file));
        }
        return this;
    }

    /**
     * Adds the files a command writes into an output folder; a null folder is skipped.
     *
     * @return this
     */
    RunFiles outputs(String option, Path folder, String... names) {
        if (folder != null) {
            for (String name : names) {
                outputs.add(new Output(option, folder.resolve(name)));
            }
        }
        return this;
    }

    /**
     * Checks every input, then every output against all inputs.
     *
     * @throws CliException for the first problem, in the command line's words
     */
    void check() {
        Map<String, Path> byOption = new LinkedHashMap<>();
        for (Input input : inputs) {
            try {
                switch (input.kind()) {
                    case TEXT -> InputFiles.openText(input.path()).close();
                    case BINARY -> InputFiles.check(input.path());
                    case FOLDER -> {
                        if (!Files.isDirectory(input.path())) {
                            throw new CliException((Files.exists(input.path()) ? "a file, not a folder"
                                    : "no such folder") + ", " + input.option() + " " + shown(input.path())
                                    + "; give a folder");
                        }
                    }
                    default -> throw new IllegalStateException(input.kind().name());
                }
            } catch (InputFileException e) {
                throw new CliException(e.problem() + ", " + input.option() + " " + shown(input.path())
                        + (e.advice().isEmpty() ? "" : "; " + e.advice()), e);
            } catch (java.io.IOException e) {
                throw new CliException("cannot read " + input.option() + " " + shown(input.path()) + ": "
                        + Shown.plain(String.valueOf(e.getMessage()), 200), e);
            }
            if (input.kind() != Kind.FOLDER) {
                String key = byOption.containsKey(input.option()) ? input.option() + " " + shown(input.path())
                        : input.option();
                byOption.put(key, input.path());
            }
        }
        for (Output output : outputs) {
            try {
                OutputFiles.check(output.file(), byOption);
                for (Output other : outputs) {
                    if (other != output && other.file().toAbsolutePath().normalize()
                            .equals(output.file().toAbsolutePath().normalize())) {
                        throw new CliException("written twice, by " + other.option() + " and " + output.option()
                                + ", " + shown(output.file()) + "; give each output its own file");
                    }
                }
            } catch (OutputFileException e) {
                throw new CliException(e.problem() + ", " + output.option() + " " + shown(output.file())
                        + (e.advice().isEmpty() ? "" : "; " + e.advice()), e);
            }
        }
    }

    private static String shown(Path path) {
        return Shown.plain(path.toString(), 300);
    }
}
