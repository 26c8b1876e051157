package org.collab4j.io;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;

import org.collab4j.data.Ratings;
import org.collab4j.model.BlockKind;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.util.NDArrays;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything in this package that touches DJL: reading a block's configuration and weights, and building a block
 * back. Kept apart so that loading and serving a model never load a DJL class: the JVM loads this class only when
 * one of these methods runs.
 */
final class DjlBlocks {

    private DjlBlocks() {}

    /** See {@link BlockConfig#of(CollabBlock)}. */
    static BlockConfig config(CollabBlock block) {
        BlockKind kind = BlockKind.of(block);
        if (kind == null) {
            throw new IllegalArgumentException("Collab4J can save and serve EmbeddingDot, EmbeddingDotBias and"
                    + " EmbeddingNet blocks, not " + block.getClass().getName()
                    + ": a subclass may compute something else, which a loaded model would not reproduce");
        }
        int users = block.getNumUsers();
        int items = block.getNumItems();
        return switch (kind) {
            case EMBEDDING_DOT -> {
                EmbeddingDot dot = (EmbeddingDot) block;
                yield new BlockConfig(kind, users, items, dot.getFactors(), dot.getFactors(), dot.getYRange(),
                        new int[0], 0f, 0f);
            }
            case EMBEDDING_DOT_BIAS -> {
                EmbeddingDotBias dot = (EmbeddingDotBias) block;
                yield new BlockConfig(kind, users, items, dot.getFactors(), dot.getFactors(), dot.getYRange(),
                        new int[0], 0f, 0f);
            }
            case EMBEDDING_NET -> {
                EmbeddingNet net = (EmbeddingNet) block;
                // With side columns, the folded form (EmbeddingNet#foldedWeights): the rows widened by them.
                yield new BlockConfig(kind, users, items,
                        net.getUserFactors() + net.sideWidth(org.collab4j.kernel.Side.USERS),
                        net.getItemFactors() + net.sideWidth(org.collab4j.kernel.Side.ITEMS),
                        net.getYRange(), net.getHidden(), net.getEmbeddingDropout(), net.getHiddenDropout());
            }
            case ITEM_ITEM -> throw new IllegalStateException("BlockKind.of never names the item-item kind");
        };
    }

    /** See {@link BlockConfig#toBuilder()}. */
    static CollabBlock.BaseBuilder<?> builder(BlockConfig c) {
        CollabBlock.BaseBuilder<?> builder = c.kind().newBuilder().optYRange(c.yRange());
        if (builder instanceof EmbeddingNet.Builder net) {
            net.optUserFactors(c.userFactors())
                    .optItemFactors(c.itemFactors())
                    .optHidden(c.hidden())
                    .optEmbeddingDropout(c.embeddingDropout())
                    .optHiddenDropout(c.hiddenDropout());
        } else {
            builder.optFactors(c.userFactors());
        }
        return builder.setNumUsers(c.numUsers()).setNumItems(c.numItems());
    }

    /**
     * Builds and initialises a block of a configuration with every weight set to one value, for weights to be
     * copied into. A constant rather than the builder's random init: drawing random numbers only to overwrite them
     * would move the engine's random state, which a training run in the same JVM may rely on.
     */
    static CollabBlock newConstantBlock(BlockConfig config, NDManager manager, Initializer constant) {
        CollabBlock block = builder(config).build();
        block.setInitializer(constant, Parameter.Type.WEIGHT);
        block.setInitializer(constant, Parameter.Type.BIAS);
        block.initialize(manager, DataType.FLOAT32, new Shape(1), new Shape(1));
        return block;
    }

    /** See {@link TrainedModel#of(CollabBlock, Ratings, Provenance, String)}. */
    static TrainedModel snapshot(CollabBlock block, Ratings train, Provenance provenance, String objective) {
        BlockConfig config = config(block);
        if (block.getNumUsers() != train.users().size() || block.getNumItems() != train.items().size()) {
            throw new IllegalArgumentException("the block has " + block.getNumUsers() + " users and "
                    + block.getNumItems() + " items but the ratings' id maps have " + train.users().size()
                    + " and " + train.items().size() + ": pass the ratings the block was built for");
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training ratings are empty");
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        Engine engine = null;
        boolean folded = block instanceof EmbeddingNet net && (net.hasFeatures(org.collab4j.kernel.Side.USERS)
                || net.hasFeatures(org.collab4j.kernel.Side.ITEMS));
        if (folded) {
            weights.putAll(((EmbeddingNet) block).foldedWeights());
            engine = block.getParameters().get(0).getValue().getArray().getManager().getEngine();
        }
        for (Pair<String, Parameter> p : folded ? List.<Pair<String, Parameter>>of() : block.getParameters()) {
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException("parameter " + p.getKey() + " of " + block
                        + " is not initialised: train the block (or call block.initialize) before saving it");
            }
            NDArray array = p.getValue().getArray();
            engine = array.getManager().getEngine();
            weights.put(p.getKey(), NDArrays.toFloatArray(array));
        }
        List<BlockConfig.Table> layout = config.layout();
        if (!List.copyOf(weights.keySet()).equals(layout.stream().map(BlockConfig.Table::name).toList())) {
            throw new IllegalStateException("the parameters of " + block + " are " + weights.keySet()
                    + ", not the " + layout + " its kind has");
        }
        Provenance prov = provenance;
        if (prov == null) {
            prov = Provenance.minimal(block.toString(), train.size());
            prov = new Provenance(prov.model(), null, null, null, null, List.of(), List.of(), null, null,
                    Engine.getDjlVersion(), engine == null ? null : engine.getVersion(), train.size(), 0,
                    prov.createdAt(), null);
        }
        return new TrainedModel(config, train.users(), train.items(), train.meanRating(),
                TrainedModel.ratedItems(train), weights, prov, objective);
    }

    /** See {@link TrainedModel#newBlock(NDManager)}. */
    static CollabBlock newBlock(TrainedModel model, NDManager manager) {
        // Ones times the weights rather than NDArray.set, which makes PyTorch print a deprecation warning through
        // DJL's JNI; 1 * w is exactly w for every float, -0, infinities and NaN included.
        CollabBlock block = newConstantBlock(model.getConfig(), manager, Initializer.ONES);
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            try (NDArray values = manager.create(model.weights().get(p.getKey()), array.getShape())) {
                array.muli(values);
            }
        }
        return block;
    }
}
