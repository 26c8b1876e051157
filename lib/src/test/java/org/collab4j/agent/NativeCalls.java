package org.collab4j.agent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The counts {@link NativeCallAgent} collects: every native call into DJL's PyTorch library, the calls among them
 * that copy between host and device (on a GPU each one blocks until the device has caught up: a
 * synchronisation), and per training step ({@code trainBatch}) the calls and copies it made.
 */
public final class NativeCalls {

    /**
     * The native methods that copy between host and device memory, or wait for the device to know a result's size
     * (torchUnique, torchNonZeros, torchMaskedSelect): each is a host-device synchronisation on a GPU.
     */
    public static final Set<String> SYNCHRONISING = Set.of("torchFromBlob", "torchDataPtr", "torchTo",
            "torchUnique", "torchNonZeros", "torchMaskedSelect", "torchSet", "torchGetItem", "torchToSparse",
            "torchToDense");

    static volatile boolean installed;
    /** Native methods whose call sites inside a step are printed, for finding where calls come from. */
    private static final Set<String> TRACE = Set.of(System.getProperty("collab4j.nativecalls.trace",
            System.getenv().getOrDefault("COLLAB4J_NATIVE_TRACE", "")).split(","));

    private static long calls;
    private static long syncs;
    private static int depth;
    // Off until the first reset(): every lib test runs under the agent, and a record per step of every test would
    // pile up in the test JVM.
    private static boolean recording;
    private static long stepCalls;
    private static Map<String, Integer> stepByName = new LinkedHashMap<>();
    private static final List<Step> steps = new ArrayList<>();

    private NativeCalls() {}

    /**
     * One training step's native calls.
     *
     * @param calls the native calls it made
     * @param byName how often each native method was called (synchronising or not)
     */
    public record Step(long calls, Map<String, Integer> byName) {
        /**
         * Returns the synchronising calls of the step.
         *
         * @return how many of the calls were in {@link #SYNCHRONISING}
         */
        public long syncs() {
            return byName.entrySet().stream().filter(e -> SYNCHRONISING.contains(e.getKey()))
                    .mapToLong(Map.Entry::getValue).sum();
        }
    }

    /**
     * Returns whether the agent is installed (the JVM was started with {@code -javaagent:...native-call-counter.jar}).
     *
     * @return {@code true} when calls are being counted
     */
    public static boolean installed() {
        return installed;
    }

    /**
     * Counts a call; the instrumented call sites call it.
     *
     * @param name the native method
     */
    public static synchronized void call(String name) {
        calls++;
        boolean sync = SYNCHRONISING.contains(name);
        if (sync) {
            syncs++;
        }
        if (depth > 0 && recording) {
            stepCalls++;
            stepByName.merge(name, 1, Integer::sum);
            if (TRACE.contains(name)) {
                new Throwable("native call " + name + " in a step").printStackTrace();
            }
        }
    }

    /** Marks the start of a training step. */
    public static synchronized void stepStart() {
        if (depth++ == 0) {
            stepCalls = 0;
            stepByName = new LinkedHashMap<>();
        }
    }

    /** Marks the end of a training step (not reached when the step throws). */
    public static synchronized void stepEnd() {
        if (depth > 0 && --depth == 0 && recording) {
            steps.add(new Step(stepCalls, Collections.unmodifiableMap(stepByName)));
        }
    }

    /**
     * Returns every native call counted since the start or the last {@link #reset}.
     *
     * @return the calls
     */
    public static synchronized long calls() {
        return calls;
    }

    /**
     * Returns the synchronising calls counted since the start or the last {@link #reset}.
     *
     * @return the synchronising calls
     */
    public static synchronized long syncs() {
        return syncs;
    }

    /**
     * Returns the training steps recorded since the last {@link #reset}, oldest first.
     *
     * @return the steps
     */
    public static synchronized List<Step> steps() {
        return List.copyOf(steps);
    }

    /** Forgets everything counted and records every training step from now on. */
    public static synchronized void reset() {
        recording = true;
        calls = 0;
        syncs = 0;
        depth = 0;
        steps.clear();
    }
}
