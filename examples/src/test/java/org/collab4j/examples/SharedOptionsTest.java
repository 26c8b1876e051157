package org.collab4j.examples;

import static org.collab4j.examples.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.model.BlockKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The examples' commands take the shared options ({@code org.collab4j.cli}) as one layer: every training command
 * parses them to the same values (the Spark app's {@code train} too: its {@code SharedOptionsTest} holds the same
 * expected line), {@code --block} names the block kind, and {@code --model} stays accepted for it.
 */
class SharedOptionsTest {

    @TempDir
    Path dir;

    /** The shared options as a script would give them, the older {@code --model} name included. */
    static final String[] SHARED = {"--model", "dot", "--epochs", "3", "--lr", "0.01", "--wd", "0.05", "--bs", "128",
        "--factors", "20", "--y-range", "0.5,5", "--seed", "7", "--valid-fraction", "0.1", "--duplicates", "MEAN",
        "--strict-range"};
    /** How they parse, in both command lines. */
    static final String EXPECTED = "--block=dot --epochs=3 --optimizer=adamw --schedule=onecycle --cycles=3"
            + " --cycle-len=1 --cycle-mult=2 --lr=0.01 --wd=0.05 --bs=128 --factors=20 --y-range=0.5,5.0"
            + " --no-bias-decay=false --bias-decay=false --dropout=0.05,0.5 --seed=7 | --valid-fraction=0.1"
            + " --duplicates=MEAN"
            + " --strict-range=true";

    private static String[] with(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    /**
     * Every command's help formats: picocli passes the descriptions written in the annotations through
     * {@code String.format}, so a lone {@code %} ("80 % of") breaks the line and prints a warning instead of the help.
     */
    @Test
    void everyCommandsHelpFormatsWithoutAWarning() {
        List<String> broken = new ArrayList<>();
        for (Map.Entry<String, CommandLine> sub : new CommandLine(Main.class).getSubcommands().entrySet()) {
            List<Class<?>> classes = new ArrayList<>();
            CommandLine.Model.CommandSpec spec = sub.getValue().getCommandSpec();
            classes.add(spec.userObject().getClass());
            for (CommandLine.Model.CommandSpec mixin : spec.mixins().values()) {
                classes.add(mixin.userObject().getClass());
            }
            List<String> texts = new ArrayList<>();
            for (Class<?> c = classes.get(0); c != null; c = c.getSuperclass()) {
                CommandLine.Command command = c.getAnnotation(CommandLine.Command.class);
                if (command != null) {
                    texts.addAll(List.of(command.description()));
                }
            }
            for (Class<?> type : classes) {
                for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                    for (java.lang.reflect.Field field : c.getDeclaredFields()) {
                        CommandLine.Option option = field.getAnnotation(CommandLine.Option.class);
                        if (option != null) {
                            texts.addAll(List.of(option.description()));
                        }
                        CommandLine.Parameters parameters = field.getAnnotation(CommandLine.Parameters.class);
                        if (parameters != null) {
                            texts.addAll(List.of(parameters.description()));
                        }
                    }
                }
            }
            for (String text : texts) {
                try {
                    String.format(text.replaceAll("\\$\\{[^}]*\\}", "x"));
                } catch (java.util.IllegalFormatException e) {
                    broken.add(sub.getKey() + ": " + text);
                }
            }
        }
        assertEquals(List.of(), broken, "write % as %% in picocli descriptions");
    }

    @Test
    void everyTrainingCommandParsesTheSharedOptionsAlike() {
        Train train = new Train();
        new CommandLine(train).parseArgs(with(SHARED, "--ratings", "r.csv"));
        assertEquals(EXPECTED, train.training + " | " + train.data);
        String[] trainingOnly = java.util.Arrays.copyOf(SHARED, 16);
        String expectedTraining = EXPECTED.substring(0, EXPECTED.indexOf(" |"));
        Quickstart quickstart = new Quickstart();
        new CommandLine(quickstart).parseArgs(trainingOnly);
        assertEquals(expectedTraining, quickstart.training.toString());
        LrFind lrFind = new LrFind();
        new CommandLine(lrFind).parseArgs(with(trainingOnly, "--ratings", "r.csv"));
        assertEquals(expectedTraining, lrFind.training.toString());
        Bench bench = new Bench();
        new CommandLine(bench).parseArgs(with(trainingOnly, "--split", "s"));
        assertEquals(expectedTraining, bench.training.toString());
        assertEquals(BlockKind.EMBEDDING_DOT, bench.training.block);
    }

    @Test
    void theLayoutOptionsAreTheSameInEveryCommandThatReadsRatingsFiles() {
        String expected = "--format=tsv --sep=; --no-header=true";
        String[] layout = {"--format", "tsv", "--sep", ";", "--no-header"};
        Train train = new Train();
        new CommandLine(train).parseArgs(with(layout, "--ratings", "r"));
        assertEquals(expected, train.layout.toString());
        Recommend recommend = new Recommend();
        new CommandLine(recommend).parseArgs(with(layout, "--model", "m", "--history", "h"));
        assertEquals(expected, recommend.layout.toString());
        EvaluateRanking evaluate = new EvaluateRanking();
        new CommandLine(evaluate).parseArgs(with(layout, "--model", "m", "--ratings", "r"));
        assertEquals(expected, evaluate.layout.toString());
        PopularTopN popular = new PopularTopN();
        new CommandLine(popular).parseArgs(with(layout, "--train", "t", "--out", "o"));
        assertEquals(expected, popular.layout.toString());
        ScoreTopN score = new ScoreTopN();
        new CommandLine(score).parseArgs(with(layout, "--train", "t", "--test", "x", "--topn", "n"));
        assertEquals(expected, score.layout.toString());
        SplitRatings split = new SplitRatings();
        new CommandLine(split).parseArgs(with(layout, "--ratings", "r", "--train-out", "a", "--valid-out", "b"));
        assertEquals(expected, split.layout.toString());
    }

    @Test
    void blockAndItsOlderNameModelTrainTheSameModel() throws IOException {
        StringBuilder csv = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < 20; u++) {
            for (int i = 0; i < 15; i++) {
                if ((u * 7 + i * 3) % 4 == 0) {
                    csv.append(u).append(',').append(i).append(',').append(1 + (u + i) % 5).append(",0\n");
                }
            }
        }
        Path file = Files.writeString(dir.resolve("ratings.csv"), csv);
        String[] block = run("train", "--ratings", file.toString(), "--block", "dot", "--epochs", "2");
        String[] model = run("train", "--ratings", file.toString(), "--model", "dot", "--epochs", "2");
        assertEquals("0", block[0], block[2]);
        List<String> blockLines = block[1].lines().toList();
        List<String> modelLines = model[1].lines().toList();
        assertEquals(blockLines.get(blockLines.size() - 1), modelLines.get(modelLines.size() - 1), "the RMSE line");
        assertTrue(blockLines.get(blockLines.size() - 1).startsWith("RMSE "), block[1]);
        assertTrue(block[1].contains("EmbeddingDot("), block[1]);
        String[] help = run("train", "--help");
        // Spaces normalised: the option column's width follows the longest option names (--item-feature-columns).
        assertTrue(help[1].replaceAll(" +", " ").contains("--block, --model=KIND the model: dot, dotbias or net"
                + " (default: dotbias);"), help[1]);
        String[] net = run("train", "--ratings", file.toString(), "--implicit", "--block", "net");
        assertEquals("2", net[0], net[2]);
        assertTrue(net[2].contains("error: --block net trains ratings only: with --implicit use --block dot"),
                net[2]);
        String[] bad = run("bench", "--split", dir.toString(), "--block", "mlp");
        assertEquals("2", bad[0], bad[2]);
        assertTrue(bad[2].contains("expected one of [dot, dotbias, net] but was 'mlp'"), bad[2]);
    }
}
