package org.collab4j.recommend;

import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.FactorTable;
import org.collab4j.kernel.Side;
import org.collab4j.kernel.TopK;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What a model's tables say beyond its predictions: the learned biases of either side, ranked, and the principal
 * components of the item factors ({@link FactorPca}), with the rows at either end and every item's coordinates.
 */
final class FactorAnalysis {

    private final TrainedModel model;
    private final Catalogue catalogue;

    FactorAnalysis(TrainedModel model, Catalogue catalogue) {
        this.model = model;
        this.catalogue = catalogue;
    }

    /** The highest and lowest biases of a side, among the rows with at least {@code minRatings} ratings. */
    BiasRanking biases(Side side, int n, int minRatings) {
        FactorTable table = model.factors(side);
        if (!table.hasBias()) {
            throw new IllegalStateException("bias rankings need a model with biases (EmbeddingDotBias); this one is "
                    + model.getConfig().kind().blockName());
        }
        Catalogue.requirePositive("n", n);
        Catalogue.requirePositive("minRatings", minRatings);
        TopK high = new TopK(n, table.size());
        TopK low = new TopK(n, table.size());
        for (int r = 0; r < table.size(); r++) {
            if (catalogue.count(side, r) >= minRatings) {
                high.offer(table.bias(r), r);
                low.offer(-table.bias(r), r);
            }
        }
        return new BiasRanking(ranked(side, high, 1), ranked(side, low, -1));
    }

    private List<ScoredId> ranked(Side side, TopK top, int sign) {
        float[] scores = new float[top.size()];
        int[] best = top.sorted(scores);
        return catalogue.scored(side, best, scores, s -> sign * s);
    }

    /** The leading components of the item factors and the items at either end of each. */
    List<PrincipalComponent> itemPca(int components, int extremes, int minRatings) {
        Catalogue.requirePositive("extremes", extremes);
        int[] rows = pcaRows(components, minRatings);
        FactorTable items = model.factors(Side.ITEMS);
        return FactorPca.of(items.rows(), items.factors(), rows, components, extremes,
                (row, projection) -> catalogue.scored(Side.ITEMS, row, projection));
    }

    /** Every qualifying item's coordinates on the leading components, the most rated first. */
    List<ItemProjection> itemPcaProjection(int components, int minRatings) {
        int[] rows = pcaRows(components, minRatings);
        FactorTable items = model.factors(Side.ITEMS);
        double[][] coordinates = FactorPca.project(items.rows(), items.factors(), rows, components);
        List<ItemProjection> result = new ArrayList<>(rows.length);
        for (int k = 0; k < rows.length; k++) {
            String id = catalogue.ids(Side.ITEMS).id(rows[k]);
            result.add(new ItemProjection(id, catalogue.titles().get(id), catalogue.count(Side.ITEMS, rows[k]),
                    coordinates[k]));
        }
        result.sort(Comparator.comparingInt(ItemProjection::ratingCount).reversed());
        return List.copyOf(result);
    }

    /** Checks the PCA arguments and returns the items with at least {@code minRatings} training ratings. */
    private int[] pcaRows(int components, int minRatings) {
        Catalogue.requirePositive("components", components);
        Catalogue.requirePositive("minRatings", minRatings);
        int factors = model.factors(Side.ITEMS).factors();
        if (components > factors) {
            throw new IllegalArgumentException("components must be at most the number of item factors, "
                    + factors + ", got " + components);
        }
        int[] rows = IntStream.range(0, catalogue.ids(Side.ITEMS).size())
                .filter(i -> catalogue.count(Side.ITEMS, i) >= minRatings).toArray();
        if (rows.length < 2) {
            throw new IllegalArgumentException("PCA needs at least two items with " + minRatings
                    + " or more training ratings, found " + rows.length);
        }
        return rows;
    }
}
