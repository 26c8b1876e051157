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
 * are ever recommended or returned as similar. A {@code null} id, list or ratings argument is a
 * {@link NullPointerException} naming the argument, never an unknown id.
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

    private Recommender(Builder builder) {
        model = builder.model;
        policy = builder.policy;
        titles = builder.titles;
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
        itemCounts = new int[items.size()];
        for (int u = 0; u < users.size(); u++) {
            int[] rated = perUser.get(u);
            System.arraycopy(rated, 0, ratedItems, ratedOffsets[u], rated.length);
            for (int i : rated) {
                itemCounts[i]++;
            }
        }
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
        String why = inMap
                ? "it is in the model's id map but had no training ratings (it appears only in validation data),"
                        + " so its embedding was never trained"
                : "the model was trained on " + size + " " + kind + "s and this one was not among them";
        String advice = fallbackHelps
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
        float[] raw = new float[items.size()];
        List<List<ScoredId>> result = new ArrayList<>(indices.length);
        for (int u : indices) {
            if (u >= 0) {
                scorer.rawAll(u, raw);
            } else {
                for (int i = 0; i < raw.length; i++) {
                    raw[i] = fallbackRaw(-1, i);
                }
            }
            result.add(top(u, k, raw));
        }
        return result;
    }

    /** Top-k for a user index (-1: unknown, allowed by the policy). */
    private List<ScoredId> recommend(int u, int k) {
        return recommend(new int[] {u}, k).get(0);
    }

    /** Top-k for a user index (-1: unknown) from their raw scores, leaving out their training items. */
    private List<ScoredId> top(int u, int k, float[] raw) {
        TopK top = new TopK(k, raw.length);
        int next = u >= 0 ? ratedOffsets[u] : 0;
        int end = u >= 0 ? ratedOffsets[u + 1] : 0;
        for (int i = 0; i < raw.length; i++) {
            // The rated items are ascending, so one pointer walks them alongside i.
            if (next < end && ratedItems[next] == i) {
                next++;
                continue;
            }
            if (itemCounts[i] > 0) {
                top.offer(raw[i], i);
            }
        }
        float[] scores = new float[top.size()];
        int[] best = top.sorted(scores);
        List<ScoredId> result = new ArrayList<>(best.length);
        for (int n = 0; n < best.length; n++) {
            float score = u >= 0 ? scorer.squash(scores[n]) : fallbackScore(scores[n]);
            result.add(item(best[n], score));
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

        Builder() {}

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
            if (policy == null || titles == null) {
                throw new IllegalArgumentException("the unknown-id policy and the titles must not be null");
            }
            return new Recommender(this);
        }
    }
}
