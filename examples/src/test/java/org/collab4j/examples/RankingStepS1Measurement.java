package org.collab4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.collab4j.train.step.StepKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Not a check: the measurement of docs/benchmarks.md, "Ranking on the device". Runs
 * {@code train --implicit --positive-threshold 4 --loss bpr} (or the loss in {@code -Dcollab4j.s1.loss}, e.g.
 * {@code warp}) on the split in {@code -Dcollab4j.s1=DIR} (its train.csv and valid.csv) twice in one JVM, with the
 * host ranking step (the CPU default) and with the device ranking step forced, and prints both outputs (epoch table with seconds, NDCG@10). Skipped without the property.
 * Run under the native-call counter ({@code -DargLine=-javaagent:.../native-call-counter-agent.jar}) it also prints
 * the native calls and synchronising calls per step after the first epoch (the counter slows every call: take the
 * seconds from a run without it).
 *
 * <pre>
 * mvn -B -o -DcpuOnly -pl lib,examples -am test -Dtest=RankingStepS1Measurement \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dcollab4j.s1=../shared/bench/splits/ml-latest-small-80-20
 * </pre>
 */
@EnabledIfSystemProperty(named = "collab4j.s1", matches = ".+")
class RankingStepS1Measurement {

    @Test
    void bprWithTheHostAndTheDeviceRankingStep() {
        Path dir = Path.of(System.getProperty("collab4j.s1"));
        for (StepKind kind : new StepKind[] {StepKind.HOST, StepKind.DEVICE}) {
            Train train = new Train();
            CommandLine cli = new CommandLine(train);
            train.training.rankingStep = kind;
            PrintStream out = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            int code;
            countsPerStep();
            long t0 = System.nanoTime();
            try {
                System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
                code = cli.execute("--ratings", dir.resolve("train.csv").toString(), "--valid",
                        dir.resolve("valid.csv").toString(), "--implicit", "--positive-threshold", "4", "--loss",
                        System.getProperty("collab4j.s1.loss", "bpr"));
            } finally {
                System.setOut(out);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            String counts = countsPerStep();
            System.out.println("=== step " + kind.cliName() + " (" + String.format(java.util.Locale.ROOT,
                    "%.1f s in all", seconds) + ")\n" + captured.toString(StandardCharsets.UTF_8) + counts);
            assertEquals(0, code);
        }
    }

    /** Per step after the first epoch (78 steps): native calls and syncs, if the counter is installed; resets it. */
    @SuppressWarnings("unchecked")
    private static String countsPerStep() {
        try {
            Class<?> c = Class.forName("org.collab4j.agent.NativeCalls", true, ClassLoader.getSystemClassLoader());
            if (!(boolean) c.getMethod("installed").invoke(null)) {
                return "";
            }
            java.util.List<Object> steps = (java.util.List<Object>) c.getMethod("steps").invoke(null);
            c.getMethod("reset").invoke(null);
            long calls = 0;
            long work = 0;
            long syncs = 0;
            long maxSyncs = 0;
            int n = 0;
            for (int k = 78; k < steps.size(); k++) {
                Object step = steps.get(k);
                long all = (long) step.getClass().getMethod("calls").invoke(step);
                long s = (long) step.getClass().getMethod("syncs").invoke(step);
                java.util.Map<String, Integer> byName = (java.util.Map<String, Integer>) step.getClass()
                        .getMethod("byName").invoke(step);
                calls += all;
                work += all - byName.getOrDefault("torchDeleteTensor", 0);
                syncs += s;
                maxSyncs = Math.max(maxSyncs, s);
                n++;
            }
            return n == 0 ? "no steps counted\n" : String.format(java.util.Locale.ROOT, "COUNTS %d steps: %.1f"
                    + " native calls per step (%.1f besides frees), %.2f syncs per step, at most %d in a step%n",
                    n, calls / (double) n, work / (double) n, syncs / (double) n, maxSyncs);
        } catch (ReflectiveOperationException | LinkageError e) {
            return "";
        }
    }
}
