import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.RankingMetrics;
import org.collab4j.kernel.TopK;
import org.collab4j.recommend.Recommender;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Issue 26, tried on INNER splits (never a test split), not shipped: does serving the average of 2 (or 3) default
 * iALS ranking models trained with seeds s, s+1(, s+2) beat the model of seed s alone? The models are saved by
 * {@code train --implicit --positive-threshold T --seed s --save PREFIX_s.c4j} on TRAIN.csv (for each base seed s:
 * s, s+1 and s+2) and averaged with {@link TrainedModel#average} (the popularity column of each member averaged too),
 * then scored with score-topn's protocol: a top 10 over the items the user has not rated in TRAIN.csv, NDCG@10 with
 * relevant = held-out rating >= T, mean over the users with a relevant held-out item; with the mean and standard
 * error of the users' paired differences against the model of seed s alone, for each base seed, and pooled over the
 * bases (each user's differences averaged over them).
 *
 *   java -cp 'examples/target/lib/*' bench/IalsSeedAverage.java TRAIN.csv VALID.csv T PREFIX BASE_SEED...
 */
public class IalsSeedAverage {

    static int m;
    static int n;
    static boolean[][] seen;
    static Map<Integer, int[]> relevant = new HashMap<>();
    static int[] evalUsers;
    static IdMap users;
    static IdMap items;

    public static void main(String[] args) throws Exception {
        Ratings raw = Ratings.read(Path.of(args[0]), RatingsFormat.MOVIELENS_CSV);
        Ratings valid = Ratings.read(Path.of(args[1]), RatingsFormat.MOVIELENS_CSV);
        float t = Float.parseFloat(args[2]);
        String prefix = args[3];
        users = raw.users();
        items = raw.items();
        m = users.size();
        n = items.size();
        seen = new boolean[m][n];
        for (int r = 0; r < raw.size(); r++) {
            seen[raw.user(r)][raw.item(r)] = true;
        }
        Map<Integer, TreeSet<Integer>> rel = new HashMap<>();
        Map<String, Integer> extra = new HashMap<>();
        for (int r = 0; r < valid.size(); r++) {
            if (valid.rating(r) < t) {
                continue;
            }
            int u = users.indexOf(valid.users().id(valid.user(r)));
            String itemId = valid.items().id(valid.item(r));
            int i = items.indexOf(itemId);
            if (i < 0) {
                i = -1 - extra.computeIfAbsent(itemId, k -> extra.size());
            }
            if (u >= 0) {
                rel.computeIfAbsent(u, k -> new TreeSet<>()).add(i);
            }
        }
        rel.forEach((u, s) -> relevant.put(u, s.stream().mapToInt(Integer::intValue).toArray()));
        evalUsers = relevant.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%s: %d users, %d items, %d users with a relevant held-out item%n", prefix, m,
                n, evalUsers.length);
        int[] bases = Arrays.stream(args, 4, args.length).mapToInt(Integer::parseInt).toArray();
        Map<Integer, TrainedModel> models = new HashMap<>();
        Map<Integer, double[]> alone = new HashMap<>();
        for (int base : bases) {
            for (int s = base; s <= base + 2; s++) {
                if (!models.containsKey(s)) {
                    models.put(s, TrainedModel.load(Path.of(prefix + "_" + s + ".c4j")));
                    alone.put(s, perUser(scores(models.get(s))));
                    System.out.printf(Locale.ROOT, "seed %d alone %.4f%n", s, mean(alone.get(s)));
                }
            }
        }
        double[] pooled2 = new double[evalUsers.length];
        double[] pooled3 = new double[evalUsers.length];
        for (int s : bases) {
            double[][] two = scores(TrainedModel.average(List.of(models.get(s), models.get(s + 1))));
            double[] avg2 = perUser(two);
            double[] avg3 = perUser(scores(TrainedModel.average(List.of(models.get(s), models.get(s + 1),
                    models.get(s + 2)))));
            double[][] first = scores(models.get(s));
            double[][] second = scores(models.get(s + 1));
            double check = 0;
            for (int u : evalUsers) {
                for (int i = 0; i < n; i++) {
                    check = Math.max(check, Math.abs(two[u][i] - (first[u][i] + second[u][i]) / 2));
                }
            }
            double[] base = alone.get(s);
            System.out.printf(Locale.ROOT, "base %d: alone %.4f | average of 2 %.4f (%s) | of 3 %.4f (%s) | largest"
                    + " |average of 2 − mean of their scores| %.1e%n", s, mean(base), mean(avg2),
                    paired(avg2, base), mean(avg3), paired(avg3, base), check);
            for (int k = 0; k < evalUsers.length; k++) {
                pooled2[k] += (avg2[k] - base[k]) / bases.length;
                pooled3[k] += (avg3[k] - base[k]) / bases.length;
            }
        }
        double[] zero = new double[evalUsers.length];
        System.out.printf(Locale.ROOT, "pooled over the bases %s: average of 2 %s, of 3 %s%n",
                Arrays.toString(bases), paired(pooled2, zero), paired(pooled3, zero));
    }

    static double[][] scores(TrainedModel model) {
        Recommender rec = Recommender.of(model);
        List<String> itemIds = items.ids();
        double[][] s = new double[m][];
        for (int u : evalUsers) {
            float[] f = rec.predict(Collections.nCopies(n, users.id(u)), itemIds);
            s[u] = new double[n];
            for (int i = 0; i < n; i++) {
                s[u][i] = f[i];
            }
        }
        return s;
    }

    /** NDCG@10 of each user with a relevant held-out item, in evalUsers' order. */
    static double[] perUser(double[][] s) {
        double[] out = new double[evalUsers.length];
        IntStream.range(0, evalUsers.length).forEach(k -> {
            int u = evalUsers[k];
            TopK top = new TopK(10, n);
            for (int i = 0; i < n; i++) {
                if (!seen[u][i]) {
                    top.offer((float) s[u][i], i);
                }
            }
            int[] ranked = top.sorted(new float[top.size()]);
            out[k] = RankingMetrics.of(10, ranked, ranked.length, relevant.get(u)).ndcg();
        });
        return out;
    }

    static double mean(double[] a) {
        return Arrays.stream(a).average().orElse(0);
    }

    /** a − b over the users: the mean and its standard error. */
    static String paired(double[] a, double[] b) {
        double[] diff = new double[a.length];
        for (int k = 0; k < a.length; k++) {
            diff[k] = a[k] - b[k];
        }
        double mu = mean(diff);
        double var = 0;
        for (double v : diff) {
            var += (v - mu) * (v - mu);
        }
        double se = Math.sqrt(var / (diff.length - 1) / diff.length);
        return String.format(Locale.ROOT, "%+.4f ± %.4f", mu, se);
    }
}
