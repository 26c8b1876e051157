package org.collab4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.DuplicatePolicy;
import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.data.ReadOptions;
import org.collab4j.model.BlockKind;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.model.YRange;
import org.collab4j.train.CollabLearnerBuilder;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.Sgd;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

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
                + " --cycle-mult=2 --lr=0.005 --wd=auto --bs=64 --factors=50 --y-range=auto --no-bias-decay=false"
                + " --bias-decay=false --dropout=0.05,0.5 --seed=42", train.training.toString());
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
        EmbeddingNet net = assertInstanceOf(EmbeddingNet.class, train.training.block(TEN_STARS).setNumUsers(2)
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
                .block(TEN_STARS).setNumUsers(1).setNumItems(1).build());
        assertEquals(3, dot.getFactors());
        assertEquals(new YRange(0, 11), dot.getYRange(), "without --y-range, the range of the ratings' 1-10 scale");
    }

    /** Ratings on a 1-10 scale of whole stars. */
    private static final Ratings TEN_STARS = Ratings.ofIndices(IdMap.of(List.of("u", "v")), IdMap.of(List.of("a",
            "b", "c")), new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, 2}, new float[] {1, 2, 10, 4});

    @Test
    void withoutTheirOptionsTheRangeAndTheWeightDecayFollowTheData() {
        TrainingOptions defaults = parse().training;
        assertNull(defaults.range(), "no --y-range: the data gives it");
        assertEquals(new YRange(0, 11), defaults.rangeFor(TEN_STARS));
        Ratings halfStars = Ratings.ofIndices(TEN_STARS.users(), TEN_STARS.items(), new int[] {0, 1},
                new int[] {0, 1}, new float[] {0.5f, 4f});
        assertEquals(YRange.MOVIELENS, defaults.rangeFor(halfStars), "FilmTrust's 0.5-4 keeps (0, 5.5)");
        assertEquals(new YRange(1, 5), parse("--y-range", "1,5").training.rangeFor(TEN_STARS), "given, it stays");
        assertEquals(CollabLearnerBuilder.defaultWeightDecay(20_000),
                ((Adam) defaults.optimizer(20_000)).getWeightDecay(), 0f);
        assertEquals(0.64f, ((Adam) defaults.optimizer(20_000)).getWeightDecay(), 1e-6f, "12,800 / 20,000");
        assertEquals(0.1f, ((Adam) defaults.optimizer(10_000_000)).getWeightDecay(), 0f, "large data: 0.1");
        assertEquals(0.3f, ((Adam) parse("--wd", "0.3").training.optimizer(20_000)).getWeightDecay(), 0f);
        assertFalse(defaults.decayBiases(false));
        assertTrue(defaults.decayBiases(true), "a warm start decays them, as its fit was chosen");
        assertFalse(parse("--no-bias-decay").training.decayBiases(true));
        assertTrue(parse("--bias-decay").training.decayBiases(false));
        assertMessage("--bias-decay and --no-bias-decay contradict each other: give one", "--bias-decay",
                "--no-bias-decay");
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
