package org.collab4j.recommend;

import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.kernel.RankingMetrics;
import org.collab4j.kernel.Side;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link Recommender}'s measurements on held-out ratings, by original ids: rating accuracy ({@link Evaluation})
 * from its predictions, and top-k quality ({@link RankingEvaluation}) from its {@link TopN} lists, scored by
 * item row with the kernel's {@link RankingMetrics}; with or without the users' histories.
 */
final class Evaluations {

    private final Catalogue catalogue;
    private final Predictor predictor;
    private final TopN topN;
    private final FoldIns foldIns;

    Evaluations(Catalogue catalogue, Predictor predictor, TopN topN, FoldIns foldIns) {
        this.catalogue = catalogue;
        this.predictor = predictor;
        this.topN = topN;
        this.foldIns = foldIns;
    }

    /** Rating accuracy over the rows the policy lets through (THROW leaves out rows with an unknown id). */
    Evaluation ratings(Ratings heldOut) {
        requireRatings(heldOut);
        int[] userMap = indexMap(heldOut.users(), Side.USERS);
        int[] itemMap = indexMap(heldOut.items(), Side.ITEMS);
        Accuracy accuracy = new Accuracy();
        for (int row = 0; row < heldOut.size(); row++) {
            int u = userMap[heldOut.user(row)];
            int i = itemMap[heldOut.item(row)];
            if ((u >= 0 && i >= 0) || catalogue.policy() != UnknownIdPolicy.THROW) {
                accuracy.add(predictor.predict(u, i) - heldOut.rating(row));
            }
        }
        return accuracy.result();
    }

    /** Rating accuracy with each user scored from their history (folded in under FOLD_IN). */
    Evaluation ratings(Ratings heldOut, Ratings histories) {
        Map<String, TopN.Target> targets = foldIns.targets(heldOut, histories);
        Accuracy accuracy = new Accuracy();
        for (int row = 0; row < heldOut.size(); row++) {
            TopN.Target t = targets.get(heldOut.users().id(heldOut.user(row)));
            int i = catalogue.knownIndex(Side.ITEMS, heldOut.items().id(heldOut.item(row)));
            if (t == null || i < 0 && catalogue.policy() == UnknownIdPolicy.THROW) {
                continue;
            }
            accuracy.add(predictor.predict(t, i) - heldOut.rating(row));
        }
        return accuracy.result();
    }

    /** Top-k quality for every held-out user with a relevant item: unknown users skipped (THROW) or FALLBACK's. */
    RankingEvaluation ranking(Ratings heldOut, int k, float relevantThreshold) {
        requireRatings(heldOut);
        Catalogue.requirePositive("k", k);
        List<TopN.Target> targets = new ArrayList<>();
        List<Set<String>> relevant = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, Set<String>> user : relevantByUser(heldOut, relevantThreshold).entrySet()) {
            int u = catalogue.knownIndex(Side.USERS, user.getKey());
            if (u < 0 && catalogue.policy() == UnknownIdPolicy.THROW) {
                skipped++;
                continue;
            }
            targets.add(TopN.Target.user(u, catalogue.rated()));
            relevant.add(user.getValue());
        }
        return ranking(targets, relevant, k, skipped);
    }

    /** Top-k quality with each user recommended for from their history (folded in under FOLD_IN). */
    RankingEvaluation ranking(Ratings heldOut, Ratings histories, int k, float relevantThreshold) {
        Catalogue.requirePositive("k", k);
        Map<String, TopN.Target> byUser = foldIns.targets(heldOut, histories);
        List<TopN.Target> targets = new ArrayList<>();
        List<Set<String>> relevant = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, Set<String>> user : relevantByUser(heldOut, relevantThreshold).entrySet()) {
            TopN.Target t = byUser.get(user.getKey());
            if (t == null) {
                skipped++;
                continue;
            }
            targets.add(t);
            relevant.add(user.getValue());
        }
        return ranking(targets, relevant, k, skipped);
    }

    /**
     * Scores the targets' lists against their relevant items by item row. A relevant item the model's id map does
     * not hold gets a negative row of its own: no list holds it, and it still counts in recall's denominator.
     */
    private RankingEvaluation ranking(List<TopN.Target> targets, List<Set<String>> relevant, int k, int skipped) {
        IdMap items = catalogue.ids(Side.ITEMS);
        RankingMetrics.Mean mean = new RankingMetrics.Mean();
        boolean[] shown = new boolean[items.size()];
        int distinct = 0;
        List<TopN.Ranked> lists = topN.select(targets, k);
        for (int t = 0; t < lists.size(); t++) {
            int[] list = lists.get(t).rows();
            for (int i : list) {
                distinct += shown[i] ? 0 : 1;
                shown[i] = true;
            }
            int[] rows = new int[relevant.get(t).size()];
            int n = 0;
            int absent = 0;
            for (String id : relevant.get(t)) {
                int i = items.indexOf(id);
                rows[n++] = i >= 0 ? i : --absent;
            }
            Arrays.sort(rows);
            mean.add(RankingMetrics.of(k, list, list.length, rows));
        }
        int catalogueSize = catalogue.catalogueSize();
        return RankingEvaluation.of(k, mean, catalogueSize == 0 ? Double.NaN : (double) distinct / catalogueSize,
                skipped);
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

    /** For each index of {@code from}, the known row of the same id on {@code side}, else -1. */
    private int[] indexMap(IdMap from, Side side) {
        int[] map = new int[from.size()];
        for (int k = 0; k < map.length; k++) {
            map[k] = catalogue.knownIndex(side, from.id(k));
        }
        return map;
    }

    private static void requireRatings(Ratings heldOut) {
        if (heldOut == null) {
            throw new NullPointerException("heldOut is null; pass the held-out ratings, e.g. Ratings.read(file,"
                    + " format)");
        }
    }

    /** Sums of squared and absolute errors, in row order. */
    private static final class Accuracy {
        private double sumSq;
        private double sumAbs;
        private long count;

        void add(double err) {
            sumSq += err * err;
            sumAbs += Math.abs(err);
            count++;
        }

        Evaluation result() {
            double mse = count == 0 ? Double.NaN : sumSq / count;
            return new Evaluation(mse, Math.sqrt(mse), count == 0 ? Double.NaN : sumAbs / count, count);
        }
    }
}
