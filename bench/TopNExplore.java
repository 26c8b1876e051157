import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.RankingMetrics;
import org.collab4j.kernel.TopK;
import org.collab4j.recommend.Recommender;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Issue 26's "stronger top-N models" tried on an INNER split (never a test split), none shipped: EASE with
 * rating-aware inputs, RP3beta, and per-user z-score fusions of saved models, all scored with score-topn's protocol
 * (top 10 over the items the user has not rated in the inner train, NDCG@10 with relevant = held-out rating >= T,
 * mean over the users with a relevant held-out item), with the paired standard error against a reference.
 *
 *   java -cp 'examples/target/lib/*' bench/TopNExplore.java TRAIN.csv VALID.csv T ease [ONLY]
 *   java -cp 'examples/target/lib/*' bench/TopNExplore.java TRAIN.csv VALID.csv T rp3
 *   java -cp 'examples/target/lib/*' bench/TopNExplore.java TRAIN.csv VALID.csv T fuse REF.c4j A.c4j:wa B.c4j:wb ...
 *
 * ease: ridge regressions B = argmin |Y − XB|² + λ|B|² with B[j, j] = 0 (and B[n + j, j] = 0 for two input
 * blocks), for inputs X and targets Y built from L (1 where rated >= T), D (1 where rated below T), W = L + 0.3 D
 * (what train --implicit --positive-threshold T trains on, and Collab4J's EASE input "weights") and C (the rating
 * centred on the user's mean, scaled to mean |C| = 1), or W's rows divided by the user's total weight to the γ (λ
 * scaled by the mean squared entry, so that λ 200 is comparable); ONLY: the first row and those whose name contains
 * it. X·B is formed for the training users through the m × m
 * inverse of K = XXᵀ + λI (Woodbury: XP = K⁻¹X), so a 2n-input variant costs no more than the plain one.
 * rp3: RP3beta (Paudel et al. 2017) on X = W or L: W_ij = Σ_u P(i→u)^α P(u→j)^α / pop_j^β, no neighbour cut.
 * fuse: Σ w·z(scores) of saved models (z per user over every item), against REF.c4j alone; NDCG and the paired
 * difference ± its standard error over the users.
 */
public class TopNExplore {

    static int m;
    static int n;
    static boolean[][] seen;
    static Map<Integer, int[]> relevant = new HashMap<>();
    static int[] evalUsers;

    public static void main(String[] args) throws Exception {
        Ratings raw = Ratings.read(Path.of(args[0]), RatingsFormat.MOVIELENS_CSV);
        Ratings valid = Ratings.read(Path.of(args[1]), RatingsFormat.MOVIELENS_CSV);
        float t = Float.parseFloat(args[2]);
        IdMap users = raw.users();
        IdMap items = raw.items();
        m = users.size();
        n = items.size();
        double[][] rating = new double[m][n];
        seen = new boolean[m][n];
        for (int r = 0; r < raw.size(); r++) {
            int u = raw.user(r);
            int i = raw.item(r);
            rating[u][i] = Math.max(rating[u][i], raw.rating(r));
            seen[u][i] = true;
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
        System.out.printf(Locale.ROOT, "%d users, %d items, %d users with a relevant held-out item%n", m, n,
                evalUsers.length);
        double[][] l = new double[m][n];
        double[][] d = new double[m][n];
        double[][] w = new double[m][n];
        double[][] c = new double[m][n];
        double absSum = 0;
        long count = 0;
        for (int u = 0; u < m; u++) {
            double mean = 0;
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (seen[u][i]) {
                    mean += rating[u][i];
                    k++;
                }
            }
            mean /= k;
            for (int i = 0; i < n; i++) {
                if (seen[u][i]) {
                    l[u][i] = rating[u][i] >= t ? 1 : 0;
                    d[u][i] = 1 - l[u][i];
                    w[u][i] = l[u][i] + 0.3 * d[u][i];
                    c[u][i] = rating[u][i] - mean;
                    absSum += Math.abs(c[u][i]);
                    count++;
                }
            }
        }
        double scale = count / absSum;
        for (double[] row : c) {
            for (int i = 0; i < n; i++) {
                row[i] *= scale;
            }
        }
        switch (args[3]) {
            case "ease" -> {
                float[] lambdas = {50, 100, 200, 400, 800, 1600};
                Object[][] variants = {
                    {"X = Y = W (Collab4J's EASE, input weights)", w, w, 1},
                    {"X = Y = L (input positives)", l, l, 1},
                    {"X = W, Y = L", w, l, 1},
                    {"X = [L, D], Y = L", hcat(l, d, 1), l, 1},
                    {"X = [L, D], Y = W", hcat(l, d, 1), w, 2},
                    {"X = [L, 0.5 D], Y = W", hcat(l, d, 0.5), w, 2},
                    {"X = C (centred rating), Y = L", c, l, 1},
                    {"X = [W, C], Y = L", hcat(w, c, 1), l, 1},
                    {"X = Y = W / |W_u|^0.125 (rows normalised)", rowNormalised(w, 0.125), null, 1},
                    {"X = Y = W / |W_u|^0.25 (rows normalised)", rowNormalised(w, 0.25), null, 1},
                    {"X = Y = W / |W_u|^0.375 (rows normalised)", rowNormalised(w, 0.375), null, 1},
                };
                double[] ref = null;
                for (Object[] v : variants) {
                    if (v != variants[0] && args.length > 4 && !((String) v[0]).contains(args[4])) {
                        continue;
                    }
                    double[][] vx = (double[][]) v[1];
                    double[][] vy = v[2] == null ? vx : (double[][]) v[2];
                    double lambdaScale = ((String) v[0]).contains("normalised") ? meanSquare(vx) / meanSquare(w) : 1;
                    double[] best = null;
                    float bestLambda = 0;
                    StringBuilder line = new StringBuilder();
                    for (float lambda : lambdas) {
                        long start = System.nanoTime();
                        double[] pu = perUser(ridge(vx, vy, lambda * lambdaScale, (int) v[3]));
                        line.append(String.format(Locale.ROOT, " λ%s %.4f (%.1f s)", (int) lambda, mean(pu),
                                (System.nanoTime() - start) / 1e9));
                        if (best == null || mean(pu) > mean(best)) {
                            best = pu;
                            bestLambda = lambda;
                        }
                    }
                    if (ref == null) {
                        ref = best;
                    }
                    System.out.printf(Locale.ROOT, "%-44s best λ %s: %.4f (%s vs the first row)%n  %s%n", v[0],
                            (int) bestLambda, mean(best), paired(best, ref), line.toString().trim());
                }
            }
            case "rp3" -> {
                for (Object[] v : new Object[][] {{"W", w}, {"L", l}}) {
                    double[] best = null;
                    String bestSetting = null;
                    for (double alpha : new double[] {0.5, 0.75, 1.0}) {
                        for (double beta : new double[] {0.2, 0.3, 0.4, 0.5, 0.6}) {
                            double[] pu = perUser(rp3((double[][]) v[1], alpha, beta));
                            String setting = String.format(Locale.ROOT, "X = %s α %.2f β %.1f", v[0], alpha, beta);
                            System.out.printf(Locale.ROOT, "RP3beta %s %.4f%n", setting, mean(pu));
                            if (best == null || mean(pu) > mean(best)) {
                                best = pu;
                                bestSetting = setting;
                            }
                        }
                    }
                    System.out.printf(Locale.ROOT, "RP3beta best: %s %.4f%n", bestSetting, mean(best));
                }
            }
            case "fuse" -> {
                double[] ref = perUser(scores(args[4], users, items));
                System.out.printf(Locale.ROOT, "reference %s %.4f%n", args[4], mean(ref));
                double[][] sum = new double[m][];
                StringBuilder what = new StringBuilder();
                for (int a = 5; a < args.length; a++) {
                    int colon = args[a].lastIndexOf(':');
                    double weight = Double.parseDouble(args[a].substring(colon + 1));
                    double[][] s = scores(args[a].substring(0, colon), users, items);
                    double[] alone = perUser(s);
                    System.out.printf(Locale.ROOT, "%s alone %.4f (%s)%n", args[a].substring(0, colon), mean(alone),
                            paired(alone, ref));
                    for (int u : evalUsers) {
                        double[] z = z(s[u]);
                        if (sum[u] == null) {
                            sum[u] = new double[n];
                        }
                        for (int i = 0; i < n; i++) {
                            sum[u][i] += weight * z[i];
                        }
                    }
                    what.append(a > 5 ? " + " : "").append(weight).append("·z(").append(args[a], 0, colon)
                            .append(')');
                }
                double[] fused = perUser(sum);
                System.out.printf(Locale.ROOT, "%s %.4f (%s)%n", what, mean(fused), paired(fused, ref));
            }
            default -> throw new IllegalArgumentException("the fourth argument is ease, rp3 or fuse");
        }
    }

    /** W's rows divided by the user's total weight to the γ. */
    static double[][] rowNormalised(double[][] w, double gamma) {
        double[][] x = new double[m][];
        for (int u = 0; u < m; u++) {
            double total = Arrays.stream(w[u]).sum();
            double f = total > 0 ? Math.pow(total, -gamma) : 0;
            x[u] = Arrays.stream(w[u]).map(v -> v * f).toArray();
        }
        return x;
    }

    /** The mean of the squared non-zero entries. */
    static double meanSquare(double[][] x) {
        double s = 0;
        long k = 0;
        for (double[] row : x) {
            for (double v : row) {
                if (v != 0) {
                    s += v * v;
                    k++;
                }
            }
        }
        return s / k;
    }

    static double[][] hcat(double[][] a, double[][] b, double bScale) {
        double[][] x = new double[m][];
        for (int u = 0; u < m; u++) {
            x[u] = Arrays.copyOf(a[u], a[u].length + b[u].length);
            for (int i = 0; i < b[u].length; i++) {
                x[u][a[u].length + i] = bScale * b[u][i];
            }
        }
        return x;
    }

    /**
     * X·B for B = argmin |Y − XB|² + λ|B|² with B[r, j] = 0 for r in {j} (pairs 1) or {j, n + j} (pairs 2):
     * B = P XᵀY − P[:, R_j] μ_j with μ_j from P[R_j, R_j] μ_j = (P XᵀY)[R_j, j], through K = XXᵀ + λI:
     * XP = K⁻¹X, P = (I − XᵀK⁻¹X)/λ.
     */
    static double[][] lastX;
    static double[][] lastY;
    static double[][] lastG;
    static double[][] lastXxy;

    static double[][] ridge(double[][] x, double[][] y, double lambda, int pairs) {
        double[][] g = x == lastX ? lastG : new double[m][m];
        if (x != lastX) {
            IntStream.range(0, m).parallel().forEach(u -> {
                for (int v = 0; v <= u; v++) {
                    g[u][v] = dot(x[u], x[v]);
                }
            });
        }
        if (x != lastX || y != lastY) {
            lastG = null;
        }
        double[][] k = new double[m][m];
        for (int u = 0; u < m; u++) {
            for (int v = 0; v <= u; v++) {
                g[v][u] = g[u][v];
                k[u][v] = k[v][u] = g[u][v] + (u == v ? lambda : 0);
            }
        }
        double[][] ki = invert(k);
        double[][] a = multiply(ki, x);           // X·P, m × p
        double[][] xxy = g == lastG ? lastXxy : multiply(g, y);   // XXᵀY, m × n, once per X and Y
        lastX = x;
        lastY = y;
        lastG = g;
        lastXxy = xxy;
        double[][] s = multiply(ki, xxy);         // X·P·XᵀY
        double[] mu1 = new double[n];
        double[] mu2 = new double[n];
        IntStream.range(0, n).parallel().forEach(j -> {
            int[] r = pairs == 1 ? new int[] {j} : new int[] {j, n + j};
            double[] pxy = new double[r.length];
            double[][] pp = new double[r.length][r.length];
            for (int e = 0; e < r.length; e++) {
                double q = 0;
                double aq = 0;
                for (int u = 0; u < m; u++) {
                    q += x[u][r[e]] * y[u][j];
                    aq += a[u][r[e]] * xxy[u][j];
                }
                pxy[e] = (q - aq) / lambda;
                for (int f = 0; f < r.length; f++) {
                    double xa = 0;
                    for (int u = 0; u < m; u++) {
                        xa += x[u][r[e]] * a[u][r[f]];
                    }
                    pp[e][f] = ((e == f ? 1 : 0) - xa) / lambda;
                }
            }
            if (pairs == 1) {
                mu1[j] = pxy[0] / pp[0][0];
            } else {
                double det = pp[0][0] * pp[1][1] - pp[0][1] * pp[1][0];
                mu1[j] = (pp[1][1] * pxy[0] - pp[0][1] * pxy[1]) / det;
                mu2[j] = (pp[0][0] * pxy[1] - pp[1][0] * pxy[0]) / det;
            }
        });
        for (int u = 0; u < m; u++) {
            for (int j = 0; j < n; j++) {
                s[u][j] -= a[u][j] * mu1[j] + (pairs == 2 ? a[u][n + j] * mu2[j] : 0);
            }
        }
        return s;
    }

    /** RP3beta's scores X·W, W = Piu^α · Pui^α / pop^β, formed as (X·Piu^α)·Pui^α (m × m, then m × n). */
    static double[][] rp3(double[][] x, double alpha, double beta) {
        double[] rowSum = new double[m];
        double[] pop = new double[n];
        for (int u = 0; u < m; u++) {
            for (int i = 0; i < n; i++) {
                rowSum[u] += x[u][i];
                pop[i] += x[u][i];
            }
        }
        double[][] pui = new double[m][n];       // P(u→i)^α
        double[][] piuT = new double[m][n];      // P(i→u)^α, stored by user
        for (int u = 0; u < m; u++) {
            for (int i = 0; i < n; i++) {
                if (x[u][i] != 0) {
                    pui[u][i] = Math.pow(x[u][i] / rowSum[u], alpha);
                    piuT[u][i] = Math.pow(x[u][i] / pop[i], alpha);
                }
            }
        }
        double[][] xp = new double[m][m];        // (X·Piu^α)[u][v] = Σ_i x_ui P(i→v)^α
        IntStream.range(0, m).parallel().forEach(u -> {
            for (int v = 0; v < m; v++) {
                xp[u][v] = dot(x[u], piuT[v]);
            }
        });
        double[][] s = multiply(xp, pui);
        for (double[] row : s) {
            for (int i = 0; i < n; i++) {
                row[i] /= Math.pow(Math.max(pop[i], 1e-12), beta);
            }
        }
        return s;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != 0) {
                s += a[i] * b[i];
            }
        }
        return s;
    }

    /** a·b for a (r × k), b (k × c), skipping zeros of a. */
    static double[][] multiply(double[][] a, double[][] b) {
        int cols = b[0].length;
        double[][] out = new double[a.length][cols];
        IntStream.range(0, a.length).parallel().forEach(r -> {
            double[] o = out[r];
            for (int k = 0; k < b.length; k++) {
                double v = a[r][k];
                if (v != 0) {
                    double[] bk = b[k];
                    for (int c = 0; c < cols; c++) {
                        o[c] += v * bk[c];
                    }
                }
            }
        });
        return out;
    }

    /** The inverse of a symmetric positive definite matrix, by Gauss-Jordan (no pivoting needed). */
    static double[][] invert(double[][] k0) {
        int size = k0.length;
        double[][] a = new double[size][];
        for (int r = 0; r < size; r++) {
            a[r] = Arrays.copyOf(k0[r], 2 * size);
            a[r][size + r] = 1;
        }
        for (int col = 0; col < size; col++) {
            double[] pivot = a[col];
            double inv = 1 / pivot[col];
            for (int c = 0; c < 2 * size; c++) {
                pivot[c] *= inv;
            }
            int fixed = col;
            IntStream.range(0, size).parallel().filter(r -> r != fixed).forEach(r -> {
                double f = a[r][fixed];
                if (f != 0) {
                    double[] row = a[r];
                    for (int c = fixed; c < 2 * size; c++) {
                        row[c] -= f * pivot[c];
                    }
                }
            });
        }
        double[][] out = new double[size][];
        for (int r = 0; r < size; r++) {
            out[r] = Arrays.copyOfRange(a[r], size, 2 * size);
        }
        return out;
    }

    static double[][] scores(String model, IdMap users, IdMap items) throws Exception {
        Recommender rec = Recommender.of(TrainedModel.load(Path.of(model)));
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

    static double[] z(double[] s) {
        double mean = Arrays.stream(s).average().orElse(0);
        double var = 0;
        for (double v : s) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / s.length) + 1e-12;
        double[] z = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            z[i] = (s[i] - mean) / sd;
        }
        return z;
    }

    /** NDCG@10 of each user with a relevant held-out item, in evalUsers' order. */
    static double[] perUser(double[][] s) {
        double[] out = new double[evalUsers.length];
        IntStream.range(0, evalUsers.length).parallel().forEach(k -> {
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
