package org.collab4j.examples;

import org.collab4j.cli.FeatureOptions;
import org.collab4j.recommend.Recommender;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code similar}: the items (or users) whose factors point the same way. */
@Command(name = "similar", mixinStandardHelpOptions = true,
        description = "List the items most similar to an item (or users to a user) by the cosine similarity of"
                + " their factors. With --item-features FILE, an item the model has not seen is compared from its"
                + " features (a model trained with --item-features).")
final class Similar implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--item", paramLabel = "ID", description = "the item's id")
        String item;

        @Option(names = "--user", paramLabel = "ID", description = "the user's id")
        String user;
    }

    /** {@code --item-features}: items the model has not seen, compared from their features. */
    @Mixin
    FeatureOptions features;

    @Option(names = "-k", description = "how many (default: ${DEFAULT-VALUE})")
    int k = 10;

    @Option(names = "--min-ratings", description = "with --item: only items rated by at least this many users in"
            + " training; rarely rated items have noisy factors (default: ${DEFAULT-VALUE})")
    int minRatings = 10;

    @Override
    public Integer call() throws IOException {
        if (k < 1 || minRatings < 1) {
            throw new CliException("-k and --min-ratings must be at least 1, got " + k + " and " + minRatings);
        }
        features.validate();
        features.addTo(model.files()).check();
        Recommender recommender = model.recommender(org.collab4j.recommend.UnknownIdPolicy.THROW, 0, features);
        if (target.item != null) {
            String title = recommender.getTitles().get(target.item);
            System.out.println("items like " + target.item + (title != null ? " (" + title + ")" : "") + ":");
            ModelOptions.print("cosine", recommender.similarItems(target.item, k, minRatings));
        } else {
            System.out.println("users like " + target.user + ":");
            ModelOptions.print("cosine", recommender.similarUsers(target.user, k));
        }
        return 0;
    }
}
