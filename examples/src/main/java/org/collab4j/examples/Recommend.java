package org.collab4j.examples;

import org.collab4j.recommend.Recommender;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code recommend}: the top items for a user, or a timing of top-k for every user. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Recommend the items a user is predicted to rate highest, leaving out what they rated in"
                + " training; or, with --all, time top-k for every user.")
final class Recommend implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--user", paramLabel = "ID", description = "the user's id as in the ratings file")
        String user;

        @Option(names = "--all", description = "top-k for every known user, timed (a benchmark; prints the timings"
                + " and the first user's list)")
        boolean all;
    }

    @Option(names = "-k", description = "how many items (default: ${DEFAULT-VALUE})")
    int k = 10;

    @Option(names = "--repeat", description = "with --all: timed runs after the first (default: ${DEFAULT-VALUE})")
    int repeat = 5;

    @Option(names = "--out", paramLabel = "FILE", description = "with --all: write top-k of every user as a CSV"
            + " (user,item,rank,score; rank 1 = best; training items left out) instead of timing; written atomically")
    java.nio.file.Path out;

    @Option(names = "--batch", description = "with --all: users per batch (default: ${DEFAULT-VALUE})")
    int batch = 256;

    @Override
    public Integer call() throws IOException {
        if (k < 1 || batch < 1 || repeat < 0) {
            throw new CliException("-k and --batch must be at least 1 and --repeat at least 0, got " + k + ", " + batch
                    + " and " + repeat + "; e.g. -k 10 --batch 256");
        }
        model.files().check();
        long start = System.nanoTime();
        Recommender recommender = model.recommender();
        System.out.println(String.format(Locale.ROOT, "loaded %s in %.0f ms", recommender,
                (System.nanoTime() - start) / 1e6));
        if (!target.all && out != null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--out needs --all (it writes every user's top-k); without --all the list is printed");
        }
        if (!target.all) {
            ModelOptions.print("predicted", recommender.recommend(target.user, k));
            return 0;
        }
        if (out != null) {
            if (k < 1) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "-k must be at least 1, got " + k);
            }
            int written = org.collab4j.recommend.TopNCsv.writeAll(out, recommender, k, batch);
            System.out.println(String.format(Locale.ROOT, "wrote top-%d for %d users to %s", k, written, out));
            return 0;
        }
        int[] users = new int[1];
        double[] first = time(recommender, users);
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
        for (int r = 0; r < repeat; r++) {
            double[] t = time(recommender, users);
            best[0] = Math.min(best[0], t[0]);
            best[1] = Math.min(best[1], t[1]);
        }
        // CPU time as well as wall time: on a shared machine the wall time also measures the neighbours.
        System.out.println(String.format(Locale.ROOT, "top-%d for all %d users, one thread: first run %.1f ms"
                + " (CPU %.1f ms), best of %d more %.1f ms (CPU %.1f ms)", k, users[0], first[0], first[1], repeat,
                best[0], best[1]));
        return 0;
    }

    /** Wall and CPU milliseconds of one top-k for every user. */
    private double[] time(Recommender recommender, int[] users) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        users[0] = 0;
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        recommender.recommendAll(k, batch, list -> users[0] += list.size());
        return new double[] {(System.nanoTime() - start) / 1e6, (threads.getCurrentThreadCpuTime() - cpu) / 1e6};
    }
}
