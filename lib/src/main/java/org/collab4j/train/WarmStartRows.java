package org.collab4j.train;

import org.collab4j.data.Ratings;
import org.collab4j.io.TrainedModel;
import org.collab4j.model.YRange;
import org.collab4j.recommend.FoldIn;
import org.collab4j.recommend.RatingHistory;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.objective.Ials;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first weights of the users and items a warm start adds ({@link CollabLearner.Builder#optInitModel}): each
 * new user folded into the initial model from its training rows on the items that model knows, each new item from
 * its training rows by the users that model knows ({@link Recommender#foldInUser}, {@link Recommender#foldInItem},
 * with the objective the learner trains: the ratings' squared error, or iALS's weights for {@link Ials}).
 * A new row none of whose training rows touches a known id has none ({@code null}) and keeps its random
 * initialisation.
 */
final class WarmStartRows {

    /** The new users' rows (index {@code u − init.users().size()}), factors then bias; {@code null} for none. */
    final float[][] users;
    /** The new items' rows likewise. */
    final float[][] items;

    private WarmStartRows(float[][] users, float[][] items) {
        this.users = users;
        this.items = items;
    }

    /**
     * Folds the new ids of {@code train} into {@code init}.
     *
     * @param init the initial model
     * @param train the training data, indexed by the initial model's id maps extended with the new ids
     * @param objective the learner's objective
     */
    static WarmStartRows foldIn(TrainedModel init, Ratings train, Objective objective) {
        if (train.users().size() == init.users().size() && train.items().size() == init.items().size()) {
            return new WarmStartRows(new float[0][], new float[0][]);
        }
        FoldIn.Builder settings = FoldIn.builder();
        if (objective instanceof Ials ials) {
            settings.optObjective(FoldIn.Objective.IMPLICIT).optImplicitWeights(1, ials.unobservedWeight(),
                    ials.regularization());
        }
        Recommender recommender = Recommender.builder().setModel(init).optFoldIn(settings.build()).build();
        // A history holds one value per id: a later duplicate row replaces an earlier one.
        YRange range = objective.isRanking() ? null : init.getConfig().yRange();
        int oldUsers = init.users().size();
        int oldItems = init.items().size();
        int newUsers = train.users().size() - oldUsers;
        int newItems = train.items().size() - oldItems;
        @SuppressWarnings("unchecked")
        Map<String, Float>[] byUser = new Map[Math.max(0, newUsers)];
        @SuppressWarnings("unchecked")
        Map<String, Float>[] byItem = new Map[Math.max(0, newItems)];
        for (int row = 0; row < train.size(); row++) {
            int u = train.user(row);
            int i = train.item(row);
            float value = clamp(train.rating(row), range);
            if (u >= oldUsers && i < oldItems && recommender.knowsItem(train.items().id(i))) {
                byUser[u - oldUsers] = put(byUser[u - oldUsers], train.items().id(i), value);
            }
            if (i >= oldItems && u < oldUsers && recommender.knowsUser(train.users().id(u))) {
                byItem[i - oldItems] = put(byItem[i - oldItems], train.users().id(u), value);
            }
        }
        float[][] users = new float[byUser.length][];
        for (int n = 0; n < users.length; n++) {
            users[n] = byUser[n] == null ? null : recommender.foldInUser(RatingHistory.of(byUser[n]));
        }
        float[][] items = new float[byItem.length][];
        for (int n = 0; n < items.length; n++) {
            items[n] = byItem[n] == null ? null : recommender.foldInItem(RatingHistory.of(byItem[n]));
        }
        return new WarmStartRows(users, items);
    }

    /** A rating outside the y-range (training warns of those) counts as the nearest rating the model can predict. */
    private static float clamp(float value, YRange range) {
        return range == null ? value : Math.max(range.low(), Math.min(range.high(), value));
    }

    private static Map<String, Float> put(Map<String, Float> map, String id, float value) {
        Map<String, Float> m = map != null ? map : new LinkedHashMap<>();
        m.put(id, value);
        return m;
    }
}
