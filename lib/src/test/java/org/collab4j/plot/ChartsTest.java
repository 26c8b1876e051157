package org.collab4j.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.collab4j.data.Ratings;
import org.collab4j.data.Splits;
import org.collab4j.recommend.BiasRanking;
import org.collab4j.recommend.ItemProjection;
import org.collab4j.recommend.ScoredId;
import org.collab4j.train.CollabLearner;
import org.collab4j.train.EpochResult;
import org.collab4j.train.LrFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.internal.chartpart.Chart;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

/** Every chart renders to a PNG of the expected size with something drawn on it. */
class ChartsTest {

    @TempDir
    Path dir;

    /** Saves the chart, reads the PNG back and checks its size and that it is not one flat colour. */
    private void assertRenders(Chart<?, ?> chart, String name, int width, int height) throws IOException {
        Path png = dir.resolve("sub").resolve(name + ".png");
        Charts.savePng(chart, png);
        assertTrue(Files.size(png) > 1000, name + " is " + Files.size(png) + " bytes");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(width, image.getWidth(), name);
        assertEquals(height, image.getHeight(), name);
        int first = image.getRGB(0, 0);
        int different = 0;
        for (int x = 0; x < image.getWidth(); x += 5) {
            for (int y = 0; y < image.getHeight(); y += 5) {
                different += image.getRGB(x, y) != first ? 1 : 0;
            }
        }
        // Axes, labels, bars or cells: well over 1 % of the sampled pixels differ from the background.
        assertTrue(different > (width / 5) * (height / 5) / 100, name + " is (nearly) blank: " + different);
        try (var files = Files.list(png.getParent())) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")
                    || p.getFileName().toString().startsWith(".chart-")).count(), "temporary file left behind");
        }
    }

    @Test
    void lossCurves() throws IOException {
        List<EpochResult> history = List.of(new EpochResult(1, 1.2, 0.95, Math.sqrt(0.95), 1),
                new EpochResult(2, 0.8, 0.80, Math.sqrt(0.80), 1), new EpochResult(3, 0.6, 0.76, Math.sqrt(0.76), 1));
        assertRenders(Charts.lossCurves(history), "losses", Charts.WIDTH, Charts.HEIGHT);
    }

    @Test
    void lrFinder() throws IOException {
        Random random = new Random(3);
        Ratings.Builder ratings = Ratings.builder();
        for (int k = 0; k < 2000; k++) {
            ratings.add("u" + random.nextInt(50), "i" + random.nextInt(40), 1 + random.nextInt(5));
        }
        try (CollabLearner learner = CollabLearner.builder().setData(Splits.random(ratings.build(), 0.2, 1))
                .optBatchSize(64).optOutput(null).build()) {
            LrFinder.Result result = LrFinder.builder().optSteps(30).build().find(learner);
            assertRenders(Charts.lrFinder(result), "lr-find", Charts.WIDTH, Charts.HEIGHT);
        }
    }

    /** fast.ai's view: the valley fills the y axis; the divergence at the end leaves through the top. */
    @Test
    void lrFinderYAxisSpansTheValleyNotTheDivergence() {
        double[] loss = new double[40];
        for (int k = 0; k < loss.length; k++) {
            loss[k] = k < 2 ? 3.0 : k < 30 ? 1.7 - 0.01 * k : 1.4 + 0.5 * (k - 30);
        }
        double[] range = Charts.lrFinderYRange(loss);
        // Lowest 1.4 at step 30; highest between step 10 (skip_start) and the lowest: 1.6; span 0.2.
        assertEquals(1.4 - 0.02, range[0], 1e-9);
        assertEquals(1.6 + 0.05, range[1], 1e-9);
        assertEquals(null, Charts.lrFinderYRange(new double[] {1, 1, 1, 1, 1}), "flat: XChart's own range");
    }

    @Test
    void logAxisTicksAreLabelledWithTheValues() {
        assertEquals("1", Charts.powerOfTenLabel(0));
        assertEquals("0.5", Charts.powerOfTenLabel(Math.log10(0.5)));
        assertEquals("0.63", Charts.powerOfTenLabel(-0.2));
        assertEquals("1.6", Charts.powerOfTenLabel(0.2));
        assertEquals("1000", Charts.powerOfTenLabel(3));
        Map<String, double[]> curves = Map.of("RMSE", new double[] {3.1, 1.0, 0.35});
        var chart = Charts.stepCurves("RMSE per step", "RMSE", curves, true);
        assertEquals("RMSE (log scale)", chart.getYAxisTitle());
        assertEquals(Math.log10(0.35), chart.getSeriesMap().get("RMSE").getYData()[2], 1e-12);
    }

    @Test
    void stepCurves() throws IOException {
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("SGD", new double[] {900, 400, 200, 120, 90});
        curves.put("Adam", new double[] {900, 300, 60, 8, 1});
        assertRenders(Charts.stepCurves("Loss per step", "MSE", curves, true), "steps", Charts.WIDTH,
                Charts.HEIGHT);
        assertThrows(IllegalArgumentException.class, () -> Charts.stepCurves("t", "y", Map.of(), false));
        assertThrows(IllegalArgumentException.class,
                () -> Charts.stepCurves("t", "y", Map.of("empty", new double[0]), false));
    }

    @Test
    void predictedVsActual() throws IOException {
        Random random = new Random(5);
        float[] actual = new float[3000];
        float[] predicted = new float[actual.length];
        for (int k = 0; k < actual.length; k++) {
            actual[k] = (1 + random.nextInt(10)) / 2f;
            predicted[k] = (float) Math.min(5.4, Math.max(0.2, actual[k] + 0.7 * random.nextGaussian()));
        }
        assertRenders(Charts.predictedVsActual(actual, predicted, 0.5), "predicted-vs-actual", Charts.WIDTH,
                Charts.HEIGHT);
        assertThrows(IllegalArgumentException.class,
                () -> Charts.predictedVsActual(new float[2], new float[3], 0.5));
        assertThrows(IllegalArgumentException.class,
                () -> Charts.predictedVsActual(new float[] {1}, new float[] {Float.NaN}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Charts.predictedVsActual(actual, predicted, 0));
    }

    @Test
    void itemPca() throws IOException {
        Random random = new Random(7);
        List<ItemProjection> items = new ArrayList<>();
        for (int k = 0; k < 50; k++) {
            items.add(new ItemProjection(String.valueOf(k), "Movie number " + k + " (19" + (50 + k) + ")", 100 - k,
                    new double[] {random.nextGaussian(), random.nextGaussian()}));
        }
        assertRenders(Charts.itemPca(items), "pca", Charts.MAP_WIDTH, Charts.MAP_HEIGHT);
        assertThrows(IllegalArgumentException.class, () -> Charts.itemPca(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> Charts.itemPca(List.of(new ItemProjection("1", null, 3, new double[] {0.5}))));
    }

    @Test
    void biasRanking() throws IOException {
        List<ScoredId> highest = new ArrayList<>();
        List<ScoredId> lowest = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            highest.add(new ScoredId("h" + k, 0.5f - 0.03f * k, "A much liked film with a long title, part " + k));
            lowest.add(new ScoredId("l" + k, -0.2f + 0.01f * k, k == 0 ? null : "Disliked " + k));
        }
        highest.set(1, new ScoredId("h1", 0.47f,
                "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb (1964)"));
        org.knowm.xchart.CategoryChart chart = Charts.biasRanking(new BiasRanking(highest, lowest), "Item biases");
        assertTrue(chart.getHeight() > Charts.HEIGHT, "taller for a long title: " + chart.getHeight());
        assertTrue(chart.getSeriesMap().get("highest").getXData().contains(
                "Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb (1964)"), "the whole title");
        assertRenders(chart, "biases", Charts.WIDTH, chart.getHeight());
        List<ScoredId> shortTitles = List.of(new ScoredId("a", 0.2f, "Up (2009)"));
        assertEquals(Charts.HEIGHT, Charts.biasRanking(new BiasRanking(shortTitles, List.of()), "t").getHeight());
        assertThrows(IllegalArgumentException.class,
                () -> Charts.biasRanking(new BiasRanking(List.of(), List.of()), "none"));
    }
}
