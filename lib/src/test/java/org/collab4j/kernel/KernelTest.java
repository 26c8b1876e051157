package org.collab4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import java.util.Random;

/** The kernel's all-items dot product against its one-item dot product, bit for bit. */
class KernelTest {

    @Test
    void dotAllGivesTheBitsOfDotForEveryItem() {
        Random random = new Random(5);
        // 7 factors: one pass of four and three single factors; 11 items, two users.
        int items = 11;
        int factors = 7;
        float[] itemTable = new float[items * factors];
        float[] users = new float[2 * factors];
        for (int k = 0; k < itemTable.length; k++) {
            itemTable[k] = (float) random.nextGaussian();
        }
        for (int k = 0; k < users.length; k++) {
            users[k] = (float) random.nextGaussian();
        }
        float[][] columns = Kernel.columns(itemTable, items, factors);
        assertEquals(factors, columns.length);
        assertEquals(itemTable[3 * factors + 5], columns[5][3]);
        float[] out = new float[items + 1];
        out[items] = 42f;
        for (int u = 0; u < 2; u++) {
            Kernel.dotAll(users, u * factors, columns, items, factors, out);
            for (int i = 0; i < items; i++) {
                assertEquals(Float.floatToIntBits(Kernel.dot(users, u * factors, itemTable, i * factors, factors)),
                        Float.floatToIntBits(out[i]), "user " + u + ", item " + i);
            }
            assertEquals(42f, out[items], "writes only numItems scores");
        }
    }
}
