package org.collab4j.train.optimizer;

import java.util.Arrays;

/**
 * The steps a touched-row update skipped, kept for one table parameter so that a row can be brought up to date in
 * a constant number of operations when it is next touched: what those steps, with a zero gradient for the row,
 * would have done to it in a dense update.
 *
 * <p>A step {@code s} with a zero gradient multiplies a weight by {@code keep_s} (decoupled weight decay) and moves
 * it by {@code rate_s · d_s}, where the direction {@code d} comes from the optimizer's state and shrinks by
 * {@code ratio_s} at every step ({@link CollabOptimizer#coast}). A row last updated at step {@code a} and brought up
 * to date at step {@code b} therefore gets
 *
 * <pre>
 * w_b = D·w_a − K·d_a,   D = ∏_{i=a+1..b} keep_i,
 * K = Σ_{s=a+1..b} rate_s · ∏_{i=a+1..s} ratio_i · ∏_{i=s+1..b} keep_i,
 * </pre>
 *
 * and its state's direction shrinks by {@code R = ∏_{i=a+1..b} ratio_i}. The log keeps prefix sums of {@code ln keep} and
 * {@code ln ratio}, and {@code K}'s sum in chunks of {@link #CHUNK} steps, each relative to the chunk's first
 * term: a plain prefix sum of the terms would lose every digit to cancellation, since they shrink geometrically
 * and a late row's terms are tiny against the early ones. A chunk stops taking terms once later steps can no longer
 * move a row of it by more than {@code e^-40} of a step (the ratios' product has shrunk that far).
 *
 * <p>The log is bounded: when it is {@link #full()}, the caller brings every row up to date and the log starts
 * again ({@link #restart()}). Not thread-safe for {@link #record}; {@link #bringUpToDate} and
 * {@link #bringUpToDateNow} may run concurrently on distinct rows.
 */
final class CatchUpLog {

    /** Steps per chunk of {@code K}'s sums: terms within a chunk differ by at most {@code ratio^-CHUNK}. */
    static final int CHUNK = 32;
    /** A chunk closes once later terms are below {@code e^CLOSED} of its rows' own. */
    private static final double CLOSED = -40;
    /** Smallest ratio taken into the log: a ratio of 0 (no momentum) would make its logarithm -∞. */
    private static final double MIN_RATIO = 1e-30;
    /** Restart before the decay since a chunk's start reaches {@code e^-MAX_DECAY_SPAN} (far from double's range). */
    private static final double MAX_DECAY_SPAN = 500;

    private final int maxSteps;
    private final int[] current;
    // Indexed by the step's number since the last restart, 0 .. steps: Σ ln keep, Σ ln ratio, and within[s] = the
    // sum of K's terms rate_i·e^(l_i - l_base) for i from the first step of s's chunk to s, l = Σ ln(ratio/keep).
    private double[] logKeep = new double[1];
    private double[] logRatio = new double[1];
    private double[] within = new double[1];
    // The same steps as products, so that catching a row up takes no exponential: e^(Σ ln keep), which the
    // MAX_DECAY_SPAN restart keeps far from underflow, and e^(l_base - l_s) within s's chunk.
    private double[] keepProduct = {1};
    private double[] fromBase = {1};
    // Per chunk: the sum of its terms from its first step to the latest one it took.
    private double[] total = new double[1];
    private int steps;
    private int openFrom;

    /**
     * Creates an empty log.
     *
     * @param rows the rows of the table
     * @param maxSteps the most steps kept before {@link #full()}
     */
    CatchUpLog(int rows, int maxSteps) {
        current = new int[rows];
        this.maxSteps = maxSteps;
    }

    /** The number of rows. */
    int rows() {
        return current.length;
    }

    /**
     * Returns whether the log must restart before it takes another step: every row is then to be brought up to
     * date and {@link #restart()} called.
     */
    boolean full() {
        return steps >= maxSteps || logKeep[base(openFrom)] - logKeep[steps] > MAX_DECAY_SPAN;
    }

    /**
     * Logs the next step as it acts on a row it does not touch.
     *
     * @param keep the factor of weight decay, in {@code (0, 1]}
     * @param rate the scale of the move along the direction
     * @param ratio the factor by which the direction shrinks, in {@code [0, 1)}
     */
    void record(double keep, double rate, double ratio) {
        int s = ++steps;
        if (s >= logKeep.length) {
            int length = Math.max(2 * logKeep.length, 64);
            logKeep = Arrays.copyOf(logKeep, length);
            logRatio = Arrays.copyOf(logRatio, length);
            within = Arrays.copyOf(within, length);
            keepProduct = Arrays.copyOf(keepProduct, length);
            fromBase = Arrays.copyOf(fromBase, length);
        }
        int chunk = (s - 1) / CHUNK;
        if (chunk >= total.length) {
            total = Arrays.copyOf(total, Math.max(2 * total.length, 8));
        }
        logKeep[s] = logKeep[s - 1] + Math.log(keep);
        logRatio[s] = logRatio[s - 1] + Math.log(Math.max(ratio, MIN_RATIO));
        double l = logRatio[s] - logKeep[s];
        keepProduct[s] = Math.exp(logKeep[s]);
        // A row last updated at s starts its catch-up in the chunk of step s + 1, whose base is (s / CHUNK)·CHUNK.
        fromBase[s] = Math.exp(l(base(s / CHUNK)) - l);
        double first = rate * Math.exp(l - l(base(chunk)));
        within[s] = (s - 1 == base(chunk) ? 0 : within[s - 1]) + first;
        total[chunk] = within[s];
        for (int c = openFrom; c < chunk; c++) {
            total[c] += rate * Math.exp(l - l(base(c)));
        }
        // A row of chunk c was last updated before base(c + 1): the ratios since then bound what step s moves it.
        while (openFrom < chunk && logRatio[s] - logRatio[base(openFrom + 1)] < CLOSED) {
            openFrom++;
        }
    }

    /**
     * Brings one row up to date as the step about to be logged updates it: applies the steps it missed since it was
     * last updated, then marks it as updated by that step.
     *
     * @param row the row
     * @param weight the table
     * @param offset the row's first element in the table
     * @param length the row's length
     * @param coaster what the missed steps do, given their combined factors
     */
    void bringUpToDate(int row, float[] weight, int offset, int length, CollabOptimizer.HostCoaster coaster) {
        catchUp(row, weight, offset, length, coaster);
        current[row] = steps + 1;
    }

    /**
     * Brings one row up to date with the steps logged so far, before a step reads it.
     *
     * @param row the row
     * @param weight the table
     * @param offset the row's first element in the table
     * @param length the row's length
     * @param coaster what the missed steps do, given their combined factors
     */
    void bringUpToDateNow(int row, float[] weight, int offset, int length, CollabOptimizer.HostCoaster coaster) {
        catchUp(row, weight, offset, length, coaster);
        current[row] = Math.max(current[row], steps);
    }

    /**
     * Brings every row up to date with the steps logged so far, and restarts the log.
     *
     * @param weight the table, {@code rows × length} row-major
     * @param length the row's length
     * @param coaster what the missed steps do, given their combined factors
     */
    void bringAllUpToDate(float[] weight, int length, CollabOptimizer.HostCoaster coaster) {
        bringRowsUpToDate(0, current.length, weight, length, coaster);
        restart();
    }

    /**
     * Brings rows {@code [from, to)} up to date with the steps logged so far, as {@link #bringAllUpToDate} does, but
     * without the restart: ranges of rows may run concurrently, and {@link #restart()} follows once all are done.
     *
     * @param from the first row
     * @param to one past the last row
     * @param weight the table, {@code rows × length} row-major
     * @param length the row's length
     * @param coaster what the missed steps do, given their combined factors
     */
    void bringRowsUpToDate(int from, int to, float[] weight, int length, CollabOptimizer.HostCoaster coaster) {
        for (int row = from; row < to; row++) {
            catchUp(row, weight, row * length, length, coaster);
        }
    }

    private void catchUp(int row, float[] weight, int offset, int length, CollabOptimizer.HostCoaster coaster) {
        int a = current[row];
        if (a >= steps) {
            return;
        }
        int chunk = a / CHUNK;
        int base = base(chunk);
        double terms = total[chunk] - (a > base ? within[a] : 0);
        double decay = keepProduct[steps] / keepProduct[a];
        double move = decay * fromBase[a] * terms;
        coaster.coast(weight, offset, length, (float) decay, (float) move, logRatio[steps] - logRatio[a],
                steps - a);
    }

    /** Forgets the logged steps; every row counts as up to date. */
    void restart() {
        steps = 0;
        openFrom = 0;
        Arrays.fill(current, 0);
        total[0] = 0;
    }

    private static int base(int chunk) {
        return chunk * CHUNK;
    }

    private double l(int step) {
        return logRatio[step] - logKeep[step];
    }
}
