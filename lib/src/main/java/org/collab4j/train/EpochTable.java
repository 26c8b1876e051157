package org.collab4j.train;

import java.util.Locale;

/** Formats the epoch table fast.ai prints while it trains. */
final class EpochTable {

    private EpochTable() {}

    static String header(boolean withValid) {
        return header(withValid, 0);
    }

    /**
     * With {@code rankingK > 0} the validation columns are NDCG@k and cappedRecall@k (hits / min(k, relevant), the
     * name {@code RankingEvaluation} gives it; recall@k is hits / relevant) instead of loss and RMSE.
     */
    static String header(boolean withValid, int rankingK) {
        if (withValid && rankingK > 0) {
            return String.format(Locale.ROOT, "%-6s %-11s %-11s %-15s %s", "epoch", "train_loss",
                    "ndcg@" + rankingK, "cappedRecall@" + rankingK, "time");
        }
        return withValid
                ? String.format(Locale.ROOT, "%-6s %-11s %-11s %-11s %s", "epoch", "train_loss", "valid_loss",
                        "valid_rmse", "time")
                : String.format(Locale.ROOT, "%-6s %-11s %s", "epoch", "train_loss", "time");
    }

    static String row(EpochResult r, boolean withValid) {
        return row(r, withValid, 0);
    }

    static String row(EpochResult r, boolean withValid, int rankingK) {
        if (withValid && rankingK > 0) {
            return String.format(Locale.ROOT, "%-6d %-11.6f %-11.6f %-15.6f %.2fs", r.epoch(), r.trainLoss(),
                    r.validNdcg(), r.validRecall(), r.seconds());
        }
        return withValid
                ? String.format(Locale.ROOT, "%-6d %-11.6f %-11.6f %-11.6f %.2fs", r.epoch(), r.trainLoss(),
                        r.validLoss(), r.validRmse(), r.seconds())
                : String.format(Locale.ROOT, "%-6d %-11.6f %.2fs", r.epoch(), r.trainLoss(), r.seconds());
    }
}
