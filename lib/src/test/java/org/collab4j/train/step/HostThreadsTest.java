package org.collab4j.train.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.collab4j.train.optimizer.HostSplit;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

/** The host engine's team: every block once, on whatever thread; small work on the calling thread; failures. */
class HostThreadsTest {

    @Test
    void everyBlockRunsOnceAndTheCallerSeesItsWrites() {
        try (HostThreads team = new HostThreads(3)) {
            for (int round = 0; round < 2000; round++) {
                int blocks = 1 + round % 7;
                int[] written = new int[blocks];
                AtomicIntegerArray runs = new AtomicIntegerArray(blocks);
                int value = round;
                team.run(blocks, b -> {
                    runs.incrementAndGet(b);
                    written[b] = value + b;
                });
                for (int b = 0; b < blocks; b++) {
                    assertEquals(1, runs.get(b), "round " + round + ", block " + b);
                    assertEquals(round + b, written[b]);
                }
            }
        }
    }

    /**
     * A block that waits for the other to start finishes with it only if a helper runs the other beside the caller
     * (a fresh team hands its first job out; after a helper lags, later jobs may run on the caller alone).
     */
    @Test
    void aHelperRunsABlockBesideTheCaller() {
        try (HostThreads team = new HostThreads(2)) {
            AtomicIntegerArray started = new AtomicIntegerArray(2);
            Thread[] ranOn = new Thread[2];
            long deadline = System.nanoTime() + 10_000_000_000L;
            team.run(2, b -> {
                ranOn[b] = Thread.currentThread();
                started.set(b, 1);
                while (started.get(1 - b) == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            });
            assertNotSame(ranOn[0], ranOn[1], "no helper ran a block within 10 s");
        }
    }

    @Test
    void blocksFollowTheSizeOfTheWorkAlone() {
        try (HostThreads team = new HostThreads(4)) {
            assertEquals(1, HostSplit.blocks(team, HostThreads.GRAIN - 1));
            assertEquals(2, HostSplit.blocks(team, 2L * HostThreads.GRAIN));
            assertEquals(4, HostSplit.blocks(team, 100L * HostThreads.GRAIN));
            assertEquals(1, HostSplit.blocks(null, 100L * HostThreads.GRAIN));
        }
        try (HostThreads one = new HostThreads(1)) {
            assertEquals(1, HostSplit.blocks(one, 100L * HostThreads.GRAIN));
        }
        assertThrows(IllegalArgumentException.class, () -> new HostThreads(0));
    }

    @Test
    void aFailingBlockFailsTheRunAndTheTeamGoesOn() {
        try (HostThreads team = new HostThreads(2)) {
            RuntimeException failure = new RuntimeException("block 1");
            for (int round = 0; round < 50; round++) {
                RuntimeException e = assertThrows(RuntimeException.class, () -> team.run(2, b -> {
                    if (b == 1) {
                        throw failure;
                    }
                }));
                assertSame(failure, e);
            }
            int[] sum = new int[2];
            team.run(2, b -> sum[b] = b + 1);
            assertEquals(3, sum[0] + sum[1]);
        }
    }
}
