package org.collab4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.DuplicatePolicy;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.ReadOptions;
import org.collab4j.model.BlockKind;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.model.YRange;
import org.collab4j.train.optimizer.Sgd;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The shared options parse, default, convert and check the same way in any command that mixes them in. */
class TrainingOptionsTest {

    /** A command as both command lines write theirs: the shared classes mixed in. */
    @Command(name = "train", mixinStandardHelpOptions = true)
    static final class Train {
        @Mixin
        TrainingOptions training;

        @Mixin
        TrainDataOptions data;

        @Mixin
        RatingsFileOptions layout;
    }

    private static Train parse(String... args) {
        Train train = new Train();
        new CommandLine(train).parseArgs(args);
        return train;
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        Train train = parse();
        assertEquals("--block=dotbias --epochs=5 --optimizer=adamw --schedule=onecycle --cycles=3 --cycle-len=1"
                + " --cycle-mult=2 --lr=0.005 --wd=0.1 --bs=64 --factors=50 --y-range=0.0,5.5 --no-bias-decay=false"
                + " --dropout=0.05,0.5 --seed=42", train.training.toString());
        assertEquals(new TrainingOptions().toString(), train.training.toString(), "unparsed, as FoldInBench uses it");
        assertEquals("--valid-fraction=0.2 --duplicates=KEEP_ALL --strict-range=false", train.data.toString());
        assertEquals("--format=csv --sep=null --no-header=false", train.layout.toString());
        assertSame(RatingsFormat.MOVIELENS_CSV, train.layout.ratingsFormat());
        assertEquals(ReadOptions.DEFAULTS, train.data.readOptions(YRange.MOVIELENS));
    }

    @Test
    void blockIsTheNameOfTheBlockKindAndModelItsOlderName() {
        for (String name : new String[] {"--block", "--model"}) {
            for (BlockKind kind : java.util.Arrays.stream(BlockKind.values()).filter(BlockKind::hasBlock).toList()) {
                Train train = parse(name, kind.cliName());
                assertSame(kind, train.training.block);
                CommandLine cli = new CommandLine(new Train());
                cli.parseArgs(name + "=" + kind.cliName());
                assertEquals(name, TrainingOptions.blockOptionName(cli.getParseResult()));
                assertTrue(cli.getParseResult().hasMatchedOption("--block"));
                assertTrue(cli.getParseResult().hasMatchedOption("--model"));
            }
        }
        CommandLine none = new CommandLine(new Train());
        none.parseArgs("--epochs", "2");
        assertEquals("--block", TrainingOptions.blockOptionName(none.getParseResult()));
        ParameterException bad = assertThrows(ParameterException.class, () -> parse("--model", "mlp"));
        assertTrue(bad.getMessage().contains("expected one of [dot, dotbias, net] but was 'mlp'"), bad.getMessage());
        assertThrows(ParameterException.class, () -> parse("--block", "dot", "--model", "net"));
    }

    @Test
    void helpShowsBlockWithTheAliasNoted() {
        StringWriter help = new StringWriter();
        new CommandLine(new Train()).usage(new PrintWriter(help));
        assertTrue(help.toString().contains("--block, --model=KIND the model: dot, dotbias or net (default: dotbias);"),
                help.toString());
        assertTrue(help.toString().contains("--model is its older name"), help.toString());
    }

    @Test
    void theOptionsBuildTheBlockTheOptimizerAndTheReadOptions() {
        Train train = parse("--model", "net", "--factors", "7", "--y-range", "1,5", "--dropout", "0.1,0.2",
                "--optimizer", "sgd", "--wd", "0.01", "--duplicates", "MEAN", "--strict-range");
        EmbeddingNet net = assertInstanceOf(EmbeddingNet.class, train.training.block().setNumUsers(2)
                .setNumItems(3).build());
        assertEquals(7, net.getUserFactors());
        assertEquals(new YRange(1, 5), net.getYRange());
        assertEquals(0.1f, net.getEmbeddingDropout());
        assertEquals(0.2f, net.getHiddenDropout());
        assertInstanceOf(Sgd.class, train.training.optimizer());
        assertEquals(ReadOptions.builder().optDuplicates(DuplicatePolicy.MEAN).optRatingRange(1, 5).build(),
                train.data.readOptions(train.training.range()));
        assertEquals(ReadOptions.builder().optDuplicates(DuplicatePolicy.MEAN).build(), train.data.readOptions(null),
                "a ranking model has no range to check");
        EmbeddingDot dot = assertInstanceOf(EmbeddingDot.class, parse("--block", "dot", "--factors", "3").training
                .block().setNumUsers(1).setNumItems(1).build());
        assertEquals(3, dot.getFactors());
    }

    @Test
    void eachCheckNamesItsOption() {
        assertMessage("--epochs must be at least 1, got 0", "--epochs", "0");
        assertMessage("--lr must be a number > 0, got -1.0", "--lr", "-1");
        assertMessage("--wd must be a number >= 0, got -0.5", "--wd", "-0.5");
        assertMessage("--bs must be at least 1, got 0", "--bs", "0");
        assertMessage("--factors must be at least 1, got 0", "--factors", "0");
        assertMessage("--cycles, --cycle-len and --cycle-mult must each be at least 1", "--cycles", "0");
        assertMessage("--y-range takes two numbers LOW,HIGH with LOW < HIGH", "--y-range", "5,1");
        assertMessage("--dropout rates must be in [0, 1)", "--dropout", "1,0.5");
        IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class,
                () -> parse("--valid-fraction", "1").data.validate(false));
        assertEquals("--valid-fraction must be strictly between 0 and 1, e.g. 0.2, got 1.0", fraction.getMessage());
        parse("--valid-fraction", "1").data.validate(true); // ignored with --valid
        IllegalArgumentException sep = assertThrows(IllegalArgumentException.class,
                () -> parse("--sep", "\"").layout.ratingsFormat());
        assertTrue(sep.getMessage().startsWith("--sep must be a delimiter such as , or ; or a tab"), sep.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse("--format", "xls").layout.ratingsFormat());
        RatingsFormat custom = parse("--sep", ";", "--no-header").layout.ratingsFormat();
        assertTrue(custom.toString().startsWith("RatingsFormat[delimiter=\";\", header=false"), custom.toString());
    }

    private static void assertMessage(String start, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(args).training
                .validate());
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
