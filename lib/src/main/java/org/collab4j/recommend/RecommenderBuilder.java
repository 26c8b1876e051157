package org.collab4j.recommend;

import org.collab4j.ann.ApproximateIndex;
import org.collab4j.data.FeatureTable;
import org.collab4j.io.TrainedModel;

/**
 * Builds a {@link Recommender}: {@code Recommender.builder().setModel(model).optTitles(titles).build()}.
 */
public final class RecommenderBuilder {

    private TrainedModel model;
    private UnknownIdPolicy policy = UnknownIdPolicy.THROW;
    private Titles titles = Titles.NONE;
    private FoldIn foldIn = FoldIn.builder().build();
    /** Each item's training-rating count, in place of the model's own: set by {@link ItemSide} only. */
    private int[] itemCounts;
    private ApproximateIndex approximateIndex;
    private FeatureTable itemFeatures;
    private FeatureTable userFeatures;
    /** The items an {@link ItemSide}'s model serves from their features, ascending: set by {@link ItemSide} only. */
    private int[] coldItems;

    RecommenderBuilder() {}

    /** A copy of these settings, for {@link Recommender#withItemFeatures} and the like. */
    RecommenderBuilder copy() {
        RecommenderBuilder b = new RecommenderBuilder();
        b.model = model;
        b.policy = policy;
        b.titles = titles;
        b.foldIn = foldIn;
        b.itemCounts = itemCounts;
        b.approximateIndex = approximateIndex;
        b.itemFeatures = itemFeatures;
        b.userFeatures = userFeatures;
        b.coldItems = coldItems;
        return b;
    }

    /**
     * Serves items the model has not seen from their features (cold start; default none): each item of the table
     * that the model did not train (absent from it, or present without training ratings) joins the catalogue with
     * the factor row a hybrid model gives it from its features alone, the weighted mean of its features' vectors
     * ({@link org.collab4j.io.FeatureEmbeddings#combine}), and the bias likewise. Such items are recommended to
     * known users, scored by {@code predict}, found by {@code similarItems} and have neighbours there, and travel
     * with {@link Recommender#itemSide()}. Features the model's vocabulary lacks are ignored and counted
     * ({@link Recommender#coldStart}); an item none of whose features is known is not served; items the model
     * trained keep their trained rows.
     *
     * @param table the items' features, e.g. {@code FeatureFormat...read(file)}; {@code null} for none
     * @return this builder
     * @see Recommender#withItemFeatures
     */
    public RecommenderBuilder optItemFeatures(FeatureTable table) {
        this.itemFeatures = table;
        return this;
    }

    /**
     * Serves users the model has not seen from their features (default none), as {@link #optItemFeatures} serves
     * items: {@code recommend(userId, k)} and {@code predict} answer for them from the feature row; given a history
     * ({@code recommend(userId, history, k)}), the user is folded in from it with the fold-in's prior centred on the
     * feature row instead of the average user ({@link FoldIn}). Such users are in {@code recommendAll} and
     * {@code userRows}.
     *
     * @param table the users' features; {@code null} for none
     * @return this builder
     */
    public RecommenderBuilder optUserFeatures(FeatureTable table) {
        this.userFeatures = table;
        return this;
    }

    /** The cold items of the model an {@link ItemSide} was cut from. */
    RecommenderBuilder coldItems(int[] cold) {
        coldItems = cold;
        return this;
    }

    /**
     * Serves top-N lists through an approximate index over the model's items (default none: every list exact).
     * {@code recommend} for one user, with options, for many users, {@code recommendAll}, user rows, users given
     * with a history and {@code evaluateRanking} then ask the index for candidates and rescore them exactly, so
     * scores are exact and the order among the items returned is the exact order; an item the index misses is
     * missing. Exclusions, candidate lists and filters still apply, inside the index's search: where it finds too
     * few items that pass them, the list is scored exactly (docs/serving.md).
     *
     * @param index an index built from (or loaded for) this builder's model
     * @return this builder
     */
    public RecommenderBuilder optApproximateIndex(ApproximateIndex index) {
        this.approximateIndex = index;
        return this;
    }

    /** The item counts of the model an {@link ItemSide} was cut from. */
    RecommenderBuilder itemCounts(int[] counts) {
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
    public RecommenderBuilder optFoldIn(FoldIn foldIn) {
        this.foldIn = foldIn;
        return this;
    }

    /**
     * Sets the model (required).
     *
     * @param model the model
     * @return this builder
     */
    public RecommenderBuilder setModel(TrainedModel model) {
        this.model = model;
        return this;
    }

    /**
     * Sets what happens with unknown ids (default {@link UnknownIdPolicy#THROW}).
     *
     * @param policy the policy
     * @return this builder
     */
    public RecommenderBuilder optUnknownIdPolicy(UnknownIdPolicy policy) {
        this.policy = policy;
        return this;
    }

    /**
     * Sets the item titles that results carry (default {@link Titles#NONE}).
     *
     * @param titles the titles
     * @return this builder
     */
    public RecommenderBuilder optTitles(Titles titles) {
        this.titles = titles;
        return this;
    }

    /**
     * Builds the recommender over the model's weights (not copied).
     *
     * @return the recommender
     * @throws IllegalArgumentException if the model is missing, or a feature table cannot be served by it (the model
     *     was trained without features on that side, or the table shares no feature name with its vocabulary)
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
        if (approximateIndex != null && !approximateIndex.isFor(model)) {
            throw new IllegalArgumentException("the approximate index was not built for this model's items: build"
                    + " it with ApproximateIndex.builder().build(model) or load it with ApproximateIndex.load(file,"
                    + " model) for the model given to setModel");
        }
        return new Recommender(this);
    }

    ApproximateIndex approximateIndex() {
        return approximateIndex;
    }

    TrainedModel model() {
        return model;
    }

    UnknownIdPolicy policy() {
        return policy;
    }

    Titles titles() {
        return titles;
    }

    FoldIn foldIn() {
        return foldIn;
    }

    int[] itemCounts() {
        return itemCounts;
    }

    FeatureTable itemFeatures() {
        return itemFeatures;
    }

    FeatureTable userFeatures() {
        return userFeatures;
    }

    int[] coldItems() {
        return coldItems;
    }
}
