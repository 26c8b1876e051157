package org.collab4j.train;

import ai.djl.nn.Parameter;

import org.collab4j.data.FeatureTable;
import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.io.FeatureEmbeddings;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.Side;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.train.objective.Ials;
import org.collab4j.train.objective.Objective;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.step.SideFeatures;
import org.collab4j.util.NDArrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * A {@link CollabLearner}'s side features ({@link CollabLearnerBuilder#optItemFeatures},
 * {@link CollabLearnerBuilder#optUserFeatures}): the tables checked against the training ids, an EmbeddingNet's
 * side columns (its tables aligned to the ids, given to its builder), or for the other blocks each side's
 * {@link SideFeatures} (the parts the step trains, their optimizer groups); then the fitted model's
 * {@link FeatureEmbeddings} and the provenance's lines about the tables.
 *
 * <p>Built in two stages, as the learner builds its block: the constructor before the block (it configures the
 * block's builder), {@link #attach} once the block's parameters exist.
 */
final class LearnerFeatures {

    /** The learner's logger: the lines about features stay the learner's. */
    private static final Logger logger = LoggerFactory.getLogger(CollabLearner.class);

    /** The ridge penalty of the features' vectors fitted to iALS's rows. */
    static final double FEATURE_RIDGE = 1.0;

    /** Whether either side has a table. */
    private final boolean any;
    /** Whether the block is an EmbeddingNet holding side columns, and its tables (aligned to the ids). */
    private final boolean net;
    private final FeatureTable netUserTable;
    private final FeatureTable netItemTable;
    /** The side features' parts, or {@code null} for a side without features (set by {@link #attach}). */
    private SideFeatures userFeatures;
    private SideFeatures itemFeatures;

    /**
     * Aligns an EmbeddingNet's tables to the ids and gives its builder the side columns; before the block is built.
     *
     * @throws IllegalArgumentException for an EmbeddingNet with features and without id embeddings or warm started
     */
    LearnerFeatures(CollabLearnerBuilder builder, CollabBlock.BaseBuilder<?> blockBuilder, Ratings train,
            TrainedModel initModel) {
        any = builder.userFeatures != null || builder.itemFeatures != null;
        // An EmbeddingNet takes side features as side columns of its own block (lesson 4's tabular form).
        net = any && blockBuilder instanceof EmbeddingNet.Builder;
        netUserTable = net && builder.userFeatures != null ? builder.userFeatures.alignedTo(train.users()) : null;
        netItemTable = net && builder.itemFeatures != null ? builder.itemFeatures.alignedTo(train.items()) : null;
        if (net) {
            if (!builder.idEmbeddings) {
                throw new IllegalArgumentException("an EmbeddingNet with side features keeps its id embeddings beside"
                        + " the side columns: leave optIdEmbeddings(true)");
            }
            if (initModel != null) {
                throw new IllegalArgumentException("an EmbeddingNet with side features trains from scratch: its"
                        + " saved rows hold the side columns folded in; leave optInitModel unset");
            }
            ((EmbeddingNet.Builder) blockBuilder)
                    .optUserFeatures(netUserTable == null ? null : netUserTable.matrix(), numericMask(netUserTable))
                    .optItemFeatures(netItemTable == null ? null : netItemTable.matrix(), numericMask(netItemTable));
        }
    }

    /** @return whether either side has a feature table */
    boolean any() {
        return any;
    }

    /**
     * Checks the tables against the training ids and the objective; after the training data's checks.
     *
     * @throws IllegalArgumentException if a table shares no id with the data, or iALS is asked to go without ids
     */
    void check(CollabLearnerBuilder builder, Objective objective, Ratings train) {
        if (builder.userFeatures != null) {
            SideFeatures.requireOverlap(Side.USERS, builder.userFeatures, train.users());
        }
        if (builder.itemFeatures != null) {
            SideFeatures.requireOverlap(Side.ITEMS, builder.itemFeatures, train.items());
        }
        if (any && objective instanceof Ials && !builder.idEmbeddings) {
            throw new IllegalArgumentException("iALS solves every entity's row and fits side features to the solved"
                    + " rows afterwards, so it needs id embeddings: leave optIdEmbeddings(true)");
        }
    }

    /**
     * Builds each side's {@link SideFeatures} (none for an EmbeddingNet, whose block holds them), once the block's
     * parameters exist and have their groups.
     */
    void attach(CollabLearnerBuilder builder, CollabBlock block, CollabOptimizer optimizer, Ratings train,
            TrainedModel initModel, long seed) {
        userFeatures = net ? null
                : sideFeatures(builder, block, optimizer, Side.USERS, builder.userFeatures, train.users(), initModel,
                        seed);
        itemFeatures = net ? null
                : sideFeatures(builder, block, optimizer, Side.ITEMS, builder.itemFeatures, train.items(), initModel,
                        seed);
    }

    /** For each feature of a table, whether it is numeric (has a scale); {@code null} without a table. */
    private static boolean[] numericMask(FeatureTable table) {
        if (table == null) {
            return null;
        }
        boolean[] numeric = new boolean[table.featureNames().size()];
        for (int f = 0; f < numeric.length; f++) {
            numeric[f] = table.numericScales().containsKey(table.featureNames().get(f));
        }
        return numeric;
    }

    /**
     * One side's features' parts, their optimizer state following the groups of the side's tables.
     *
     * @return the parts, or {@code null} without a table
     */
    private static SideFeatures sideFeatures(CollabLearnerBuilder builder, CollabBlock block,
            CollabOptimizer optimizer, Side side, FeatureTable table, IdMap ids, TrainedModel initModel, long seed) {
        if (table == null) {
            return null;
        }
        List<Parameter> tables = side == Side.USERS ? block.getUserTables() : block.getItemTables();
        Parameter factorTable = tables.get(0);
        int factors = Math.toIntExact(factorTable.getArray().getShape().get(1));
        SideFeatures features = SideFeatures.of(side, table, ids, factors, tables.size() > 1, builder.idEmbeddings,
                factorTable.getId(), seed);
        block.getParameters().forEach(pair -> {
            if (pair.getValue() == factorTable) {
                builder.applyParameterGroups(optimizer, pair.getKey(), pair.getValue(), features.vectorId());
            } else if (tables.size() > 1 && pair.getValue() == tables.get(1)) {
                builder.applyParameterGroups(optimizer, pair.getKey(), pair.getValue(), features.biasId());
            }
        });
        if (initModel != null && initModel.features(side).map(features::startFrom).orElse(false)) {
            logger.info("Collab4J {} (vectors from the initial model)", features.describe());
        } else {
            logger.info("Collab4J {}", features.describe());
        }
        return features;
    }

    /**
     * Returns one side's features' parts.
     *
     * @param side the side
     * @return the parts, or {@code null} for a side without them
     */
    SideFeatures side(Side side) {
        return side == Side.USERS ? userFeatures : itemFeatures;
    }

    /** @return whether the step trains features' parts (a hybrid model other than an EmbeddingNet's) */
    boolean hybrid() {
        return userFeatures != null || itemFeatures != null;
    }

    /**
     * Copies the weights to the heap, the features' parts with them.
     *
     * @param parameters the block's parameters
     * @return the copy
     */
    WeightsSnapshot snapshot(List<Parameter> parameters) {
        if (hybrid()) {
            return new WeightsSnapshot(parameters, userFeatures, itemFeatures);
        }
        return new WeightsSnapshot(parameters);
    }

    /**
     * The fitted model with each side's feature embeddings: the {@link SideFeatures}' (after iALS, fitted to its
     * rows first), or an EmbeddingNet's side columns.
     */
    TrainedModel applyTo(TrainedModel model, CollabBlock block, Objective objective) {
        model = withFeatures(model, block, objective, Side.USERS, userFeatures);
        model = withFeatures(model, block, objective, Side.ITEMS, itemFeatures);
        if (net) {
            model = withNetFeatures(model, block, Side.USERS, netUserTable);
            model = withNetFeatures(model, block, Side.ITEMS, netItemTable);
        }
        return model;
    }

    /**
     * The model with one side's feature vectors. iALS solved the rows alone: the vectors are first fitted to them
     * by ridge regression ({@link SideFeatures#fitRidge}, λ {@value #FEATURE_RIDGE}), the ids taking the residuals,
     * so the rows stay the solved ones.
     */
    private static TrainedModel withFeatures(TrainedModel model, CollabBlock block, Objective objective, Side side,
            SideFeatures features) {
        if (features == null) {
            return model;
        }
        if (objective instanceof Ials) {
            List<Parameter> tables = side == Side.USERS ? block.getUserTables() : block.getItemTables();
            float[] rows = NDArrays.toFloatArray(tables.get(0).getArray());
            float[] biases = tables.size() > 1 ? NDArrays.toFloatArray(tables.get(1).getArray()) : null;
            features.fitRidge(rows, biases, FEATURE_RIDGE);
        }
        return model.withFeatures(side, features.embeddings());
    }

    /**
     * A side's feature embeddings of an EmbeddingNet with side columns, for serving new entities: the features'
     * rows of the folded table ({@link EmbeddingNet#servedFeatureVectors}), no biases, a zero id embedding.
     */
    private static TrainedModel withNetFeatures(TrainedModel model, CollabBlock block, Side side,
            FeatureTable table) {
        if (table == null) {
            return model;
        }
        EmbeddingNet net = (EmbeddingNet) block;
        int width = (side == Side.USERS ? net.getUserFactors() : net.getItemFactors()) + net.sideWidth(side);
        return model.withFeatures(side, new FeatureEmbeddings(table.featureNames(), width,
                net.servedFeatureVectors(side), null, true, table.numericScales()));
    }

    /**
     * Describes the model for its provenance: the block, and each side's feature table (source, sizes, form).
     *
     * @return e.g. {@code EmbeddingDotBias(...); item features movies.csv (9742 ids, 21 features, ...)}
     */
    String describe(CollabBlock block) {
        StringBuilder text = new StringBuilder(block.toString());
        for (SideFeatures features : new SideFeatures[] {userFeatures, itemFeatures}) {
            if (features != null) {
                text.append("; ").append(features.describe());
            }
        }
        return text.toString();
    }
}
