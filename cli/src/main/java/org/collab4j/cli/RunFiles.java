package org.collab4j.cli;

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
 * The files one run of a command reads and writes, checked together before any work starts, by both command
 * lines: every input can be read (not missing, a directory, unreadable, empty, compressed, UTF-16 or binary), and
 * every output can be written, is none of the inputs and none of the other outputs (by real path, so
 * {@code train --ratings r.csv --save r.csv} and {@code --train-out s.csv --valid-out ./s.csv} are refused, links
 * too). Each command lists its options' files and calls {@link #check()} first:
 *
 * <pre>{@code
 * new RunFiles().text("--ratings", ratings).text("--valid", valid).output("--save", save)
 *         .outputs("--history", history, "history.csv", "losses.png").check();
 * }</pre>
 *
 * <p>An input that can be read only once (a pipe such as {@code /dev/stdin}, a FIFO, process substitution's
 * {@code /dev/fd/63}) is checked without being opened, so the command still reads all of it, once
 * ({@link InputFiles#isStream}).
 *
 * <p>A problem is a {@link CliException}: one line, {@code <what>, <option> <path>; <what to do>}, exit status 2.
 */
public class RunFiles {

    private enum Kind {
        TEXT, BINARY, FOLDER, TABLE
    }

    private record Input(String option, Path path, Kind kind) {}

    private record Output(String option, Path file) {}

    private final List<Input> inputs = new ArrayList<>();
    private final List<Output> outputs = new ArrayList<>();

    /**
     * Adds a text input (ratings, titles); null (an option not given) is skipped.
     *
     * @param option the option that names it, e.g. {@code --ratings}
     * @param file the file, or null
     * @return this
     */
    public RunFiles text(String option, Path file) {
        if (file != null) {
            inputs.add(new Input(option, file, Kind.TEXT));
        }
        return this;
    }

    /**
     * Adds a binary input (a model file); null is skipped.
     *
     * @param option the option that names it, e.g. {@code --model}
     * @param file the file, or null
     * @return this
     */
    public RunFiles binary(String option, Path file) {
        if (file != null) {
            inputs.add(new Input(option, file, Kind.BINARY));
        }
        return this;
    }

    /**
     * Adds a table that a reader such as Spark reads: one file, or a folder of part files. It must exist; an
     * output may be neither it nor a file inside it (Spark would read the output as a part of the table).
     *
     * @param option the option that names it, e.g. {@code --ratings}
     * @param path the file or folder, or null
     * @return this
     */
    public RunFiles table(String option, Path path) {
        if (path != null) {
            inputs.add(new Input(option, path, Kind.TABLE));
        }
        return this;
    }

    /**
     * Adds an input folder whose files are inputs too (e.g. {@code --data DIR} with its ratings.csv); the named
     * files that exist in it are checked as text, the others are left to the command.
     *
     * @param option the option that names it
     * @param folder the folder, or null
     * @param textFiles the names of the text files in it that the command reads
     * @return this
     */
    public RunFiles folder(String option, Path folder, String... textFiles) {
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
     * @param option the option that names it, e.g. {@code --save}
     * @param file the file, or null
     * @return this
     */
    public RunFiles output(String option, Path file) {
        if (file != null) {
            outputs.add(new Output(option, file));
        }
        return this;
    }

    /**
     * Adds the files a command writes into an output folder; a null folder is skipped.
     *
     * @param option the option that names the folder
     * @param folder the folder, or null
     * @param names the files written in it
     * @return this
     */
    public RunFiles outputs(String option, Path folder, String... names) {
        if (folder != null) {
            for (String name : names) {
                outputs.add(new Output(option, folder.resolve(name)));
            }
        }
        return this;
    }

    /**
     * Checks every input, then every output against all inputs and the other outputs.
     *
     * @throws CliException for the first problem, in the command line's words
     */
    public void check() {
        Map<String, Path> byOption = new LinkedHashMap<>();
        List<Input> tables = new ArrayList<>();
        for (Input input : inputs) {
            checkInput(input);
            if (input.kind() == Kind.TABLE) {
                tables.add(input);
            }
            if (input.kind() != Kind.FOLDER) {
                String key = byOption.containsKey(input.option()) ? input.option() + " " + shown(input.path())
                        : input.option();
                byOption.put(key, input.path());
            }
        }
        for (int n = 0; n < outputs.size(); n++) {
            Output output = outputs.get(n);
            try {
                OutputFiles.check(output.file(), byOption);
            } catch (OutputFileException e) {
                throw new CliException(e.problem() + ", " + output.option() + " " + shown(output.file())
                        + (e.advice().isEmpty() ? "" : "; " + e.advice()), e);
            }
            for (Input table : tables) {
                if (Files.isDirectory(table.path()) && output.file().toAbsolutePath().normalize()
                        .startsWith(table.path().toAbsolutePath().normalize())) {
                    throw new CliException("inside the table " + table.option() + " " + shown(table.path()) + ", "
                            + output.option() + " " + shown(output.file()) + "; choose a file outside it (it would"
                            + " be read as part of the table)");
                }
            }
            for (Output earlier : outputs.subList(0, n)) {
                // By real path, as against the inputs: s.csv and ./s.csv are one file, and only one would remain.
                if (OutputFiles.sameFile(earlier.file(), output.file())) {
                    throw new CliException("written twice, by " + earlier.option() + " and " + output.option()
                            + ", " + shown(output.file()) + "; give each output its own file");
                }
            }
        }
    }

    private static void checkInput(Input input) {
        try {
            switch (input.kind()) {
                // A pipe is checked without opening it: the command reads it, once.
                case TEXT -> {
                    if (InputFiles.isStream(input.path())) {
                        InputFiles.check(input.path());
                    } else {
                        InputFiles.openText(input.path()).close();
                    }
                }
                case BINARY -> InputFiles.check(input.path());
                case FOLDER -> {
                    if (!Files.isDirectory(input.path())) {
                        throw new CliException((Files.exists(input.path()) ? "a file, not a folder"
                                : "no such folder") + ", " + input.option() + " " + shown(input.path())
                                + "; give a folder");
                    }
                }
                case TABLE -> {
                    if (!Files.isDirectory(input.path())) {
                        InputFiles.check(input.path());
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
    }

    private static String shown(Path path) {
        return Shown.plain(path.toString(), 300);
    }
}
