package org.collab4j.io;

import org.collab4j.data.IdMap;
import org.collab4j.kernel.Csr;
import org.collab4j.model.BlockKind;
import org.collab4j.model.YRange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Dot models made in plain Java, without training, at any size: factors with the structure trained ones have
 * (items and users gathered around a few hundred cluster centres, item norms spread as popularity spreads them)
 * rather than isotropic Gaussians, which no nearest-neighbour index finds structure in. For the approximate index's
 * tests and its benchmark.
 */
public final class SyntheticModels {

    private SyntheticModels() {}

    /**
     * A clustered dot model: every user rated {@code rated} items, every item at least once (so that every item can
     * be recommended): rating {@code r} of the {@code users × rated} is item {@code r}, or a random one past the
     * last item.
     *
     * @param users how many users
     * @param items how many items
     * @param factors factors per row
     * @param clusters how many cluster centres
     * @param biases an EmbeddingDotBias (else EmbeddingDot)
     * @param rated items per user in the training data
     * @param seed the seed
     * @return the model
     */
    public static TrainedModel clustered(int users, int items, int factors, int clusters, boolean biases, int rated,
            long seed) {
        BlockConfig config = new BlockConfig(biases ? BlockKind.EMBEDDING_DOT_BIAS : BlockKind.EMBEDDING_DOT,
                users, items, factors, factors, YRange.MOVIELENS, new int[0], 0f, 0f);
        SplittableRandom random = new SplittableRandom(seed);
        float[][] centres = new float[clusters][factors];
        double scale = 1 / Math.sqrt(factors);
        for (float[] c : centres) {
            for (int d = 0; d < factors; d++) {
                c[d] = (float) (random.nextGaussian() * scale);
            }
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        weights.put("userFactors", rows(users, factors, centres, random, scale, 0));
        weights.put("itemFactors", rows(items, factors, centres, random, scale, 0.3));
        if (biases) {
            weights.put("userBias", gaussian(users, 0.1, random));
            weights.put("itemBias", gaussian(items, 0.1, random));
        }
        if ((long) users * rated < items) {
            throw new IllegalArgumentException(users + " users rating " + rated + " items each leave items unrated");
        }
        int[] offsets = new int[users + 1];
        int[] columns = new int[users * rated];
        for (int u = 0; u < users; u++) {
            int first = u * rated;
            int[] row = java.util.stream.IntStream.range(first, first + rated)
                    .map(r -> r < items ? r : random.nextInt(items)).sorted().distinct().toArray();
            System.arraycopy(row, 0, columns, offsets[u], row.length);
            offsets[u + 1] = offsets[u] + row.length;
        }
        Map<String, float[]> ordered = new LinkedHashMap<>();
        for (BlockConfig.Table table : config.layout()) {
            ordered.put(table.name(), weights.get(table.name()));
        }
        return new TrainedModel(config, ids("u", users), ids("i", items), 3.5,
                Csr.wrap(offsets, java.util.Arrays.copyOf(columns, offsets[users])), ordered,
                Provenance.minimal("synthetic clustered model", users), TrainedModel.DEFAULT_OBJECTIVE);
    }

    /** Rows near a random centre each (half the centre's spread), norms scaled by {@code exp(spread · N(0, 1))}. */
    private static float[] rows(int n, int factors, float[][] centres, SplittableRandom random, double scale,
            double spread) {
        float[] rows = new float[n * factors];
        for (int r = 0; r < n; r++) {
            float[] c = centres[random.nextInt(centres.length)];
            double norm = Math.exp(spread * random.nextGaussian());
            for (int d = 0; d < factors; d++) {
                rows[r * factors + d] = (float) (norm * (c[d] + 0.5 * scale * random.nextGaussian()));
            }
        }
        return rows;
    }

    private static float[] gaussian(int n, double sd, SplittableRandom random) {
        float[] v = new float[n];
        for (int k = 0; k < n; k++) {
            v[k] = (float) (sd * random.nextGaussian());
        }
        return v;
    }

    private static IdMap ids(String prefix, int n) {
        List<String> ids = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            ids.add(prefix + k);
        }
        return IdMap.of(ids);
    }
}
