package org.collab4j.examples;

import org.collab4j.data.FeatureTable;
import org.collab4j.data.Ratings;
import org.collab4j.kernel.FeatureMatrix;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The content-based baseline of the cold-start benchmarks: each user's profile is a weighted sum of the feature
 * vectors of the items they rated in training, and an item scores the sum over feature groups (genres, tags) of the
 * cosine between that group of the profile and of its own features (each group of an item's vector has unit length;
 * the profile's length is the same for every item, so the dot product ranks as the cosine does). Only the features
 * {@code keep} accepts take part (the genres and tags: a year is not a taste).
 *
 * <p>Profile weights: {@link Weighting#LIKED} counts the items rated at or above a threshold, 1 each;
 * {@link Weighting#CENTERED} weighs every rated item by the rating minus the user's mean rating, so disliked genres
 * count against.
 */
final class ContentBaseline {

    /** How a rated item weighs in its user's profile. */
    enum Weighting { LIKED, CENTERED }

    /** Each item's unit feature vector: feature index → weight. */
    private final Map<String, Map<Integer, Double>> items = new HashMap<>();
    private final Map<String, Map<Integer, Double>> profiles = new HashMap<>();

    /**
     * @param features the items' features
     * @param keep which feature names take part
     * @param train the training ratings the profiles come from
     * @param weighting the profile's weights
     * @param liked the rating from which an item is liked ({@link Weighting#LIKED})
     */
    ContentBaseline(FeatureTable features, Predicate<String> keep, Ratings train, Weighting weighting, float liked) {
        FeatureMatrix m = features.matrix();
        List<String> names = features.featureNames();
        for (int row = 0; row < m.rows(); row++) {
            Map<Integer, Double> v = new HashMap<>();
            Map<String, Double> groupNorm = new HashMap<>();
            for (int e = m.start(row); e < m.end(row); e++) {
                String name = names.get(m.columns()[e]);
                if (keep.test(name)) {
                    double w = m.values()[e];
                    v.merge(m.columns()[e], w, Double::sum);
                    groupNorm.merge(group(name), w * w, Double::sum);
                }
            }
            if (!v.isEmpty()) {
                // Each group (genre, tag) unit length on its own: an item's tags add to its genres' match
                // instead of diluting it, and an untagged item is not a pure-genre item for it.
                v.replaceAll((f, w) -> w / Math.sqrt(groupNorm.get(group(names.get(f)))));
                items.put(features.ids().id(row), v);
            }
        }
        double[] sum = new double[train.users().size()];
        int[] count = new int[train.users().size()];
        for (int row = 0; row < train.size(); row++) {
            sum[train.user(row)] += train.rating(row);
            count[train.user(row)]++;
        }
        for (int row = 0; row < train.size(); row++) {
            int u = train.user(row);
            double w = weighting == Weighting.LIKED ? (train.rating(row) >= liked ? 1 : 0)
                    : train.rating(row) - sum[u] / count[u];
            Map<Integer, Double> x = items.get(train.items().id(train.item(row)));
            if (w == 0 || x == null) {
                continue;
            }
            Map<Integer, Double> p = profiles.computeIfAbsent(train.users().id(u), id -> new HashMap<>());
            for (Map.Entry<Integer, Double> e : x.entrySet()) {
                p.merge(e.getKey(), w * e.getValue(), Double::sum);
            }
        }
        for (Map<Integer, Double> p : profiles.values()) {
            Map<String, Double> groupNorm = new HashMap<>();
            p.forEach((f, w) -> groupNorm.merge(group(names.get(f)), w * w, Double::sum));
            p.replaceAll((f, w) -> {
                double norm = groupNorm.get(group(names.get(f)));
                return norm > 0 ? w / Math.sqrt(norm) : 0;
            });
        }
    }

    /** A feature's group: its name up to the {@code =} ({@code genre=Comedy} is a genre). */
    private static String group(String name) {
        int eq = name.indexOf('=');
        return eq < 0 ? name : name.substring(0, eq);
    }

    /**
     * The cosine of a user's profile and an item's features, up to the profile's length (the same for all items).
     *
     * @return the score; 0 for a user without a profile or an item without features
     */
    double score(String user, String item) {
        Map<Integer, Double> p = profiles.get(user);
        Map<Integer, Double> x = items.get(item);
        if (p == null || x == null) {
            return 0;
        }
        double s = 0;
        for (Map.Entry<Integer, Double> e : x.entrySet()) {
            s += e.getValue() * p.getOrDefault(e.getKey(), 0.0);
        }
        return s;
    }
}
