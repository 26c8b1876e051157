package org.collab4j.io;

import org.collab4j.data.IdMap;
import org.collab4j.kernel.Csr;
import org.collab4j.kernel.Side;
import org.collab4j.model.BlockKind;
import org.collab4j.model.YRange;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small hybrid model built by hand (no training), whose item rows are what a hybrid model without id embeddings
 * holds: item {@code i1}'s features are {@code genre=A}, so its row is A's vector and its bias A's bias; {@code i2}'s
 * are {@code genre=A} and {@code genre=B}, the mean of both. Users have the features {@code country=FR},
 * {@code country=DE} and {@code age}. For the feature-entry and cold-start tests.
 */
public final class HybridModels {

    /** Item feature vocabulary and vectors (2 factors). */
    public static final List<String> ITEM_FEATURES = List.of("genre=A", "genre=B", "genre=C");
    public static final float[] ITEM_VECTORS = {1.0f, 0.5f, -0.5f, 1.5f, 0.25f, -1.0f};
    public static final float[] ITEM_BIASES = {0.2f, -0.1f, 0.4f};
    public static final List<String> USER_FEATURES = List.of("country=FR", "country=DE", "age");
    public static final float[] USER_VECTORS = {0.5f, 0.5f, -1.0f, 0.25f, 0.3f, -0.2f};
    public static final float[] USER_BIASES = {0.05f, -0.05f, 0.1f};

    private HybridModels() {}

    /**
     * The model, with feature embeddings on both sides.
     *
     * @return an EmbeddingDotBias with the MovieLens y-range, 3 users and 4 items, each rated
     */
    public static TrainedModel dotBias() {
        BlockConfig config = new BlockConfig(BlockKind.EMBEDDING_DOT_BIAS, 3, 4, 2, 2, YRange.MOVIELENS, new int[0],
                0f, 0f);
        Map<String, float[]> weights = new LinkedHashMap<>();
        weights.put("userFactors", new float[] {0.9f, -0.3f, -0.4f, 0.8f, 0.2f, 0.1f});
        weights.put("itemFactors", new float[] {1.0f, 0.5f, 0.25f, 1.0f, -0.7f, 0.3f, 0.6f, -0.9f});
        weights.put("userBias", new float[] {0.1f, -0.2f, 0.0f});
        weights.put("itemBias", new float[] {0.2f, 0.05f, -0.3f, 0.1f});
        // u1 rated i3; u2 rated i1 and i4; u3 rated i2.
        Csr rated = Csr.wrap(new int[] {0, 1, 3, 4}, new int[] {2, 0, 3, 1});
        TrainedModel model = new TrainedModel(config, IdMap.of(List.of("u1", "u2", "u3")),
                IdMap.of(List.of("i1", "i2", "i3", "i4")), 3.5, rated, weights,
                Provenance.minimal("hand-built hybrid model", 3), TrainedModel.DEFAULT_OBJECTIVE);
        return model.withFeatures(Side.ITEMS, new FeatureEmbeddings(ITEM_FEATURES, 2, ITEM_VECTORS, ITEM_BIASES,
                false)).withFeatures(Side.USERS, new FeatureEmbeddings(USER_FEATURES, 2, USER_VECTORS, USER_BIASES,
                true));
    }
}
