package org.collab4j.train;

/**
 * Thrown when a {@link CollabLearner} is built whose tables and training state cannot fit in this JVM's heap or
 * this machine's memory ({@link MemoryEstimate}), before anything is allocated.
 */
public final class ModelTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Not serialized: a record of numbers that the message already states. */
    private final transient MemoryEstimate estimate;

    ModelTooLargeException(MemoryEstimate estimate, String message) {
        super(message);
        this.estimate = estimate;
    }

    /**
     * Returns the estimate that did not fit.
     *
     * @return the estimate (null after deserialization)
     */
    public MemoryEstimate estimate() {
        return estimate;
    }
}
