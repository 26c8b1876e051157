package org.collab4j.recommend;

import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.io.BlockConfig;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Kernel;
import org.collab4j.kernel.ParameterNames;
import org.collab4j.util.Shown;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What an application does with a trained model, by original ids: predict ratings, recommend the top items for a
 * user (leaving out what they rated in training), find similar items and users, rank biases, and look at the item
 * factors' principal components.
 *
 * <pre>{@code
 * Recommender recommender = Recommender.builder()
 *         .setModel(TrainedModel.load(Path.of("movies.c4j")))
 *         .optTitles(Titles.read(Path.of("movies.csv")))
 *         .build();
 * float stars = recommender.predict("1", "31");
 * for (ScoredId item : recommender.recommend("1", 10)) {
 *     System.out.println(item.label() + " " + item.score());
 * }
 * }</pre>
 *
 * <p><b>Ids.</b> A user or item is known when the model had training ratings for it. Ids not in the model, and ids
 * in its id maps without training ratings (seen only in validation data, so their embeddings were never trained),
 * are unknown and handled by the {@link UnknownIdPolicy}: by default {@link UnknownIdException}. Only known items
 * are ever recommended or returned as similar. Under {@link UnknownIdPolicy#FOLD_IN} a user absent from the model
 * is served from a {@link RatingHistory} given with the request, their row fitted to it with the rest of the model
 * fixed ({@link FoldIn}); an absent item likewise from its raters, for {@link #similarItems(String, RatingHistory,
 * int, int)}. A {@code null} id, list, history or ratings argument is a {@link NullPointerException} naming the
 * argument, never an unknown id.
 *
 * <p><b>Sizes.</b> A {@code k} larger than what exists returns everything there is (all other known items), and
 * {@link #recommendAll}'s batch size is capped at the number of users, so neither allocates for more than exists.
 *
 * <p><b>Threads.</b> A recommender is immutable: it copies the weights into plain Java arrays when it is built and
 * uses no native memory, so any number of threads may call any of its methods at once and get exactly the answers
 * one thread would. Each call allocates its own scratch space (one float per item for a recommendation). The
 * {@link TrainedModel} and {@link Titles} it holds are immutable too.
 *
 * <p><b>Numbers.</b> Scores are computed in plain Java ({@code float}, in a fixed order), so {@link #predict} and
 * {@link #recommend} agree to the bit and every run gives the same bits; they differ from DJL's forward pass of
 * the same weights by rounding only (about 1e-6).
 */
public final class Recommender {

    private final TrainedModel model;
    private final UnknownIdPolicy policy;
    private final Titles titles;
    private final IdMap users;
    private final IdMap items;
    private final Scorer scorer;
    private final int[] ratedOffsets;
    private final int[] ratedItems;
    private final int[] itemCounts;
    private final int catalogueSize;
    private final float[] userFactors;
    private final float[] itemFactors;
    private final int userDim;
    private final int itemDim;
    private final float[] userNorms;
    private final float[] itemNorms;
    private final float[] userBias;
    private final float[] itemBias;
    private final double globalMean;
    private final double logitMean;
    private final double meanUserBias;
    private final double meanItemBias;
    private final FoldIn foldIn;
    private final FoldIn.Objective objective;
    private final double noise;
    /** The fold-in solvers, made on first use (their priors cost a pass over a table). */
    private volatile FoldInSolvers solvers;

    private Recommender(Builder builder) {
        model = builder.model;
        policy = builder.policy;
        titles = builder.titles;
        foldIn = builder.foldIn;
        objective = foldIn.objective() != null ? foldIn.objective() : defaultObjective(model);
        users = model.users();
        items = model.items();
        BlockConfig config = model.getConfig();
        scorer = Scorer.of(model);
        ratedOffsets = new int[users.size() + 1];
        List<int[]> perUser = new ArrayList<>(users.size());
        for (int u = 0; u < users.size(); u++) {
            int[] rated = model.ratedItems(u);
            perUser.add(rated);
            ratedOffsets[u + 1] = ratedOffsets[u] + rated.length;
        }
        ratedItems = new int[ratedOffsets[users.size()]];
        int[] counts = new int[items.size()];
        for (int u = 0; u < users.size(); u++) {
            int[] rated = perUser.get(u);
            System.arraycopy(rated, 0, ratedItems, ratedOffsets[u], rated.length);
            for (int i : rated) {
                counts[i]++;
            }
        }
        // An item side (ItemSide) keeps the users it was cut from out, but their counts in.
        itemCounts = builder.itemCounts != null ? builder.itemCounts : counts;
        int known = 0;
        for (int count : itemCounts) {
            known += count > 0 ? 1 : 0;
        }
        catalogueSize = known;
        userDim = config.userFactors();
        itemDim = config.itemFactors();
        userFactors = model.parameter(ParameterNames.USER_FACTORS);
        itemFactors = model.parameter(ParameterNames.ITEM_FACTORS);
        userNorms = norms(userFactors, userDim);
        itemNorms = norms(itemFactors, itemDim);
        userBias = config.hasBiases() ? model.parameter(ParameterNames.USER_BIAS) : null;
        itemBias = config.hasBiases() ? model.parameter(ParameterNames.ITEM_BIAS) : null;
        globalMean = model.getGlobalMean();
        logitMean = scorer.unsquash(globalMean);
        meanUserBias = userBias == null ? 0 : meanOver(userBias, this::userKnown);
        meanItemBias = itemBias == null ? 0 : meanOver(itemBias, i -> itemCounts[i] > 0);
        double trainLoss = model.getProvenance().finalTrainLoss();
        noise = !Double.isNaN(foldIn.noiseVariance()) ? foldIn.noiseVariance()
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

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a recommender with the default settings: unknown ids throw, no titles.
     *
     * @param model the model
     * @return the recommender
     */
    public static Recommender of(TrainedModel model) {
        return builder().setModel(model).build();
    }

    private static float[] norms(float[] factors, int dim) {
        float[] norms = new float[factors.length / dim];
        for (int r = 0; r < norms.length; r++) {
            norms[r] = (float) Math.sqrt(Kernel.dot(factors, r * dim, factors, r * dim, dim));
        }
        return norms;
    }

    private static double meanOver(float[] values, java.util.function.IntPredicate include) {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < values.length; k++) {
            if (include.test(k)) {
                sum += values[k];
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    private boolean userKnown(int u) {
        return ratedOffsets[u + 1] > ratedOffsets[u];
    }

    /**
     * Returns the model.
     *
     * @return the model
     */
    public TrainedModel getModel() {
        return model;
    }

    /**
     * Returns the policy for unknown ids.
     *
     * @return the policy
     */
    public UnknownIdPolicy getUnknownIdPolicy() {
        return policy;
    }

    /**
     * Returns the fold-in settings.
     *
     * @return the settings given to the builder (the default {@link FoldIn} when none were)
     */
    public FoldIn getFoldIn() {
        return foldIn;
    }

    /**
     * Returns the objective fold-ins minimise: the one in {@link #getFoldIn()}, else the model's.
     *
     * @return the objective
     */
    public FoldIn.Objective getFoldInObjective() {
        return objective;
    }

    /**
     * Returns the item titles.
     *
     * @return the titles, {@link Titles#NONE} when none were given
     */
    public Titles getTitles() {
        return titles;
    }

    /**
     * Tells whether the model has a trained embedding for a user.
     *
     * @param userId the user's original id
     * @return {@code true} if the user had training ratings
     */
    public boolean knowsUser(String userId) {
        int u = users.indexOf(requireId(userId, "userId"));
        return u >= 0 && userKnown(u);
    }

    /**
     * Tells whether the model has a trained embedding for an item.
     *
     * @param itemId the item's original id
     * @return {@code true} if the item had training ratings
     */
    public boolean knowsItem(String itemId) {
        int i = items.indexOf(requireId(itemId, "itemId"));
        return i >= 0 && itemCounts[i] > 0;
    }

    /**
     * Returns how many users rated an item in the training data.
     *
     * @param itemId the item's original id
     * @return the number of distinct users, 0 for an unknown item
     */
    public int ratingCount(String itemId) {
        int i = items.indexOf(requireId(itemId, "itemId"));
        return i < 0 ? 0 : itemCounts[i];
    }

    /** Refuses a null id, naming the argument: a null is a caller's bug, not an unknown id. */
    private static String requireId(String id, String argument) {
        if (id == null) {
            throw new NullPointerException(argument + " is null; pass an original id as in the ratings file");
        }
        return id;
    }

    /** The user's index, or -1 when unknown and the policy allows it. */
    private int userIndex(String id) {
        int u = users.indexOf(requireId(id, "userId"));
        if (u >= 0 && userKnown(u)) {
            return u;
        }
        if (policy == UnknownIdPolicy.THROW) {
            throw unknown("user", id, u >= 0, users.size());
        }
        return -1;
    }

    /** The item's index, or -1 when unknown and the policy allows it. */
    private int itemIndex(String id) {
        int i = items.indexOf(requireId(id, "itemId"));
        if (i >= 0 && itemCounts[i] > 0) {
            return i;
        }
        if (policy == UnknownIdPolicy.THROW) {
            throw unknown("item", id, i >= 0, items.size());
        }
        return -1;
    }

    private static UnknownIdException unknown(String kind, String id, boolean inMap, int size) {
        return unknown(kind, id, inMap, size, true);
    }

    /**
     * The exception for an unknown id; {@code fallbackHelps} is false where even {@link UnknownIdPolicy#FALLBACK}
     * needs the id's factors (similar items and users), so the message does not suggest it.
     */
    private static UnknownIdException unknown(String kind, String id, boolean inMap, int size,
            boolean fallbackHelps) {
        return unknown(kind, id, inMap, size, fallbackHelps, null);
    }

    /**
     * The exception for an unknown id, with {@code foldIn} (when not null) the advice for a method that takes a
     * history: how to fold the id in, in the API's terms (the CLI words its own advice from the exception's
     * fields).
     */
    private static UnknownIdException unknown(String kind, String id, boolean inMap, int size,
            boolean fallbackHelps, String foldIn) {
        String why = inMap
                ? "it is in the model's id map but had no training ratings (it appears only in validation data),"
                        + " so its embedding was never trained"
                : "the model was trained on " + size + " " + kind + "s and this one was not among them";
        String advice = foldIn != null
                ? foldIn + (fallbackHelps ? " UnknownIdPolicy.FALLBACK predicts from the global mean instead." : "")
                : fallbackHelps
                ? "Build the Recommender with UnknownIdPolicy.FALLBACK to predict from the global mean instead."
                : "Only " + kind + "s with training ratings have factors to compare; check the id (knows"
                        + (kind.equals("user") ? "User" : "Item") + " tells which ids the model has).";
        // A very long id is cut short in the message (UnknownIdException.id() keeps it whole).
        return new UnknownIdException(kind, id, why, fallbackHelps, "Unknown " + kind + " id '"
                + Shown.plain(id, 60) + "': " + why + ". " + advice);
    }

    /**
     * Predicts a rating.
     *
     * @param userId the user's original id
     * @param itemId the item's original id
     * @return the predicted rating; for an unknown id, what the {@link UnknownIdPolicy} gives
     * @throws UnknownIdException if an id is unknown under {@link UnknownIdPolicy#THROW}
     */
    public float predict(String userId, String itemId) {
        int u = userIndex(userId);
        int i = itemIndex(itemId);
        return score(u, i);
    }

    /**
     * Predicts ratings for pairs: {@code result[k]} is the prediction for {@code (userIds.get(k), itemIds.get(k))}.
     *
     * @param userIds the users' original ids
     * @param itemIds the items' original ids, as many as users
     * @return the predicted ratings
     * @throws IllegalArgumentException if the lists differ in length
     * @throws UnknownIdException if an id is unknown under {@link UnknownIdPolicy#THROW}
     */
    public float[] predict(List<String> userIds, List<String> itemIds) {
        requireList(userIds, "userIds");
        requireList(itemIds, "itemIds");
        if (userIds.size() != itemIds.size()) {
            throw new IllegalArgumentException("predict needs as many user ids as item ids, got " + userIds.size()
                    + " and " + itemIds.size());
        }
        float[] result = new float[userIds.size()];
        for (int k = 0; k < result.length; k++) {
            result[k] = score(userIndex(requireId(userIds.get(k), "userIds.get(" + k + ")")),
                    itemIndex(requireId(itemIds.get(k), "itemIds.get(" + k + ")")));
        }
        return result;
    }

    /** The rating for indices, -1 meaning unknown (allowed by the policy). */
    private float score(int u, int i) {
        return u >= 0 && i >= 0 ? scorer.squash(scorer.raw(u, i)) : fallbackScore(fallbackRaw(u, i));
    }

    private float fallbackRaw(int u, int i) {
        if (userBias == null) {
            return (float) logitMean;
        }
        double raw = logitMean + (u >= 0 ? userBias[u] - meanUserBias : 0) + (i >= 0 ? itemBias[i] - meanItemBias : 0);
        return (float) raw;
    }

    private float fallbackScore(float raw) {
        return userBias == null ? (float) globalMean : scorer.squash(raw);
    }

    /**
     * Recommends the items a user is predicted to rate highest, leaving out the items they rated in training
     * and items without training ratings.
     *
     * @param userId the user's original id
     * @param k how many items, at least 1
     * @return up to {@code k} items, best first, scored with their predicted rating (equal to {@link #predict})
     * @throws UnknownIdException if the user is unknown under {@link UnknownIdPolicy#THROW}
     */
    public List<ScoredId> recommend(String userId, int k) {
        requirePositive("k", k);
        return recommend(userIndex(userId), k);
    }

    /**
     * Recommends with per-call choices of what may be recommended: the user's training items left out or not, an
     * exclusion list, a candidate list, a predicate on item ids ({@link RecommendOptions}). Items without training
     * ratings are never recommended. Ranking-trained models (no y-range) rank and score by the raw score.
     *
     * @param userId the user's original id
     * @param k how many items, at least 1
     * @param options what may be recommended
     * @return up to {@code k} items, best first, scored as {@link #recommend(String, int)} scores them
     * @throws UnknownIdException if the user is unknown under {@link UnknownIdPolicy#THROW}
     * @throws IllegalArgumentException if {@code options} has candidates and the model knows none of them
     */
    public List<ScoredId> recommend(String userId, int k, RecommendOptions options) {
        requirePositive("k", k);
        java.util.Objects.requireNonNull(options, "options");
        int u = userIndex(userId);
        int n = items.size();
        boolean[] allowed = new boolean[n];
        if (options.candidates() != null) {
            int known = 0;
            for (String id : options.candidates()) {
                int i = items.indexOf(id);
                if (i >= 0) {
                    allowed[i] = true;
                    known++;
                }
            }
            if (known == 0) {
                throw new IllegalArgumentException("none of the " + options.candidates().size() + " candidate items"
                        + " (e.g. " + Shown.quoted(options.candidates().iterator().next()) + ") is known to the"
                        + " model: pass ids as in its training data");
            }
        } else {
            java.util.Arrays.fill(allowed, true);
        }
        for (String id : options.exclude()) {
            int i = items.indexOf(id);
            if (i >= 0) {
                allowed[i] = false;
            }
        }
        if (options.excludesTrainingItems() && u >= 0) {
            for (int e = ratedOffsets[u]; e < ratedOffsets[u + 1]; e++) {
                allowed[ratedItems[e]] = false;
            }
        }
        float[] raw = new float[n];
        if (u >= 0) {
            scorer.rawAll(u, raw);
        } else {
            for (int i = 0; i < n; i++) {
                raw[i] = fallbackRaw(-1, i);
            }
        }
        TopK top = new TopK(k, n);
        for (int i = 0; i < n; i++) {
            if (allowed[i] && itemCounts[i] > 0
                    && (options.filter() == null || options.filter().test(items.id(i)))) {
                top.offer(raw[i], i);
            }
        }
        float[] scores = new float[top.size()];
        int[] best = top.sorted(scores);
        List<ScoredId> result = new ArrayList<>(best.length);
        for (int r = 0; r < best.length; r++) {
            result.add(item(best[r], u >= 0 ? scorer.squash(scores[r]) : fallbackScore(scores[r])));
        }
        return result;
    }

    /**
     * Recommends for many users; see {@link #recommend(String, int)}.
     *
     * @param userIds the users' original ids
     * @param k how many items per user, at least 1
     * @return one entry per user, in the given order
     * @throws UnknownIdException if a user is unknown under {@link UnknownIdPolicy#THROW}
     */
    public List<UserRecommendations> recommend(List<String> userIds, int k) {
        requireList(userIds, "userIds");
        requirePositive("k", k);
        int[] indices = new int[userIds.size()];
        for (int n = 0; n < indices.length; n++) {
            indices[n] = userIndex(requireId(userIds.get(n), "userIds.get(" + n + ")"));
        }
        List<List<ScoredId>> lists = recommend(indices, k);
        List<UserRecommendations> result = new ArrayList<>(userIds.size());
        for (int n = 0; n < indices.length; n++) {
            result.add(new UserRecommendations(userIds.get(n), lists.get(n)));
        }
        return result;
    }

    /**
     * Recommends for every known user, in batches: memory holds one batch of results and one score per item at a
     * time, however many users there are. Batches come in user-index order, on the calling thread.
     *
     * @param k how many items per user, at least 1
     * @param batchSize users per batch, at least 1
     * @param sink receives each batch; it may keep the lists
     */
    public void recommendAll(int k, int batchSize, Consumer<List<UserRecommendations>> sink) {
        requirePositive("k", k);
        requirePositive("batchSize", batchSize);
        if (sink == null) {
            throw new NullPointerException("sink is null; pass a consumer of each batch of lists");
        }
        // No batch can hold more users than the model has: a huge batch size must not allocate for them.
        batchSize = Math.min(batchSize, Math.max(1, users.size()));
        int[] batch = new int[batchSize];
        int size = 0;
        for (int u = 0; u <= users.size(); u++) {
            if (u < users.size() && userKnown(u)) {
                batch[size++] = u;
            }
            if (size > 0 && (size == batchSize || u == users.size())) {
                int[] indices = java.util.Arrays.copyOf(batch, size);
                List<List<ScoredId>> lists = recommend(indices, k);
                List<UserRecommendations> result = new ArrayList<>(size);
                for (int n = 0; n < size; n++) {
                    result.add(new UserRecommendations(users.id(indices[n]), lists.get(n)));
                }
                sink.accept(result);
                size = 0;
            }
        }
    }

    /**
     * The known users with indices in {@code [from, to)} as plain rows, to be scored on another JVM by an
     * {@link #itemSide() item side} of this model: {@code itemSide().recommender().recommend(rows, k)} gives what
     * {@link #recommend(List, int)} gives here, bit for bit. This is how a cluster serves a model too large to copy
     * whole to every worker: the item side goes once to each, the users in slices to where they are scored.
     *
     * @param from the first user index
     * @param to one past the last user index
     * @return the rows: ids, factors (and biases), training items
     * @throws IllegalArgumentException if the range is not within {@code [0, number of users]}
     */
    public UserRows userRows(int from, int to) {
        if (from < 0 || to < from || to > users.size()) {
            throw new IllegalArgumentException("the user range [" + from + ", " + to + ") must lie within [0, "
                    + users.size() + "]");
        }
        return userRows(java.util.stream.IntStream.range(from, to).filter(this::userKnown).toArray());
    }

    /**
     * The known users among some ids as plain rows ({@link #userRows(int, int)}): unknown ids and {@code null}s
     * are left out, a repeated id is taken once, in the order first given.
     *
     * @param userIds the users' original ids
     * @return the rows of the known ones
     */
    public UserRows userRows(java.util.Collection<String> userIds) {
        java.util.Objects.requireNonNull(userIds, "userIds");
        java.util.LinkedHashSet<Integer> known = new java.util.LinkedHashSet<>();
        for (String id : userIds) {
            int u = id == null ? -1 : users.indexOf(id);
            if (u >= 0 && userKnown(u)) {
                known.add(u);
            }
        }
        return userRows(known.stream().mapToInt(Integer::intValue).toArray());
    }

    private UserRows userRows(int[] indices) {
        List<String> ids = new ArrayList<>(indices.length);
        List<float[]> rows = new ArrayList<>(indices.length);
        List<int[]> rated = new ArrayList<>(indices.length);
        for (int u : indices) {
            ids.add(users.id(u));
            rows.add(scorer.row(u));
            rated.add(java.util.Arrays.copyOfRange(ratedItems, ratedOffsets[u], ratedOffsets[u + 1]));
        }
        return UserRows.of(ids, rows, rated, scorer.rowWidth(), items.size());
    }

    /**
     * The item side of this model: its items, their factors and training counts, without the users, to ship to
     * the JVMs that score {@link #userRows user rows}.
     *
     * @return the item side
     */
    public ItemSide itemSide() {
        return new ItemSide(model.userSlice(0, Math.min(1, users.size())), itemCounts.clone(), policy, titles);
    }

    /**
     * Recommends for user rows cut from this model or the one this {@link ItemSide item side} was cut from: the
     * same items, order and scores as {@link #recommend(List, int)} on the whole model.
     *
     * @param rows rows from {@link #userRows}
     * @param k how many items per user, at least 1
     * @return one entry per row, in the rows' order
     * @throws IllegalArgumentException if the rows do not fit this model (another row width or item count)
     */
    public List<UserRecommendations> recommend(UserRows rows, int k) {
        java.util.Objects.requireNonNull(rows, "rows");
        requirePositive("k", k);
        if (rows.width() != scorer.rowWidth() || rows.numItems() != items.size()) {
            throw new IllegalArgumentException("the user rows hold " + rows.width() + " values per user for a model"
                    + " of " + rows.numItems() + " items, but this model takes " + scorer.rowWidth() + " for "
                    + items.size() + " items: score rows with the item side of the model they were cut from");
        }
        List<Target> targets = new ArrayList<>(rows.size());
        for (int n = 0; n < rows.size(); n++) {
            targets.add(new Target(-1, rows.row(n), rows.excluded(n)));
        }
        List<List<ScoredId>> lists = recommendTargets(targets, k);
        List<UserRecommendations> result = new ArrayList<>(rows.size());
        for (int n = 0; n < rows.size(); n++) {
            result.add(new UserRecommendations(rows.id(n), lists.get(n)));
        }
        return result;
    }

    /**
     * Recommends users for items: for each item, the known users predicted to rate it highest, leaving out the
     * users who rated it in training (the reverse of {@link #recommend(List, int)}, e.g. whom to show a new
     * release). Scores are the predicted ratings, equal to {@link #predict}.
     *
     * @param itemIds the items' original ids
     * @param k how many users per item, at least 1
     * @return one entry per item, in the given order: the item's id and its users, best first; an item unknown
     *     under {@link UnknownIdPolicy#FALLBACK} gets an empty list
     * @throws UnknownIdException if an item is unknown under {@link UnknownIdPolicy#THROW}
     */
    public List<ItemRecommendations> recommendUsers(List<String> itemIds, int k) {
        requirePositive("k", k);
        List<ItemRecommendations> result = new ArrayList<>(itemIds.size());
        for (String itemId : itemIds) {
            int i = itemIndex(itemId);
            List<ScoredId> best = new ArrayList<>();
            if (i >= 0) {
                TopK top = new TopK(k, users.size());
                for (int u = 0; u < users.size(); u++) {
                    if (userKnown(u) && java.util.Arrays.binarySearch(ratedItems, ratedOffsets[u],
                            ratedOffsets[u + 1], i) < 0) {
                        top.offer(scorer.raw(u, i), u);
                    }
                }
                float[] scores = new float[top.size()];
                int[] ranked = top.sorted(scores);
                for (int n = 0; n < ranked.length; n++) {
                    best.add(user(ranked[n], scorer.squash(scores[n])));
                }
            }
            result.add(new ItemRecommendations(itemId, best));
        }
        return result;
    }

    /** Top-k for user indices (-1: unknown, allowed by the policy), with one score buffer for all of them. */
    private List<List<ScoredId>> recommend(int[] indices, int k) {
        List<Target> targets = new ArrayList<>(indices.length);
        for (int u : indices) {
            targets.add(new Target(u, null, NONE));
        }
        return recommendTargets(targets, k);
    }

    /** Top-k for a user index (-1: unknown, allowed by the policy). */
    private List<ScoredId> recommend(int u, int k) {
        return recommend(new int[] {u}, k).get(0);
    }

    /**
     * Top-k for each target. Dot-product models score a tile of items ({@link Scorer#tile}) for every target
     * before the next tile, so that the item table is read from memory once per call rather than once per target;
     * each target's scores and the order they are offered in are those of scoring it alone, so the lists are too.
     */
    private List<List<ScoredId>> recommendTargets(List<Target> targets, int k) {
        int n = items.size();
        float[] raw = new float[n];
        Selection[] selections = new Selection[targets.size()];
        for (int t = 0; t < selections.length; t++) {
            selections[t] = new Selection(targets.get(t), k);
        }
        int tile = selections.length > 1 ? scorer.tile() : n;
        for (int from = 0; from < n; from += tile) {
            int to = (int) Math.min(n, (long) from + tile);
            for (Selection selection : selections) {
                Target t = selection.target;
                if (t.row() != null) {
                    scorer.rawRangeFolded(t.row(), from, to, raw);
                } else if (t.user() >= 0) {
                    scorer.rawRange(t.user(), from, to, raw);
                } else {
                    for (int i = from; i < to; i++) {
                        raw[i] = fallbackRaw(-1, i);
                    }
                }
                selection.offer(raw, from, to);
            }
        }
        List<List<ScoredId>> result = new ArrayList<>(selections.length);
        for (Selection selection : selections) {
            result.add(selection.result());
        }
        return result;
    }

    /**
     * One target's top-k, fed its raw scores a range of items at a time in ascending item order, leaving out its
     * training items, the items of its history and the items without training ratings.
     */
    private final class Selection {

        private final Target target;
        private final TopK top;
        /** Where the walks through the target's training items and its history's items stand. */
        private int next;
        private final int end;
        private int nextAlso;

        Selection(Target target, int k) {
            this.target = target;
            top = new TopK(k, items.size());
            int u = target.user();
            next = u >= 0 ? ratedOffsets[u] : 0;
            end = u >= 0 ? ratedOffsets[u + 1] : 0;
        }

        void offer(float[] raw, int from, int to) {
            int[] also = target.alsoExclude();
            for (int i = from; i < to; i++) {
                // Both lists are ascending, so one pointer each walks them alongside i.
                while (next < end && ratedItems[next] < i) {
                    next++;
                }
                while (nextAlso < also.length && also[nextAlso] < i) {
                    nextAlso++;
                }
                if (next < end && ratedItems[next] == i || nextAlso < also.length && also[nextAlso] == i) {
                    continue;
                }
                if (itemCounts[i] > 0) {
                    top.offer(raw[i], i);
                }
            }
        }

        List<ScoredId> result() {
            float[] scores = new float[top.size()];
            int[] best = top.sorted(scores);
            List<ScoredId> result = new ArrayList<>(best.length);
            boolean modelled = target.user() >= 0 || target.row() != null;
            for (int n = 0; n < best.length; n++) {
                float score = modelled ? scorer.squash(scores[n]) : fallbackScore(scores[n]);
                result.add(item(best[n], score));
            }
            return result;
        }
    }

    private static final int[] NONE = new int[0];

    /**
     * Whom a request is for: a trained user ({@code user >= 0}), a folded-in row ({@code row}), or neither (the
     * fallback); and the known items of the supplied history (ascending), left out of recommendations.
     */
    private record Target(int user, float[] row, int[] alsoExclude) {}

    /** The target for a user with a history, as {@link UnknownIdPolicy} says. */
    private Target target(String userId, RatingHistory history) {
        int[][] known = knownRows(history.entries(), items, i -> itemCounts[i] > 0);
        int u = users.indexOf(userId);
        if (u >= 0 && userKnown(u)) {
            return new Target(u, null, known[0]);
        }
        if (policy == UnknownIdPolicy.THROW) {
            throw unknown("user", userId, u >= 0, users.size(), true, "Build the Recommender with"
                    + " optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN) to fold the user in from the history given.");
        }
        if (policy == UnknownIdPolicy.FALLBACK || known[0].length == 0) {
            return new Target(-1, null, known[0]);
        }
        return new Target(-1, foldInRow(true, history, known), known[0]);
    }

    /**
     * The history's ids known to the model on the other side, ascending: {@code [0]} their indices, {@code [1]}
     * their values as float bits.
     */
    private static int[][] knownRows(Map<String, Float> entries, IdMap map, java.util.function.IntPredicate known) {
        int[] rows = new int[entries.size()];
        int n = 0;
        for (String id : entries.keySet()) {
            int index = map.indexOf(id);
            if (index >= 0 && known.test(index)) {
                rows[n++] = index;
            }
        }
        rows = java.util.Arrays.copyOf(rows, n);
        java.util.Arrays.sort(rows);
        int[] values = new int[n];
        for (int k = 0; k < n; k++) {
            values[k] = Float.floatToRawIntBits(entries.get(map.id(rows[k])));
        }
        return new int[][] {rows, values};
    }

    /** Fits a user's (or an item's) row to a history's known rows, checking the values first. */
    private float[] foldInRow(boolean userSide, RatingHistory history, int[][] known) {
        checkValues(history);
        int n = known[0].length;
        float[] values = new float[n];
        for (int k = 0; k < n; k++) {
            values[k] = Float.intBitsToFloat(known[1][k]);
        }
        FoldInSolvers s = solvers();
        if (scorer instanceof NetScorer net) {
            if (objective != FoldIn.Objective.RATINGS) {
                throw new IllegalArgumentException("an EmbeddingNet is folded in with the RATINGS objective only,"
                        + " not " + objective);
            }
            return userSide
                    ? net.foldIn(true, known[0], values, n, s.userMean, s.userVariance, noise,
                            foldIn.priorWeight(), foldIn.netSteps())
                    : net.foldIn(false, known[0], values, n, s.itemMean, s.itemVariance, noise,
                            foldIn.priorWeight(), foldIn.netSteps());
        }
        return (userSide ? s.users : s.items).solve(known[0], values, n);
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

    /** The fold-in solvers of both sides and, for an EmbeddingNet, the priors of its rows. */
    private static final class FoldInSolvers {
        final DotFoldIn users;
        final DotFoldIn items;
        final float[] userMean;
        final float[] userVariance;
        final float[] itemMean;
        final float[] itemVariance;

        FoldInSolvers(Recommender r) {
            boolean[] userMask = new boolean[r.users.size()];
            for (int u = 0; u < userMask.length; u++) {
                userMask[u] = r.userKnown(u);
            }
            boolean[] itemMask = new boolean[r.items.size()];
            for (int i = 0; i < itemMask.length; i++) {
                itemMask[i] = r.itemCounts[i] > 0;
            }
            var range = r.model.getConfig().yRange();
            if (r.scorer instanceof NetScorer) {
                users = null;
                items = null;
                float[][] u = meanVariance(r.userFactors, r.userDim, userMask);
                float[][] i = meanVariance(r.itemFactors, r.itemDim, itemMask);
                userMean = u[0];
                userVariance = u[1];
                itemMean = i[0];
                itemVariance = i[1];
            } else {
                users = new DotFoldIn(r.userDim, r.userFactors, r.userBias, userMask, r.itemFactors, r.itemBias,
                        itemMask, range, r.objective, r.foldIn, r.noise);
                items = new DotFoldIn(r.itemDim, r.itemFactors, r.itemBias, itemMask, r.userFactors, r.userBias,
                        userMask, range, r.objective, r.foldIn, r.noise);
                userMean = null;
                userVariance = null;
                itemMean = null;
                itemVariance = null;
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

    private final Object solverLock = new Object();

    private FoldInSolvers solvers() {
        FoldInSolvers s = solvers;
        if (s == null) {
            synchronized (solverLock) {
                s = solvers;
                if (s == null) {
                    s = new FoldInSolvers(this);
                    solvers = s;
                }
            }
        }
        return s;
    }

    /**
     * Fits the embedding row of a user who is not in the model to their history, with every other weight fixed
     * ({@link FoldIn}). Items of the history the model does not know are ignored. The policy plays no part.
     *
     * @param history what the user rated, by original item ids
     * @return the row: the user's factors, then their bias for a model with biases
     * @throws IllegalArgumentException if no item of the history is known to the model, or a rating lies outside
     *     the model's y-range
     */
    public float[] foldInUser(RatingHistory history) {
        int[][] known = knownRows(history.entries(), items, i -> itemCounts[i] > 0);
        if (known[0].length == 0) {
            throw new IllegalArgumentException("no item of the " + history + " is known to the model: a user can"
                    + " be folded in only from ratings of items the model was trained on");
        }
        return foldInRow(true, history, known);
    }

    /**
     * Fits the embedding row of an item that is not in the model to the ratings known users gave it, with every
     * other weight fixed ({@link FoldIn}). Users the model does not know are ignored.
     *
     * @param raters the item's ratings, by original user ids
     * @return the row: the item's factors, then its bias for a model with biases
     * @throws IllegalArgumentException if no rater is known to the model, or a rating lies outside the y-range
     */
    public float[] foldInItem(RatingHistory raters) {
        int[][] known = knownRows(raters.entries(), users, this::userKnown);
        if (known[0].length == 0) {
            throw new IllegalArgumentException("no user of the " + raters + " is known to the model: an item can"
                    + " be folded in only from ratings of users the model was trained on");
        }
        return foldInRow(false, raters, known);
    }

    /**
     * Predicts a rating for a user who may be absent from the model, given that user's history: under
     * {@link UnknownIdPolicy#FOLD_IN} an unknown user is folded in from it. For a user the model knows, the trained
     * row counts and the history is not used.
     *
     * @param userId the user's original id
     * @param itemId the item's original id
     * @param history the user's ratings, by original item ids
     * @return the predicted rating
     * @throws UnknownIdException if an id is unknown under {@link UnknownIdPolicy#THROW}
     * @throws IllegalArgumentException if the history is folded in and a rating lies outside the y-range
     */
    public float predict(String userId, String itemId, RatingHistory history) {
        return predict(userId, List.of(itemId), history)[0];
    }

    /**
     * Predicts ratings of several items for one user with a history (one fold-in for all of them); see
     * {@link #predict(String, String, RatingHistory)}.
     *
     * @param userId the user's original id
     * @param itemIds the items' original ids
     * @param history the user's ratings, by original item ids
     * @return one predicted rating per item
     */
    public float[] predict(String userId, List<String> itemIds, RatingHistory history) {
        Target t = target(userId, history);
        float[] result = new float[itemIds.size()];
        for (int k = 0; k < result.length; k++) {
            result[k] = score(t, itemIndex(itemIds.get(k)));
        }
        return result;
    }

    private float score(Target t, int i) {
        if (t.row() == null) {
            return score(t.user(), i);
        }
        if (i >= 0) {
            return scorer.squash(scorer.rawFolded(t.row(), i));
        }
        // A folded-in user and an unknown item: as FALLBACK does for a known user, the user's bias only.
        return userBias == null ? (float) globalMean
                : fallbackScore((float) (logitMean + t.row()[userDim] - meanUserBias));
    }

    /**
     * Recommends for a user who may be absent from the model, given that user's history: under
     * {@link UnknownIdPolicy#FOLD_IN} an unknown user is folded in from it. The history's items are left out, and
     * for a known user their training items too (their trained row counts, not the history).
     *
     * @param userId the user's original id
     * @param history the user's ratings, by original item ids
     * @param k how many items, at least 1
     * @return up to {@code k} items, best first, scored with the predicted rating
     * @throws UnknownIdException if the user is unknown under {@link UnknownIdPolicy#THROW}
     * @throws IllegalArgumentException if the history is folded in and a rating lies outside the y-range
     */
    public List<ScoredId> recommend(String userId, RatingHistory history, int k) {
        requirePositive("k", k);
        return recommendTargets(List.of(target(userId, history)), k).get(0);
    }

    /**
     * Recommends for every user of a ratings set, each from their own rows in it as their history (see
     * {@link #recommend(String, RatingHistory, int)}), in batches: users in the order of {@code histories.users()},
     * on the calling thread; memory holds one batch at a time.
     *
     * @param histories the users' ratings, by original ids (e.g. {@code Ratings.read(file, format)})
     * @param k how many items per user, at least 1
     * @param batchSize users per batch, at least 1
     * @param sink receives each batch
     * @throws IllegalArgumentException if a user's rows rate an item twice with different ratings, or a rating
     *     lies outside the y-range (the message names the user)
     * @throws UnknownIdException if a user is unknown under {@link UnknownIdPolicy#THROW}
     */
    public void recommendWithHistories(Ratings histories, int k, int batchSize,
            Consumer<List<UserRecommendations>> sink) {
        requirePositive("k", k);
        requirePositive("batchSize", batchSize);
        List<RatingHistory> byUser = histories(histories);
        List<Target> targets = new ArrayList<>(batchSize);
        List<String> ids = new ArrayList<>(batchSize);
        for (int u = 0; u <= byUser.size(); u++) {
            if (u < byUser.size() && byUser.get(u) != null) {
                String id = histories.users().id(u);
                targets.add(targetNamed(id, byUser.get(u)));
                ids.add(id);
            }
            if (!targets.isEmpty() && (targets.size() == batchSize || u == byUser.size())) {
                List<List<ScoredId>> lists = recommendTargets(targets, k);
                List<UserRecommendations> result = new ArrayList<>(targets.size());
                for (int n = 0; n < targets.size(); n++) {
                    result.add(new UserRecommendations(ids.get(n), lists.get(n)));
                }
                sink.accept(result);
                targets.clear();
                ids.clear();
            }
        }
    }

    /** {@link #target}, with the user named in a bad history's message. */
    private Target targetNamed(String userId, RatingHistory history) {
        try {
            return target(userId, history);
        } catch (UnknownIdException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("user '" + userId + "': " + e.getMessage(), e);
        }
    }

    /** Each user's rows as a history (index = user index in {@code ratings}; null for a user without rows). */
    private static List<RatingHistory> histories(Ratings ratings) {
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
     * Measures rating accuracy for users given with their histories: {@link #evaluate(Ratings)}, but each user of
     * {@code heldOut} with rows in {@code histories} is scored as {@link #predict(String, List, RatingHistory)}
     * scores them (folded in under {@link UnknownIdPolicy#FOLD_IN}).
     *
     * @param heldOut the ratings to compare with
     * @param histories the users' histories, by original ids
     * @return MSE, RMSE and MAE over the scored rows
     */
    public Evaluation evaluate(Ratings heldOut, Ratings histories) {
        Map<String, Target> targets = targets(heldOut, histories);
        double sumSq = 0;
        double sumAbs = 0;
        long count = 0;
        for (int row = 0; row < heldOut.size(); row++) {
            Target t = targets.get(heldOut.users().id(heldOut.user(row)));
            int i = items.indexOf(heldOut.items().id(heldOut.item(row)));
            i = i >= 0 && itemCounts[i] > 0 ? i : -1;
            if (t == null || i < 0 && policy == UnknownIdPolicy.THROW) {
                continue;
            }
            double err = score(t, i) - heldOut.rating(row);
            sumSq += err * err;
            sumAbs += Math.abs(err);
            count++;
        }
        double mse = count == 0 ? Double.NaN : sumSq / count;
        return new Evaluation(mse, Math.sqrt(mse), count == 0 ? Double.NaN : sumAbs / count, count);
    }

    /**
     * Measures top-k quality for users given with their histories: {@link #evaluateRanking(Ratings, int, float)},
     * but each user is recommended for as {@link #recommend(String, RatingHistory, int)} does (folded in under
     * {@link UnknownIdPolicy#FOLD_IN}, the history's items left out).
     *
     * @param heldOut the held-out ratings, by original ids
     * @param histories the users' histories, by original ids
     * @param k the cut-off, at least 1
     * @param relevantThreshold the rating from which a held-out item counts as relevant
     * @return the metrics; users skipped under {@link UnknownIdPolicy#THROW} are counted
     */
    public RankingEvaluation evaluateRanking(Ratings heldOut, Ratings histories, int k, float relevantThreshold) {
        requirePositive("k", k);
        Map<String, Target> targets = targets(heldOut, histories);
        Map<String, Set<String>> relevant = relevantByUser(heldOut, relevantThreshold);
        List<Target> chosen = new ArrayList<>();
        List<Set<String>> relevantSets = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, Set<String>> user : relevant.entrySet()) {
            Target t = targets.get(user.getKey());
            if (t == null) {
                skipped++;
                continue;
            }
            chosen.add(t);
            relevantSets.add(user.getValue());
        }
        List<List<String>> recommended = new ArrayList<>();
        for (List<ScoredId> list : recommendTargets(chosen, k)) {
            recommended.add(list.stream().map(ScoredId::id).toList());
        }
        return RankingEvaluation.compute(k, recommended, relevantSets, catalogueSize).withSkippedUsers(skipped);
    }

    /** The target of every user of {@code heldOut}; absent for one the policy skips (THROW, unknown). */
    private Map<String, Target> targets(Ratings heldOut, Ratings histories) {
        List<RatingHistory> byUser = histories(histories);
        Map<String, Target> result = new java.util.HashMap<>();
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

    private ScoredId item(int i, float score) {
        String id = items.id(i);
        return new ScoredId(id, score, titles.get(id));
    }

    private ScoredId user(int u, float score) {
        return new ScoredId(users.id(u), score, null);
    }

    /**
     * Finds the items whose factors point the same way as an item's (cosine similarity).
     *
     * @param itemId the item's original id; it must be known whatever the policy, as it has no factors otherwise
     * @param k how many items, at least 1
     * @return up to {@code k} other items, most similar first, scored with the cosine similarity in [-1, 1]
     * @throws UnknownIdException if the item is unknown
     */
    public List<ScoredId> similarItems(String itemId, int k) {
        return similarItems(itemId, k, 1);
    }

    /**
     * Finds similar items among those rated by at least {@code minRatings} users: an item with few ratings has
     * factors that barely moved from their initial values, so its similarities are noise.
     *
     * @param itemId the item's original id; it must be known whatever the policy
     * @param k how many items, at least 1
     * @param minRatings the fewest training ratings a candidate needs, at least 1
     * @return up to {@code k} other items, most similar first, scored with the cosine similarity
     * @throws UnknownIdException if the item is unknown
     */
    public List<ScoredId> similarItems(String itemId, int k, int minRatings) {
        requirePositive("k", k);
        requirePositive("minRatings", minRatings);
        int i = items.indexOf(requireId(itemId, "itemId"));
        if (i < 0 || itemCounts[i] == 0) {
            throw unknown("item", itemId, i >= 0, items.size(), false);
        }
        TopK top = new TopK(k, items.size());
        for (int j = 0; j < items.size(); j++) {
            if (j != i && itemCounts[j] >= minRatings) {
                top.offer(cosine(itemFactors, itemNorms, itemDim, i, j), j);
            }
        }
        float[] scores = new float[top.size()];
        int[] best = top.sorted(scores);
        List<ScoredId> result = new ArrayList<>();
        for (int n = 0; n < best.length; n++) {
            result.add(item(best[n], scores[n]));
        }
        return result;
    }

    /**
     * Finds similar items for an item that may be absent from the model, given the ratings known users gave it:
     * under {@link UnknownIdPolicy#FOLD_IN} an unknown item is folded in from them ({@link #foldInItem}) and
     * compared by cosine similarity with the known items. For an item the model knows, its trained factors count
     * and the raters are not used.
     *
     * @param itemId the item's original id
     * @param raters the item's ratings, by original user ids
     * @param k how many items, at least 1
     * @param minRatings the fewest training ratings a candidate needs, at least 1
     * @return up to {@code k} known items, most similar first, scored with the cosine similarity
     * @throws UnknownIdException if the item is unknown and the policy is not {@link UnknownIdPolicy#FOLD_IN}
     * @throws IllegalArgumentException if no rater is known to the model, or a rating lies outside the y-range
     */
    public List<ScoredId> similarItems(String itemId, RatingHistory raters, int k, int minRatings) {
        requirePositive("k", k);
        requirePositive("minRatings", minRatings);
        int i = items.indexOf(itemId);
        if (i >= 0 && itemCounts[i] > 0) {
            return similarItems(itemId, k, minRatings);
        }
        if (policy != UnknownIdPolicy.FOLD_IN) {
            throw unknown("item", itemId, i >= 0, items.size(), false, "Build the Recommender with"
                    + " optUnknownIdPolicy(UnknownIdPolicy.FOLD_IN) to fold the item in from its raters.");
        }
        float[] row = foldInItem(raters);
        float norm = (float) Math.sqrt(Kernel.dot(row, 0, row, 0, itemDim));
        TopK top = new TopK(k, items.size());
        for (int j = 0; j < items.size(); j++) {
            if (itemCounts[j] >= minRatings) {
                float denominator = norm * itemNorms[j];
                top.offer(denominator == 0 ? 0f
                        : Kernel.dot(row, 0, itemFactors, j * itemDim, itemDim) / denominator, j);
            }
        }
        float[] scores = new float[top.size()];
        int[] best = top.sorted(scores);
        List<ScoredId> result = new ArrayList<>();
        for (int n = 0; n < best.length; n++) {
            result.add(item(best[n], scores[n]));
        }
        return result;
    }

    /**
     * Finds the users whose factors point the same way as a user's (cosine similarity).
     *
     * @param userId the user's original id; it must be known whatever the policy
     * @param k how many users, at least 1
     * @return up to {@code k} other users, most similar first, scored with the cosine similarity
     * @throws UnknownIdException if the user is unknown
     */
    public List<ScoredId> similarUsers(String userId, int k) {
        requirePositive("k", k);
        int u = users.indexOf(requireId(userId, "userId"));
        if (u < 0 || !userKnown(u)) {
            throw unknown("user", userId, u >= 0, users.size(), false);
        }
        TopK top = new TopK(k, users.size());
        for (int v = 0; v < users.size(); v++) {
            if (v != u && userKnown(v)) {
                top.offer(cosine(userFactors, userNorms, userDim, u, v), v);
            }
        }
        float[] scores = new float[top.size()];
        int[] best = top.sorted(scores);
        List<ScoredId> result = new ArrayList<>();
        for (int n = 0; n < best.length; n++) {
            result.add(user(best[n], scores[n]));
        }
        return result;
    }

    private static float cosine(float[] factors, float[] norms, int dim, int a, int b) {
        float denominator = norms[a] * norms[b];
        return denominator == 0 ? 0f : Kernel.dot(factors, a * dim, factors, b * dim, dim) / denominator;
    }

    /**
     * Ranks the items by learned bias: which are liked more, or less, than their raters' habits and the items'
     * factors predict. Needs an {@code EmbeddingDotBias} model.
     *
     * @param n how many items at each end, at least 1
     * @param minRatings the fewest training ratings an item needs, at least 1 (few ratings give noisy biases)
     * @return the highest and the lowest biases
     * @throws IllegalStateException if the model has no biases
     */
    public BiasRanking itemBiases(int n, int minRatings) {
        requireBiases();
        requirePositive("n", n);
        requirePositive("minRatings", minRatings);
        TopK high = new TopK(n, items.size());
        TopK low = new TopK(n, items.size());
        for (int i = 0; i < items.size(); i++) {
            if (itemCounts[i] >= minRatings) {
                high.offer(itemBias[i], i);
                low.offer(-itemBias[i], i);
            }
        }
        return new BiasRanking(ranked(high, 1, true), ranked(low, -1, true));
    }

    /**
     * Ranks the users by learned bias: who rates more generously, or more harshly, than the items' biases and
     * factors predict. Needs an {@code EmbeddingDotBias} model.
     *
     * @param n how many users at each end, at least 1
     * @param minRatings the fewest training ratings a user needs, at least 1
     * @return the highest and the lowest biases
     * @throws IllegalStateException if the model has no biases
     */
    public BiasRanking userBiases(int n, int minRatings) {
        requireBiases();
        requirePositive("n", n);
        requirePositive("minRatings", minRatings);
        TopK high = new TopK(n, users.size());
        TopK low = new TopK(n, users.size());
        for (int u = 0; u < users.size(); u++) {
            if (ratedOffsets[u + 1] - ratedOffsets[u] >= minRatings) {
                high.offer(userBias[u], u);
                low.offer(-userBias[u], u);
            }
        }
        return new BiasRanking(ranked(high, 1, false), ranked(low, -1, false));
    }

    private List<ScoredId> ranked(TopK top, int sign, boolean itemSide) {
        float[] scores = new float[top.size()];
        int[] best = top.sorted(scores);
        List<ScoredId> result = new ArrayList<>();
        for (int n = 0; n < best.length; n++) {
            result.add(itemSide ? item(best[n], sign * scores[n]) : user(best[n], sign * scores[n]));
        }
        return result;
    }

    private void requireBiases() {
        if (userBias == null) {
            throw new IllegalStateException("bias rankings need a model with biases (EmbeddingDotBias); this one is "
                    + model.getConfig().kind().blockName());
        }
    }

    /**
     * Finds the principal components of the item factors (PCA of the centred factor vectors), and the items at
     * either end of each: on MovieLens the first few tend to separate, say, acclaimed classics from popular
     * blockbusters.
     *
     * @param components how many components, from 1 to the number of item factors
     * @param extremes how many items to list at each end of a component, at least 1
     * @param minRatings the fewest training ratings an item needs to take part, at least 1 (fast.ai looks at the
     *     most-rated items only, whose factors are trained best)
     * @return the components, most variance first
     * @throws IllegalArgumentException if fewer than two items qualify or {@code components} is out of range
     */
    public List<PrincipalComponent> itemPca(int components, int extremes, int minRatings) {
        requirePositive("extremes", extremes);
        int[] rows = pcaRows(components, minRatings);
        return FactorPca.of(itemFactors, itemDim, rows, components, extremes, this::item);
    }

    /**
     * Places items on the leading principal components of the item factors: the same components, with the same
     * signs, as {@link #itemPca} with the same {@code minRatings}, with every qualifying item's coordinates. This is
     * what a map of the items needs (fast.ai plots the most-rated movies on the first two components).
     *
     * @param components how many coordinates per item, from 1 to the number of item factors
     * @param minRatings the fewest training ratings an item needs to take part, at least 1
     * @return one entry per item with at least {@code minRatings} training ratings, the most rated first (ties in
     *     the model's item order)
     * @throws IllegalArgumentException if fewer than two items qualify or {@code components} is out of range
     */
    public List<ItemProjection> itemPcaProjection(int components, int minRatings) {
        int[] rows = pcaRows(components, minRatings);
        double[][] coordinates = FactorPca.project(itemFactors, itemDim, rows, components);
        List<ItemProjection> result = new ArrayList<>(rows.length);
        for (int k = 0; k < rows.length; k++) {
            String id = items.id(rows[k]);
            result.add(new ItemProjection(id, titles.get(id), itemCounts[rows[k]], coordinates[k]));
        }
        result.sort(java.util.Comparator.comparingInt(ItemProjection::ratingCount).reversed());
        return List.copyOf(result);
    }

    /** Checks the PCA arguments and returns the items with at least {@code minRatings} training ratings. */
    private int[] pcaRows(int components, int minRatings) {
        requirePositive("components", components);
        requirePositive("minRatings", minRatings);
        if (components > itemDim) {
            throw new IllegalArgumentException("components must be at most the number of item factors, "
                    + itemDim + ", got " + components);
        }
        int[] rows = java.util.stream.IntStream.range(0, items.size()).filter(i -> itemCounts[i] >= minRatings)
                .toArray();
        if (rows.length < 2) {
            throw new IllegalArgumentException("PCA needs at least two items with " + minRatings
                    + " or more training ratings, found " + rows.length);
        }
        return rows;
    }

    /**
     * Measures rating accuracy on held-out ratings, by original ids (they need not share the model's id maps).
     * Under {@link UnknownIdPolicy#THROW} rows with an unknown user or item are left out, and
     * {@link Evaluation#count()} says how many were scored; under {@link UnknownIdPolicy#FALLBACK} every row is.
     *
     * @param heldOut the ratings to compare with
     * @return MSE, RMSE and MAE over the scored rows
     */
    public Evaluation evaluate(Ratings heldOut) {
        requireRatings(heldOut);
        int[] userMap = indexMap(heldOut.users(), users, this::userKnown);
        int[] itemMap = indexMap(heldOut.items(), items, i -> itemCounts[i] > 0);
        double sumSq = 0;
        double sumAbs = 0;
        long count = 0;
        for (int row = 0; row < heldOut.size(); row++) {
            int u = userMap[heldOut.user(row)];
            int i = itemMap[heldOut.item(row)];
            if ((u < 0 || i < 0) && policy == UnknownIdPolicy.THROW) {
                continue;
            }
            double err = score(u, i) - heldOut.rating(row);
            sumSq += err * err;
            sumAbs += Math.abs(err);
            count++;
        }
        double mse = count == 0 ? Double.NaN : sumSq / count;
        return new Evaluation(mse, Math.sqrt(mse), count == 0 ? Double.NaN : sumAbs / count, count);
    }

    /** For each index of {@code from}, the known index of the same id in {@code to}, else -1. */
    private static int[] indexMap(IdMap from, IdMap to, java.util.function.IntPredicate known) {
        int[] map = new int[from.size()];
        for (int k = 0; k < map.length; k++) {
            int index = to.indexOf(from.id(k));
            map[k] = index >= 0 && known.test(index) ? index : -1;
        }
        return map;
    }

    /**
     * Measures top-k recommendation quality on held-out ratings: for each user with at least one held-out rating
     * of {@code relevantThreshold} or more, the top {@code k} items (leaving out their training items) are compared
     * with those relevant items; see {@link RankingEvaluation} for the formulas. Relevant items the model cannot
     * recommend (without training ratings) still count in recall's denominator. Users unknown to the model are
     * skipped under {@link UnknownIdPolicy#THROW} and get the fallback ranking under
     * {@link UnknownIdPolicy#FALLBACK}. Coverage is over the known items.
     *
     * @param heldOut the held-out ratings, by original ids
     * @param k the cut-off, at least 1
     * @param relevantThreshold the rating from which a held-out item counts as relevant, e.g. 4
     * @return the metrics
     */
    public RankingEvaluation evaluateRanking(Ratings heldOut, int k, float relevantThreshold) {
        requireRatings(heldOut);
        requirePositive("k", k);
        Map<String, Set<String>> relevant = relevantByUser(heldOut, relevantThreshold);
        List<Integer> indices = new ArrayList<>();
        List<Set<String>> relevantSets = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, Set<String>> user : relevant.entrySet()) {
            int u = users.indexOf(user.getKey());
            if (u < 0 || !userKnown(u)) {
                if (policy == UnknownIdPolicy.THROW) {
                    skipped++;
                    continue;
                }
                u = -1;
            }
            indices.add(u);
            relevantSets.add(user.getValue());
        }
        List<List<String>> recommended = new ArrayList<>();
        for (List<ScoredId> list : recommend(indices.stream().mapToInt(Integer::intValue).toArray(), k)) {
            recommended.add(list.stream().map(ScoredId::id).toList());
        }
        return RankingEvaluation.compute(k, recommended, relevantSets, catalogueSize).withSkippedUsers(skipped);
    }

    private static void requireList(List<String> ids, String argument) {
        if (ids == null) {
            throw new NullPointerException(argument + " is null; pass a list of original ids");
        }
    }

    private static void requireRatings(Ratings heldOut) {
        if (heldOut == null) {
            throw new NullPointerException("heldOut is null; pass the held-out ratings, e.g. Ratings.read(file,"
                    + " format)");
        }
    }

    /** Each held-out user's relevant items (rating at or above the threshold), users in order of appearance. */
    private static Map<String, Set<String>> relevantByUser(Ratings heldOut, float relevantThreshold) {
        if (!Float.isFinite(relevantThreshold)) {
            throw new IllegalArgumentException("relevantThreshold must be a finite rating, got " + relevantThreshold
                    + "; e.g. 4 makes held-out ratings of 4 or more relevant");
        }
        Map<String, Set<String>> relevant = new LinkedHashMap<>();
        for (int row = 0; row < heldOut.size(); row++) {
            if (heldOut.rating(row) >= relevantThreshold) {
                relevant.computeIfAbsent(heldOut.users().id(heldOut.user(row)), id -> new HashSet<>())
                        .add(heldOut.items().id(heldOut.item(row)));
            }
        }
        return relevant;
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    /**
     * Returns the model and the policy, e.g. {@code Recommender(EmbeddingDotBias(users=610, ...), unknown ids:
     * THROW, 9742 titles)}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "Recommender(" + model.getConfig() + ", unknown ids: " + policy + ", " + titles.size() + " titles)";
    }

    /** Builds a {@link Recommender}. */
    public static final class Builder {

        private TrainedModel model;
        private UnknownIdPolicy policy = UnknownIdPolicy.THROW;
        private Titles titles = Titles.NONE;
        private FoldIn foldIn = FoldIn.builder().build();
        /** Each item's training-rating count, in place of the model's own: set by {@link ItemSide} only. */
        private int[] itemCounts;

        Builder() {}

        /** The item counts of the model an {@link ItemSide} was cut from. */
        Builder itemCounts(int[] counts) {
            itemCounts = counts;
            return this;
        }

        /**
         * Sets how unknown users and items are folded in under {@link UnknownIdPolicy#FOLD_IN} (default
         * {@code FoldIn.builder().build()}: the model's objective, a prior from the model's trained rows).
         *
         * @param foldIn the settings
         * @return this builder
         */
        public Builder optFoldIn(FoldIn foldIn) {
            this.foldIn = foldIn;
            return this;
        }

        /**
         * Sets the model (required).
         *
         * @param model the model
         * @return this builder
         */
        public Builder setModel(TrainedModel model) {
            this.model = model;
            return this;
        }

        /**
         * Sets what happens with unknown ids (default {@link UnknownIdPolicy#THROW}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder optUnknownIdPolicy(UnknownIdPolicy policy) {
            this.policy = policy;
            return this;
        }

        /**
         * Sets the item titles that results carry (default {@link Titles#NONE}).
         *
         * @param titles the titles
         * @return this builder
         */
        public Builder optTitles(Titles titles) {
            this.titles = titles;
            return this;
        }

        /**
         * Builds the recommender, copying the model's weights into plain arrays.
         *
         * @return the recommender
         * @throws IllegalArgumentException if the model is missing
         */
        public Recommender build() {
            if (model == null) {
                throw new IllegalArgumentException("a model is required: call setModel(TrainedModel.load(file)) or"
                        + " setModel(learner.fittedModel())");
            }
            if (policy == null || titles == null || foldIn == null) {
                throw new IllegalArgumentException("the unknown-id policy, the titles and the fold-in settings must"
                        + " not be null");
            }
            return new Recommender(this);
        }
    }
}
