package org.collab4j.examples;

import org.collab4j.cli.RunFiles;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import org.collab4j.data.Ratings;
import org.collab4j.engine.Engines;
import org.collab4j.plot.Charts;
import org.collab4j.recommend.Titles;
import org.collab4j.train.optimizer.Sgd;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * {@code crosstab}: the lesson's spreadsheet. The most active users × the most rated movies as a table, then a
 * dot-product model (a factor vector per user and per movie, prediction = their dot product) fitted to just those
 * cells by full-batch gradient descent, the way the spreadsheet's solver does it.
 */
@Command(name = "crosstab", mixinStandardHelpOptions = true,
        description = "The lesson's spreadsheet: the most active users x the most rated movies, then a"
                + " dot-product model fitted to those cells by gradient descent, RMSE as it falls, and the"
                + " predicted table beside the real one.")
final class Crosstab implements Callable<Integer> {

    @Option(names = "--data", description = "folder with MovieLens' ratings.csv and movies.csv"
            + " (default: ${DEFAULT-VALUE})")
    Path data = Path.of(LessonData.DEFAULT_DATA);

    @Option(names = "--out", description = "folder for crosstab-rmse.png (default: ${DEFAULT-VALUE})")
    Path out = Path.of(LessonData.DEFAULT_OUT);

    @Option(names = "--size", description = "users and movies in the table (default: ${DEFAULT-VALUE})")
    int size = 15;

    @Option(names = "--factors", description = "factors per user and movie (default: ${DEFAULT-VALUE})")
    int factors = 5;

    @Option(names = "--steps", description = "gradient-descent steps (default: ${DEFAULT-VALUE})")
    int steps = 1000;

    @Option(names = "--lr", description = "learning rate (default: ${DEFAULT-VALUE})")
    float lr = 0.3f;

    @Option(names = "--momentum", description = "momentum; 0 is plain gradient descent (default: ${DEFAULT-VALUE})")
    float momentum = 0f;

    @Option(names = "--every", description = "print the RMSE every this many steps (default: ${DEFAULT-VALUE})")
    int every = 50;

    @Option(names = "--seed", description = "random seed of the initial factors (default: ${DEFAULT-VALUE})")
    long seed = 42;

    @Override
    public Integer call() throws IOException {
        if (size < 2 || factors < 1 || steps < 1 || every < 1) {
            throw new IllegalArgumentException("--size must be at least 2, --factors, --steps and --every at"
                    + " least 1");
        }
        // A missing folder is left to LessonData, which says where to get the data.
        new RunFiles().folder("--data", java.nio.file.Files.isDirectory(data) ? data : null, "ratings.csv",
                "movies.csv").outputs("--out", out, "crosstab-rmse.png").check();
        Ratings ratings = LessonData.ratings(data);
        Titles titles = LessonData.titles(data);
        int[] users = mostFrequent(ratings.userIndices(), ratings.users().size(), size);
        int[] movies = mostFrequent(ratings.itemIndices(), ratings.items().size(), size);
        float[][] table = crosstab(ratings, users, movies);
        String[] userIds = IntStream.of(users).mapToObj(u -> ratings.users().id(u)).toArray(String[]::new);
        String[] movieIds = IntStream.of(movies).mapToObj(i -> ratings.items().id(i)).toArray(String[]::new);

        int filled = 0;
        for (float[] row : table) {
            for (float v : row) {
                filled += Float.isNaN(v) ? 0 : 1;
            }
        }
        System.out.println(String.format(Locale.ROOT, "The %d most active users x the %d most rated movies of %s"
                + " (%d of %d cells rated):%n", users.length, movies.length, data, filled, users.length * movies.length));
        printTables(userIds, movieIds, table, null);
        System.out.println("\nmovies:");
        for (String id : movieIds) {
            System.out.println(String.format(Locale.ROOT, "%7s  %s", id, titles.get(id) != null ? titles.get(id) : ""));
        }

        System.out.println(String.format(Locale.ROOT, "%nFitting %d factors per user and movie (random in [0, 1),"
                + " as in the spreadsheet) to the %d rated cells by full-batch gradient descent: lr %s, momentum"
                + " %s, %d steps.", factors, filled, lr, momentum, steps));
        double[] rmse = new double[steps + 1];
        float[][] predicted = fit(table, rmse);
        System.out.println(String.format(Locale.ROOT, "%nRMSE %.3f -> %.3f. The real table (left) and the"
                + " model's (right; blank cells on the left are predictions for movies the user has not rated):%n",
                rmse[0], rmse[steps]));
        printTables(userIds, movieIds, table, predicted);

        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("RMSE", rmse);
        Path png = out.resolve("crosstab-rmse.png");
        Charts.savePng(Charts.stepCurves("Crosstab: RMSE of the dot-product model per gradient-descent step", "RMSE",
                curves, true), png);
        System.out.println("\nplot: " + png.toAbsolutePath().normalize());
        return 0;
    }

    /** The indices with the most occurrences, most first (ties: lower index first). */
    static int[] mostFrequent(int[] indices, int n, int k) {
        int[] counts = new int[n];
        for (int i : indices) {
            counts[i]++;
        }
        return IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingInt((Integer i) -> -counts[i]).thenComparingInt(i -> i))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    /** {@code table[u][m]}: the rating of user {@code users[u]} for movie {@code movies[m]}, NaN when unrated. */
    static float[][] crosstab(Ratings ratings, int[] users, int[] movies) {
        Map<Integer, Integer> userRow = new LinkedHashMap<>();
        Map<Integer, Integer> movieColumn = new LinkedHashMap<>();
        for (int k = 0; k < users.length; k++) {
            userRow.put(users[k], k);
        }
        for (int k = 0; k < movies.length; k++) {
            movieColumn.put(movies[k], k);
        }
        float[][] table = new float[users.length][movies.length];
        for (float[] row : table) {
            java.util.Arrays.fill(row, Float.NaN);
        }
        for (int row = 0; row < ratings.size(); row++) {
            Integer u = userRow.get(ratings.user(row));
            Integer m = movieColumn.get(ratings.item(row));
            if (u != null && m != null) {
                table[u][m] = ratings.rating(row);
            }
        }
        return table;
    }

    /**
     * Fits user and movie factors to the rated cells: prediction = users · moviesᵀ, loss = MSE over the rated
     * cells, one gradient-descent step per pass over all of them.
     *
     * @param rmse filled with the RMSE before the first step and after each step
     * @return the predicted table, every cell
     */
    private float[][] fit(float[][] table, double[] rmse) {
        int nu = table.length;
        int nm = table[0].length;
        float[] ratingValues = new float[nu * nm];
        float[] maskValues = new float[nu * nm];
        for (int u = 0; u < nu; u++) {
            for (int m = 0; m < nm; m++) {
                boolean rated = !Float.isNaN(table[u][m]);
                ratingValues[u * nm + m] = rated ? table[u][m] : 0f;
                maskValues[u * nm + m] = rated ? 1f : 0f;
            }
        }
        Random random = new Random(seed);
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            NDArray target = manager.create(ratingValues, new Shape(nu, nm));
            NDArray mask = manager.create(maskValues, new Shape(nu, nm));
            float count = mask.sum().getFloat();
            NDArray userFactors = manager.create(uniform(random, nu * factors), new Shape(nu, factors));
            NDArray movieFactors = manager.create(uniform(random, nm * factors), new Shape(nm, factors));
            userFactors.setRequiresGradient(true);
            movieFactors.setRequiresGradient(true);
            Sgd sgd = Sgd.builder().optMomentum(momentum).build();
            sgd.setLearningRate(lr);
            for (int step = 0; step <= steps; step++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                        NDArray error = userFactors.matMul(movieFactors.transpose()).sub(target).mul(mask);
                        NDArray mse = error.square().sum().div(count);
                        rmse[step] = Math.sqrt(mse.getFloat());
                        if (step == steps) {
                            break;
                        }
                        collector.backward(mse);
                    }
                    sgd.update("users", userFactors, userFactors.getGradient());
                    sgd.update("movies", movieFactors, movieFactors.getGradient());
                }
                if (step % every == 0) {
                    System.out.println(String.format(Locale.ROOT, "step %5d  RMSE %.4f", step, rmse[step]));
                }
            }
            System.out.println(String.format(Locale.ROOT, "step %5d  RMSE %.4f", steps, rmse[steps]));
            float[] values = userFactors.matMul(movieFactors.transpose()).toFloatArray();
            float[][] predicted = new float[nu][nm];
            for (int u = 0; u < nu; u++) {
                System.arraycopy(values, u * nm, predicted[u], 0, nm);
            }
            return predicted;
        }
    }

    private static float[] uniform(Random random, int n) {
        float[] values = new float[n];
        for (int k = 0; k < n; k++) {
            values[k] = random.nextFloat();
        }
        return values;
    }

    /** Prints the table, and the predicted one to its right when given; unrated cells are blank. */
    private static void printTables(String[] userIds, String[] movieIds, float[][] table, float[][] predicted) {
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%6s |", "user"));
        StringBuilder columns = new StringBuilder();
        for (String id : movieIds) {
            columns.append(String.format(Locale.ROOT, "%5.5s", id));
        }
        header.append(columns);
        if (predicted != null) {
            header.append("   |").append(columns);
        }
        System.out.println(header);
        System.out.println("-".repeat(header.length()));
        for (int u = 0; u < userIds.length; u++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%6s |", userIds[u]));
            for (float v : table[u]) {
                line.append(Float.isNaN(v) ? "     " : String.format(Locale.ROOT, "%5.1f", v));
            }
            if (predicted != null) {
                line.append("   |");
                for (float v : predicted[u]) {
                    line.append(String.format(Locale.ROOT, "%5.1f", v));
                }
            }
            System.out.println(line);
        }
    }
}
