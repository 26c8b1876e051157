package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;

import org.collab4j.engine.Engines;
import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.CollabLearner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

class TrainedModelTest {

    @TempDir
    Path dir;

    /** Every (user, item) index pair of the model, as DJL predicts them with the given block. */
    static float[] djlPredictAll(CollabBlock block, NDManager manager, int users, int items) {
        long[] u = new long[users * items];
        long[] i = new long[users * items];
        for (int k = 0; k < u.length; k++) {
            u[k] = k / items;
            i[k] = k % items;
        }
        NDList input = new NDList(manager.create(u), manager.create(i));
        return block.forward(new ParameterStore(manager, false), input, false).head().toFloatArray();
    }

    @Test
    void saveThenLoadGivesTheSameModelAndTheSamePredictions() throws IOException {
        for (CollabBlock.BaseBuilder<?> kind : List.of(EmbeddingDot.builder().optFactors(3),
                EmbeddingNet.builder().optFactors(3).optHidden(5, 4))) {
            try (CollabLearner learner = TestModels.trained(30, 20, kind)) {
                roundTrip(learner);
            }
        }
        try (CollabLearner learner = TestModels.trained(30, 20, null)) {
            roundTrip(learner);
        }
    }

    private void roundTrip(CollabLearner learner) throws IOException {
        TrainedModel model = learner.fittedModel();
        Path file = dir.resolve("model.c4j");
        model.save(file);
        TrainedModel loaded = TrainedModel.load(file);

        assertEquals(model.getConfig(), loaded.getConfig());
        assertEquals(model.users(), loaded.users());
        assertEquals(model.items(), loaded.items());
        assertEquals(model.getGlobalMean(), loaded.getGlobalMean());
        assertEquals(model.getProvenance(), loaded.getProvenance());
        assertEquals(model.parameterNames(), loaded.parameterNames());
        for (String name : model.parameterNames()) {
            assertArrayEquals(model.parameter(name), loaded.parameter(name), name);
            assertEquals(model.parameterShape(name), loaded.parameterShape(name));
        }
        for (int u = 0; u < model.users().size(); u++) {
            assertArrayEquals(model.ratedItems(u), loaded.ratedItems(u));
        }

        int users = model.users().size();
        int items = model.items().size();
        int[] u = new int[users * items];
        int[] i = new int[users * items];
        for (int k = 0; k < u.length; k++) {
            u[k] = k / items;
            i[k] = k % items;
        }
        float[] trained = learner.predictIndices(u, i);
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            // DJL's forward pass on the loaded weights gives the learner's numbers to the bit.
            assertArrayEquals(trained, djlPredictAll(loaded.newBlock(manager), manager, users, items));
        }
        // So does the plain-Java recommender, on the snapshot and on the loaded model alike.
        Recommender before = Recommender.of(model);
        Recommender after = Recommender.of(loaded);
        for (int k = 0; k < u.length; k++) {
            String user = model.users().id(u[k]);
            String item = model.items().id(i[k]);
            if (before.knowsUser(user) && before.knowsItem(item)) {
                assertEquals(before.predict(user, item), after.predict(user, item));
                assertEquals(trained[k], after.predict(user, item), 2e-5);
            }
        }
    }

    @Test
    void provenanceSaysHowTheModelWasTrained() {
        try (CollabLearner learner = TestModels.trained(30, 20, null)) {
            Provenance p = learner.fittedModel().getProvenance();
            assertEquals(42L, p.seed());
            assertEquals(32, p.batchSize());
            assertEquals(org.collab4j.train.CollabLearnerBuilder.defaultWeightDecay(learner.getTrainData().size()),
                    p.weightDecay(), "the default optimizer's weight decay follows the data's size");
            assertTrue(p.optimizer().startsWith("AdamW("), p.optimizer());
            assertEquals("one-cycle", p.fits().get(0).schedule());
            assertEquals(3, p.epochs());
            assertEquals(learner.getDevice().device().toString(), p.device());
            assertEquals("0.25.0", p.djlVersion());
            // 2.0.1 from the jars; whatever PYTORCH_VERSION says over a libtorch of the user's own.
            assertEquals(Engines.pytorch().getVersion(), p.engineVersion());
            assertEquals(learner.getTrainData().size(), p.trainRatings());
            assertEquals(learner.history().get(2).validRmse(), p.finalValidRmse());
            assertEquals(learner.getStepPlan().toString(), p.trainingStep());
            String text = learner.fittedModel().toString();
            assertTrue(text.contains("EmbeddingDotBias") && text.contains("seed 42") && text.contains("PyTorch " + Engines.pytorch().getVersion())
                    && text.contains("valid RMSE"), text);
        }
    }

    @Test
    void aSnapshotDoesNotChangeWhenTrainingGoesOn() {
        try (CollabLearner learner = TestModels.trained(30, 20, null)) {
            TrainedModel snapshot = learner.fittedModel();
            float[] before = snapshot.parameter("itemFactors");
            learner.fit(1, 1e-2f);
            assertArrayEquals(before, snapshot.parameter("itemFactors"));
            assertFalse(java.util.Arrays.equals(before, learner.fittedModel().parameter("itemFactors")));
        }
    }

    @Test
    void aFailedSaveLeavesTheOldFileInPlaceAndNoTemporaryFile() throws IOException {
        try (CollabLearner learner = TestModels.trained(30, 20, null)) {
            Path file = dir.resolve("model.c4j");
            learner.fittedModel().save(file);
            byte[] old = Files.readAllBytes(file);

            Map<String, byte[]> entries = new LinkedHashMap<>(ModelCodec.encode(learner.fittedModel()));
            entries.put("boom", null);  // the writer fails on this entry, after the others are written
            assertThrows(NullPointerException.class, () -> ModelFile.writeEntries(file, entries));

            assertArrayEquals(old, Files.readAllBytes(file));
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(file), files.toList());
            }
            // Saving again replaces the file with a complete one.
            learner.fit(1, 1e-2f);
            learner.fittedModel().save(file);
            assertFalse(java.util.Arrays.equals(old, Files.readAllBytes(file)));
            TrainedModel.load(file);
        }
    }

    @Test
    void onlyCollab4jBlocksCanBeSaved() {
        CollabBlock custom = new CollabBlock((byte) 1, EmbeddingDot.builder().setNumUsers(1).setNumItems(1)) {
            @Override
            public org.collab4j.model.YRange getYRange() {
                return null;
            }

            @Override
            protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                    ai.djl.util.PairList<String, Object> params) {
                return inputs;
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainedModel.of(custom, TestModels.ratings(1, 1, 1, 1), null));
        assertTrue(e.getMessage().contains("EmbeddingDot, EmbeddingDotBias and EmbeddingNet"), e.getMessage());
    }

    @Test
    void theObjectiveIsSavedAndLoaded() throws IOException {
        TrainedModel model = CrashSafetyTest.version(1);
        assertEquals("mse", model.objective());
        Path file = dir.resolve("bpr.c4j");
        model.withObjective("bpr").save(file);
        TrainedModel loaded = TrainedModel.load(file);
        assertEquals("bpr", loaded.objective());
        assertTrue(loaded.toString().contains("objective bpr"), loaded.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.withObjective("BPR!"));
        assertTrue(e.getMessage().contains("short lower-case name"), e.getMessage());
        // An objective a model file may not hold is refused at save: load would refuse the file.
        Path unknown = dir.resolve("unknown.c4j");
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> model.withObjective("evil-loss").save(unknown));
        assertTrue(s.getMessage().contains("KNOWN_OBJECTIVES"), s.getMessage());
        assertTrue(!java.nio.file.Files.exists(unknown));
    }

    @Test
    void aDivergedModelIsNotSaved() {
        TrainedModel good = CrashSafetyTest.version(1);
        Map<String, float[]> weights = new LinkedHashMap<>();
        good.parameterNames().forEach(name -> weights.put(name, good.parameter(name)));
        weights.get("itemBias")[3] = Float.NaN;
        TrainedModel nan = new TrainedModel(good.getConfig(), good.users(), good.items(), 3.5, good.ratedItems(),
                weights, good.getProvenance(), "mse");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> nan.save(dir.resolve("nan.c4j")));
        assertEquals("the model's parameter itemBias holds NaN at index 3 (the training diverged): it cannot be saved;"
                + " train again with a lower learning rate", e.getMessage());
        TrainedModel infiniteMean = new TrainedModel(good.getConfig(), good.users(), good.items(),
                Double.POSITIVE_INFINITY, good.ratedItems(), weightsOf(good),
                good.getProvenance(), "mse");
        assertThrows(IllegalStateException.class, () -> infiniteMean.save(dir.resolve("inf.c4j")));
        assertFalse(Files.exists(dir.resolve("nan.c4j")) || Files.exists(dir.resolve("inf.c4j")));
    }

    private static Map<String, float[]> weightsOf(TrainedModel model) {
        Map<String, float[]> weights = new LinkedHashMap<>();
        model.parameterNames().forEach(name -> weights.put(name, model.parameter(name)));
        return weights;
    }
}
