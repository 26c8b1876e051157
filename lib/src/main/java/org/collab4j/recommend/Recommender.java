package org.collab4j.recommend;

import org.collab4j.data.Ratings;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Side;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
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
 * <p><b>Threads.</b> A recommender is immutable and uses no native memory: it serves the model's own weights (the
 * kernel's {@code FactorTable}s; the item columns are made once), so any number of threads may call it at once and
 * get exactly the answers one thread would. Each call allocates its own scratch space (a float per item for a
 * recommendation); the {@link TrainedModel} and {@link Titles} it holds are immutable too.
 *
 * <p><b>Numbers.</b> Scores are computed in plain Java ({@code float}, in a fixed order), so {@link #predict} and
 * {@link #recommend} agree to the bit and every run gives the same bits; they differ from DJL's forward pass of
 * the same weights by rounding only (about 1e-6).
 */
public final class Recommender {

    /** The model given to the builder. */
    private final TrainedModel base;
    /** The model served: {@link #base} with the rows of the entities served from their features. */
    private final TrainedModel model;
    private final RecommenderBuilder settings;
    /** The served model, its cold rows and what each feature table served. */
    private final FeatureRows.Served served;
    private final FoldIn foldIn;
    private final FoldIn.Objective objective;
    private final Catalogue catalogue;
    private final Scorer scorer;
    private final Predictor predictor;
    private final TopN topN;
    private final FoldIns foldIns;
    private final Evaluations evaluations;
    private final Similarity similarity;
    private final FactorAnalysis analysis;
    private final Onboarding onboarding;

    Recommender(RecommenderBuilder builder) {
        settings = builder.copy();
        base = builder.model();
        served = FeatureRows.Served.of(base, builder.itemFeatures(), builder.userFeatures(), builder.coldItems());
        model = served.model();
        foldIn = builder.foldIn();
        objective = foldIn.objective() != null ? foldIn.objective() : FoldIns.defaultObjective(model);
        catalogue = Catalogue.of(served, builder.itemCounts(), builder.policy(), builder.titles());
        scorer = Scorer.of(model);
        predictor = new Predictor(model, scorer, catalogue);
        topN = new TopN(scorer, predictor, catalogue, builder.approximateIndex(),
                builder.approximateIndex() != null && builder.approximateIndex().isFor(model));
        foldIns = new FoldIns(model, catalogue, scorer, foldIn, objective);
        evaluations = new Evaluations(catalogue, predictor, topN, foldIns);
        similarity = new Similarity(model, catalogue, foldIns);
        analysis = new FactorAnalysis(model, catalogue);
        onboarding = new Onboarding(catalogue, foldIns);
    }

    /** @return a new builder */
    public static RecommenderBuilder builder() {
        return new RecommenderBuilder();
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

    /** @return the model given to the builder (without the rows of entities served from their features) */
    public TrainedModel getModel() {
        return base;
    }

    /**
     * This recommender serving the items of {@code table} the model has not seen from their features
     * ({@link RecommenderBuilder#optItemFeatures}), with every other setting kept: new items arrive without
     * reloading the model. The table replaces the one given before, if any (join tables to serve both).
     *
     * @param table the items' features
     * @return a new recommender; this one is unchanged
     * @throws IllegalArgumentException as {@link RecommenderBuilder#optItemFeatures}'s {@code build} does
     */
    public Recommender withItemFeatures(org.collab4j.data.FeatureTable table) {
        return settings.copy().optItemFeatures(Objects.requireNonNull(table, "table")).build();
    }

    /**
     * This recommender serving the users of {@code table} the model has not seen from their features
     * ({@link RecommenderBuilder#optUserFeatures}), with every other setting kept.
     *
     * @param table the users' features
     * @return a new recommender; this one is unchanged
     */
    public Recommender withUserFeatures(org.collab4j.data.FeatureTable table) {
        return settings.copy().optUserFeatures(Objects.requireNonNull(table, "table")).build();
    }

    /**
     * What the feature table of a side served: how many entities from their features, how many without a known
     * feature, which features the model does not know.
     *
     * @param side the side
     * @return the report, or empty when no table was given for that side
     */
    public java.util.Optional<ColdStartReport> coldStart(Side side) {
        return java.util.Optional.ofNullable(side == Side.USERS ? served.users() : served.items());
    }

    /**
     * Tells whether an item is served from its features rather than a trained row
     * ({@link RecommenderBuilder#optItemFeatures}).
     *
     * @param itemId the item's original id
     * @return {@code true} for an item the model did not train that its features serve
     */
    public boolean servesFromFeatures(String itemId) {
        return catalogue.servesFromFeatures(itemId);
    }

    /** @return the policy for unknown ids */
    public UnknownIdPolicy getUnknownIdPolicy() {
        return catalogue.policy();
    }

    /** @return the fold-in settings given to the builder (the default {@link FoldIn} when none were) */
    public FoldIn getFoldIn() {
        return foldIn;
    }

    /** @return the objective fold-ins minimise: the one in {@link #getFoldIn()}, else the model's */
    public FoldIn.Objective getFoldInObjective() {
        return objective;
    }

    /** @return the item titles, {@link Titles#NONE} when none were given */
    public Titles getTitles() {
        return catalogue.titles();
    }

    /**
     * Tells whether the recommender serves a user: the model has a trained embedding for them, or they are served
     * from their features ({@link RecommenderBuilder#optUserFeatures}).
     *
     * @param userId the user's original id
     * @return {@code true} if the user had training ratings or is served from their features
     */
    public boolean knowsUser(String userId) {
        return catalogue.knownIndex(Side.USERS, Catalogue.requireId(userId, "userId")) >= 0;
    }

    /**
     * Tells whether the recommender serves an item: the model has a trained embedding for it, or it is served from
     * its features ({@link #servesFromFeatures}).
     *
     * @param itemId the item's original id
     * @return {@code true} if the item had training ratings or is served from its features
     */
    public boolean knowsItem(String itemId) {
        return catalogue.knownIndex(Side.ITEMS, Catalogue.requireId(itemId, "itemId")) >= 0;
    }

    /**
     * Returns how many users rated an item in the training data.
     *
     * @param itemId the item's original id
     * @return the number of distinct users, 0 for an unknown item
     */
    public int ratingCount(String itemId) {
        int i = catalogue.ids(Side.ITEMS).indexOf(Catalogue.requireId(itemId, "itemId"));
        return i < 0 ? 0 : catalogue.count(Side.ITEMS, i);
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
        int u = catalogue.index(Side.USERS, userId, "userId");
        return predictor.predict(u, catalogue.index(Side.ITEMS, itemId, "itemId"));
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
        return predictor.predict(catalogue.pairs(userIds, itemIds));
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
        Catalogue.requirePositive("k", k);
        return topN.recommend(new int[] {catalogue.index(Side.USERS, userId, "userId")}, k).get(0);
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
        Catalogue.requirePositive("k", k);
        Objects.requireNonNull(options, "options");
        int u = catalogue.index(Side.USERS, userId, "userId");
        return topN.recommend(List.of(TopN.Target.of(u, options, catalogue)), k).get(0);
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
        Catalogue.requireList(userIds, "userIds");
        Catalogue.requirePositive("k", k);
        return TopN.named(userIds, topN.recommend(catalogue.indices(Side.USERS, userIds, "userIds"), k));
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
        Catalogue.requirePositive("k", k);
        Catalogue.requirePositive("batchSize", batchSize);
        if (sink == null) {
            throw new NullPointerException("sink is null; pass a consumer of each batch of lists");
        }
        topN.recommendAll(k, batchSize, sink);
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
        return UserRows.of(catalogue.knownRows(Side.USERS, from, to), scorer, catalogue);
    }

    /**
     * The known users among some ids as plain rows ({@link #userRows(int, int)}): unknown ids and {@code null}s
     * are left out, a repeated id is taken once, in the order first given.
     *
     * @param userIds the users' original ids
     * @return the rows of the known ones
     */
    public UserRows userRows(Collection<String> userIds) {
        return UserRows.of(catalogue.knownRows(Side.USERS, Objects.requireNonNull(userIds, "userIds")), scorer,
                catalogue);
    }

    /**
     * The item side of this model: its items, their factors and training counts, without the users, to ship to
     * the JVMs that score {@link #userRows user rows}.
     *
     * @return the item side
     */
    public ItemSide itemSide() {
        return new ItemSide(model.userSlice(0, Math.min(1, catalogue.ids(Side.USERS).size())),
                catalogue.itemCounts(), catalogue.cold(Side.ITEMS).clone(), catalogue.policy(), catalogue.titles());
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
        Objects.requireNonNull(rows, "rows");
        Catalogue.requirePositive("k", k);
        return TopN.named(rows.ids(), topN.recommend(TopN.Target.of(rows, scorer, catalogue), k));
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
        Catalogue.requirePositive("k", k);
        return topN.users(itemIds, k);
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
        return foldIns.foldIn(Side.USERS, history);
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
        return foldIns.foldIn(Side.ITEMS, raters);
    }

    /**
     * Chooses the items to ask a new user about: the {@code k} whose answers will tell the fold-in the most, given
     * the answers so far ({@link #onboarding(RatingHistory, Collection, int)} with nothing skipped).
     *
     * @param answers what the user rated so far, by original item ids ({@link RatingHistory#EMPTY} at first)
     * @param k how many items, at least 1
     * @return up to {@code k} known items, none of them answered, the first chosen first, scored with their gain
     */
    public List<ScoredId> onboarding(RatingHistory answers, int k) {
        return onboarding(answers, List.of(), k);
    }

    /**
     * Chooses the items to ask a new user about, round after round (Netflix's sign-up: "rate a few films you
     * know"): the answers so far are folded in ({@link #foldInUser}) and the next {@code k} items are those whose
     * answers will shrink what the fold-in is still unsure of the most, weighted by how likely the user is to know
     * them. Concretely, each item {@code i} adds {@code π_i ω_i a_i a_iᵀ} to the fold-in's posterior precision
     * ({@code a_i} the item's factors and a 1 for the bias, {@code ω_i} an answer's weight at the current fit,
     * {@code π_i} the share of training users who rated the item), and the items are chosen greedily to maximise
     * the log-determinant of that precision: popular enough to be known, spread over the factor space, each one
     * worth less once a similar one is asked. Answered and skipped items are never asked; the
     * {@link UnknownIdPolicy} plays no part. Dot models only (EmbeddingDot, EmbeddingDotBias), with either
     * fold-in objective.
     *
     * <pre>{@code
     * RatingHistory answers = RatingHistory.EMPTY;
     * Set<String> unknown = new HashSet<>();
     * for (int round = 0; round < 3; round++) {
     *     for (ScoredId item : recommender.onboarding(answers, unknown, 10)) {
     *         // ask; add the rating to the answers, or the id to unknown if the user has not seen it
     *     }
     * }
     * List<ScoredId> top = recommender.recommend("new-user", answers, 10);
     * }</pre>
     *
     * @param answers what the user rated so far, by original item ids; items the model does not know are left
     *     out of the fit but never asked
     * @param skipped items asked before that the user could not answer: never asked again
     * @param k how many items, at least 1
     * @return up to {@code k} known items, the first chosen first, scored with their gain (nats of log-determinant;
     *     decreasing as the choice goes on)
     * @throws IllegalStateException if the model is an EmbeddingNet
     * @throws IllegalArgumentException if an answer lies outside the model's y-range
     */
    public List<ScoredId> onboarding(RatingHistory answers, Collection<String> skipped, int k) {
        Objects.requireNonNull(answers, "answers");
        Objects.requireNonNull(skipped, "skipped");
        Catalogue.requirePositive("k", k);
        return onboarding.questions(answers, skipped, k);
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
        return predictor.predict(foldIns.target(userId, history), itemIds, catalogue);
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
        Catalogue.requirePositive("k", k);
        return topN.recommend(List.of(foldIns.target(userId, history)), k).get(0);
    }

    /**
     * Recommends for a user the model has not seen, from their features (cold start): the row the model's user
     * feature vectors give them ({@link RecommenderBuilder#optUserFeatures} does the same for a table of users),
     * folded in from their history when it has items the model knows, the fold-in's prior centred on that row
     * instead of the average user. The history's items are left out. Feature names the model does not know are
     * ignored.
     *
     * @param features feature names as in the training's user feature file (e.g. {@code country=FR},
     *     {@code age}) and their weights: 1 for a categorical value, the standardised value for a numeric one, on
     *     the model's scale ({@code getModel().features(Side.USERS).orElseThrow().numericScales().get("age")
     *     .standardise(31)})
     * @param history the user's ratings, by original item ids; {@link RatingHistory#EMPTY} for none
     * @param k how many items, at least 1
     * @return up to {@code k} items, best first, scored with the predicted rating
     * @throws IllegalArgumentException if the model was trained without user features, none of the features is
     *     known to it, a weight is not finite, a numeric feature of the model is given as a category
     *     ({@code age=31}), or a rating lies outside the y-range
     */
    public List<ScoredId> recommendForFeatures(java.util.Map<String, Float> features, RatingHistory history, int k) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(history, "history");
        Catalogue.requirePositive("k", k);
        return topN.recommend(List.of(foldIns.featureTarget(features, history)), k).get(0);
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
        Catalogue.requirePositive("k", k);
        Catalogue.requirePositive("batchSize", batchSize);
        foldIns.recommendEach(histories, topN, k, batchSize, sink);
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
        return evaluations.ratings(heldOut);
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
        return evaluations.ratings(heldOut, histories);
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
        return evaluations.ranking(heldOut, k, relevantThreshold);
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
        return evaluations.ranking(heldOut, histories, k, relevantThreshold);
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
        Catalogue.requirePositive("k", k);
        Catalogue.requirePositive("minRatings", minRatings);
        return similarity.similar(Side.ITEMS, catalogue.requireKnown(Side.ITEMS, itemId, "itemId"), k, minRatings);
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
        Catalogue.requirePositive("k", k);
        Catalogue.requirePositive("minRatings", minRatings);
        return similarity.similarItem(itemId, raters, k, minRatings);
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
        Catalogue.requirePositive("k", k);
        return similarity.similar(Side.USERS, catalogue.requireKnown(Side.USERS, userId, "userId"), k, 1);
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
        return analysis.biases(Side.ITEMS, n, minRatings);
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
        return analysis.biases(Side.USERS, n, minRatings);
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
        return analysis.itemPca(components, extremes, minRatings);
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
        return analysis.itemPcaProjection(components, minRatings);
    }

    /**
     * Returns the model and the policy, e.g. {@code Recommender(EmbeddingDotBias(users=610, ...), unknown ids:
     * THROW, 9742 titles)}.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "Recommender(" + model.getConfig() + ", unknown ids: " + catalogue.policy() + ", "
                + catalogue.titles().size() + " titles)";
    }
}
