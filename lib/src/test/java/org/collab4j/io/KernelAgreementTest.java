package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.Pair;

import org.collab4j.data.Ratings;
import org.collab4j.engine.Engines;
import org.collab4j.kernel.Kernel;
import org.collab4j.kernel.ParameterNames;
import org.collab4j.model.BlockKind;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.model.YRange;
import org.collab4j.recommend.Recommender;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one test that pins {@link Kernel} to the DJL blocks: for every block kind, the parameters DJL lists are the
 * names and shapes {@link BlockConfig#layout()} computes, and the kernel's forward (directly, and as the
 * {@link Recommender} serves it) gives the block's forward to within float rounding.
 */
class KernelAgreementTest {

    private static final int USERS = 7;
    private static final int ITEMS = 6;

    @Test
    void theKernelComputesWhatTheBlocksCompute() {
        Ratings ratings = TestModels.ratings(USERS, ITEMS, 1.0, 3);
        List<CollabBlock.BaseBuilder<?>> kinds = List.of(
                EmbeddingDot.builder().optFactors(5),
                EmbeddingDot.builder().optFactors(5).optYRange(YRange.MOVIELENS),
                EmbeddingDotBias.builder().optFactors(5),
                EmbeddingNet.builder().optUserFactors(4).optItemFactors(3).optHidden(5, 4));
        Engine.getEngine(Engines.ENGINE_NAME).setRandomSeed(5);
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            for (CollabBlock.BaseBuilder<?> kind : kinds) {
                CollabBlock block = kind.setNumUsers(USERS).setNumItems(ITEMS).build();
                // Weights of order one, so that sums and the sigmoid's curve are exercised, not just ±0.01.
                block.setInitializer(new UniformInitializer(0.8f), Parameter.Type.WEIGHT);
                block.setInitializer(new UniformInitializer(0.8f), Parameter.Type.BIAS);
                block.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1),
                        new ai.djl.ndarray.types.Shape(1));
                BlockConfig config = BlockConfig.of(block);

                List<String> djlLayout = new ArrayList<>();
                Map<String, float[]> w = new java.util.LinkedHashMap<>();
                for (Pair<String, Parameter> p : block.getParameters()) {
                    djlLayout.add(p.getKey() + java.util.Arrays.toString(p.getValue().getArray().getShape()
                            .getShape()));
                    w.put(p.getKey(), p.getValue().getArray().toFloatArray());
                }
                assertEquals(config.layout().stream().map(BlockConfig.Table::toString).toList(), djlLayout,
                        block.toString());

                float[] djl = TrainedModelTest.djlPredictAll(block, manager, USERS, ITEMS);
                Function<int[], Float> kernel = forward(config, w);
                Recommender recommender = Recommender.of(TrainedModel.of(block, ratings, null));
                float[] mine = new float[djl.length];
                float[] served = new float[djl.length];
                for (int k = 0; k < djl.length; k++) {
                    int u = k / ITEMS;
                    int i = k % ITEMS;
                    mine[k] = kernel.apply(new int[] {u, i});
                    served[k] = recommender.predict(ratings.users().id(u), ratings.items().id(i));
                }
                assertArrayEquals(djl, mine, 2e-6f, block.toString());
                assertArrayEquals(djl, served, 2e-6f, block.toString() + " (served)");
            }
        }
    }

    /** The block's forward, written with the kernel's pieces, straight from the formulas. */
    private static Function<int[], Float> forward(BlockConfig c, Map<String, float[]> w) {
        YRange range = c.yRange();
        return ui -> {
            int u = ui[0];
            int i = ui[1];
            float x;
            if (c.kind() == BlockKind.EMBEDDING_NET) {
                int hidden = c.hidden().length;
                float[] in = new float[c.userFactors() + c.itemFactors()];
                System.arraycopy(w.get(ParameterNames.USER_FACTORS), u * c.userFactors(), in, 0, c.userFactors());
                System.arraycopy(w.get(ParameterNames.ITEM_FACTORS), i * c.itemFactors(), in, c.userFactors(),
                        c.itemFactors());
                for (int layer = 0; layer <= hidden; layer++) {
                    float[] bias = w.get(ParameterNames.layerBias(layer, hidden));
                    float[] out = new float[bias.length];
                    Kernel.linear(w.get(ParameterNames.layerWeight(layer, hidden)), bias, in, in.length, out.length,
                            out);
                    if (layer < hidden) {
                        Kernel.relu(out, out.length);
                    }
                    in = out;
                }
                x = in[0];
            } else {
                int f = c.userFactors();
                x = Kernel.dot(w.get(ParameterNames.USER_FACTORS), u * f, w.get(ParameterNames.ITEM_FACTORS), i * f, f);
                if (c.hasBiases()) {
                    x = Kernel.withBiases(x, w.get(ParameterNames.USER_BIAS)[u], w.get(ParameterNames.ITEM_BIAS)[i]);
                }
            }
            return range == null ? x : Kernel.sigmoidRange(x, range.low(), range.high());
        };
    }
}
