package org.collab4j.recommend;

import org.collab4j.kernel.Side;

import java.util.List;

/**
 * What a feature table given to a {@link Recommender} served ({@link RecommenderBuilder#optItemFeatures},
 * {@link RecommenderBuilder#optUserFeatures}): how many of its entities the model already trained (served from their
 * trained rows, as before), how many it serves from their features, how many it cannot (none of their features is
 * in the model's vocabulary), and which of the table's features the model does not know (ignored).
 *
 * @param side the table's side
 * @param source where the table came from (a file name)
 * @param listed the entities the table lists
 * @param trained those the model trained (their features are not used)
 * @param served those served from their features: new entities, or ids the model has without training ratings
 * @param withoutKnownFeatures those left unserved, none of their features being known to the model
 * @param features the table's features
 * @param pooledFeatures how many of them the model does not know but pooled values of their column into
 *     {@code COLUMN=<other>} in training: they count as that feature
 * @param unknownFeatures how many of them the model's vocabulary lacks (ignored)
 * @param unknownSample up to five of those names
 */
public record ColdStartReport(Side side, String source, int listed, int trained, int served,
        int withoutKnownFeatures, int features, int pooledFeatures, int unknownFeatures, List<String> unknownSample) {

    /** Copies the sample. */
    public ColdStartReport {
        unknownSample = List.copyOf(unknownSample);
    }

    /**
     * One line for a log, e.g. {@code items.csv: 120 items served from their features (9622 already trained, 2
     * without a known feature); 3 of its 25 features unknown to the model and ignored (tag=new, ...)}.
     *
     * @return the summary
     */
    @Override
    public String toString() {
        String noun = side.noun();
        return source + ": " + served + " " + noun + "s served from their features (" + trained + " already trained, "
                + withoutKnownFeatures + " without a known feature); " + unknownFeatures + " of its " + features
                + " features unknown to the model and ignored"
                + (unknownSample.isEmpty() ? "" : " (" + String.join(", ", unknownSample)
                        + (unknownFeatures > unknownSample.size() ? ", ..." : "") + ")")
                + (pooledFeatures == 0 ? "" : ", " + pooledFeatures + " counted as their column's <other>");
    }
}
