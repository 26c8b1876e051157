package org.collab4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.ParameterNames;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.YRange;
import org.collab4j.recommend.FoldIn;
import org.collab4j.recommend.RatingHistory;
import org.collab4j.recommend.Recommender;
import org.collab4j.util.NDArrays;
import org.collab4j.train.objective.Ials;
import org.collab4j.train.objective.Objective;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A warm start ({@link CollabLearnerBuilder#optInitModel}): the learner's data on the initial model's id maps
 * extended by the new ids, and the weight surgery that puts the model's weights into the learner's new block, with
 * the new users' and items' rows folded in ({@link NewRows}).
 */
final class WarmStart {

    private final TrainedModel init;
    private final Ratings train;
    private final Ratings valid;

    /**
     * Remaps the learner's data onto the model's ids: the model's ids keep their rows, new ids get the rows after
     * them.
     *
     * @param init the initial model
     * @param train the training data
     * @param valid the validation data, or {@code null}
     */
    WarmStart(TrainedModel init, Ratings train, Ratings valid) {
        this.init = init;
        IdMap users = init.users().extendedWith(train.users());
        IdMap items = init.items().extendedWith(train.items());
        this.train = train.reindex(users, items);
        this.valid = valid == null ? null : valid.reindex(users, items);
    }

    /** The training data, indexed by the extended id maps. */
    Ratings train() {
        return train;
    }

    /** The validation data, indexed likewise, or {@code null}. */
    Ratings valid() {
        return valid;
    }

    /**
     * Puts the model's weights into a freshly initialised block built on the extended id maps.
     *
     * @param block the block, of the model's configuration
     * @param foldIn whether new rows are folded in ({@link CollabLearnerBuilder#optFoldInNewRows}) or keep their
     *     random init
     * @param objective the learner's objective, which the fold-in follows
     */
    void copyInto(CollabBlock block, boolean foldIn, Objective objective) {
        copyWeights(init, block, foldIn ? NewRows.foldIn(init, train, objective) : null);
    }

    /**
     * Puts a saved model's weights into a freshly initialised block of the same configuration with at least as
     * many rows: the first rows of every user and item table become the model's, the rows after them (new users
     * and items) take their folded-in rows where {@code newRows} has one and keep their usual random init
     * otherwise, and every other parameter (EmbeddingNet's layers) is copied whole.
     */
    private static void copyWeights(TrainedModel init, CollabBlock block, NewRows newRows) {
        for (Pair<String, Parameter> pair : block.getParameters()) {
            Parameter p = pair.getValue();
            float[] saved = init.parameter(pair.getKey());
            NDArray array = p.getArray();
            boolean table = block.getUserTables().contains(p) || block.getItemTables().contains(p);
            Shape shape = init.parameterShape(pair.getKey());
            if (!table && !shape.equals(array.getShape())) {
                throw new IllegalStateException("parameter " + pair.getKey() + " has shape " + array.getShape()
                        + " but the initial model's is " + shape);
            }
            float[] values = table ? NDArrays.toFloatArray(array) : saved;
            System.arraycopy(saved, 0, values, 0, saved.length);
            if (table && newRows != null) {
                boolean users = block.getUserTables().contains(p);
                placeNewRows(pair.getKey(), values, users ? init.users().size() : init.items().size(),
                        users ? newRows.users : newRows.items, (int) array.getShape().get(1),
                        (int) init.parameterShape(users ? ParameterNames.USER_FACTORS : ParameterNames.ITEM_FACTORS)
                                .get(1));
            }
            array.set(values);
        }
    }

    /**
     * Writes folded-in rows (factors, then the bias) into a table after its first {@code oldRows} rows: the factor
     * table takes the first {@code factors} values of each, a bias table the one after them.
     */
    private static void placeNewRows(String name, float[] values, int oldRows, float[][] rows, int columns,
            int factors) {
        boolean bias = name.equals(ParameterNames.USER_BIAS) || name.equals(ParameterNames.ITEM_BIAS);
        for (int n = 0; n < rows.length; n++) {
            float[] row = rows[n];
            if (row != null) {
                System.arraycopy(row, bias ? factors : 0, values, (oldRows + n) * columns, columns);
            }
        }
    }

    /**
     * The first weights of the users and items a warm start adds ({@link CollabLearnerBuilder#optInitModel}): each
     * new user folded into the initial model from its training rows on the items that model knows, each new item from
     * its training rows by the users that model knows ({@link Recommender#foldInUser}, {@link Recommender#foldInItem},
     * with the objective the learner trains: the ratings' squared error, or iALS's weights for {@link Ials}).
     * A new row none of whose training rows touches a known id has none ({@code null}) and keeps its random
     * initialisation.
     */
    static final class NewRows {

        /** The new users' rows (index {@code u − init.users().size()}), factors then bias; {@code null} for none. */
        final float[][] users;
        /** The new items' rows likewise. */
        final float[][] items;

        private NewRows(float[][] users, float[][] items) {
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
        static NewRows foldIn(TrainedModel init, Ratings train, Objective objective) {
            if (train.users().size() == init.users().size() && train.items().size() == init.items().size()) {
                return new NewRows(new float[0][], new float[0][]);
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
            return new NewRows(users, items);
        }

        /**
         * A rating outside the y-range (training warns of those) counts as the nearest rating the model can
         * predict.
         */
        private static float clamp(float value, YRange range) {
            return range == null ? value : Math.max(range.low(), Math.min(range.high(), value));
        }

        private static Map<String, Float> put(Map<String, Float> map, String id, float value) {
            Map<String, Float> m = map != null ? map : new LinkedHashMap<>();
            m.put(id, value);
            return m;
        }
    }
}
