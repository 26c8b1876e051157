package org.collab4j.recommend;

import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Csr;
import org.collab4j.kernel.FactorTable;
import org.collab4j.kernel.Side;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Users and items absent from the model, served from what they rated ({@link FoldIn}): the {@link TopN.Target}
 * of a request given with a history (the trained user, the user folded in, or FALLBACK's, as the
 * {@link UnknownIdPolicy} says), the fitted rows themselves, for either side, and the solvers that fit them, made
 * once, on first use (their priors cost a pass over a table). Thread-safe.
 */
final class FoldIns {

    private final TrainedModel model;
    private final Catalogue catalogue;
    private final Scorer scorer;
    private final FoldIn settings;
    private final FoldIn.Objective objective;
    private final double noise;
    private final Object lock = new Object();
    private volatile Solvers solvers;

    FoldIns(TrainedModel model, Catalogue catalogue, Scorer scorer, FoldIn settings, FoldIn.Objective objective) {
        this.model = model;
        this.catalogue = catalogue;
        this.scorer = scorer;
        this.settings = settings;
        this.objective = objective;
        double trainLoss = model.getProvenance().finalTrainLoss();
        noise = !Double.isNaN(settings.noiseVariance()) ? settings.noiseVariance()
                : Double.isFinite(trainLoss) && trainLoss > 0 ? trainLoss : 1;
    }

    /**
     * The fold-in objective a model was trained for: its recorded training loss ({@link TrainedModel#objective()})
     * through {@link FoldIn.Objective#forLoss}, so {@code mse} folds in ratings and {@code bpr}, {@code softmax}
     * and {@code ials} implicit feedback. A loss this version does not know (a file from a later one) falls back
     * on the block: no y-range means raw ranking scores, hence implicit feedback; serving must not fail for it.
     */
    static FoldIn.Objective defaultObjective(TrainedModel model) {
        try {
            return FoldIn.Objective.forLoss(model.objective());
        } catch (IllegalArgumentException e) {
            return model.getConfig().yRange() == null ? FoldIn.Objective.IMPLICIT : FoldIn.Objective.RATINGS;
        }
    }

    /** The target for a user with a history, as the policy says; the history's known items are left out. */
    TopN.Target target(String userId, RatingHistory history) {
        int[][] known = knownRows(Side.ITEMS, history);
        int u = catalogue.knownIndex(Side.USERS, userId);
        if (u >= 0 && catalogue.isCold(Side.USERS, u) && known[0].length > 0) {
            // A user served from their features, with a history: folded in toward their feature row.
            return TopN.Target.of(u, foldIn(Side.USERS, history, known, scorer.row(u)), known[0]);
        }
        if (u >= 0) {
            Csr rated = catalogue.rated();
            return TopN.Target.of(u, null, union(rated.columns(), rated.start(u), rated.end(u), known[0]));
        }
        if (catalogue.policy() == UnknownIdPolicy.THROW) {
            throw catalogue.unknown(Side.USERS, userId, true, "Build the Recommender with"
                    + " optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN) to fold the user in from the history given.");
        }
        if (catalogue.policy() == UnknownIdPolicy.FALLBACK || known[0].length == 0) {
            return TopN.Target.of(-1, null, known[0]);
        }
        return TopN.Target.of(-1, foldIn(Side.USERS, history, known, null), known[0]);
    }

    /**
     * The target of a user given by features (and a history, possibly empty): the row the model's user feature
     * vectors give them, folded in from the history's known items when there are any, toward that row.
     *
     * @throws IllegalArgumentException if the model has no user features or none of the features is in its
     *     vocabulary
     */
    TopN.Target featureTarget(Map<String, Float> features, RatingHistory history) {
        float[] row = FeatureRows.row(model, Side.USERS, features);
        if (row == null) {
            throw new IllegalArgumentException("none of the " + features.size() + " features given is one the"
                    + " model's users were trained with (" + FeatureRows.embeddings(model, Side.USERS).featureNames()
                    .size() + " features): name them as in the training's user feature file, e.g. 'country=FR'");
        }
        int[][] known = knownRows(Side.ITEMS, history);
        return TopN.Target.of(-1, known[0].length == 0 ? row : foldIn(Side.USERS, history, known, row), known[0]);
    }

    /** {@link #target}, with the user named in a bad history's message. */
    TopN.Target targetNamed(String userId, RatingHistory history) {
        try {
            return target(userId, history);
        } catch (UnknownIdException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("user '" + userId + "': " + e.getMessage(), e);
        }
    }

    /** The target of every user of {@code heldOut}; absent for one the policy skips (THROW, unknown). */
    Map<String, TopN.Target> targets(Ratings heldOut, Ratings histories) {
        List<RatingHistory> byUser = histories(histories);
        Map<String, TopN.Target> result = new HashMap<>();
        for (int u = 0; u < heldOut.users().size(); u++) {
            String id = heldOut.users().id(u);
            int h = histories.users().indexOf(id);
            RatingHistory history = h >= 0 && byUser.get(h) != null ? byUser.get(h) : RatingHistory.EMPTY;
            try {
                result.put(id, targetNamed(id, history));
            } catch (UnknownIdException e) {
                // THROW: the user is skipped, as evaluate(Ratings) skips unknown users.
            }
        }
        return result;
    }

    /**
     * Fits the row of a user (or an item) absent from the model to its history, by the other side's original
     * ids; ids the model does not know are ignored.
     */
    float[] foldIn(Side side, RatingHistory history) {
        int[][] known = knownRows(side.other(), history);
        if (known[0].length == 0) {
            throw new IllegalArgumentException(side == Side.USERS
                    ? "no item of the " + history + " is known to the model: a user can be folded in only from"
                            + " ratings of items the model was trained on"
                    : "no user of the " + history + " is known to the model: an item can be folded in only from"
                            + " ratings of users the model was trained on");
        }
        return foldIn(side, history, known, null);
    }

    /**
     * Fits the row of an entity served from its features (a cold row of the model) to a history, the prior centred
     * on its feature row.
     *
     * @return the row, or {@code null} when the history has no known entity of the other side
     */
    float[] foldInToward(Side side, RatingHistory history, int row) {
        int[][] known = knownRows(side.other(), history);
        if (known[0].length == 0) {
            return null;
        }
        FactorTable table = model.factors(side);
        float[] centre = Arrays.copyOf(table.row(row), table.factors() + (table.hasBias() ? 1 : 0));
        if (table.hasBias()) {
            centre[table.factors()] = table.bias(row);
        }
        return foldIn(side, history, known, centre);
    }

    /**
     * The solver that folds users in, for a dot model ({@link Onboarding} reads its curvature).
     *
     * @throws IllegalStateException for an EmbeddingNet, whose fold-in has no closed-form curvature here
     */
    DotFoldIn userSolver() {
        if (scorer instanceof NetScorer) {
            throw new IllegalStateException("onboarding needs a dot model (EmbeddingDot or EmbeddingDotBias): an"
                    + " EmbeddingNet's fold-in has no closed-form posterior to choose questions by");
        }
        return solvers().dot[Side.USERS.ordinal()];
    }

    /**
     * A history's items known to the model, ascending, and their values, after the checks a fold-in makes:
     * {@code rows[0]} the rows, {@code values} filled with one value per row.
     */
    int[] knownItems(RatingHistory history, float[][] values) {
        checkValues(history);
        int[][] known = knownRows(Side.ITEMS, history);
        values[0] = new float[known[0].length];
        for (int k = 0; k < known[0].length; k++) {
            values[0][k] = Float.intBitsToFloat(known[1][k]);
        }
        return known[0];
    }

    /** Recommends for every user of {@code histories} from their own rows, in batches ({@link TopN#inBatches}). */
    void recommendEach(Ratings histories, TopN topN, int k, int batchSize,
            Consumer<List<UserRecommendations>> sink) {
        List<RatingHistory> byUser = histories(histories);
        IdMap users = histories.users();
        topN.inBatches(byUser.size(), users::id,
                u -> byUser.get(u) == null ? null : targetNamed(users.id(u), byUser.get(u)), k, batchSize, sink);
    }

    /** Each user's rows as a history (index = user index in {@code ratings}; null for a user without rows). */
    static List<RatingHistory> histories(Ratings ratings) {
        List<RatingHistory.Builder> builders = new ArrayList<>();
        for (int u = 0; u < ratings.users().size(); u++) {
            builders.add(null);
        }
        for (int row = 0; row < ratings.size(); row++) {
            int u = ratings.user(row);
            if (builders.get(u) == null) {
                builders.set(u, RatingHistory.builder());
            }
            try {
                builders.get(u).add(ratings.items().id(ratings.item(row)), ratings.rating(row));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("user '" + ratings.users().id(u) + "': " + e.getMessage(), e);
            }
        }
        List<RatingHistory> result = new ArrayList<>(builders.size());
        for (RatingHistory.Builder b : builders) {
            result.add(b == null ? null : b.build());
        }
        return result;
    }

    /**
     * The history's ids known to the model on {@code side}, ascending: {@code [0]} their rows, {@code [1]} their
     * values as float bits.
     */
    private int[][] knownRows(Side side, RatingHistory history) {
        Map<String, Float> entries = history.entries();
        IdMap map = catalogue.ids(side);
        int[] rows = new int[entries.size()];
        int n = 0;
        for (String id : entries.keySet()) {
            int index = catalogue.knownIndex(side, id);
            if (index >= 0) {
                rows[n++] = index;
            }
        }
        rows = Arrays.copyOf(rows, n);
        Arrays.sort(rows);
        int[] values = new int[n];
        for (int k = 0; k < n; k++) {
            values[k] = Float.floatToRawIntBits(entries.get(map.id(rows[k])));
        }
        return new int[][] {rows, values};
    }

    /** The ascending union of {@code a[from .. to)} and {@code b}, both ascending. */
    private static int[] union(int[] a, int from, int to, int[] b) {
        int[] out = new int[to - from + b.length];
        int n = 0;
        int j = 0;
        for (int e = from; e < to || j < b.length; ) {
            int next = j >= b.length || e < to && a[e] <= b[j] ? a[e] : b[j];
            out[n++] = next;
            while (e < to && a[e] == next) {
                e++;
            }
            while (j < b.length && b[j] == next) {
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Fits a row of {@code side} to a history's known rows, checking the values first; the prior is centred on
     * {@code centre} (a row from features, as the scorer's rows are laid out) or, when {@code null}, on the trained
     * rows' mean.
     */
    private float[] foldIn(Side side, RatingHistory history, int[][] known, float[] centre) {
        checkValues(history);
        int n = known[0].length;
        float[] values = new float[n];
        for (int k = 0; k < n; k++) {
            values[k] = Float.intBitsToFloat(known[1][k]);
        }
        if (scorer instanceof ItemItemScorer itemItem) {
            return itemItemRow(side, itemItem, known[0], values);
        }
        Solvers s = solvers();
        int at = side.ordinal();
        if (scorer instanceof NetScorer net) {
            if (objective != FoldIn.Objective.RATINGS) {
                throw new IllegalArgumentException("an EmbeddingNet is folded in with the RATINGS objective only,"
                        + " not " + objective);
            }
            return net.foldIn(side == Side.USERS, known[0], values, n, centre != null ? centre : s.mean[at],
                    s.variance[at], noise,
                    settings.priorWeight(), settings.netSteps());
        }
        return centre != null ? s.dot[at].solve(known[0], values, n, centre) : s.dot[at].solve(known[0], values, n);
    }

    /**
     * EASE's fold-in: a new user's row is their history itself, {@code x_j} = the strength given for item
     * {@code j} (1 for a plain interaction, the weight a positive had in training), 0 elsewhere. Nothing is
     * solved. A new item has no row in the item-item matrix, so it cannot be folded in.
     */
    private static float[] itemItemRow(Side side, ItemItemScorer scorer, int[] items, float[] values) {
        if (side != Side.USERS) {
            throw new IllegalArgumentException("an item-item model (EASE) cannot fold in a new item: its matrix has"
                    + " no row or column for it; train the model again with the item's interactions");
        }
        float[] row = new float[scorer.rowWidth()];
        for (int k = 0; k < items.length; k++) {
            row[items[k]] = values[k];
        }
        return row;
    }

    /** Ratings must lie in the y-range the model predicts in; interaction strengths must not be negative. */
    private void checkValues(RatingHistory history) {
        var range = model.getConfig().yRange();
        for (Map.Entry<String, Float> e : history.entries().entrySet()) {
            float r = e.getValue();
            if (objective == FoldIn.Objective.IMPLICIT) {
                if (r < 0) {
                    throw new IllegalArgumentException("the history gives '" + e.getKey() + "' the strength " + r
                            + ": interaction strengths must be 0 or more (1 for a plain interaction)");
                }
            } else if (range != null && (r < range.low() || r > range.high())) {
                throw new IllegalArgumentException("the history rates '" + e.getKey() + "' " + r + ", outside the"
                        + " model's y-range [" + range.low() + ", " + range.high() + "]: give ratings on the scale"
                        + " the model was trained on");
            }
        }
    }

    private Solvers solvers() {
        Solvers s = solvers;
        if (s == null) {
            synchronized (lock) {
                s = solvers;
                if (s == null) {
                    s = new Solvers(this);
                    solvers = s;
                }
            }
        }
        return s;
    }

    /** The fold-in solvers of both sides (indexed by {@link Side#ordinal()}) or, for an EmbeddingNet, the priors. */
    private static final class Solvers {
        final DotFoldIn[] dot = new DotFoldIn[2];
        final float[][] mean = new float[2][];
        final float[][] variance = new float[2][];

        Solvers(FoldIns f) {
            for (Side side : Side.values()) {
                FactorTable solved = f.model.factors(side);
                boolean[] known = f.catalogue.trained(side);
                int at = side.ordinal();
                if (f.scorer instanceof NetScorer) {
                    float[][] mv = meanVariance(solved.rows(), solved.factors(), known);
                    mean[at] = mv[0];
                    variance[at] = mv[1];
                } else {
                    dot[at] = new DotFoldIn(solved, known, f.model.factors(side.other()),
                            f.catalogue.trained(side.other()), f.model.getConfig().yRange(), f.objective, f.settings,
                            f.noise);
                }
            }
        }

        private static float[][] meanVariance(float[] factors, int dim, boolean[] known) {
            double[] mean = new double[dim];
            double[] sq = new double[dim];
            int n = 0;
            for (int r = 0; r < known.length; r++) {
                if (known[r]) {
                    n++;
                    for (int d = 0; d < dim; d++) {
                        mean[d] += factors[r * dim + d];
                    }
                }
            }
            for (int d = 0; d < dim; d++) {
                mean[d] /= Math.max(1, n);
            }
            for (int r = 0; r < known.length; r++) {
                if (known[r]) {
                    for (int d = 0; d < dim; d++) {
                        double e = factors[r * dim + d] - mean[d];
                        sq[d] += e * e;
                    }
                }
            }
            float[][] result = new float[2][dim];
            for (int d = 0; d < dim; d++) {
                result[0][d] = (float) mean[d];
                double variance = n > 1 ? sq[d] / (n - 1) : 0;
                // A factor that never moved would pin the row; 1e-4 of the average variance leaves it some room.
                result[1][d] = (float) variance;
            }
            double average = 0;
            for (float v : result[1]) {
                average += v / dim;
            }
            for (int d = 0; d < dim; d++) {
                result[1][d] = (float) Math.max(result[1][d], average > 0 ? 1e-4 * average : 1);
            }
            return result;
        }
    }
}
