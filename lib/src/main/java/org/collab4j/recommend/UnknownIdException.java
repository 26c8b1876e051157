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

    UnknownIdException(String kind, String id, String message) {
        super(message);
        this.kind = kind;
        this.id = id;
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
