package org.collab4j.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

import org.collab4j.engine.Engines;
import org.junit.jupiter.api.Test;

/** The blocks are ordinary DJL blocks: a plain DJL Model and Trainer can train them. */
class PlainDjlTrainerTest {

    @Test
    void trainsWithDjlsOwnTrainer() {
        Engines.pytorch();
        EmbeddingDotBias block = EmbeddingDotBias.builder().setNumUsers(3).setNumItems(3).optFactors(4).build();
        try (Model model = Model.newInstance("plain", Engines.ENGINE_NAME)) {
            model.setBlock(block);
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(6), new Shape(6));
                NDManager manager = trainer.getManager();
                NDList input = new NDList(manager.create(new long[] {0, 0, 1, 1, 2, 2}),
                        manager.create(new long[] {0, 1, 1, 2, 2, 0}));
                NDArray label = manager.create(new float[] {5, 1, 4, 2, 3, 3});
                float first = 0;
                float last = 0;
                for (int step = 0; step < 50; step++) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray loss = trainer.getLoss()
                                .evaluate(new NDList(label), trainer.forward(input));
                        collector.backward(loss);
                        last = loss.getFloat();
                        first = step == 0 ? last : first;
                    }
                    trainer.step();
                }
                assertTrue(last < first / 4, "loss went from " + first + " to " + last);
            }
        }
    }
}
