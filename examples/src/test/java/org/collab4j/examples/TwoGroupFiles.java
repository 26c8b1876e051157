package org.collab4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;

/**
 * Implicit-feedback test files of two groups of users: each user rates 12 items of its own half of 40 items 4 or 5
 * (the first {@code inTrain} of them in {@code train.csv}, the rest in {@code valid.csv}) and one item of the other
 * half 1, in {@code train.csv}.
 */
final class TwoGroupFiles {

    final Path train;
    final Path valid;

    private TwoGroupFiles(Path train, Path valid) {
        this.train = train;
        this.valid = valid;
    }

    static TwoGroupFiles write(Path dir, long seed, int users, int inTrain) throws IOException {
        Random random = new Random(seed);
        StringBuilder t = new StringBuilder("userId,movieId,rating,timestamp\n");
        StringBuilder v = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 0; u < users; u++) {
            Set<Integer> items = new LinkedHashSet<>();
            while (items.size() < 12) {
                items.add(random.nextInt(20) + (u % 2) * 20);
            }
            int k = 0;
            for (int item : items) {
                (k++ < inTrain ? t : v).append(u).append(',').append(item).append(',')
                        .append(4 + random.nextInt(2)).append(",0\n");
            }
            t.append(u).append(',').append(random.nextInt(20) + (1 - u % 2) * 20).append(",1,0\n");
        }
        return new TwoGroupFiles(Files.writeString(dir.resolve("train.csv"), t),
                Files.writeString(dir.resolve("valid.csv"), v));
    }
}
