package org.collab4j.kernel;

import java.util.function.IntPredicate;

/**
 * The rows of a table whose factors point the same way as a query row: cosine similarity,
 * {@code q·r / (|q| |r|)} (0 where a norm is 0), for users and items alike. The query is a row of the table
 * ({@link #of(FactorTable, int, int, IntPredicate)}) or a row from elsewhere, e.g. an item folded in from its
 * raters; both compute a pair's similarity in the same order, so they give the same bits for the same row.
 */
public final class Neighbours {

    private Neighbours() {}

    /**
     * The {@code k} candidates most similar to a row of the table.
     *
     * @param table the table
     * @param row the query row
     * @param k how many, at least 1
     * @param candidate which rows may be returned (the query row itself is not left out unless it says so)
     * @return the best, with their cosine similarities ({@link TopK#sorted})
     */
    public static TopK of(FactorTable table, int row, int k, IntPredicate candidate) {
        return of(table, table.rows(), row * table.factors(), table.norms()[row], k, candidate);
    }

    /**
     * The {@code k} candidates most similar to a row that is not in the table.
     *
     * @param table the table
     * @param query the query's factors, {@link FactorTable#factors()} of them from the start (more are ignored)
     * @param k how many, at least 1
     * @param candidate which rows may be returned
     * @return the best, with their cosine similarities
     */
    public static TopK of(FactorTable table, float[] query, int k, IntPredicate candidate) {
        return of(table, query, 0, FactorTable.norm(query, 0, table.factors()), k, candidate);
    }

    private static TopK of(FactorTable table, float[] query, int offset, float norm, int k,
            IntPredicate candidate) {
        float[] norms = table.norms();
        TopK top = new TopK(k, table.size());
        for (int r = 0; r < table.size(); r++) {
            if (candidate.test(r)) {
                float denominator = norm * norms[r];
                top.offer(denominator == 0 ? 0f : table.dot(query, offset, r) / denominator, r);
            }
        }
        return top;
    }
}
