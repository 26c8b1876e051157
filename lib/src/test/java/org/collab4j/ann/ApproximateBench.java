package org.collab4j.ann;

import org.collab4j.io.SyntheticModels;
import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.ScoredId;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The approximate top-N benchmark of docs/benchmarks.md (not a test): a clustered synthetic dot model
 * ({@link SyntheticModels#clustered}), an index built, saved, loaded, then the same query users served exactly and
 * approximately, one user per call, each path timed after a warm-up.
 *
 * <pre>
 * java -Xmx12g -cp lib/target/test-classes:lib/target/classes:$(cat cp.txt) org.collab4j.ann.ApproximateBench \
 *     ITEMS FACTORS QUERIES THREADS EF[,EF...] [ip|transform] [DIR]      (-Dm=M for another m)
 * </pre>
 *
 * <p>Seconds per user are the calling thread's CPU time ({@code ThreadMXBean}), not wall time, so that other
 * processes on a shared machine do not count; "compared" is how many items the graph compared with each query (the
 * exact path compares every item).
 */
public final class ApproximateBench {

    private ApproximateBench() {}

    public static void main(String[] args) throws Exception {
        int items = Integer.parseInt(args[0]);
        int factors = Integer.parseInt(args[1]);
        int queries = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        String[] efs = args[4].split(",");
        boolean transform = args.length > 5 && args[5].equals("transform");
        Path dir = Path.of(args.length > 6 ? args[6] : System.getProperty("java.io.tmpdir"));
        int users = Math.max(queries, (items + 19) / 20);
        long t0 = System.nanoTime();
        TrainedModel model = SyntheticModels.clustered(users, items, factors, 1000, true, 20, 1);
        System.out.printf("model: %,d items x %d factors (+bias), %,d users, clustered (1000 centres): %.1f s%n",
                items, factors, users, secs(t0));
        // The index is kept for the next run of the same shape, which loads it instead of building it again.
        int m = Integer.getInteger("m", ApproximateIndex.DEFAULT_M);
        Path file = dir.resolve("bench-" + items + "x" + factors + (transform ? "-transform" : "")
                + (m != ApproximateIndex.DEFAULT_M ? "-m" + m : "") + ".c4j.hnsw");
        if (!Files.exists(file)) {
            t0 = System.nanoTime();
            long c0 = cpu();
            ApproximateIndex built = ApproximateIndex.builder().optThreads(threads).optM(m).optEuclideanTransform(transform)
                    .build(model);
            System.out.printf("index build (%s, %d threads): %.1f s (this thread's CPU %.1f s)%n", built, threads,
                    secs(t0), cpuSecs(c0));
            t0 = System.nanoTime();
            built.save(file);
            System.out.printf("index save: %.1f s, %,d bytes on disk%n", secs(t0), Files.size(file));
        }
        t0 = System.nanoTime();
        ApproximateIndex index = ApproximateIndex.load(file, model);
        System.out.printf("index load (checked) %s: %.1f s, %,d bytes on disk%n", index, secs(t0),
                Files.size(file));

        List<String> ids = model.users().ids().subList(0, queries);
        Recommender exact = Recommender.of(model);
        int warm = Math.min(200, queries);
        for (String u : ids.subList(0, warm)) {
            exact.recommend(u, 10);
        }
        List<List<ScoredId>> truth = new ArrayList<>(queries);
        t0 = cpu();
        for (String u : ids) {
            truth.add(exact.recommend(u, 10));
        }
        double exactPerUser = cpuSecs(t0) / queries;
        System.out.printf("exact: %.3f ms/user (%d users, one per call)%n", exactPerUser * 1e3, queries);
        t0 = cpu();
        exact.recommend(ids, 10);
        double exactBatched = cpuSecs(t0) / queries;
        System.out.printf("exact: %.3f ms/user (%d users in one call: tiles of items)%n", exactBatched * 1e3,
                queries);
        for (String ef : efs) {
            ApproximateIndex tuned = index.withEfSearch(Integer.parseInt(ef.trim()));
            Recommender approx = Recommender.builder().setModel(model).optApproximateIndex(tuned).build();
            for (String u : ids.subList(0, warm)) {
                approx.recommend(u, 10);
            }
            List<List<ScoredId>> found = new ArrayList<>(queries);
            t0 = cpu();
            for (String u : ids) {
                found.add(approx.recommend(u, 10));
            }
            double perUser = cpuSecs(t0) / queries;
            t0 = cpu();
            List<org.collab4j.recommend.UserRecommendations> foundInOneCall = approx.recommend(ids, 10);
            double batched = cpuSecs(t0) / queries;
            if (!foundInOneCall.stream().map(org.collab4j.recommend.UserRecommendations::items).toList()
                    .equals(found)) {
                throw new IllegalStateException("the approximate lists of one call differ from one user per call");
            }
            long compared = 0;
            for (int u = 0; u < queries; u++) {
                int[] rated = model.ratedItems(u);
                tuned.search(model.factors(org.collab4j.kernel.Side.USERS).row(u), 10,
                        i -> java.util.Arrays.binarySearch(rated, i) < 0);
                compared += tuned.graph().comparedInLastSearch();
            }
            double recall = 0;
            for (int n = 0; n < queries; n++) {
                Set<String> t = new HashSet<>();
                truth.get(n).forEach(s -> t.add(s.id()));
                recall += found.get(n).stream().filter(s -> t.contains(s.id())).count() / (double) t.size();
            }
            System.out.printf("approximate ef=%s: %.4f ms/user, recall@10 %.4f, %.0fx faster than exact one per"
                    + " call, %.0fx than exact in one call, %,d items compared per user (of %,d); in one call"
                    + " %.4f ms/user, %.0fx than exact in one call%n", ef, perUser * 1e3, recall / queries,
                    exactPerUser / perUser, exactBatched / perUser, compared / queries, items, batched * 1e3,
                    exactBatched / batched);
        }
    }

    private static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static double cpuSecs(long t0) {
        return (cpu() - t0) / 1e9;
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
