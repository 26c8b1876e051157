package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingNet;
import org.collab4j.recommend.Recommender;
import org.collab4j.train.CollabLearner;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;

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
                TrainedModel model = TrainedModel.of(learner);
                TrainedModel copy = (TrainedModel) deserialize(serialize(model));
                assertEquals(model.getConfig(), copy.getConfig());
                assertEquals(model.users(), copy.users());
                assertEquals(model.items(), copy.items());
                assertEquals(model.getGlobalMean(), copy.getGlobalMean());
                assertEquals(model.getProvenance(), copy.getProvenance());
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
}
