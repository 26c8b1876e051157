package org.collab4j.train;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import org.collab4j.model.CollabBlock;
import org.collab4j.model.EmbeddingDot;
import org.collab4j.train.als.ImplicitAlsSolver;
import org.collab4j.train.optimizer.CollabOptimizer;
import org.collab4j.train.optimizer.Sgd;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What a learner's tables and their training state will take, worked out from the block's parameter shapes before
 * anything is allocated, and compared with what this JVM and this machine have. {@link CollabLearner} checks it
 * when it is built, so a model too large for the machine is a clear {@link ModelTooLargeException} instead of an
 * {@code OutOfMemoryError} after minutes, or the kernel's OOM killer with no message at all.
 *
 * <p>Copies of every weight counted: the weights themselves (native); on the DJL step their full-size gradients
 * and the optimizer's state arrays (native: two for Adam and RMSProp, one for SGD's velocity); on the host step a
 * heap copy of the weights and the state arrays on the heap instead; with the divergence guard, the heap copy of
 * the weights at the start of each epoch and the transfer buffer it is read through. iALS ({@link #forAls}) counts its
 * copy of the weights and the solver's arrays, which grow with the interactions.
 *
 * @param values the number of weights (every parameter of the block)
 * @param largestParameter the number of weights in the largest parameter (a Java array holds at most about
 *     2<sup>31</sup>)
 * @param heapBytes the bytes the Java heap must hold
 * @param nativeBytes the bytes of native (PyTorch) memory
 * @param maxHeapBytes the most heap this JVM may use ({@code -Xmx})
 * @param physicalBytes the machine's memory, or 0 where it cannot be read
 */
public record MemoryEstimate(long values, long largestParameter, long heapBytes, long nativeBytes, long maxHeapBytes,
        long physicalBytes) {

    /** The largest Java array the JVM reliably allocates. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;

    /**
     * Estimates the memory a learner over {@code block} will need, against this JVM's heap and this machine.
     *
     * @param block the block, built (its parameter shapes known) but not initialised
     * @param optimizer the optimizer
     * @param hostStep whether training runs on the host step
     * @param divergenceGuard whether a copy of the weights is kept per epoch
     * @return the estimate
     */
    public static MemoryEstimate of(CollabBlock block, CollabOptimizer optimizer, boolean hostStep,
            boolean divergenceGuard) {
        long values = 0;
        long largest = 0;
        for (Pair<String, Parameter> pair : block.getParameters()) {
            if (pair.getValue().getShape() == null) {
                continue; // a layer whose shape comes with initialisation (EmbeddingNet's Linear): small
            }
            long size = pair.getValue().getShape().size();
            values += size;
            largest = Math.max(largest, size);
        }
        int state = optimizer instanceof Sgd ? 1 : 2;
        long copiesOnHeap = (hostStep ? 1 + state : 0) + (divergenceGuard ? 2 : 0);
        long copiesNative = hostStep ? 1 : 2 + state;
        return new MemoryEstimate(values, largest, saturatedBytes(values, copiesOnHeap),
                saturatedBytes(values, copiesNative), Runtime.getRuntime().maxMemory(), physicalMemory());
    }

    /**
     * Estimates the memory iALS will need ({@link org.collab4j.train.als.AlsEngine}): the block's weights (native)
     * and, on the heap, a copy of them for the sweeps, the solver's own arrays for this many interactions and
     * threads ({@link ImplicitAlsSolver#heapBytes}) and, with the divergence guard, the weights' copy per epoch and
     * its transfer buffer.
     *
     * @param block the block, built but not initialised
     * @param interactions the training interactions
     * @param threads the threads the sweeps use
     * @param divergenceGuard whether a copy of the weights is kept per epoch
     * @return the estimate
     */
    public static MemoryEstimate forAls(CollabBlock block, long interactions, int threads, boolean divergenceGuard) {
        MemoryEstimate weights = of(block, Sgd.builder().build(), false, divergenceGuard);
        long values = weights.values();
        long rows = (long) block.getNumUsers() + block.getNumItems();
        int factors = block instanceof EmbeddingDot dot ? dot.getFactors()
                : rows == 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, values / rows);
        long heap = saturatedBytes(values, 1 + (divergenceGuard ? 2 : 0))
                + ImplicitAlsSolver.heapBytes(block.getNumUsers(), block.getNumItems(), interactions, factors, threads);
        return new MemoryEstimate(values, weights.largestParameter(), heap, saturatedBytes(values, 1),
                weights.maxHeapBytes(), weights.physicalBytes());
    }

    private static long saturatedBytes(long values, long copies) {
        double bytes = 4.0 * values * copies;
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }

    private static long physicalMemory() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
        } catch (RuntimeException | LinkageError e) {
            // Not every runtime exposes it: the heap check alone then applies.
        }
        return 0;
    }

    /**
     * Returns the total of heap and native memory.
     *
     * @return bytes
     */
    public long totalBytes() {
        return heapBytes > Long.MAX_VALUE - nativeBytes ? Long.MAX_VALUE : heapBytes + nativeBytes;
    }

    /**
     * Returns what does not fit, or null when everything does: a parameter larger than a Java array, the heap
     * part above the JVM's maximum heap, or the total above the machine's memory.
     *
     * @return the reason, e.g. {@code 12.4 GB on the Java heap, but this JVM may use at most 3.9 GB}, or null
     */
    public String shortfall() {
        if (largestParameter > MAX_ARRAY) {
            return String.format(Locale.ROOT, "one table holds %,d values, more than a Java array can (%,d)",
                    largestParameter, MAX_ARRAY);
        }
        if (heapBytes > maxHeapBytes) {
            return "about " + gigabytes(heapBytes) + " on the Java heap, but this JVM may use at most "
                    + gigabytes(maxHeapBytes);
        }
        if (physicalBytes > 0 && totalBytes() > physicalBytes) {
            return "about " + gigabytes(totalBytes()) + " in all, but this machine has " + gigabytes(physicalBytes)
                    + " of memory";
        }
        return null;
    }

    /**
     * Throws when the estimate does not fit.
     *
     * @param advice what to do, in the caller's terms (e.g. {@code use fewer factors (optFactors)})
     * @throws ModelTooLargeException if {@link #shortfall()} is not null
     */
    public void check(String advice) {
        String shortfall = shortfall();
        if (shortfall != null) {
            throw new ModelTooLargeException(this, String.format(Locale.ROOT, "the model is too large for this"
                    + " machine: its %,d weights and their training state need %s; %s", values, shortfall, advice));
        }
    }

    /** Bytes as gigabytes with one decimal, e.g. {@code 3.9 GB}. */
    static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
