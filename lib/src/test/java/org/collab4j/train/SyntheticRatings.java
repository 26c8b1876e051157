package org.collab4j.train;

import org.collab4j.data.Ratings;

import java.util.Random;

/** Small generated ratings with a known latent-factor structure, for end-to-end tests. */
public final class SyntheticRatings {

    private SyntheticRatings() {}

    /**
     * Ratings r(u, i) = clamp(3 + bu + bi + pu·qi + noise, 0.5, 5) rounded to half stars, on a random share of
     * the user × item grid.
     */
    public static Ratings generate(int users, int items, int factors, double density, long seed) {
        Random random = new Random(seed);
        double[][] p = latent(users, factors, random);
        double[][] q = latent(items, factors, random);
        double[] bu = biases(users, random);
        double[] bi = biases(items, random);
        Ratings.Builder builder = Ratings.builder();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < items; i++) {
                if (random.nextDouble() < density) {
                    double r = 3 + bu[u] + bi[i] + dot(p[u], q[i]) + 0.2 * random.nextGaussian();
                    r = Math.max(0.5, Math.min(5, Math.round(r * 2) / 2.0));
                    builder.add("u" + u, "i" + i, (float) r);
                }
            }
        }
        return builder.build();
    }

    private static double[][] latent(int n, int k, Random random) {
        double[][] m = new double[n][k];
        for (double[] row : m) {
            for (int j = 0; j < k; j++) {
                row[j] = random.nextGaussian() * 0.7;
            }
        }
        return m;
    }

    private static double[] biases(int n, Random random) {
        double[] b = new double[n];
        for (int j = 0; j < n; j++) {
            b[j] = random.nextGaussian() * 0.5;
        }
        return b;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
