package org.collab4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.data.Splits;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.model.EmbeddingDotBias;
import org.collab4j.train.optimizer.Adam;
import org.collab4j.train.optimizer.Sgd;
import org.junit.jupiter.api.Test;

/** The memory estimate made before a learner allocates its tables. */
class MemoryEstimateTest {

    private static final long GB = 1_000_000_000L;

    @Test
    void countsTablesAndTrainingStateOnTheRightSide() {
        // 10 users + 20 items, 4 factors + a bias each: 150 weights.
        EmbeddingDotBias block = EmbeddingDotBias.builder().setNumUsers(10).setNumItems(20).optFactors(4).build();
        MemoryEstimate host = MemoryEstimate.of(block, Adam.builder().build(), true, true);
        assertEquals(150, host.values());
        assertEquals(80, host.largestParameter());
        // Host step: weights + Adam's two moments on the heap, plus the guard's copy and its transfer buffer.
        assertEquals(150 * 4 * 5, host.heapBytes());
        assertEquals(150 * 4, host.nativeBytes());
        MemoryEstimate djl = MemoryEstimate.of(block, Sgd.builder().build(), false, false);
        assertEquals(0, djl.heapBytes());
        assertEquals(150 * 4 * 3, djl.nativeBytes()); // weights, gradients, SGD's velocity
        assertNull(host.shortfall());
        host.check("unused");
    }

    @Test
    void iAlsCountsTheInteractionsAndThreads() {
        // 10 users + 20 items, 4 factors: 120 weights.
        EmbeddingDot block = EmbeddingDot.builder().setNumUsers(10).setNumItems(20).optFactors(4).build();
        MemoryEstimate small = MemoryEstimate.forAls(block, 1_000, 1, false);
        MemoryEstimate large = MemoryEstimate.forAls(block, 1_001_000, 1, false);
        assertEquals(120, small.values());
        assertEquals(120 * 4, small.nativeBytes());
        // Each side's column, confidence and target, and the grouping's working arrays: 32 bytes an interaction.
        assertEquals(32L * 1_000_000, large.heapBytes() - small.heapBytes());
        MemoryEstimate twoThreads = MemoryEstimate.forAls(block, 1_000, 2, false);
        long perThread = twoThreads.heapBytes() - small.heapBytes();
        assertTrue(perThread > 65L * 4 * 4 * 1024 && perThread < 10_000_000, "work space of one thread: " + perThread);
        assertEquals(120 * 4 * 2, MemoryEstimate.forAls(block, 1_000, 1, true).heapBytes() - small.heapBytes());
        // A billion interactions do not fit a small heap: refused before anything is allocated.
        MemoryEstimate huge = MemoryEstimate.forAls(block, 1_000_000_000L, 2, false);
        assertTrue(huge.heapBytes() > 32 * GB, "bytes: " + huge.heapBytes());
        if (huge.maxHeapBytes() < 32 * GB) {
            assertNotNull(huge.shortfall());
        }
    }

    @Test
    void saysWhatDoesNotFit() {
        assertNull(new MemoryEstimate(1000, 500, GB, GB, 2 * GB, 16 * GB).shortfall());
        assertEquals("about 12.4 GB on the Java heap, but this JVM may use at most 3.9 GB",
                new MemoryEstimate(1, 1, 12_400_000_000L, 0, 3_900_000_000L, 64 * GB).shortfall());
        assertEquals("about 20.0 GB in all, but this machine has 16.0 GB of memory",
                new MemoryEstimate(1, 1, 2 * GB, 18 * GB, 4 * GB, 16 * GB).shortfall());
        assertTrue(new MemoryEstimate(3_000_000_000L, 3_000_000_000L, 0, 0, GB, 0).shortfall()
                .contains("more than a Java array can"));
        ModelTooLargeException e = assertThrows(ModelTooLargeException.class,
                () -> new MemoryEstimate(7, 7, 2 * GB, 0, GB, 0).check("use fewer factors"));
        assertEquals("the model is too large for this machine: its 7 weights and their training state need about"
                + " 2.0 GB on the Java heap, but this JVM may use at most 1.0 GB; use fewer factors", e.getMessage());
        assertNotNull(e.estimate());
    }

    @Test
    void aLearnerTooLargeForAnyMachineIsRefusedBeforeAllocating() {
        Ratings.Builder builder = Ratings.builder();
        for (int i = 0; i < 3000; i++) {
            builder.add("u" + i % 7, "i" + i, 3);
        }
        Ratings ratings = builder.build();
        // 3000 items x 1,000,000 factors: a 12 GB table, more than a Java array holds, and 60 GB with its state.
        ModelTooLargeException e = assertThrows(ModelTooLargeException.class, () -> CollabLearner.builder()
                .setData(Splits.random(ratings, 0.2, 1))
                .optModel(EmbeddingDotBias.builder().optFactors(1_000_000))
                .build());
        assertTrue(e.getMessage().startsWith("the model is too large for this machine"), e.getMessage());
        assertTrue(e.getMessage().contains("optFactors"), e.getMessage());
    }
}
