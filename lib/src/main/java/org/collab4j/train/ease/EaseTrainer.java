package org.collab4j.train.ease;

import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.data.Split;
import org.collab4j.data.Splits;
import org.collab4j.io.Provenance;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Csr;
import org.collab4j.kernel.ItemItemModel;
import org.collab4j.kernel.RankingMetrics;
import org.collab4j.kernel.TopK;
import org.collab4j.train.objective.Ease;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Trains EASE (Steck 2019) in closed form: {@code B = I − P·diag(1/diag(P))}, {@code P = (XᵀX + λI)⁻¹},
 * {@code diag(B) = 0}, over the interactions encoded as {@code X} ({@link Ease.Input}). The model is an
 * item-item {@link TrainedModel} ({@link TrainedModel#itemItem}), served by the {@code Recommender} in plain Java.
 *
 * <pre>{@code
 * TrainedModel model = EaseTrainer.builder().build().fit(interactions);   // λ and X chosen on an inner split
 * Recommender.of(model).recommend("42", 10);
 * }</pre>
 *
 * <p><b>Choosing.</b> With more than one candidate ({@link Ease#chooses()}; {@link Ease#DEFAULT}: the reference's
 * seven λ × three inputs), {@link #fit} holds out {@value #DEFAULT_INNER_FRACTION} of each user's rows of its own
 * data ({@link Splits#perUserFraction}, seeded), fits every candidate on the rest, scores NDCG@10 on the held-out
 * rows of weight at least 1 (each user's other rows left out of the lists), keeps the best and refits it on all the
 * data. The trials are in {@link #trials()} and in the model's provenance. Nothing outside the data given is
 * looked at.
 *
 * <p><b>The inverse.</b> With {@code m} users and {@code n} items, when {@code m < n} the trainer inverts the
 * {@code m × m} matrix {@code K = λI + XXᵀ} instead (Woodbury: {@code P = (I − Xᵀ K⁻¹ X)/λ}, so
 * {@code B[i, j] = S[i, j] / (1 − S[j, j])} with {@code S = Xᵀ K⁻¹ X}); otherwise the {@code n × n} Gram matrix
 * itself. Either by Cholesky in double precision, about {@code min(m, n)³} multiply-adds on
 * {@link Builder#optThreads} threads, plus {@code nnz(X) · n} to form {@code B}. The model holds {@code n²} floats
 * (4 bytes each: 380 MB for 9,724 items); training also needs {@code 8·min(m, n)²} bytes. Catalogues above
 * {@value #MAX_ITEMS} items are refused: use iALS.
 */
public final class EaseTrainer {

    /** The most items EASE trains on: its {@code n × n} matrix takes {@code 4n²} bytes (6.4 GB here). */
    public static final int MAX_ITEMS = 40_000;
    /**
     * The entries of each column of {@code B} a model keeps by default ({@link Builder#optKeep}): 0, all of them (a
     * dense matrix). On the inner splits of S1's and FilmTrust's training files 1,000 per column scored from −1.9 %
     * to +0.3 % of the dense matrix, depending on λ (docs/benchmarks.md): a size-for-accuracy choice left to the
     * user.
     */
    public static final int DEFAULT_KEEP = 0;
    /** The share of each user's rows the inner split holds out when choosing. */
    public static final double DEFAULT_INNER_FRACTION = 0.2;
    /** The cut-off of the inner split's NDCG. */
    static final int K = 10;

    private final Ease objective;
    private final double innerFraction;
    private final long seed;
    private final int threads;
    private final Consumer<String> log;
    private final int keep;
    private final List<Trial> trials = new ArrayList<>();
    private Ease chosen;

    private EaseTrainer(Builder b) {
        objective = b.objective;
        innerFraction = b.innerFraction;
        seed = b.seed;
        threads = b.threads;
        log = b.log;
        keep = b.keep;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * One candidate tried on the inner split.
     *
     * @param lambda λ
     * @param input the encoding of X
     * @param ndcg NDCG@10 on the inner split's held-out rows
     * @param seconds how long the fit and its scoring took
     */
    public record Trial(float lambda, Ease.Input input, double ndcg, double seconds) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "λ=%s %s NDCG@10 %.4f", Shown.number(lambda), input, ndcg);
        }
    }

    /**
     * The candidates tried by the last {@link #fit}, in order; empty when there was one candidate.
     *
     * @return the trials
     */
    public List<Trial> trials() {
        return List.copyOf(trials);
    }

    /**
     * The setting the last {@link #fit} used: the one candidate, or the one the inner split chose. Refitting with
     * it ({@code optObjective(trainer.chosen())}) repeats the fit without choosing again.
     *
     * @return the setting, or {@code null} before the first fit
     */
    public Ease chosen() {
        return chosen;
    }

    /**
     * Fits EASE to weighted interactions, choosing λ and the input on an inner split when there is a choice.
     *
     * @param interactions every row an interaction, its value the weight (1 for a positive; e.g.
     *     {@code --below-threshold-weight} below a threshold); repeated pairs count once, at their highest weight
     * @return the item-item model, knowing every row's item for its user (never recommended back)
     * @throws IllegalArgumentException if there are more than {@value #MAX_ITEMS} items, no rows, or a negative
     *     or non-finite weight
     */
    public TrainedModel fit(Ratings interactions) {
        int n = interactions.items().size();
        if (n > MAX_ITEMS) {
            throw new IllegalArgumentException("EASE keeps an n × n item matrix, and these interactions have " + n
                    + " items (at most " + MAX_ITEMS + ", " + Math.round(4.0 * n * n / 1e9) + " GB): use iALS"
                    + " (train --implicit without --loss ease) for a catalogue this large");
        }
        if (interactions.size() == 0) {
            throw new IllegalArgumentException("EASE needs at least one interaction");
        }
        for (float v : interactions.ratingValues()) {
            if (!(v >= 0) || Float.isInfinite(v)) {
                throw new IllegalArgumentException("an interaction's weight must be finite and >= 0, got " + v);
            }
        }
        trials.clear();
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            float lambda = objective.lambdas().get(0);
            Ease.Input input = objective.inputs().get(0);
            String how = "";
            if (objective.chooses()) {
                Split inner;
                try {
                    inner = Splits.perUserFraction(interactions, innerFraction, seed);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("EASE chooses λ on an inner split of each user's rows, and"
                            + " these interactions are too few to hold any out (" + e.getMessage() + "): give one"
                            + " setting, e.g. optObjective(Ease.of(400f, Ease.Input.POSITIVES))", e);
                }
                Trial best = null;
                for (Ease.Input in : objective.inputs()) {
                    Rows x = Rows.of(inner.train(), in);
                    Csr seen = Rows.of(inner.train(), Ease.Input.ALL).items;
                    for (float l : objective.lambdas()) {
                        long start = System.nanoTime();
                        float[] b = solve(x, n, l, pool);
                        double ndcg = innerNdcg(new ItemItemModel(n, b, x.items, x.values), seen, inner.valid(),
                                pool);
                        Trial t = new Trial(l, in, ndcg, (System.nanoTime() - start) / 1e9);
                        trials.add(t);
                        log.accept("inner split " + t + String.format(Locale.ROOT, " (%.1f s)", t.seconds()));
                        if (best == null || t.ndcg() > best.ndcg()) {
                            best = t;
                        }
                    }
                }
                lambda = best.lambda();
                input = best.input();
                how = String.format(Locale.ROOT, "; chosen on an inner per-user %.0f%% split (seed %d) of %d"
                        + " candidates, NDCG@10 %.4f", innerFraction * 100, seed, trials.size(), best.ndcg());
            }
            chosen = Ease.of(lambda, input);
            long start = System.nanoTime();
            Rows x = Rows.of(interactions, input);
            float[] b = solve(x, n, lambda, pool);
            // A kept entry takes 8 bytes (column and value), a dense one 4: sparse only below half the items.
            Sparse sparse = keep > 0 && 2L * keep < n ? Sparse.of(b, n, keep, pool) : null;
            if (sparse != null && sparse.values().length == 0) {
                sparse = null;   // nothing to keep: B is 0, and the dense form says so
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int m = interactions.users().size();
            String description = "EASE(λ=" + Shown.number(lambda) + ", input=" + input
                    + (sparse != null ? ", top " + keep + " per column" : "") + how + ")";
            log.accept(String.format(Locale.ROOT, "%s fitted on %d interactions in %.1f s", description,
                    interactions.size(), seconds));
            Provenance provenance = new Provenance(description, seed, null, null, null, List.of(), List.of(),
                    "cpu", "EASE is solved in plain Java", null, null, interactions.size(), 0, Provenance.now(),
                    "closed form: " + (m < n ? "Woodbury over the " + m + " users" : "Cholesky over the " + n
                            + " items") + " on " + threads + " threads" + (trials.isEmpty() ? "" : "; trials: "
                            + trials));
            Csr rated = Csr.of(m, interactions.userIndices(), interactions.itemIndices()).sortedDistinct();
            return TrainedModel.itemItem(interactions.users(), interactions.items(), rated, x.items, x.values,
                    sparse == null ? null : sparse.rows(), sparse == null ? b : sparse.values(), mean(interactions),
                    provenance, objective.name());
        } finally {
            pool.shutdown();
        }
    }

    private static double mean(Ratings r) {
        double s = 0;
        for (float v : r.ratingValues()) {
            s += v;
        }
        return s / r.size();
    }

    /** X as rows per user: distinct items ascending, each with its x (repeated pairs: the highest weight). */
    record Rows(Csr items, float[] values, int users) {

        static Rows of(Ratings r, Ease.Input input) {
            int m = r.users().size();
            int[] u = r.userIndices();
            int[] i = r.itemIndices();
            float[] w = r.ratingValues();
            int kept = 0;
            for (int row = 0; row < u.length; row++) {
                float x = switch (input) {
                    case POSITIVES -> w[row] >= 1f ? 1f : 0f;
                    case ALL -> 1f;
                    case WEIGHTS -> w[row];
                };
                if (x > 0) {
                    u[kept] = u[row];
                    i[kept] = i[row];
                    w[kept++] = x;
                }
            }
            Csr grouped = Csr.of(m, Arrays.copyOf(u, kept), Arrays.copyOf(i, kept));
            int[] order = grouped.order();
            int[] offsets = new int[m + 1];
            int[] columns = new int[kept];
            float[] values = new float[kept];
            int e = 0;
            for (int user = 0; user < m; user++) {
                int from = grouped.start(user);
                int to = grouped.end(user);
                long[] packed = new long[to - from];
                for (int k = from; k < to; k++) {
                    // item in the high half, the entry's position in the low: sorts by item, then input order.
                    packed[k - from] = ((long) grouped.columns()[k] << 32) | order[k];
                }
                Arrays.sort(packed);
                for (long p : packed) {
                    int item = (int) (p >>> 32);
                    float x = w[(int) p];
                    if (e > offsets[user] && columns[e - 1] == item) {
                        values[e - 1] = Math.max(values[e - 1], x);
                    } else {
                        columns[e] = item;
                        values[e++] = x;
                    }
                }
                offsets[user + 1] = e;
            }
            return new Rows(Csr.wrap(offsets, Arrays.copyOf(columns, e)), Arrays.copyOf(values, e), m);
        }

        /** The transpose: each item's users, ascending, with their x. */
        Rows transpose(int n) {
            int[] rowOf = new int[items.size()];
            for (int user = 0; user < users; user++) {
                for (int k = items.start(user); k < items.end(user); k++) {
                    rowOf[k] = user;
                }
            }
            Csr byItem = Csr.of(n, items.columns(), rowOf);
            int[] order = byItem.order();
            float[] v = new float[order.length];
            for (int k = 0; k < order.length; k++) {
                v[k] = values[order[k]];
            }
            return new Rows(byItem, v, n);
        }
    }

    /**
     * {@code B} cut to the {@code keep} largest {@code |B[j, i]|} of each column {@code i} (ties kept, zeros
     * dropped), as rows: what a user's history adds to the items it matters most for.
     */
    record Sparse(Csr rows, float[] values) {

        static Sparse of(float[] b, int n, int keep, ForkJoinPool pool) {
            float[] threshold = new float[n];
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> {
                float[] column = new float[n];
                for (int j = 0; j < n; j++) {
                    column[j] = Math.abs(b[j * n + i]);
                }
                Arrays.sort(column);
                threshold[i] = Math.max(column[n - keep], Float.MIN_VALUE);
            })).join();
            int[] counts = new int[n + 1];
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(j -> {
                int c = 0;
                for (int i = 0; i < n; i++) {
                    if (Math.abs(b[j * n + i]) >= threshold[i]) {
                        c++;
                    }
                }
                counts[j + 1] = c;
            })).join();
            for (int j = 0; j < n; j++) {
                counts[j + 1] += counts[j];
            }
            int[] columns = new int[counts[n]];
            float[] values = new float[counts[n]];
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(j -> {
                int e = counts[j];
                for (int i = 0; i < n; i++) {
                    float v = b[j * n + i];
                    if (Math.abs(v) >= threshold[i]) {
                        columns[e] = i;
                        values[e++] = v;
                    }
                }
            })).join();
            return new Sparse(Csr.wrap(counts, columns), values);
        }
    }

    /** B for one λ: Woodbury over the users when they are fewer than the items, else the items' Gram matrix. */
    static float[] solve(Rows x, int n, float lambda, ForkJoinPool pool) {
        int m = x.users();
        Rows byItem = x.transpose(n);
        return m < n ? woodbury(x, byItem, n, lambda, pool) : direct(x, n, lambda, pool);
    }

    /** {@code B = I − P/diag(P)} from {@code P = (XᵀX + λI)⁻¹}, inverted as it is. */
    private static float[] direct(Rows x, int n, float lambda, ForkJoinPool pool) {
        double[] g = new double[n * n];
        Csr rows = x.items();
        int[] c = rows.columns();
        for (int u = 0; u < x.users(); u++) {
            for (int a = rows.start(u); a < rows.end(u); a++) {
                int ra = c[a] * n;
                double xa = x.values()[a];
                for (int b = rows.start(u); b <= a; b++) {
                    g[ra + c[b]] += xa * x.values()[b];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            g[i * n + i] += lambda;
        }
        double[] p = SpdInverse.invert(g, n, pool);
        float[] b = new float[n * n];
        pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> {
            for (int j = 0; j < n; j++) {
                b[i * n + j] = i == j ? 0f : (float) (-p[i * n + j] / p[j * n + j]);
            }
        })).join();
        return b;
    }

    /**
     * Woodbury: {@code S = Xᵀ K⁻¹ X} with {@code K = λI + XXᵀ} ({@code m × m}), {@code B[i, j] = S[i, j] / (1 −
     * S[j, j])}, formed a block of item columns at a time ({@code M = K⁻¹ X} for the block's columns).
     */
    private static float[] woodbury(Rows x, Rows byItem, int n, float lambda, ForkJoinPool pool) {
        int m = x.users();
        double[] k = new double[m * m];
        Csr users = byItem.items();
        int[] c = users.columns();
        float[] xv = byItem.values();
        for (int i = 0; i < n; i++) {
            for (int a = users.start(i); a < users.end(i); a++) {
                int ra = c[a] * m;
                double xa = xv[a];
                for (int b = users.start(i); b < users.end(i); b++) {
                    if (c[b] <= c[a]) {
                        k[ra + c[b]] += xa * xv[b];
                    }
                }
            }
        }
        for (int u = 0; u < m; u++) {
            k[u * m + u] += lambda;
        }
        double[] kInv = SpdInverse.invert(k, m, pool);
        float[] b = new float[n * n];
        int block = Math.max(1, Math.min(n, (1 << 24) / Math.max(1, m)));
        double[] mBlock = new double[m * block];
        double[] diag = new double[n];
        Csr rows = x.items();
        for (int from = 0; from < n; from += block) {
            int start = from;
            int width = Math.min(block, n - from);
            // M[:, start .. start+width) = K⁻¹ X[:, block]: column j of M is Σ_{v ∈ users(j)} x_vj K⁻¹[:, v].
            Arrays.fill(mBlock, 0);
            pool.submit(() -> IntStream.range(0, m).parallel().forEach(u -> {
                int ru = u * m;
                int out = u * block;
                for (int j = 0; j < width; j++) {
                    double s = 0;
                    for (int a = users.start(start + j); a < users.end(start + j); a++) {
                        s += kInv[ru + c[a]] * xv[a];
                    }
                    mBlock[out + j] = s;
                }
            })).join();
            for (int j = 0; j < width; j++) {
                double s = 0;
                for (int a = users.start(start + j); a < users.end(start + j); a++) {
                    s += xv[a] * mBlock[c[a] * block + j];
                }
                diag[start + j] = s;
            }
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(i -> {
                double[] acc = new double[width];
                for (int a = users.start(i); a < users.end(i); a++) {
                    int ru = c[a] * block;
                    double xa = xv[a];
                    for (int j = 0; j < width; j++) {
                        acc[j] += xa * mBlock[ru + j];
                    }
                }
                int ri = i * n + start;
                for (int j = 0; j < width; j++) {
                    b[ri + j] = i == start + j ? 0f : (float) (acc[j] / (1 - diag[start + j]));
                }
            })).join();
        }
        return b;
    }

    /** Mean NDCG@10 over the held-out users with a row of weight at least 1, their training rows left out. */
    private static double innerNdcg(ItemItemModel model, Csr seen, Ratings heldOut, ForkJoinPool pool) {
        int m = seen.rows();
        int[][] relevant = new int[m][];
        Csr held = Csr.of(m, heldOut.userIndices(), heldOut.itemIndices());
        int[] order = held.order();
        float[] w = heldOut.ratingValues();
        for (int u = 0; u < m; u++) {
            int[] rel = new int[held.end(u) - held.start(u)];
            int r = 0;
            for (int k = held.start(u); k < held.end(u); k++) {
                if (w[order[k]] >= 1f) {
                    rel[r++] = held.columns()[k];
                }
            }
            relevant[u] = r == 0 ? null : Arrays.stream(rel, 0, r).sorted().distinct().toArray();
        }
        int n = model.items();
        double[] ndcg = new double[m];
        pool.submit(() -> IntStream.range(0, m).parallel().filter(u -> relevant[u] != null).forEach(u -> {
            float[] scores = new float[n];
            model.scores(u, 0, n, scores);
            TopK top = new TopK(K, n);
            for (int i = 0; i < n; i++) {
                if (!seen.contains(u, i)) {
                    top.offer(scores[i], i);
                }
            }
            int[] ranked = top.sorted(new float[top.size()]);
            ndcg[u] = RankingMetrics.of(K, ranked, ranked.length, relevant[u]).ndcg();
        })).join();
        double sum = 0;
        int users = 0;
        for (int u = 0; u < m; u++) {
            if (relevant[u] != null) {
                sum += ndcg[u];
                users++;
            }
        }
        return users == 0 ? 0 : sum / users;
    }

    /** Numbers as messages show them: {@code 400}, not {@code 400.0}. */
    private static final class Shown {
        static String number(float v) {
            return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Float.toString(v);
        }
    }

    /** The trainer's settings: {@code optX} with the defaults stated, {@link #build()} checks them. */
    public static final class Builder {
        private Ease objective = Ease.DEFAULT;
        private double innerFraction = DEFAULT_INNER_FRACTION;
        private long seed = 1;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Consumer<String> log = s -> { };
        private int keep = DEFAULT_KEEP;

        private Builder() {}

        /**
         * Sets the candidates (default {@link Ease#DEFAULT}: chosen on the inner split).
         *
         * @param objective the candidates; one λ and one input: no inner split
         * @return this builder
         */
        public Builder optObjective(Ease objective) {
            this.objective = java.util.Objects.requireNonNull(objective, "objective");
            return this;
        }

        /**
         * Sets the share of each user's rows the inner split holds out (default
         * {@value EaseTrainer#DEFAULT_INNER_FRACTION}).
         *
         * @param fraction strictly between 0 and 1
         * @return this builder
         */
        public Builder optInnerFraction(double fraction) {
            this.innerFraction = fraction;
            return this;
        }

        /**
         * Sets the seed of the inner split (default 1).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the threads the inverse, {@code B} and the inner scoring run on (default: the processors).
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /**
         * Sets where each trial and the fit are reported, a line each (default: nowhere).
         *
         * @param log e.g. {@code System.out::println}
         * @return this builder
         */
        public Builder optLog(Consumer<String> log) {
            this.log = java.util.Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * Keeps only the {@code m} largest entries (by magnitude) of each column of {@code B} (default
         * {@value EaseTrainer#DEFAULT_KEEP}; 0 keeps all of them, a dense matrix): the model then holds about
         * {@code m·n} entries (8 bytes each) instead of {@code n²} floats (4 bytes each), so the cut applies only
         * where {@code 2m < n}; otherwise the matrix stays dense. λ and the input are chosen with the dense matrix;
         * the cut applies to the model returned.
         *
         * @param m entries per column, at least 1, or 0 for the dense matrix
         * @return this builder
         */
        public Builder optKeep(int m) {
            this.keep = m;
            return this;
        }

        /**
         * Builds the trainer.
         *
         * @return the trainer
         * @throws IllegalArgumentException if the fraction is outside (0, 1) or threads below 1
         */
        public EaseTrainer build() {
            if (!(innerFraction > 0 && innerFraction < 1)) {
                throw new IllegalArgumentException("the inner fraction must be strictly between 0 and 1, got "
                        + innerFraction);
            }
            if (keep < 0) {
                throw new IllegalArgumentException("keep must be at least 1 entry per column, or 0 for all, got "
                        + keep);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, got " + threads);
            }
            return new EaseTrainer(this);
        }
    }
}
