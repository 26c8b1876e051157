package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;

import org.collab4j.engine.Engines;
import org.collab4j.plot.Charts;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.optimizer.RmsProp;
import org.collab4j.train.optimizer.Sgd;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code graddesc}: the lesson's gradient-descent spreadsheet. Points on the line y = 2·x + 30, and a and b fitted
 * from a = b = 1 by five optimizers, each from the same start on the same points: the loss per step printed side
 * by side, and all curves in one PNG.
 */
@Command(name = "graddesc", mixinStandardHelpOptions = true,
        description = "The lesson's spreadsheet: fit y = a*x + b (a = 2, b = 30, x random) with SGD, momentum,"
                + " RMSProp, Adam and AdamW from the same start; print the loss per step and plot the curves.")
final class GradDesc implements Callable<Integer> {

    static final float TRUE_A = 2f;
    static final float TRUE_B = 30f;

    /** One optimizer of the comparison and the learning rate it runs with. */
    record Contestant(String name, float lr, CollabOptimizer optimizer) {}

    @Option(names = "--steps", description = "steps per optimizer (default: ${DEFAULT-VALUE})")
    int steps = 200;

    @Option(names = "--points", description = "points on the line, x uniform in [0, 100) (default: ${DEFAULT-VALUE})")
    int points = 30;

    @Option(names = "--every", description = "print the losses every this many steps (default: ${DEFAULT-VALUE})")
    int every = 1;

    @Option(names = "--seed", description = "random seed of the x values (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Option(names = "--out", description = "folder for graddesc.png (default: ${DEFAULT-VALUE})")
    Path out = Path.of(LessonData.DEFAULT_OUT);

    /** The five optimizers with learning rates that suit this problem (x up to 100 makes gradients large). */
    static List<Contestant> contestants() {
        return List.of(
                new Contestant("SGD", 1e-4f, Sgd.builder().optMomentum(0f).build()),
                new Contestant("momentum", 1e-4f, Sgd.builder().optMomentum(0.9f).build()),
                new Contestant("RMSProp", 0.2f, RmsProp.builder().build()),
                new Contestant("Adam", 1f, Adam.builder().optDecoupledWeightDecay(false).build()),
                new Contestant("AdamW", 1f, Adam.builder().optWeightDecay(1e-3f).build()));
    }

    @Override
    public Integer call() throws IOException {
        if (steps < 1 || points < 2 || every < 1) {
            throw new IllegalArgumentException("--steps and --every must be at least 1, --points at least 2");
        }
        new RunFiles().outputs("--out", out, "graddesc.png").check();
        Random random = new Random(seed);
        float[] x = new float[points];
        float[] y = new float[points];
        for (int k = 0; k < points; k++) {
            x[k] = 100 * random.nextFloat();
            y[k] = TRUE_A * x[k] + TRUE_B;
        }
        List<Contestant> contestants = contestants();
        System.out.println(String.format(Locale.ROOT, "y = %s*x + %s at %d points, x uniform in [0, 100); fit a and b"
                + " from a = b = 1 by minimising the mean squared error, every step on all points:", TRUE_A, TRUE_B,
                points));
        for (Contestant c : contestants) {
            System.out.println(String.format(Locale.ROOT, "  %-9s lr %-7s %s", c.name(), c.lr(), c.optimizer()));
        }
        Map<String, double[]> losses = new LinkedHashMap<>();
        Map<String, float[]> fitted = new LinkedHashMap<>();
        for (Contestant c : contestants) {
            double[] loss = new double[steps + 1];
            fitted.put(c.name(), fit(c, x, y, loss));
            losses.put(c.name(), loss);
        }

        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%n%5s", "step"));
        contestants.forEach(c -> header.append(String.format(Locale.ROOT, " %12s", c.name())));
        System.out.println(header);
        for (int step = 0; step <= steps; step++) {
            if (step % every == 0 || step == steps) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5d", step));
                for (double[] loss : losses.values()) {
                    line.append(String.format(Locale.ROOT, " %12.4f", loss[step]));
                }
                System.out.println(line);
            }
        }
        System.out.println(String.format(Locale.ROOT, "%nafter %d steps (true a = %s, b = %s):", steps, TRUE_A,
                TRUE_B));
        fitted.forEach((name, ab) -> System.out.println(String.format(Locale.ROOT, "  %-9s a = %8.4f  b = %8.4f"
                + "  loss %.4f", name, ab[0], ab[1], losses.get(name)[steps])));

        Path png = out.resolve("graddesc.png");
        Charts.savePng(Charts.stepCurves("y = 2x + 30: loss per step (log scale)", "MSE", losses, true), png);
        System.out.println("\nplot: " + png.toAbsolutePath().normalize());
        return 0;
    }

    /**
     * Runs the optimizer from a = b = 1.
     *
     * @param loss filled with the loss before the first step and after each step
     * @return the final a and b
     */
    float[] fit(Contestant contestant, float[] xs, float[] ys, double[] loss) {
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            NDArray a = manager.create(new float[] {1f});
            NDArray b = manager.create(new float[] {1f});
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            NDArray x = manager.create(xs);
            NDArray y = manager.create(ys);
            CollabOptimizer optimizer = contestant.optimizer();
            optimizer.setLearningRate(contestant.lr());
            for (int step = 0; step <= steps; step++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                        NDArray mse = a.mul(x).add(b).sub(y).square().mean();
                        loss[step] = mse.getFloat();
                        if (step == steps) {
                            break;
                        }
                        collector.backward(mse);
                    }
                    optimizer.update("a", a, a.getGradient());
                    optimizer.update("b", b, b.getGradient());
                }
            }
            return new float[] {a.getFloat(), b.getFloat()};
        }
    }
}
