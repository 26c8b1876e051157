package org.collab4j.data;

/**
 * What to do when the same user rated the same item more than once (the same (user, item) pair on several rows).
 * Set it in the {@link ReadOptions} ({@link ReadOptions.Builder#optDuplicates(DuplicatePolicy)}) to apply it while
 * reading from any {@link InteractionsSource}, or apply it to ratings in memory with
 * {@link Ratings#deduplicate(DuplicatePolicy)}.
 *
 * <p>"Last" and "first" mean the order of the rows (the file's order), not the timestamps: sort the file by time
 * first if the latest rating should win.
 */
public enum DuplicatePolicy {

    /**
     * Keep every row (the default, and what fast.ai does): each duplicate is one more training example for the
     * pair, so a pair rated twice counts twice in the loss. Costs nothing: the rows are not even compared.
     */
    KEEP_ALL,

    /** Keep only the last row of each pair, where it is; the earlier ones are dropped. */
    KEEP_LAST,

    /**
     * Keep one row per pair, at the position of its last row, with the mean of the pair's ratings (and the last
     * row's timestamp).
     */
    MEAN,

    /**
     * Refuse duplicates: reading fails with a {@link RatingsFileException} naming the two lines, and
     * {@link Ratings#deduplicate(DuplicatePolicy)} with an {@link IllegalArgumentException} naming the ids and
     * rows.
     */
    ERROR
}
