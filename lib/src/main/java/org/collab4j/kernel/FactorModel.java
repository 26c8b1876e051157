package org.collab4j.kernel;

/**
 * A dot model's raw score over its two tables, {@code U[u]·I[i]}, plus {@code b_u[u] + b_i[i]} for a model with
 * biases, added in that order as {@code EmbeddingDotBias} adds them ({@link Kernel#withBiases}): the one
 * implementation the recommender's top-N, its predictions, the Spark executors and the training's ranking probe
 * score with. There is no y-range here: it is monotonic, so ranking skips it, and a caller squashes what it shows.
 *
 * <p>Symmetric: {@link #scores} scores a row of either side against a range of the other side's rows, as Spark's
 * {@code recommendForAll(src, dst)}; a pair's score is the same bits whichever side asks. Scoring a user against the
 * items reads the item table factor-major ({@link FactorTable#columns()}), which the JIT vectorises; scoring an item
 * against the users reads the user rows, which are not transposed (a table is held once, plus the item columns).
 * Every score sums its factors from the first to the last ({@link Kernel#dot}), so each path gives the same bits.
 *
 * <p>Immutable; thread-safe.
 */
public final class FactorModel {

    /** The item factors a tile of {@link #tile()} items holds. */
    public static final int TILE_BYTES = 256 * 1024;

    private final FactorTable users;
    private final FactorTable items;
    private final int factors;
    private final boolean biases;

    /**
     * Pairs two tables.
     *
     * @param users the users' table
     * @param items the items' table
     * @throws IllegalArgumentException if the row lengths differ, or one table has biases and the other not
     */
    public FactorModel(FactorTable users, FactorTable items) {
        if (users.factors() != items.factors() || users.hasBias() != items.hasBias()) {
            throw new IllegalArgumentException("a dot model needs user and item rows of one length, both with or"
                    + " both without biases; got " + users.factors() + " and " + items.factors() + " factors");
        }
        this.users = users;
        this.items = items;
        this.factors = users.factors();
        this.biases = users.hasBias();
    }

    /**
     * Returns one side's table.
     *
     * @param side the side
     * @return its table
     */
    public FactorTable table(Side side) {
        return side == Side.USERS ? users : items;
    }

    /** @return the number of factors per row */
    public int factors() {
        return factors;
    }

    /** @return whether the model has biases */
    public boolean hasBiases() {
        return biases;
    }

    /**
     * Returns a pair's raw score.
     *
     * @param user a user row
     * @param item an item row
     * @return {@code U[u]·I[i] (+ b_u[u] + b_i[i])}
     */
    public float score(int user, int item) {
        float dot = Kernel.dot(users.rows(), user * factors, items.rows(), item * factors, factors);
        return biases ? Kernel.withBiases(dot, users.bias(user), items.bias(item)) : dot;
    }

    /**
     * Returns the raw score of a user row that is not in the table (folded in, or cut from the model to travel) for
     * an item, as {@link #score(int, int)} would if the row were the table's.
     *
     * @param userRow the user's factors, then their bias for a model with biases
     * @param item an item row
     * @return the raw score
     */
    public float score(float[] userRow, int item) {
        float dot = Kernel.dot(userRow, 0, items.rows(), item * factors, factors);
        return biases ? Kernel.withBiases(dot, userRow[factors], items.bias(item)) : dot;
    }

    /**
     * Scores row {@code row} of {@code side} against the other side's rows {@code [from, to)}: {@code out[r]} is the
     * pair's {@link #score(int, int)}, bit for bit.
     *
     * @param side the side of the row scored
     * @param row the row
     * @param from the other side's first row
     * @param to one past its last row
     * @param out receives the scores in {@code out[from .. to)}
     */
    public void scores(Side side, int row, int from, int to, float[] out) {
        if (side == Side.USERS) {
            scoreItems(users.rows(), row * factors, biases ? users.bias(row) : 0f, from, to, out);
            return;
        }
        for (int u = from; u < to; u++) {
            out[u] = score(u, row);
        }
    }

    /**
     * Scores a user row that is not in the table against the items {@code [from, to)}: {@code out[i]} is
     * {@link #score(float[], int)}, bit for bit.
     *
     * @param userRow the user's factors, then their bias for a model with biases
     * @param from the first item
     * @param to one past the last item
     * @param out receives the scores in {@code out[from .. to)}
     */
    public void scores(float[] userRow, int from, int to, float[] out) {
        scoreItems(userRow, 0, biases ? userRow[factors] : 0f, from, to, out);
    }

    /**
     * How many items to score per user before moving to the next user when scoring many users: about
     * {@value #TILE_BYTES} bytes of item factors, so that a tile read for one user is still in the core's L2 cache
     * for the next. On the 1 MiB-L2 machine measured (docs/benchmarks.md, issue 18) 128 KiB to 1 MiB tiles all
     * scored 2,000 users × 100,000 items × 64 factors at 8–11 GMAC/s against 4–5 untiled; 256 KiB was the best.
     *
     * @return the tile, a multiple of 64 items and at least 256
     */
    public int tile() {
        return Math.max(256, (TILE_BYTES / (4 * Math.max(1, factors))) & ~63);
    }

    /** Items {@code [from, to)}'s raw scores for the user row at {@code rows[offset ..]}, bias {@code bu}. */
    private void scoreItems(float[] rows, int offset, float bu, int from, int to, float[] out) {
        Kernel.dotRange(rows, offset, items.columns(), from, to, factors, out);
        if (biases) {
            float[] bi = items.biases();
            for (int i = from; i < to; i++) {
                out[i] = Kernel.withBiases(out[i], bu, bi[i]);
            }
        }
    }
}
