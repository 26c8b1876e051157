package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import org.collab4j.cli.RatingsFileOptions;
import org.collab4j.data.Ratings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code popular-topn}: the most-popular baseline as a top-N CSV: for every training user, the {@code k} items
 * with the most training ratings (of any value) that the user has not rated; the score is the rating count, ties
 * go to the item the file lists first.
 */
@Command(name = "popular-topn", mixinStandardHelpOptions = true,
        description = "Write the most-popular baseline as a top-N CSV (user,item,rank,score): for every training"
                + " user, the most-rated training items they have not rated; score = number of ratings.")
final class PopularTopN implements Callable<Integer> {

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "the training ratings")
    Path train;

    @Mixin
    RatingsFileOptions layout;

    @Option(names = "-k", description = "items per user (default: ${DEFAULT-VALUE})")
    int k = 10;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the top-N CSV to write")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (k < 1) {
            throw new IllegalArgumentException("-k must be at least 1, got " + k);
        }
        new RunFiles().text("--train", train).output("--out", out).check();
        Ratings ratings = Ratings.read(train, layout.ratingsFormat());
        Map<String, List<TopNFiles.Scored>> lists = popular(ratings, k);
        TopNFiles.write(out, lists);
        System.out.println("wrote the top " + k + " most-rated unseen items of " + lists.size() + " users to " + out);
        return 0;
    }

    /**
     * The most-popular lists.
     *
     * @param ratings the training ratings
     * @param k items per user
     * @return each user's list, users in file order
     */
    static Map<String, List<TopNFiles.Scored>> popular(Ratings ratings, int k) {
        int[] count = new int[ratings.items().size()];
        for (int row = 0; row < ratings.size(); row++) {
            count[ratings.item(row)]++;
        }
        List<Integer> byCount = new ArrayList<>();
        for (int i = 0; i < count.length; i++) {
            byCount.add(i);
        }
        byCount.sort(Comparator.comparingInt((Integer i) -> count[i]).reversed()); // stable: file order on ties
        Map<String, Set<String>> seen = ScoreTopN.itemsByUser(ratings, Float.NEGATIVE_INFINITY);
        int capacity = Math.min(k, count.length); // -k 2147483647 must not allocate before the data says how many
        Map<String, List<TopNFiles.Scored>> lists = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> user : seen.entrySet()) {
            List<TopNFiles.Scored> list = new ArrayList<>(capacity);
            for (int i : byCount) {
                if (list.size() == k) {
                    break;
                }
                String item = ratings.items().id(i);
                if (!user.getValue().contains(item)) {
                    list.add(new TopNFiles.Scored(item, count[i]));
                }
            }
            lists.put(user.getKey(), list);
        }
        return lists;
    }
}
