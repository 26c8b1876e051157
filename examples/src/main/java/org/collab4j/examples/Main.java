package org.collab4j.examples;

import org.collab4j.data.RatingsFileException;
import org.collab4j.engine.NativeLibraryException;
import org.collab4j.train.TrainingDivergedException;
import org.collab4j.util.Shown;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The examples' entry point: one subcommand per task. */
@Command(
        name = "collab4j-examples",
        mixinStandardHelpOptions = true,
        version = "Collab4J examples 0.1.0",
        description = "Collaborative filtering with Collab4J.",
        subcommands = {Quickstart.class, Train.class, LrFind.class, Recommend.class, Similar.class,
            Explain.class, EvaluateRanking.class, ScoreTopN.class, PopularTopN.class, SplitRatings.class,
            GenerateRatings.class, ReadRatings.class, ReadFeatures.class,
            GpuCheck.class, Crosstab.class, GradDesc.class, Tensors.class,
            Soak.class, Bench.class, FoldInBench.class, OnboardingBench.class, ColdStartBench.class, CommandLine.HelpCommand.class})
public final class Main {

    private Main() {}

    /**
     * Runs a subcommand and exits with its status: 0 on success, 2 for bad input (a malformed file, an option
     * out of range, an unknown id, a damaged model), 3 when PyTorch cannot start, 4 when training diverged. Every
     * error is one line on stderr, {@code error: ...}, saying what, where and what to do.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs a subcommand and returns its exit status.
     *
     * @param args the command line
     * @return the exit status
     */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof RatingsFileException || e instanceof IllegalArgumentException
                    || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
                commandLine.getErr().println("error: " + oneLine(CliMessages.of(e, commandLine)));
                return 2;
            }
            if (e instanceof TrainingDivergedException) {
                commandLine.getErr().println("error: " + oneLine(e.getMessage()));
                return 4;
            }
            if (e instanceof NativeLibraryException) {
                commandLine.getErr().println("error: " + oneLine(e.getMessage()));
                return 3;
            }
            throw e;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // The checks before training estimate the memory a model needs; this is what they could not foresee.
            cli.getErr().println("error: out of memory (" + oneLine(e.getMessage()) + "); use smaller settings"
                    + " (--factors, --bs, --batch) or give Java more memory, e.g. java -Xmx8g -jar ...");
            return 2;
        }
    }

    /** Any message as one line of bounded length: line breaks and control characters escaped. */
    static String oneLine(String message) {
        return Shown.oneLine(message, 2_000);
    }
}
