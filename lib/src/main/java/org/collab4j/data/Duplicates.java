package org.collab4j.data;

import java.util.Arrays;

/**
 * Finds rows that share a (user, item) pair and applies a {@link DuplicatePolicy}. Rows are grouped by user with a
 * counting sort and then by item with a primitive sort of {@code item << 32 | row}: 8 bytes a row, no boxing, so
 * it suits files of tens of millions of ratings.
 */
final class Duplicates {

    /** Turns the first duplicate (the pair whose second row comes earliest) into the exception to throw. */
    interface OnError {
        RuntimeException duplicate(int firstRow, int secondRow);
    }

    private Duplicates() {}

    static Ratings apply(Ratings ratings, DuplicatePolicy policy, OnError onError) {
        if (policy == null) {
            throw new IllegalArgumentException("the duplicate policy must not be null; use DuplicatePolicy.KEEP_ALL"
                    + " to keep every row");
        }
        int n = ratings.size();
        if (policy == DuplicatePolicy.KEEP_ALL || n < 2) {
            return ratings;
        }
        int[] users = ratings.userIndices();
        int[] items = ratings.itemIndices();
        int[] start = new int[ratings.users().size() + 1];
        for (int user : users) {
            start[user + 1]++;
        }
        for (int u = 0; u + 1 < start.length; u++) {
            start[u + 1] += start[u];
        }
        int[] fill = Arrays.copyOf(start, start.length - 1);
        long[] packed = new long[n];
        for (int row = 0; row < n; row++) {
            packed[fill[users[row]]++] = (long) items[row] << 32 | row;
        }
        boolean[] dropped = null;
        float[] values = null;
        int firstOfEarliest = -1;
        int secondOfEarliest = Integer.MAX_VALUE;
        for (int u = 0; u + 1 < start.length; u++) {
            Arrays.sort(packed, start[u], start[u + 1]);
            int k = start[u];
            while (k < start[u + 1]) {
                int end = k + 1;
                while (end < start[u + 1] && packed[end] >>> 32 == packed[k] >>> 32) {
                    end++;
                }
                if (end - k > 1) {
                    if (policy == DuplicatePolicy.ERROR) {
                        int second = (int) packed[k + 1];
                        if (second < secondOfEarliest) {
                            secondOfEarliest = second;
                            firstOfEarliest = (int) packed[k];
                        }
                    } else {
                        if (dropped == null) {
                            dropped = new boolean[n];
                            values = ratings.ratingValues();
                        }
                        double sum = 0;
                        for (int j = k; j < end; j++) {
                            int row = (int) packed[j];
                            sum += values[row];
                            dropped[row] = j < end - 1;
                        }
                        if (policy == DuplicatePolicy.MEAN) {
                            values[(int) packed[end - 1]] = (float) (sum / (end - k));
                        }
                    }
                }
                k = end;
            }
        }
        if (firstOfEarliest >= 0) {
            throw onError.duplicate(firstOfEarliest, secondOfEarliest);
        }
        if (dropped == null) {
            return ratings;
        }
        return keep(ratings, users, items, values, dropped);
    }

    private static Ratings keep(Ratings ratings, int[] users, int[] items, float[] values, boolean[] dropped) {
        int n = dropped.length;
        int[] u = new int[n];
        int[] i = new int[n];
        float[] r = new float[n];
        long[] t = ratings.hasTimestamps() ? new long[n] : null;
        int kept = 0;
        for (int row = 0; row < n; row++) {
            if (dropped[row]) {
                continue;
            }
            u[kept] = users[row];
            i[kept] = items[row];
            r[kept] = values[row];
            if (t != null) {
                t[kept] = ratings.timestamp(row);
            }
            kept++;
        }
        // Every pair keeps one row, so every user and item still has a rating: the id maps stay as they are.
        return new Ratings(ratings.users(), ratings.items(), kept, u, i, r, t);
    }
}
