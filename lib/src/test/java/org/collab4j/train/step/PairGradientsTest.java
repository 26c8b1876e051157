package org.collab4j.train.step;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The chain rule into rows summed per slot over threads against one thread adding pair after pair (the engine's
 * arithmetic before the split): the same floats bit for bit, on data where another order of the additions gives
 * other floats.
 */
class PairGradientsTest {

    private static final int FACTORS = 24;
    private static final int USERS = 300;
    private static final int ITEMS = 200;

    /** The batch: pairs over a few distinct rows each, so that slots gather many pairs in mixed order. */
    private record Batch(int[] userRows, int userCount, int[] itemRows, int itemCount, int[] pu, int[] pi, float[] d,
            float[] uf, float[] itf) {}

    private static Batch batch(int pairs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int userCount = 40;
        int itemCount = 70;
        int[] userRows = random.ints(0, USERS).distinct().limit(userCount).toArray();
        int[] itemRows = random.ints(0, ITEMS).distinct().limit(itemCount).toArray();
        int[] pu = new int[pairs];
        int[] pi = new int[pairs];
        float[] d = new float[pairs];
        for (int e = 0; e < pairs; e++) {
            pu[e] = random.nextInt(userCount);
            // Skewed items, as popularity makes them: some slots take a large share of the pairs.
            pi[e] = (int) (itemCount * Math.pow(random.nextDouble(), 3));
            d[e] = (float) random.nextGaussian();
        }
        float[] uf = new float[USERS * FACTORS];
        float[] itf = new float[ITEMS * FACTORS];
        for (int k = 0; k < uf.length; k++) {
            uf[k] = (float) random.nextGaussian();
        }
        for (int k = 0; k < itf.length; k++) {
            itf[k] = (float) random.nextGaussian();
        }
        return new Batch(userRows, userCount, itemRows, itemCount, pu, pi, d, uf, itf);
    }

    /** The gradients: user factors, item factors, user bias, item bias. */
    private static float[][] grads(boolean bySlot) {
        return bySlot
                ? new float[][] {new float[40 * FACTORS], new float[70 * FACTORS], new float[40], new float[70]}
                : new float[][] {new float[USERS * FACTORS], new float[ITEMS * FACTORS], new float[USERS],
                    new float[ITEMS]};
    }

    /** One thread, pair after pair, in the given order of the pairs. */
    private static float[][] serial(Batch b, boolean bySlot, int[] order) {
        float[][] g = grads(bySlot);
        for (int e : order) {
            int u = b.userRows[b.pu[e]];
            int i = b.itemRows[b.pi[e]];
            int ug = bySlot ? b.pu[e] : u;
            int ig = bySlot ? b.pi[e] : i;
            for (int c = 0; c < FACTORS; c++) {
                g[0][ug * FACTORS + c] += b.d[e] * b.itf[i * FACTORS + c];
                g[1][ig * FACTORS + c] += b.d[e] * b.uf[u * FACTORS + c];
            }
            g[2][ug] += b.d[e];
            g[3][ig] += b.d[e];
        }
        return g;
    }

    /** Through PairGradients, flushing every {@code flushEvery} pairs. */
    private static float[][] split(Batch b, boolean bySlot, HostThreads threads, int flushEvery) {
        float[][] g = grads(bySlot);
        PairGradients pairs = new PairGradients(flushEvery, FACTORS, bySlot, g[0], g[1], g[2], g[3]);
        for (int e = 0; e < b.d.length; e++) {
            if (pairs.size() == pairs.capacity()) {
                pairs.flush(threads, b.uf, b.itf, b.userRows, b.userCount, b.itemRows, b.itemCount);
            }
            pairs.add(b.pu[e], b.pi[e], b.d[e]);
        }
        pairs.flush(threads, b.uf, b.itf, b.userRows, b.userCount, b.itemRows, b.itemCount);
        return g;
    }

    @Test
    void slotsSummedOnAnyThreadsEqualOneThreadsSumsBitForBit() {
        Batch b = batch(4000, 11);
        int[] inOrder = new int[b.d.length];
        Arrays.setAll(inOrder, e -> e);
        int[] reversed = new int[b.d.length];
        Arrays.setAll(reversed, e -> b.d.length - 1 - e);
        for (boolean bySlot : new boolean[] {true, false}) {
            float[][] expected = serial(b, bySlot, inOrder);
            // The check can fail: summing in another order gives other floats for these data.
            assertFalse(Arrays.equals(expected[1], serial(b, bySlot, reversed)[1]));
            for (int threads : new int[] {1, 2, 3, 5}) {
                try (HostThreads team = new HostThreads(threads)) {
                    // 4,000 pairs × 24 factors × 2 sides is many grains: the sums are split over every thread.
                    assertTrue(org.collab4j.train.optimizer.HostSplit.blocks(team, 2L * 4000 * FACTORS) == threads);
                    for (int flushEvery : new int[] {4000, 333}) {
                        float[][] actual = split(b, bySlot, team, flushEvery);
                        for (int k = 0; k < 4; k++) {
                            assertArrayEquals(expected[k], actual[k], "bySlot " + bySlot + ", " + threads
                                    + " threads, flush every " + flushEvery + ", gradient " + k);
                        }
                    }
                }
            }
        }
    }
}
