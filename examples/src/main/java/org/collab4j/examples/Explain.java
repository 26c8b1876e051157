package org.collab4j.examples;

import org.collab4j.data.Ratings;
import org.collab4j.data.RatingsFormat;
import org.collab4j.io.TrainedModel;
import org.collab4j.plot.Charts;
import org.collab4j.recommend.BiasRanking;
import org.collab4j.recommend.ItemProjection;
import org.collab4j.recommend.PrincipalComponent;
import org.collab4j.recommend.Recommender;
import org.collab4j.recommend.UnknownIdPolicy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code explain}: what a saved model learned, as fast.ai's lesson shows it. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Show how a saved model was trained, the items with the highest and lowest bias, and the"
                + " principal components of the item factors with the items at either end. With --plots, draw"
                + " them as PNG files (and predicted vs actual ratings for --ratings).")
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

    @Option(names = "--plots", arity = "0..1", paramLabel = "DIR", fallbackValue = LessonData.DEFAULT_OUT,
            description = "write biases.png, pca.png (and predicted-vs-actual.png with --ratings) into DIR"
                    + " (default DIR: " + LessonData.DEFAULT_OUT + ")")
    Path plots;

    @Option(names = "--map-items", description = "with --plots: the most rated items to place on pca.png"
            + " (default: ${DEFAULT-VALUE})")
    int mapItems = 50;

    @Option(names = "--ratings", paramLabel = "FILE", description = "with --plots: held-out ratings (MovieLens"
            + " csv) to draw predicted against actual ratings for")
    Path heldOut;

    @Override
    public Integer call() throws IOException {
        model.files().text("--ratings", heldOut)
                .outputs("--plots", plots, "biases.png", "pca.png", "predicted-vs-actual.png").check();
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
        if (plots != null) {
            plot(recommender);
        }
        return 0;
    }

    private void plot(Recommender recommender) throws IOException {
        if (recommender.getModel().getConfig().hasBiases()) {
            Path png = plots.resolve("biases.png");
            Charts.savePng(Charts.biasRanking(recommender.itemBiases(n, minRatings),
                    "Item biases: highest and lowest (items with " + minRatings + "+ ratings)"), png);
            System.out.println("\nplot: " + png.toAbsolutePath().normalize());
        }
        List<ItemProjection> map = recommender.itemPcaProjection(2, minRatings);
        Path pca = plots.resolve("pca.png");
        Charts.savePng(Charts.itemPca(map.subList(0, Math.min(mapItems, map.size()))), pca);
        System.out.println("plot: " + pca.toAbsolutePath().normalize());
        if (heldOut != null) {
            Ratings ratings = Ratings.read(heldOut, RatingsFormat.MOVIELENS_CSV);
            float[] actual = new float[ratings.size()];
            float[] predicted = new float[ratings.size()];
            int count = 0;
            for (int row = 0; row < ratings.size(); row++) {
                String user = ratings.users().id(ratings.user(row));
                String item = ratings.items().id(ratings.item(row));
                // Under THROW, rows the model cannot score are left out, as Recommender.evaluate does.
                if (recommender.getUnknownIdPolicy() == UnknownIdPolicy.FALLBACK
                        || recommender.knowsUser(user) && recommender.knowsItem(item)) {
                    actual[count] = ratings.rating(row);
                    predicted[count++] = recommender.predict(user, item);
                }
            }
            if (count == 0) {
                throw new IllegalArgumentException("none of the ratings in " + heldOut + " has a user and an item"
                        + " the model knows; use --unknown FALLBACK to predict them anyway");
            }
            Path png = plots.resolve("predicted-vs-actual.png");
            Charts.savePng(Charts.predictedVsActual(java.util.Arrays.copyOf(actual, count),
                    java.util.Arrays.copyOf(predicted, count), 0.5), png);
            System.out.println(String.format(Locale.ROOT, "plot: %s (%d of %d ratings)",
                    png.toAbsolutePath().normalize(), count, ratings.size()));
        }
    }
}
