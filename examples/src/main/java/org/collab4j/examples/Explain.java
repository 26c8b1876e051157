package org.collab4j.examples;

import org.collab4j.io.TrainedModel;
import org.collab4j.recommend.BiasRanking;
import org.collab4j.recommend.PrincipalComponent;
import org.collab4j.recommend.Recommender;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code explain}: what a saved model learned, as fast.ai's lesson shows it. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Show how a saved model was trained, the items with the highest and lowest bias, and the"
                + " principal components of the item factors with the items at either end.")
final class Explain implements Callable<Integer> {

    @Mixin
    ModelOptions model;

    @Option(names = "-n", description = "items per list (default: ${DEFAULT-VALUE})")
    int n = 10;

    @Option(names = "--components", description = "principal components to show (default: ${DEFAULT-VALUE})")
    int components = 3;

    @Option(names = "--min-ratings", description = "only items rated by at least this many users in training"
            + " (default: ${DEFAULT-VALUE})")
    int minRatings = 50;

    @Override
    public Integer call() throws IOException {
        Recommender recommender = model.recommender();
        TrainedModel trained = recommender.getModel();
        System.out.println("model:      " + trained.getConfig());
        System.out.println("training:   " + trained.getProvenance());
        System.out.println(String.format(Locale.ROOT, "global mean %.4f, %d users, %d items", trained.getGlobalMean(),
                trained.users().size(), trained.items().size()));
        if (trained.getConfig().hasBiases()) {
            BiasRanking biases = recommender.itemBiases(n, minRatings);
            System.out.println("\nliked more than their raters and factors predict (item bias, items with "
                    + minRatings + "+ ratings):");
            ModelOptions.print("bias", biases.highest());
            System.out.println("\nliked less than predicted:");
            ModelOptions.print("bias", biases.lowest());
        } else {
            System.out.println("\n(" + trained.getConfig().kind().blockName() + " has no biases to rank)");
        }
        for (PrincipalComponent pc : recommender.itemPca(components, n, minRatings)) {
            System.out.println(String.format(Locale.ROOT, "%nprincipal component %d (%.1f%% of the variance of the"
                    + " item factors), one end:", pc.number(), 100 * pc.varianceShare()));
            ModelOptions.print("position", pc.positive());
            System.out.println("the other end:");
            ModelOptions.print("position", pc.negative());
        }
        return 0;
    }
}
