package org.collab4j.train.optimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * Threads that the host updates of {@link CollabOptimizer} (and the host engine's own work) split their work over:
 * a {@link ForkJoinPool} ({@link #of}), or the host engine's team of spinning threads, whose hand-over is cheap
 * enough to split the work of one small batch. Work is split into blocks that each write their own part of the
 * results; how many depends on the size of the work alone ({@link #blocks}), never on timing, so whatever thread
 * runs a block the results are the same.
 */
public interface HostSplit {

    /**
     * Returns the threads that run blocks, the calling thread included.
     *
     * @return the threads, at least 1
     */
    int threads();

    /**
     * Returns the fewest values of work per block worth handing to another thread: below it, the hand-over costs
     * more than it saves.
     *
     * @return the grain, positive
     */
    int grain();

    /**
     * Runs blocks {@code 0 .. blocks - 1} and returns when all are done, their writes then visible to the caller.
     * The calling thread runs some of them.
     *
     * @param blocks the number of blocks
     * @param block the work of one block, given its number
     */
    void run(int blocks, IntConsumer block);

    /**
     * Returns how many blocks to split work of this size into: one per thread at most, one per {@link #grain()}
     * values at least.
     *
     * @param split the threads, or {@code null} for the calling thread alone
     * @param work the values the work reads or writes, about
     * @return the number of blocks, at least 1
     */
    static int blocks(HostSplit split, long work) {
        return split == null ? 1 : (int) Math.max(1, Math.min(split.threads(), work / split.grain()));
    }

    /**
     * Runs {@code items} independent items in contiguous ranges, one per block ({@link #blocks}).
     *
     * @param split the threads, or {@code null} for the calling thread alone
     * @param items the number of items
     * @param work the values the whole work reads or writes, about
     * @param range the work on items {@code [from, to)}
     */
    static void ranges(HostSplit split, int items, long work, Range range) {
        int blocks = Math.min(blocks(split, work), Math.max(1, items));
        if (blocks == 1) {
            range.run(0, items);
            return;
        }
        split.run(blocks, b -> range.run((int) ((long) items * b / blocks), (int) ((long) items * (b + 1) / blocks)));
    }

    /**
     * A pool's threads and the calling thread, with a grain of 32,768 values: a pool's hand-over wakes a parked
     * thread, which takes tens of microseconds.
     *
     * @param pool the pool, or {@code null}
     * @return the split, or {@code null} for a {@code null} pool
     */
    static HostSplit of(ForkJoinPool pool) {
        if (pool == null) {
            return null;
        }
        return new HostSplit() {
            @Override
            public int threads() {
                return pool.getParallelism() + 1;
            }

            @Override
            public int grain() {
                return 32768;
            }

            @Override
            public void run(int blocks, IntConsumer block) {
                List<ForkJoinTask<?>> others = new ArrayList<>(blocks - 1);
                for (int b = 1; b < blocks; b++) {
                    int number = b;
                    others.add(pool.submit(() -> block.accept(number)));
                }
                block.accept(0);
                for (ForkJoinTask<?> task : others) {
                    task.join();
                }
            }
        };
    }

    /** The work on a range of items. */
    @FunctionalInterface
    interface Range {

        /**
         * Works on items {@code [from, to)}.
         *
         * @param from the first item
         * @param to one past the last item
         */
        void run(int from, int to);
    }
}
