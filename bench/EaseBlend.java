import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.RankingMetrics;
import org.collab4j.kernel.TopK;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.ease.EaseTrainer;
import org.collab4j.train.objective.Ials;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Issue 26 item 3's measurements on an INNER split (never a test split): iALS at its defaults and over a small grid
 * of factors, λ and α0, EASE (EaseTrainer, its own inner split), and a per-user z-score blend w·iALS + (1−w)·EASE,
 * all scored with score-topn's protocol (relevant = held-out rating >= T, each user's training items left out,
 * averaged over users with a relevant held-out item).
 *
 *   java -cp 'examples/target/lib/*' bench/EaseBlend.java INNER_TRAIN.csv INNER_VALID.csv T [--grid | --prune]
 *
 * --prune: EASE only, its B cut to the m largest |B[j, i]| of each column i (m = 50 … 1000), what a sparse B of
 * that size would score (measured with the dense scorer over the zeroed matrix).
 */
public class EaseBlend {

    public static void main(String[] args) throws Exception {
        Ratings raw = Ratings.read(Path.of(args[0]), RatingsFormat.MOVIELENS_CSV);
        Ratings valid = Ratings.read(Path.of(args[1]), RatingsFormat.MOVIELENS_CSV);
        float t = Float.parseFloat(args[2]);
        boolean grid = args.length > 3 && args[3].equals("--grid");
        boolean prune = args.length > 3 && args[3].equals("--prune");
        Ratings weighted = weigh(raw, t);
        IdMap users = raw.users();
        IdMap items = raw.items();
        List<String> itemIds = items.ids();
        int n = items.size();
        // relevant[u] (training indices; items unknown to training get -1 - k so that no list holds them)
        Map<Integer, TreeSet<Integer>> relevant = new HashMap<>();
        int unknownUsers = 0;
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
            if (u < 0) {
                unknownUsers++;
                continue;
            }
            relevant.computeIfAbsent(u, k -> new TreeSet<>()).add(i);
        }
        boolean[][] seen = new boolean[users.size()][];
        for (int r = 0; r < raw.size(); r++) {
            int u = raw.user(r);
            if (seen[u] == null) {
                seen[u] = new boolean[n];
            }
            seen[u][raw.item(r)] = true;
        }
        System.out.printf(Locale.ROOT, "%d users with a relevant held-out item (+%d unknown)%n", relevant.size(),
                unknownUsers);
        if (prune) {
            TrainedModel ease = EaseTrainer.builder().build().fit(weighted).withRatedItems(raw);
            var m = ease.itemItem().orElseThrow();
            System.out.printf(Locale.ROOT, "EASE dense %.4f (%s, %d items)%n",
                    ndcg(scores(ease, relevant.keySet(), users, itemIds), null, 1, relevant, seen),
                    ease.getProvenance().model().replaceAll(";.*", ""), n);
            for (int keep : new int[] {50, 100, 200, 500, 1000}) {
                float[] b = m.weights().clone();
                long kept = 0;
                float[] column = new float[n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        column[j] = Math.abs(b[j * n + i]);
                    }
                    float[] sorted = column.clone();
                    Arrays.sort(sorted);
                    float threshold = sorted[Math.max(0, n - keep)];
                    for (int j = 0; j < n; j++) {
                        if (column[j] < threshold || column[j] == 0f) {
                            b[j * n + i] = 0f;
                        } else {
                            kept++;
                        }
                    }
                }
                TrainedModel pruned = TrainedModel.itemItem(ease.users(), ease.items(), ease.ratedItems(),
                        m.history(), m.historyValues(), b, 0, ease.getProvenance(), "ease");
                System.out.printf(Locale.ROOT, "EASE top-%d per column %.4f (%d entries, %.1f MB as int+float)%n",
                        keep, ndcg(scores(pruned, relevant.keySet(), users, itemIds), null, 1, relevant, seen), kept,
                        kept * 8 / 1e6);
            }
            return;
        }
        long start = System.nanoTime();
        TrainedModel ials = ials(weighted, raw, 64, Ials.DEFAULT);
        double ialsSeconds = (System.nanoTime() - start) / 1e9;
        float[][] ialsScores = scores(ials, relevant.keySet(), users, itemIds);
        start = System.nanoTime();
        TrainedModel ease = EaseTrainer.builder().build().fit(weighted).withRatedItems(raw);
        double easeSeconds = (System.nanoTime() - start) / 1e9;
        float[][] easeScores = scores(ease, relevant.keySet(), users, itemIds);
        System.out.printf(Locale.ROOT, "iALS default %.4f (%.1f s)   EASE %.4f (%.1f s, %s)%n",
                ndcg(ialsScores, null, 1, relevant, seen), ialsSeconds, ndcg(easeScores, null, 1, relevant, seen),
                easeSeconds, ease.getProvenance().model().replaceAll(";.*", ""));
        for (int k = 0; k <= 10; k++) {
            double w = k / 10.0;
            System.out.printf(Locale.ROOT, "blend w(iALS)=%.1f %.4f%n", w,
                    ndcg(zScores(ialsScores), zScores(easeScores), w, relevant, seen));
        }
        if (grid) {
            for (int f : new int[] {64, 128, 256}) {
                for (float lambda : new float[] {0.003f, 0.01f, 0.03f, 0.1f}) {
                    for (float alpha : new float[] {0.1f, 0.2f, 0.5f}) {
                        start = System.nanoTime();
                        TrainedModel m = ials(weighted, raw, f, new Ials(alpha, lambda, 3));
                        double s = (System.nanoTime() - start) / 1e9;
                        System.out.printf(Locale.ROOT, "iALS factors=%d λ=%s α0=%s %.4f (%.1f s)%n", f, lambda, alpha,
                                ndcg(scores(m, relevant.keySet(), users, itemIds), null, 1, relevant, seen), s);
                    }
                }
            }
        }
    }

    static TrainedModel ials(Ratings weighted, Ratings raw, int factors, Ials objective) {
        try (CollabLearner learner = CollabLearner.builder().setTrainData(weighted).optObjective(objective)
                .optModel(EmbeddingDot.builder().optFactors(factors).optYRange(null)).optSeed(42).build()) {
            learner.fitAls(10);
            return learner.fittedModel().withRatedItems(raw);
        }
    }

    /** Training weights as train --implicit --positive-threshold T gives them: 1 at or above T, 0.3 below. */
    static Ratings weigh(Ratings r, float t) {
        float[] v = r.ratingValues();
        for (int k = 0; k < v.length; k++) {
            v[k] = v[k] >= t ? 1f : 0.3f;
        }
        return Ratings.ofIndices(r.users(), r.items(), r.userIndices(), r.itemIndices(), v);
    }

    static float[][] scores(TrainedModel model, java.util.Set<Integer> wanted, IdMap users, List<String> itemIds) {
        Recommender rec = Recommender.of(model);
        float[][] s = new float[users.size()][];
        for (int u : wanted) {
            if (rec.knowsUser(users.id(u))) {
                s[u] = rec.predict(java.util.Collections.nCopies(itemIds.size(), users.id(u)), itemIds);
            }
        }
        return s;
    }

    static float[][] zScores(float[][] s) {
        float[][] z = new float[s.length][];
        for (int u = 0; u < s.length; u++) {
            if (s[u] == null) {
                continue;
            }
            double mean = 0;
            for (float v : s[u]) {
                mean += v;
            }
            mean /= s[u].length;
            double var = 0;
            for (float v : s[u]) {
                var += (v - mean) * (v - mean);
            }
            double sd = Math.sqrt(var / s[u].length) + 1e-12;
            z[u] = new float[s[u].length];
            for (int i = 0; i < s[u].length; i++) {
                z[u][i] = (float) ((s[u][i] - mean) / sd);
            }
        }
        return z;
    }

    /** NDCG@10 of w·a + (1−w)·b (b null: a alone), over the users with a relevant item (no list: 0). */
    static double ndcg(float[][] a, float[][] b, double w, Map<Integer, TreeSet<Integer>> relevant, boolean[][] seen) {
        double sum = 0;
        for (Map.Entry<Integer, TreeSet<Integer>> e : relevant.entrySet()) {
            int u = e.getKey();
            int[] rel = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            if (a[u] == null) {
                continue;
            }
            int n = a[u].length;
            TopK top = new TopK(10, n);
            for (int i = 0; i < n; i++) {
                if (seen[u] == null || !seen[u][i]) {
                    top.offer(b == null ? a[u][i] : (float) (w * a[u][i] + (1 - w) * b[u][i]), i);
                }
            }
            int[] ranked = top.sorted(new float[top.size()]);
            sum += RankingMetrics.of(10, ranked, ranked.length, rel).ndcg();
        }
        return sum / relevant.size();
    }
}
