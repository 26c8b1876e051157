package org.collab4j.recommend;

/**
 * Thrown under {@link UnknownIdPolicy#THROW} when a user or item has no trained embedding. The message names the
 * id and says why, e.g.
 *
 * <pre>
 * Unknown item id '999999': the model was trained on 9724 items and this one was not among them
 * </pre>
 */
public final class UnknownIdException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** {@code "user"} or {@code "item"}. */
    private final String kind;
    /** The unknown id, as the caller gave it. */
    private final String id;

    /** Why the id has no embedding, e.g. {@code the model was trained on 610 users and this one was not ...}. */
    private final String reason;
    /** Whether {@link UnknownIdPolicy#FALLBACK} would have answered instead. */
    private final boolean fallbackHelps;

    UnknownIdException(String kind, String id, String reason, boolean fallbackHelps, String message) {
        super(message);
        this.kind = kind;
        this.id = id;
        this.reason = reason;
        this.fallbackHelps = fallbackHelps;
    }

    /**
     * Returns why the id has no trained embedding, without advice, for callers that word their own (a command
     * line names its option).
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }

    /**
     * Tells whether {@link UnknownIdPolicy#FALLBACK} would have answered this call: false for similar items and
     * users, which need the id's own factors whatever the policy.
     *
     * @return whether the fallback policy helps
     */
    public boolean fallbackHelps() {
        return fallbackHelps;
    }

    /**
     * Returns which side the id belongs to.
     *
     * @return {@code "user"} or {@code "item"}
     */
    public String kind() {
        return kind;
    }

    /**
     * Returns the id.
     *
     * @return the id as the caller gave it
     */
    public String id() {
        return id;
    }
}
