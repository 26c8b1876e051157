package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.CollabLearner;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class TrainedModelSerialTest {

    static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    static Object deserialize(byte[] data) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data))) {
            return in.readObject();
        }
    }

    @Test
    void javaSerializationKeepsEverythingTheRecommenderReads() throws Exception {
        for (CollabBlock.BaseBuilder<?> kind : Arrays.asList(null, EmbeddingDot.builder().optFactors(3),
                EmbeddingNet.builder().optFactors(3).optHidden(5, 4))) {
            try (CollabLearner learner = TestModels.trained(30, 20, kind)) {
                TrainedModel model = learner.fittedModel();
                TrainedModel copy = (TrainedModel) deserialize(serialize(model));
                assertEquals(model.getConfig(), copy.getConfig());
                assertEquals(model.users(), copy.users());
                assertEquals(model.items(), copy.items());
                assertEquals(model.getGlobalMean(), copy.getGlobalMean());
                assertEquals(model.getProvenance(), copy.getProvenance());
                assertEquals(model.objective(), copy.objective());
                assertEquals(model.parameterNames(), copy.parameterNames());
                for (String name : model.parameterNames()) {
                    assertArrayEquals(model.parameter(name), copy.parameter(name), name);
                    assertEquals(model.parameterShape(name), copy.parameterShape(name), name);
                }
                for (int u = 0; u < model.users().size(); u++) {
                    assertArrayEquals(model.ratedItems(u), copy.ratedItems(u));
                }
                Recommender a = Recommender.of(model);
                Recommender b = Recommender.of(copy);
                List<String> users = model.users().ids().subList(0, 5);
                assertEquals(a.recommend(users, 4), b.recommend(users, 4));
            }
        }
    }

    @Test
    void theObjectiveTravelsWithTheModel() throws Exception {
        try (CollabLearner learner = TestModels.trained(30, 20, null)) {
            TrainedModel model = learner.fittedModel().withObjective("bpr");
            assertEquals("bpr", ((TrainedModel) deserialize(serialize(model))).objective());
        }
    }

    /** A stream is checked as a file is: sizes against the configuration's layout, finite weights. */
    @Test
    void aTamperedStreamIsRefusedWithTheFileChecks() throws Exception {
        try (CollabLearner learner = TestModels.trained(30, 20, null)) {
            TrainedModel model = learner.fittedModel();
            String first = model.parameterNames().get(0);
            String entry = ModelCodec.weightsEntry(first);

            Map<String, byte[]> nan = ModelCodec.encode(model);
            byte[] bytes = nan.get(entry).clone();
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(4, Float.NaN);
            nan.put(entry, bytes);
            InvalidObjectException e = assertThrows(InvalidObjectException.class,
                    () -> deserialize(serialize(new TrainedModel.SerialForm(nan))));
            assertTrue(e.getMessage().contains("not a finite number") && e.getMessage().contains(first),
                    e.getMessage());

            Map<String, byte[]> cut = ModelCodec.encode(model);
            cut.put(entry, java.util.Arrays.copyOf(cut.get(entry), cut.get(entry).length - 4));
            e = assertThrows(InvalidObjectException.class,
                    () -> deserialize(serialize(new TrainedModel.SerialForm(cut))));
            assertTrue(e.getMessage().contains(entry) && e.getMessage().contains("bytes"), e.getMessage());

            Map<String, byte[]> missing = new LinkedHashMap<>(ModelCodec.encode(model));
            missing.remove(ModelCodec.RATED);
            e = assertThrows(InvalidObjectException.class,
                    () -> deserialize(serialize(new TrainedModel.SerialForm(missing))));
            assertTrue(e.getMessage().contains(ModelCodec.RATED), e.getMessage());
        }
    }
}
