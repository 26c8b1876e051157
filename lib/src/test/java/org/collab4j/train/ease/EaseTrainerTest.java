package org.collab4j.train.ease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.IdMap;
import org.collab4j.data.Ratings;
import org.collab4j.io.TrainedModel;
import org.collab4j.kernel.ItemItemModel;
import org.collab4j.train.objective.Ease;
import org.collab4j.train.objective.Objectives;
import org.collab4j.util.TestMatrices;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;

/** EASE in closed form: B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹, by either inverse, and the inner-split choice. */
class EaseTrainerTest {

    /** Interactions of users 0.. and items 0.. given as {user, item} pairs, each of weight {@code w[k]}. */
    static Ratings interactions(int users, int items, int[][] pairs, float[] w) {
        List<String> u = new ArrayList<>();
        for (int k = 0; k < users; k++) {
            u.add("u" + k);
        }
        List<String> i = new ArrayList<>();
        for (int k = 0; k < items; k++) {
            i.add("i" + k);
        }
        int[] ui = new int[pairs.length];
        int[] ii = new int[pairs.length];
        for (int k = 0; k < pairs.length; k++) {
            ui[k] = pairs[k][0];
            ii[k] = pairs[k][1];
        }
        return Ratings.ofIndices(IdMap.of(u), IdMap.of(i), ui, ii, w.clone());
    }

    private static float[] ones(int n) {
        float[] w = new float[n];
        java.util.Arrays.fill(w, 1f);
        return w;
    }

    private static ItemItemModel fit(Ratings r, float lambda, Ease.Input input) {
        TrainedModel model = EaseTrainer.builder().optObjective(Ease.of(lambda, input)).optThreads(2).build().fit(r);
        return model.itemItem().orElseThrow();
    }

    @Test
    void twoItemsByHand() {
        // X = [[1, 1], [1, 0]], λ = 1: XᵀX + I = [[3, 1], [1, 2]], P = [[2, -1], [-1, 3]] / 5,
        // B[0, 1] = -P01 / P11 = 1/3 and B[1, 0] = -P10 / P00 = 1/2 (two users, two items: the Gram inverse).
        ItemItemModel b = fit(interactions(2, 2, new int[][] {{0, 0}, {0, 1}, {1, 0}}, ones(3)), 1f,
                Ease.Input.ALL);
        assertEquals(0f, b.weights()[0]);
        assertEquals(1 / 3f, b.weights()[1], 1e-7);
        assertEquals(1 / 2f, b.weights()[2], 1e-7);
        assertEquals(0f, b.weights()[3]);
        // One user, two items: Woodbury over the user. X = [[1, 1]], λ = 1: P = [[2, -1], [-1, 2]] / 3, B = 1/2 off
        // the diagonal.
        ItemItemModel w = fit(interactions(1, 2, new int[][] {{0, 0}, {0, 1}}, ones(2)), 1f, Ease.Input.ALL);
        assertEquals(List.of(0f, 0.5f, 0.5f, 0f), List.of(w.weights()[0], w.weights()[1], w.weights()[2],
                w.weights()[3]).stream().map(v -> Math.round(v * 1e6f) / 1e6f).toList());
    }

    @Test
    void bothInversesEqualTheClosedForm() {
        Random random = new Random(7);
        for (int[] shape : new int[][] {{6, 11}, {11, 6}, {9, 9}}) {
            int m = shape[0];
            int n = shape[1];
            List<int[]> pairs = new ArrayList<>();
            List<Float> weights = new ArrayList<>();
            for (int u = 0; u < m; u++) {
                for (int i = 0; i < n; i++) {
                    if (random.nextDouble() < 0.4) {
                        pairs.add(new int[] {u, i});
                        weights.add(random.nextBoolean() ? 1f : 0.3f);
                    }
                }
            }
            float[] w = new float[weights.size()];
            for (int k = 0; k < w.length; k++) {
                w[k] = weights.get(k);
            }
            Ratings r = interactions(m, n, pairs.toArray(new int[0][]), w);
            float lambda = 2.5f;
            double[][] x = new double[m][n];
            for (int k = 0; k < w.length; k++) {
                x[pairs.get(k)[0]][pairs.get(k)[1]] = w[k];
            }
            double[][] p = TestMatrices.invert(gram(x, n, lambda));
            ItemItemModel b = fit(r, lambda, Ease.Input.WEIGHTS);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double expected = i == j ? 0 : -p[i][j] / p[j][j];
                    assertEquals(expected, b.weights()[i * n + j], 1e-5, m + "x" + n + " B[" + i + ", " + j + "]");
                }
                assertEquals(0f, b.weights()[i * n + i], "diag(B) = 0");
            }
            // The served score is the history's sum of B's rows.
            for (int u = 0; u < m; u++) {
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        s += x[u][j] * b.weights()[j * n + i];
                    }
                    assertEquals(s, b.score(u, i), 1e-5);
                }
            }
        }
    }

    @Test
    void keepCutsEachColumnToItsLargestEntries() {
        Random random = new Random(9);
        List<int[]> pairs = new ArrayList<>();
        for (int u = 0; u < 5; u++) {
            for (int i = 0; i < 8; i++) {
                if (random.nextDouble() < 0.5) {
                    pairs.add(new int[] {u, i});
                }
            }
        }
        Ratings r = interactions(5, 8, pairs.toArray(new int[0][]), ones(pairs.size()));
        ItemItemModel dense = fit(r, 1f, Ease.Input.ALL);
        TrainedModel model = EaseTrainer.builder().optObjective(Ease.of(1f, Ease.Input.ALL)).optKeep(2).build()
                .fit(r);
        ItemItemModel sparse = model.itemItem().orElseThrow();
        assertTrue(sparse.matrixRows() != null && model.getConfig().matrixSize() > 0);
        for (int i = 0; i < 8; i++) {
            float[] column = new float[8];
            int kept = 0;
            for (int j = 0; j < 8; j++) {
                column[j] = Math.abs(dense.weight(j, i));
                kept += sparse.weight(j, i) != 0f ? 1 : 0;
            }
            float[] sorted = column.clone();
            java.util.Arrays.sort(sorted);
            for (int j = 0; j < 8; j++) {
                boolean large = column[j] >= sorted[6] && column[j] > 0;
                assertEquals(large ? dense.weight(j, i) : 0f, sparse.weight(j, i), "B[" + j + ", " + i + "]");
            }
            assertTrue(kept <= 2 || sorted[6] == sorted[5], "column " + i + " keeps " + kept);
        }
        assertTrue(model.getProvenance().model().contains("top 2 per column"), model.getProvenance().model());
    }

    @Test
    void positivesKeepOnlyTheRowsOfWeightOne() {
        // Item 2 is below the threshold (0.3) for user 0: without it, items 0 and 1 are all X holds.
        Ratings r = interactions(1, 3, new int[][] {{0, 0}, {0, 1}, {0, 2}}, new float[] {1f, 1f, 0.3f});
        ItemItemModel b = fit(r, 1f, Ease.Input.POSITIVES);
        assertEquals(0.5f, b.weights()[1], 1e-6);
        assertEquals(0f, b.weights()[2], "item 2 has no positive: its column is 0");
        assertEquals(2, b.history().size(), "the history holds the positives only");
    }

    @Test
    void theInnerSplitChoosesTheBestCandidateAndTheModelKnowsEveryRow() {
        Random random = new Random(3);
        List<int[]> pairs = new ArrayList<>();
        for (int u = 0; u < 40; u++) {
            int group = u % 2;
            for (int i = 0; i < 30; i++) {
                if ((i % 2 == group ? 0.6 : 0.1) > random.nextDouble()) {
                    pairs.add(new int[] {u, i});
                }
            }
        }
        Ratings r = interactions(40, 30, pairs.toArray(new int[0][]), ones(pairs.size()));
        EaseTrainer trainer = EaseTrainer.builder().optObjective(new Ease(List.of(1f, 10f, 100f),
                List.of(Ease.Input.ALL, Ease.Input.WEIGHTS))).optThreads(2).build();
        TrainedModel model = trainer.fit(r);
        assertEquals(6, trainer.trials().size());
        EaseTrainer.Trial best = trainer.trials().stream().max(java.util.Comparator.comparingDouble(
                EaseTrainer.Trial::ndcg)).orElseThrow();
        assertEquals(Ease.of(best.lambda(), best.input()).lambdas(), trainer.chosen().lambdas());
        assertTrue(best.ndcg() > 0.3, "the two groups are easy to tell apart: " + trainer.trials());
        assertEquals("ease", model.objective());
        assertEquals(r.size(), model.ratedItems().size());
        assertTrue(model.getProvenance().model().contains("chosen on an inner per-user 20% split"),
                model.getProvenance().model());
    }

    @Test
    void tooManyItemsAreRefusedWithWhatToDo() {
        Ratings r = interactions(1, EaseTrainer.MAX_ITEMS + 1, new int[][] {{0, 0}}, ones(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EaseTrainer.builder().build().fit(r));
        assertTrue(e.getMessage().contains("40001 items") && e.getMessage().contains("use iALS"), e.getMessage());
    }

    @Test
    void tooLittleDataToChooseOnSaysToGiveOneSetting() {
        Ratings r = interactions(2, 2, new int[][] {{0, 0}, {1, 1}}, ones(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EaseTrainer.builder().build().fit(r));
        assertTrue(e.getMessage().contains("too few to hold any out") && e.getMessage().contains("Ease.of("),
                e.getMessage());
        assertEquals(1, EaseTrainer.builder().optObjective(Ease.of(1f, Ease.Input.ALL)).build().fit(r)
                .ratedItems(1).length);
    }

    @Test
    void easeIsRegisteredButNotALearnersObjective() {
        assertEquals(Ease.DEFAULT, Objectives.parse("ease"));
        assertTrue(Objectives.rankingNames().contains("ease"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> org.collab4j.train.CollabLearner.builder().optObjective(Ease.DEFAULT));
        assertTrue(e.getMessage().contains("EaseTrainer"), e.getMessage());
    }

    @Test
    void spdInverseInvertsAtEverySizeAndRefusesAnIndefiniteMatrix() {
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            Random random = new Random(11);
            for (int n : new int[] {1, 3, 300}) {
                double[] a = new double[n * n];
                double[][] x = new double[n + 3][n];
                for (double[] row : x) {
                    for (int j = 0; j < n; j++) {
                        row[j] = random.nextGaussian();
                    }
                }
                double[][] g = gram(x, n, 0.5f);
                for (int i = 0; i < n; i++) {
                    System.arraycopy(g[i], 0, a, i * n, n);
                }
                double[] inv = SpdInverse.invert(a, n, pool);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int k = 0; k < n; k++) {
                            s += g[i][k] * inv[k * n + j];
                        }
                        assertEquals(i == j ? 1 : 0, s, 1e-8, "(A·A⁻¹)[" + i + ", " + j + "] at n = " + n);
                    }
                }
            }
            assertThrows(IllegalArgumentException.class, () -> SpdInverse.invert(new double[] {1, 2, 2, 1}, 2,
                    pool));
        } finally {
            pool.shutdown();
        }
    }

    private static double[][] gram(double[][] x, int n, float lambda) {
        double[][] g = new double[n][n];
        for (double[] row : x) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    g[i][j] += row[i] * row[j];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            g[i][i] += lambda;
        }
        return g;
    }
}
