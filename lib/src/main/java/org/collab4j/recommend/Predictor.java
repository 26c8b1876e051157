package org.collab4j.recommend;

import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.FactorTable;
import org.collab4j.kernel.Side;

/**
 * A pair's predicted rating under the unknown-id policy: the model's forward pass ({@link Scorer}) for a known
 * user, or a row folded in, and a known item; otherwise {@link UnknownIdPolicy#FALLBACK}'s rule: the global mean,
 * moved by each known side's bias relative to the mean bias of its side, through the y-range (a model without
 * biases: the global mean). Immutable.
 */
final class Predictor {

    private final Scorer scorer;
    private final float[] userBias;
    private final float[] itemBias;
    private final int userDim;
    private final double globalMean;
    private final double logitMean;
    private final double meanUserBias;
    private final double meanItemBias;

    Predictor(TrainedModel model, Scorer scorer, Catalogue catalogue) {
        this.scorer = scorer;
        // An item-item model (EASE) has no factor tables, hence no biases; its rows are histories over the items.
        boolean itemItem = model.itemItem().isPresent();
        FactorTable users = itemItem ? null : model.factors(Side.USERS);
        userBias = itemItem ? null : users.biases();
        itemBias = itemItem ? null : model.factors(Side.ITEMS).biases();
        userDim = itemItem ? scorer.rowWidth() : users.factors();
        globalMean = model.getGlobalMean();
        logitMean = scorer.unsquash(globalMean);
        meanUserBias = userBias == null ? 0 : meanOver(userBias, catalogue.trained(Side.USERS));
        meanItemBias = itemBias == null ? 0 : meanOver(itemBias, catalogue.trained(Side.ITEMS));
    }

    private static double meanOver(float[] values, boolean[] include) {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < values.length; k++) {
            if (include[k]) {
                sum += values[k];
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    /** The rating for rows, -1 meaning unknown (allowed by the policy). */
    float predict(int u, int i) {
        return u >= 0 && i >= 0 ? scorer.squash(scorer.raw(u, i)) : fallbackScore(fallbackRaw(u, i));
    }

    /** The ratings of pairs of rows ({@link Catalogue#pairs}: users, then items), -1 meaning unknown. */
    float[] predict(int[][] pairs) {
        float[] result = new float[pairs[0].length];
        for (int k = 0; k < result.length; k++) {
            result[k] = predict(pairs[0][k], pairs[1][k]);
        }
        return result;
    }

    /** The ratings for a request's user of items by original id, each looked up in turn under the policy. */
    float[] predict(TopN.Target t, java.util.List<String> itemIds, Catalogue catalogue) {
        float[] result = new float[itemIds.size()];
        for (int k = 0; k < result.length; k++) {
            result[k] = predict(t, catalogue.index(Side.ITEMS, itemIds.get(k), "itemId"));
        }
        return result;
    }

    /** The rating for a request's user (see {@link TopN.Target}) and an item row, -1 meaning unknown. */
    float predict(TopN.Target t, int i) {
        if (t.row() == null) {
            return predict(t.user(), i);
        }
        if (i >= 0) {
            return scorer.squash(scorer.rawFolded(t.row(), i));
        }
        // A folded-in user and an unknown item: as FALLBACK does for a known user, the user's bias only.
        return userBias == null ? (float) globalMean
                : fallbackScore((float) (logitMean + t.row()[userDim] - meanUserBias));
    }

    /** FALLBACK's raw score: the mean logit and the known sides' centred biases. */
    float fallbackRaw(int u, int i) {
        if (userBias == null) {
            return (float) logitMean;
        }
        double raw = logitMean + (u >= 0 ? userBias[u] - meanUserBias : 0) + (i >= 0 ? itemBias[i] - meanItemBias : 0);
        return (float) raw;
    }

    /** What a result shows for a raw score: the squash for a modelled user, FALLBACK's rating otherwise. */
    float shown(boolean modelled, float raw) {
        return modelled ? scorer.squash(raw) : fallbackScore(raw);
    }

    private float fallbackScore(float raw) {
        return userBias == null ? (float) globalMean : scorer.squash(raw);
    }
}
