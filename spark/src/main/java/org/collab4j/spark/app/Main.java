package org.collab4j.spark.app;

import org.collab4j.data.RatingsFileException;
import org.collab4j.engine.NativeLibraryException;
import org.collab4j.train.TrainingDivergedException;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The Spark app's entry point: {@code java -jar spark/target/collab4j-spark-app.jar COMMAND}. */
@Command(
        name = "collab4j-spark",
        mixinStandardHelpOptions = true,
        version = "Collab4J on Spark 0.1.0",
        description = "Collab4J on Apache Spark: train on the driver from a Spark table, recommend on the executors.",
        subcommands = {RecommendAll.class, Train.class, VerifyTopN.class, Bench.class, AlsBench.class,
            CommandLine.HelpCommand.class})
public final class Main {

    private Main() {}

    /**
     * Runs a subcommand and exits with its status: 0 on success, 2 for bad input (a missing column, a null id, an
     * option out of range, a damaged or missing model, an existing output folder), 3 when PyTorch cannot start, 4
     * when training diverged. Every error is one line on stderr, {@code error: ...}.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        // Before Spark's first log line: Spark's own defaults log every task at INFO.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "org/collab4j/spark/app/log4j2.properties");
        }
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
                    || e instanceof java.io.IOException || e instanceof org.apache.spark.sql.AnalysisException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 2;
            }
            if (e instanceof TrainingDivergedException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 4;
            }
            if (e instanceof NativeLibraryException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return 3;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
