package org.collab4j.examples;

import org.collab4j.data.Split;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.optimizer.Adam;

import picocli.CommandLine.Option;

/** The model and training options that {@code train} and {@code quickstart} share. */
final class TrainingOptions {

    /** The models {@code --model} offers. */
    enum ModelKind {
        dot, dotbias, net
    }

    @Option(names = "--model", description = "dot, dotbias or net (default: ${DEFAULT-VALUE})")
    ModelKind model = ModelKind.dotbias;

    @Option(names = "--epochs", description = "epochs of one-cycle training (default: ${DEFAULT-VALUE})")
    int epochs = 5;

    @Option(names = "--lr", description = "peak learning rate (default: ${DEFAULT-VALUE})")
    float lr = 5e-3f;

    @Option(names = "--wd", description = "AdamW weight decay (default: ${DEFAULT-VALUE})")
    float wd = 0.1f;

    @Option(names = "--bs", description = "batch size (default: ${DEFAULT-VALUE})")
    int batchSize = CollabLearner.Builder.DEFAULT_BATCH_SIZE;

    @Option(names = "--factors", description = "factors per user and item (default: ${DEFAULT-VALUE})")
    int factors = 50;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 42;

    CollabBlock.BaseBuilder<?> block() {
        return switch (model) {
            case dot -> EmbeddingDot.builder().optFactors(factors);
            case dotbias -> EmbeddingDotBias.builder().optFactors(factors);
            case net -> EmbeddingNet.builder().optFactors(factors);
        };
    }

    CollabLearner learner(Split split) {
        return CollabLearner.builder()
                .setData(split)
                .optModel(block())
                .optOptimizer(Adam.builder().optWeightDecay(wd).build())
                .optBatchSize(batchSize)
                .optSeed(seed)
                .build();
    }
}
