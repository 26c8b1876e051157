package org.collab4j.kernel;

/**
 * The two sides of a factor model. Whatever is written for one side is written once for both, parameterised by
 * the side, as Spark's {@code recommendForAll(src, dst)} serves users and items: scoring one side's rows against the
 * other's ({@link FactorModel#scores}), neighbours, bias rankings, fold-in.
 */
public enum Side {
    /** The users' table. */
    USERS,
    /** The items' table. */
    ITEMS;

    /**
     * Returns the side a row of this one is scored against.
     *
     * @return {@link #ITEMS} for {@link #USERS} and the reverse
     */
    public Side other() {
        return this == USERS ? ITEMS : USERS;
    }

    /**
     * Returns the side's name in messages.
     *
     * @return {@code "user"} or {@code "item"}
     */
    public String noun() {
        return this == USERS ? "user" : "item";
    }
}
