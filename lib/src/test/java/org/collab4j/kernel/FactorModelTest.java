package org.collab4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import java.util.Random;

/** The factor core's scores: hand-computed for a tiny model, and the same bits whichever path computes them. */
class FactorModelTest {

    @Test
    void scoresAreTheDotPlusTheUserBiasThenTheItemBias() {
        // Two users, three items, two factors. U = [[1, 2], [0.5, -1]], I = [[3, 1], [0, 2], [-1, -1]].
        FactorTable users = FactorTable.of(new float[] {1, 2, 0.5f, -1}, 2, new float[] {0.25f, -0.5f});
        FactorTable items = FactorTable.of(new float[] {3, 1, 0, 2, -1, -1}, 2, new float[] {1, 0, -2});
        FactorModel model = new FactorModel(users, items);
        assertEquals(3 + 2 + 0.25f + 1, model.score(0, 0));
        assertEquals(-2 - 0.5f + 0, model.score(1, 1));
        assertEquals(-3 + 0.25f - 2, model.score(0, 2));
        float[] out = new float[3];
        model.scores(Side.USERS, 1, 0, 3, out);
        assertArrayEquals(new float[] {1.5f - 1 - 0.5f + 1, -2.5f, -0.5f + 1 - 0.5f - 2}, out);
        assertEquals(model.score(1, 2), model.score(new float[] {0.5f, -1, -0.5f}, 2));
        FactorModel plain = new FactorModel(FactorTable.of(users.rows(), 2, null), FactorTable.of(items.rows(), 2,
                null));
        assertEquals(5f, plain.score(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new FactorModel(users, FactorTable.of(items.rows(), 2,
                null)));
        assertThrows(IllegalArgumentException.class, () -> FactorTable.of(new float[5], 2, null));
    }

    @Test
    void everyPathGivesEachPairsScoreBitForBit() {
        Random random = new Random(3);
        int factors = 7;
        int numUsers = 5;
        int numItems = 300;
        FactorTable users = table(random, numUsers, factors);
        FactorTable items = table(random, numItems, factors);
        FactorModel model = new FactorModel(users, items);
        float[] byItems = new float[numItems];
        float[] byUsers = new float[numUsers];
        for (int u = 0; u < numUsers; u++) {
            // In uneven ranges, as tiles are.
            for (int from = 0; from < numItems; from += 37) {
                model.scores(Side.USERS, u, from, Math.min(numItems, from + 37), byItems);
            }
            float[] row = java.util.Arrays.copyOf(users.row(u), factors + 1);
            row[factors] = users.bias(u);
            float[] folded = new float[numItems];
            model.scores(row, 0, numItems, folded);
            for (int i = 0; i < numItems; i++) {
                float pair = model.score(u, i);
                assertEquals(Float.floatToRawIntBits(pair), Float.floatToRawIntBits(byItems[i]), u + " " + i);
                assertEquals(Float.floatToRawIntBits(pair), Float.floatToRawIntBits(folded[i]), u + " " + i);
                assertEquals(Float.floatToRawIntBits(pair), Float.floatToRawIntBits(model.score(row, i)));
            }
        }
        for (int i = 0; i < numItems; i++) {
            model.scores(Side.ITEMS, i, 0, numUsers, byUsers);
            for (int u = 0; u < numUsers; u++) {
                assertEquals(Float.floatToRawIntBits(model.score(u, i)), Float.floatToRawIntBits(byUsers[u]));
            }
        }
        assertSame(items.columns(), items.columns(), "the columns are made once");
        assertEquals(256, new FactorModel(table(random, 1, 512), table(random, 1, 512)).tile());
    }

    private static FactorTable table(Random random, int rows, int factors) {
        float[] values = new float[rows * factors];
        float[] bias = new float[rows];
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) random.nextGaussian();
        }
        for (int k = 0; k < rows; k++) {
            bias[k] = (float) random.nextGaussian();
        }
        return FactorTable.of(values, factors, bias);
    }
}
