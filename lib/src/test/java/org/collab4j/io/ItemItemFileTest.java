package org.collab4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.IdMap;
import org.collab4j.kernel.Csr;
import org.collab4j.kernel.ItemItemModel;
import org.collab4j.kernel.ParameterNames;
import org.collab4j.kernel.Side;
import org.collab4j.model.BlockKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An item-item model (EASE) in the model file: round trip, every entry checked, damage refused. */
class ItemItemFileTest {

    @TempDir
    Path dir;

    /** Three users, three items; user 2 has no history (all of its rows were below a threshold). */
    static TrainedModel model() {
        float[] b = {0f, 0.5f, -0.25f, 0.125f, 0f, 1f, 2f, -1f, 0f};
        Csr history = Csr.wrap(new int[] {0, 2, 3, 3}, new int[] {0, 2, 1});
        Csr rated = Csr.wrap(new int[] {0, 2, 3, 4}, new int[] {0, 2, 1, 0});
        return TrainedModel.itemItem(IdMap.of(List.of("a", "b", "c")), IdMap.of(List.of("x", "y", "z")), rated,
                history, new float[] {1f, 0.3f, 1f}, b, 0.8, Provenance.minimal("EASE(λ=1, input=weights)", 4),
                "ease");
    }

    @Test
    void scoresAreTheHistorysSumOfRows() {
        ItemItemModel m = model().itemItem().orElseThrow();
        // user a: 1·B[0, ·] + 0.3·B[2, ·] = (0 + 0.6, 0.5 - 0.3, -0.25 + 0).
        assertEquals(0.6f, m.score(0, 0), 1e-7);
        assertEquals(0.2f, m.score(0, 1), 1e-7);
        assertEquals(-0.25f, m.score(0, 2), 1e-7);
        float[] out = new float[3];
        m.scores(0, 0, 3, out);
        assertArrayEquals(new float[] {m.score(0, 0), m.score(0, 1), m.score(0, 2)}, out);
        assertArrayEquals(new float[] {0f, 0f, 0f}, m.row(2));
        assertEquals(m.score(0, 1), m.score(m.row(0), 1));
    }

    @Test
    void aSavedModelLoadsTheSame() throws IOException {
        TrainedModel model = model();
        Path file = dir.resolve("ease.c4j");
        model.save(file);
        TrainedModel loaded = TrainedModel.load(file);
        assertEquals(BlockKind.ITEM_ITEM, loaded.getConfig().kind());
        assertEquals(model.getConfig(), loaded.getConfig());
        assertEquals("ease", loaded.objective());
        assertArrayEquals(model.parameter(ParameterNames.ITEM_ITEM), loaded.parameter(ParameterNames.ITEM_ITEM));
        assertArrayEquals(model.parameter(ParameterNames.HISTORY_VALUES),
                loaded.parameter(ParameterNames.HISTORY_VALUES));
        assertArrayEquals(model.ratedItems().columns(), loaded.ratedItems().columns());
        ItemItemModel a = model.itemItem().orElseThrow();
        ItemItemModel b = loaded.itemItem().orElseThrow();
        assertArrayEquals(a.history().columns(), b.history().columns());
        assertArrayEquals(a.history().offsets(), b.history().offsets());
        for (int u = 0; u < 3; u++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(a.score(u, i), b.score(u, i));
            }
        }
        assertTrue(loaded.toString().contains("ItemItem(users=3, items=3, history=3)"), loaded.toString());
        IllegalStateException noFactors = assertThrows(IllegalStateException.class,
                () -> loaded.factors(Side.ITEMS));
        assertTrue(noFactors.getMessage().contains("no factor tables"), noFactors.getMessage());
    }

    @Test
    void aSliceAndASerializedCopyKeepTheirHistories() throws Exception {
        TrainedModel slice = model().userSlice(1, 3);
        ItemItemModel m = slice.itemItem().orElseThrow();
        assertEquals(2, m.users());
        assertArrayEquals(new float[] {1f}, m.historyValues());
        assertEquals(model().itemItem().orElseThrow().score(1, 2), m.score(0, 2));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model());
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            TrainedModel copy = (TrainedModel) in.readObject();
            assertEquals(model().itemItem().orElseThrow().score(0, 1), copy.itemItem().orElseThrow().score(0, 1));
        }
    }

    /** The model above with B cut to its entries of magnitude at least 0.5, as a sparse matrix. */
    static TrainedModel sparseModel() {
        // B = [[0, .5, -.25], [.125, 0, 1], [2, -1, 0]]: keep (0,1) .5, (1,2) 1, (2,0) 2, (2,1) -1.
        Csr rows = Csr.wrap(new int[] {0, 1, 2, 4}, new int[] {1, 2, 0, 1});
        TrainedModel dense = model();
        ItemItemModel m = dense.itemItem().orElseThrow();
        return TrainedModel.itemItem(dense.users(), dense.items(), dense.ratedItems(), m.history(),
                m.historyValues(), rows, new float[] {0.5f, 1f, 2f, -1f}, 0.8, dense.getProvenance(), "ease");
    }

    @Test
    void aSparseMatrixScoresAsTheDenseOneWithZerosAndRoundTrips() throws IOException {
        float[] zeroed = {0f, 0.5f, 0f, 0f, 0f, 1f, 2f, -1f, 0f};
        TrainedModel dense = TrainedModel.itemItem(model().users(), model().items(), model().ratedItems(),
                model().itemItem().orElseThrow().history(), model().itemItem().orElseThrow().historyValues(), zeroed,
                0.8, model().getProvenance(), "ease");
        TrainedModel sparse = sparseModel();
        Path file = dir.resolve("sparse.c4j");
        sparse.save(file);
        TrainedModel loaded = TrainedModel.load(file);
        assertEquals(sparse.getConfig(), loaded.getConfig());
        assertEquals(4, loaded.getConfig().matrixSize());
        assertTrue(loaded.toString().contains("sparse matrix=4"), loaded.toString());
        for (TrainedModel s : List.of(sparse, loaded)) {
            ItemItemModel a = dense.itemItem().orElseThrow();
            ItemItemModel b = s.itemItem().orElseThrow();
            float[] all = new float[3];
            for (int u = 0; u < 3; u++) {
                b.scores(u, 0, 3, all);
                for (int i = 0; i < 3; i++) {
                    assertEquals(a.score(u, i), b.score(u, i), "user " + u + " item " + i);
                    assertEquals(b.score(u, i), all[i]);
                    assertEquals(a.weight(u, i), b.weight(u, i));
                }
            }
        }
        Map<String, byte[]> entries = new LinkedHashMap<>(ModelCodec.encode(sparse));
        entries.put(ModelCodec.MATRIX, new byte[] {0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2,
                0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1});
        assertRefused(entries, "entry '" + ModelCodec.MATRIX + "': an item-item matrix's diagonal is 0, but row 0"
                + " keeps an entry for item 0");
    }

    @Test
    void damagedEntriesAreRefusedNamingThem() throws IOException {
        String matrix = ModelCodec.weightsEntry(ParameterNames.ITEM_ITEM);
        Map<String, byte[]> diagonal = entries();
        diagonal.put(matrix, floats(0f, 0.5f, -0.25f, 0.125f, 3f, 1f, 2f, -1f, 0f));
        assertRefused(diagonal, "entry '" + matrix + "': an item-item matrix's diagonal is 0, but B[1, 1] is 3.0");

        Map<String, byte[]> nan = entries();
        nan.put(matrix, floats(0f, Float.NaN, -0.25f, 0.125f, 0f, 1f, 2f, -1f, 0f));
        assertRefused(nan, "parameter itemItem is NaN at index 1");

        Map<String, byte[]> shortMatrix = entries();
        shortMatrix.put(matrix, floats(0f, 0.5f, -0.25f));
        assertRefused(shortMatrix, "it holds 12 bytes where itemItem[3, 3] takes 36");

        Map<String, byte[]> noHistory = entries();
        noHistory.remove(ModelCodec.HISTORY);
        assertRefused(noHistory, "no entry '" + ModelCodec.HISTORY + "'");

        Map<String, byte[]> count = entries();
        String config = new String(count.get(ModelCodec.CONFIG), StandardCharsets.UTF_8);
        count.put(ModelCodec.CONFIG, config.replace("\"historySize\": 3", "\"historySize\": 2")
                .replace("\"shape\": [\n        3\n      ]", "\"shape\": [\n        2\n      ]")
                .getBytes(StandardCharsets.UTF_8));
        count.put(ModelCodec.weightsEntry(ParameterNames.HISTORY_VALUES), floats(1f, 0.3f));
        assertRefused(count, "it lists 3 history entries where config.json says 2");
    }

    private static Map<String, byte[]> entries() throws IOException {
        return new LinkedHashMap<>(ModelCodec.encode(model()));
    }

    private void assertRefused(Map<String, byte[]> entries, String expected) throws IOException {
        Path file = dir.resolve("bad.c4j");
        ModelFile.writeEntries(file, entries);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> TrainedModel.load(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }
}
