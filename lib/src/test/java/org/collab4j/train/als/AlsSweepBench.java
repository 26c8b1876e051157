package org.collab4j.train.als;

import org.collab4j.data.ImplicitData;
import org.collab4j.data.Interactions;
import org.collab4j.data.PositiveValue;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.train.objective.Ials;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The iALS sweep benchmark of docs/benchmarks.md (not a test): the solver after the first part of issue 28's layout
 * work ({@link FirstLayoutAlsSolver}; the one before it, {@code PreviousAlsSolver}, was removed after commit
 * 097c952, where this benchmark still runs it by default) and today's ({@link ImplicitAlsSolver}) on the same file,
 * the same start and the same threads, sweeps taken in turn (before, after, before, ...) so that both see the same
 * load on a shared machine. The data: the ratings of 4 or more,
 * confidence 1; with {@code -Dbelow=0.3}, what {@code train --implicit --positive-threshold 4} trains iALS on, every
 * row, confidence 1 at 4 or more and 0.3 below ({@link Ials#DEFAULT}, 64 factors, either way). After every pair of
 * sweeps it prints the largest difference between the two solvers' factors.
 *
 * <pre>
 * java -Xmx6g -cp lib/target/test-classes:lib/target/classes:$(cat /tmp/cp.txt) org.collab4j.train.als.AlsSweepBench \
 *     RATINGS.csv [SWEEPS=6] [THREADS=2] [CG_STEPS=3]            (-Dbefore=false: today's solver alone;
 *                                                                 -Dbelow=0.3: every row, as train trains)
 * </pre>
 */
public final class AlsSweepBench {

    private AlsSweepBench() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int sweeps = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : Ials.DEFAULT.cgSteps();
        int k = 64;
        long t0 = System.nanoTime();
        // -Dbelow=W: what train --implicit --positive-threshold 4 trains on by default (W = 0.3, its
        // --below-threshold-weight): every row, confidence 1 at 4 or more and W below. Without it: the positives only.
        String below = System.getProperty("below");
        Ratings positives;
        float[] confidence;
        if (below == null) {
            ImplicitData data = Interactions.readThresholded(file, RatingsFormat.MOVIELENS_CSV, 4f,
                    PositiveValue.ONE);
            positives = data.positives();
            confidence = positives.ratingValues();
        } else {
            float weight = Float.parseFloat(below);
            positives = Ratings.read(file, RatingsFormat.MOVIELENS_CSV);
            confidence = positives.ratingValues();
            for (int row = 0; row < confidence.length; row++) {
                confidence[row] = confidence[row] >= 4f ? 1f : weight;
            }
        }
        int users = positives.users().size();
        int items = positives.items().size();
        System.out.printf(Locale.ROOT, "%s: %,d interactions (%s), %,d users x %,d items, read in %.1f s; %d threads,"
                + " %d CG steps, k = %d%n", file, positives.size(), below == null ? "the positives"
                : "every row, " + below + " below 4", users, items, (System.nanoTime() - t0) / 1e9, threads, steps, k);
        Ials ials = Ials.DEFAULT;
        float[] target = new float[confidence.length];
        Arrays.fill(target, 1f);
        Random random = new Random(1);
        float[] x0 = new float[users * k];
        float[] y0 = new float[items * k];
        for (int j = 0; j < x0.length; j++) {
            x0[j] = (float) random.nextGaussian() * 0.01f;
        }
        for (int j = 0; j < y0.length; j++) {
            y0[j] = (float) random.nextGaussian() * 0.01f;
        }
        FirstLayoutAlsSolver first = new FirstLayoutAlsSolver(users, items, positives.userIndices(),
                positives.itemIndices(), confidence, target, k, ials.unobservedWeight(), ials.regularization(), steps,
                threads);
        Sweeper before = new Sweeper(first::sweep, first::close);
        System.out.println("before: FirstLayoutAlsSolver");
        ImplicitAlsSolver after = new ImplicitAlsSolver(users, items, positives.userIndices(),
                positives.itemIndices(), confidence, target, k, ials.unobservedWeight(), ials.regularization(), steps,
                threads);
        float[] xb = x0.clone();
        float[] yb = y0.clone();
        float[] xa = x0.clone();
        float[] ya = y0.clone();
        // -Dbefore=false times today's solver alone (its threads' scaling, say).
        boolean skipBefore = !Boolean.parseBoolean(System.getProperty("before", "true"));
        double sumBefore = 0;
        double sumAfter = 0;
        double cpuBefore = 0;
        double cpuAfter = 0;
        for (int s = 1; s <= sweeps; s++) {
            long b0 = System.nanoTime();
            long bc = cpu();
            double lb = skipBefore ? 0 : before.sweep(xb, yb);
            double tb = (System.nanoTime() - b0) / 1e9;
            double cb = (cpu() - bc) / 1e9;
            long a0 = System.nanoTime();
            long ac = cpu();
            double la = after.sweep(xa, ya);
            double ta = (System.nanoTime() - a0) / 1e9;
            double ca = (cpu() - ac) / 1e9;
            if (s > 1) {
                sumBefore += tb;
                sumAfter += ta;
                cpuBefore += cb;
                cpuAfter += ca;
            }
            System.out.printf(Locale.ROOT, "sweep %d: before %.3f s (CPU %.3f s, loss %.6f), after %.3f s (CPU %.3f s,"
                    + " loss %.6f; halves %.3f + %.3f s), ratio %.2f (CPU %.2f); largest factor difference users %.2e, items %.2e; load %s%n",
                    s, tb, cb, lb, ta, ca, la, after.lastHalfSeconds[0], after.lastHalfSeconds[1], tb / ta, cb / ca, largestDifference(xb, xa), largestDifference(yb, ya),
                    load());
        }
        before.close();
        after.close();
        if (sweeps > 1) {
            System.out.printf(Locale.ROOT, "RESULT sweeps 2..%d: before %.3f s per sweep (CPU %.3f s), after %.3f s"
                    + " (CPU %.3f s), ratio %.2f (CPU %.2f)%n", sweeps, sumBefore / (sweeps - 1),
                    cpuBefore / (sweeps - 1), sumAfter / (sweeps - 1), cpuAfter / (sweeps - 1), sumBefore / sumAfter,
                    cpuBefore / cpuAfter);
        }
    }

    /** One solver's sweep and close. */
    private record Sweeper(java.util.function.ToDoubleBiFunction<float[], float[]> sweeper, Runnable closer) {
        double sweep(float[] x, float[] y) {
            return sweeper.applyAsDouble(x, y);
        }

        void close() {
            closer.run();
        }
    }

    /** This process's CPU time in nanoseconds, every thread's: what it ran, whatever else the machine ran. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double largestDifference(float[] a, float[] b) {
        double worst = 0;
        for (int j = 0; j < a.length; j++) {
            worst = Math.max(worst, Math.abs(a[j] - b[j]));
        }
        return worst;
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }
}
