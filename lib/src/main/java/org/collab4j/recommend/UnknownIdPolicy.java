package org.collab4j.recommend;

/**
 * What a {@link Recommender} does with a user or item it has no trained embedding for: an id that is not in the
 * model at all, or one that is in its id maps but had no training ratings (an id seen only in validation data,
 * whose embedding training never updated). {@link Recommender#predict predict}, {@link Recommender#recommend
 * recommend} and the evaluations follow the same policy.
 *
 * <p>A user's history can be supplied with a request ({@link Recommender#recommend(String, RatingHistory, int)},
 * {@link Recommender#predict(String, String, RatingHistory)}, {@link Recommender#recommendWithHistories}); then
 * {@link #FOLD_IN} fits the unknown user's row to it ({@link FoldIn}). For a user the model knows, the trained
 * row always counts and the history only adds items to leave out of recommendations, whatever the policy.
 */
public enum UnknownIdPolicy {

    /** Throw an {@link UnknownIdException} naming the id (the default). */
    THROW,

    /**
     * Predict from what is known. For an {@code EmbeddingDotBias} model the unknown side gets zero factors and the
     * known side keeps its bias, measured from the average bias of its side; since the biases act inside the
     * sigmoid, the global mean is carried there too:
     *
     * <pre>
     * known user u, unknown item:  sigmoidRange(logit(mean) + b_u - mean(b_users))
     * unknown user, known item i:  sigmoidRange(logit(mean) + b_i - mean(b_items))
     * both unknown:                sigmoidRange(logit(mean)) = the global mean
     * </pre>
     *
     * <p>where {@code mean} is the training mean rating, {@code logit} is the inverse of the model's
     * {@code sigmoidRange}, and the bias means are over the users (items) with training ratings. Models without
     * biases ({@code EmbeddingDot}, {@code EmbeddingNet}) predict the global mean. Recommending for an unknown user
     * therefore ranks items by their bias (by catalogue order, all scores equal, for models without biases).
     */
    FALLBACK,

    /**
     * Fold in an unknown user from the history supplied with the request: the user's row is fitted to it with
     * the model's other weights fixed ({@link FoldIn}), and predictions and recommendations come from that row.
     * Items of the history the model does not know are ignored. A history with no item the model knows (none
     * supplied, empty, or only unknown items) gives {@link #FALLBACK}'s answer; a single rating gives a row close
     * to the average user's, moved toward that rating. Unknown items, and every request without a history, are
     * handled as {@link #FALLBACK} handles them. {@link Recommender#similarItems(String, RatingHistory, int, int)}
     * folds in an unknown item from its raters the same way.
     */
    FOLD_IN
}
