package org.collab4j.train.step;

import org.collab4j.train.optimizer.HostSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The host engine's threads: the calling thread and a team of helpers that wait for work spinning, so that one
 * small batch's work (64 ratings: a few microseconds per piece) can be split, which a {@link
 * java.util.concurrent.ForkJoinPool}, whose idle threads park and take tens of microseconds to wake, cannot.
 *
 * <p>{@link #run} publishes a job of numbered blocks; every thread, the caller included, claims blocks until none is
 * left, and the caller returns when all are done. A helper that is late or descheduled only leaves more blocks to
 * the others: which thread runs a block never changes what it computes. Where the cores are busy with other work, a
 * helper is sometimes descheduled in the middle of a block and keeps the caller waiting for a time slice; after such
 * a wait the caller runs the next jobs alone (16, then twice as many after each further lag) before it hands blocks
 * out again. A helper that has had no work for {@value #SPIN_MICROS} µs parks until the next job; one idle for
 * {@value #IDLE_SECONDS} s ends, and the next job starts it again, so a learner that is never closed leaves no thread
 * behind for long.
 */
final class HostThreads implements HostSplit, AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(HostThreads.class);

    /**
     * Fewest values per block worth handing to a helper: a spinning helper takes a job in well under a microsecond,
     * about what a thousand values of the host step's work cost.
     */
    static final int GRAIN = 1024;
    /** How long a helper spins for the next job before it yields its core while it spins. */
    private static final long BUSY_MICROS = 20;
    /** How long a helper spins for the next job before it parks. */
    private static final long SPIN_MICROS = 200;
    /** Wait for a helper beyond this thread's own share of a job that counts as the helper lagging. */
    private static final long LAG_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /** How long a helper waits parked for a job before it ends. */
    private static final long IDLE_SECONDS = 60;

    private final int threads;
    private final Helper[] helpers;
    /** Jobs still to run on the calling thread alone, and how many it ran alone after the last lag. */
    private int alone;
    private int lagged;
    // For the log at close: jobs handed out, jobs of several blocks run alone after a lag, lags.
    private long jobsSplit;
    private long jobsAlone;
    private long lags;
    private volatile Job job;
    private volatile boolean closed;

    /** @param threads the threads to use, the calling thread included, at least 1 */
    HostThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        helpers = new Helper[threads - 1];
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public int grain() {
        return GRAIN;
    }

    @Override
    public void run(int blocks, IntConsumer block) {
        if (closed && blocks > 1) {
            throw new IllegalStateException("the host engine's threads are closed");
        }
        if (blocks > 1 && alone > 0) {
            jobsAlone++;
        }
        if (blocks <= 1 || helpers.length == 0 || alone > 0) {
            alone = Math.max(0, alone - 1);
            for (int b = 0; b < blocks; b++) {
                block.accept(b);
            }
            return;
        }
        long start = System.nanoTime();
        jobsSplit++;
        Job current = new Job(blocks, block);
        job = current;
        for (int h = 0; h < helpers.length; h++) {
            Helper helper = helpers[h];
            if (helper == null || helper.ended) {
                helper = new Helper(this, h);
                helpers[h] = helper;
                helper.start();
            } else if (helper.parked) {
                LockSupport.unpark(helper);
            }
        }
        current.work();
        // Blocks a helper claimed may still run: wait for them (they are short).
        long worked = System.nanoTime() - start;
        long waitStart = System.nanoTime();
        for (int spins = 0; current.done.get() < blocks; spins++) {
            pause(spins);
        }
        long waited = System.nanoTime() - waitStart;
        // A helper that kept this thread waiting far longer than its own share took was descheduled mid-block: the
        // cores are busy with other work. Run the next jobs alone, twice as many each time it happens again, and
        // try the helpers again after them (which thread runs a block never changes the results).
        if (waited > worked + LAG_NANOS) {
            lags++;
            lagged = lagged == 0 ? 16 : Math.min(2 * lagged, 1 << 16);
            alone = lagged;
        } else {
            lagged = 0;
        }
        // A block's failure is thrown as it would be on the calling thread alone.
        Throwable failure = current.failure;
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("a host engine thread failed", failure);
        }
    }

    /** Ends the helpers; a later {@link #run} with more than one block fails. */
    @Override
    public void close() {
        closed = true;
        long helped = 0;
        for (Helper helper : helpers) {
            if (helper != null) {
                helped += helper.blocks;
                LockSupport.unpark(helper);
            }
        }
        if (helpers.length > 0) {
            logger.debug("host threads: {} jobs handed out, {} blocks run by the {} helpers (the rest by the caller),"
                    + " {} jobs run alone after {} lags", jobsSplit, helped, helpers.length, jobsAlone, lags);
        }
    }

    /**
     * Waits a moment in a spin loop: a few spins on the processor, then yields it, so that on a machine with more
     * runnable threads than cores a waiting thread gives way to the one it waits for (on an idle core a yield
     * returns at once).
     */
    private static void pause(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** The blocks of one {@link #run}: claimed one at a time by whichever thread is free. */
    private static final class Job {
        final int blocks;
        final IntConsumer block;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(int blocks, IntConsumer block) {
            this.blocks = blocks;
            this.block = block;
        }

        /** Runs blocks until none is left to claim; returns how many this thread ran. */
        int work() {
            int ran = 0;
            for (int b = next.getAndIncrement(); b < blocks; b = next.getAndIncrement(), ran++) {
                try {
                    block.accept(b);
                } catch (Throwable e) {
                    failure = e;
                } finally {
                    done.incrementAndGet();
                }
            }
            return ran;
        }
    }

    /** A helper: takes each new job, spinning for it a while, then parked. */
    private static final class Helper extends Thread {
        private final HostThreads team;
        volatile boolean parked;
        volatile boolean ended;
        /** Blocks this helper ran (written by it alone; read for the log). */
        volatile long blocks;

        Helper(HostThreads team, int number) {
            super("collab4j-host-" + number);
            this.team = team;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job last = null;
            long idleSince = System.nanoTime();
            while (!team.closed) {
                Job current = team.job;
                if (current != last) {
                    last = current;
                    int ran = current.work();
                    if (ran > 0) {
                        blocks += ran;
                    }
                    idleSince = System.nanoTime();
                    continue;
                }
                long idle = System.nanoTime() - idleSince;
                // The gaps between a batch's pieces are a few microseconds: spin through them on the core; longer, yield
                // it to whatever else is runnable.
                if (idle < TimeUnit.MICROSECONDS.toNanos(BUSY_MICROS)) {
                    Thread.onSpinWait();
                    continue;
                }
                if (idle < TimeUnit.MICROSECONDS.toNanos(SPIN_MICROS)) {
                    Thread.yield();
                    continue;
                }
                if (idle > TimeUnit.SECONDS.toNanos(IDLE_SECONDS)) {
                    break;
                }
                // Parked is set before the job is read again: a job published after that read finds it set and
                // unparks this thread (both are volatile).
                parked = true;
                if (team.job == last && !team.closed) {
                    LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
                }
                parked = false;
            }
            ended = true;
        }
    }
}
