package org.collab4j.spark.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.model.BlockKind;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The app's {@code train} takes the shared options of {@code org.collab4j.cli} as the examples' commands do: the
 * same arguments parse to the same values (the examples' {@code SharedOptionsTest} holds the same expected line),
 * {@code --block} names the block kind, {@code --model} stays accepted for it, and the app refuses the kind its
 * executors do not serve before Spark starts.
 */
class SharedOptionsTest {

    /** The examples' {@code SharedOptionsTest.SHARED}: the shared options, the older {@code --model} name included. */
    static final String[] SHARED = {"--model", "dot", "--epochs", "3", "--lr", "0.01", "--wd", "0.05", "--bs", "128",
        "--factors", "20", "--y-range", "0.5,5", "--seed", "7", "--valid-fraction", "0.1", "--duplicates", "MEAN",
        "--strict-range"};
    /** The examples' {@code SharedOptionsTest.EXPECTED}. */
    static final String EXPECTED = "--block=dot --epochs=3 --optimizer=adamw --schedule=onecycle --cycles=3"
            + " --cycle-len=1 --cycle-mult=2 --lr=0.01 --wd=0.05 --bs=128 --factors=20 --y-range=0.5,5.0"
            + " --no-bias-decay=false --bias-decay=false --dropout=0.05,0.5 --seed=7 | --valid-fraction=0.1"
            + " --duplicates=MEAN"
            + " --strict-range=true";

    private static Object[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            return new Object[] {Main.run(args), bytes.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void trainParsesTheSharedOptionsAsTheExamplesDo() {
        Train train = new Train();
        String[] args = java.util.Arrays.copyOf(SHARED, SHARED.length + 4);
        args[SHARED.length] = "--ratings";
        args[SHARED.length + 1] = "r.csv";
        args[SHARED.length + 2] = "--save";
        args[SHARED.length + 3] = "m.c4j";
        new CommandLine(train).parseArgs(args);
        assertEquals(EXPECTED, train.training + " | " + train.data);
        Train block = new Train();
        new CommandLine(block).parseArgs("--block", "dotbias", "--ratings", "r", "--save", "m");
        assertEquals(BlockKind.EMBEDDING_DOT_BIAS, block.training.block);
    }

    @Test
    void aBlockTheExecutorsDoNotServeIsRefusedNamingTheOptionAsGiven() {
        for (String name : new String[] {"--block", "--model"}) {
            Object[] result = run("train", "--ratings", "none.csv", "--save", "none.c4j", name, "net");
            assertEquals(2, result[0], (String) result[1]);
            assertTrue(((String) result[1]).contains("error: " + name + " net is not served by this app"),
                    (String) result[1]);
        }
        Object[] help = run("train", "--help");
        assertTrue(((String) help[1]).contains("--block, --model=KIND"), (String) help[1]);
    }
}
