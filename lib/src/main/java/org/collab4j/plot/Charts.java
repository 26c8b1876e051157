package org.collab4j.plot;

import org.collab4j.train.EpochResult;
import org.collab4j.train.LrFinder;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Builds XChart charts of training runs and writes them as PNG files. */
public final class Charts {

    /** Default width of a chart in pixels. */
    public static final int WIDTH = 800;
    /** Default height of a chart in pixels. */
    public static final int HEIGHT = 500;

    private Charts() {}

    /**
     * Training and validation loss per epoch (fast.ai's {@code recorder.plot_losses}).
     *
     * @param history the epoch rows, e.g. {@code learner.history()}
     * @return the chart
     */
    public static XYChart lossCurves(List<EpochResult> history) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Loss per epoch")
                .xAxisTitle("epoch").yAxisTitle("MSE").build();
        double[] x = new double[history.size()];
        double[] train = new double[history.size()];
        double[] valid = new double[history.size()];
        boolean hasValid = false;
        for (int k = 0; k < x.length; k++) {
            x[k] = k + 1;
            train[k] = history.get(k).trainLoss();
            valid[k] = history.get(k).validLoss();
            hasValid |= !Double.isNaN(valid[k]);
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("the history is empty: fit the learner first");
        }
        chart.addSeries("train (smoothed)", x, train).setMarker(SeriesMarkers.CIRCLE);
        if (hasValid) {
            chart.addSeries("valid", x, valid).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /**
     * Smoothed loss against learning rate on a log axis, with the suggested rate marked.
     *
     * @param result the LR finder's result
     * @return the chart
     */
    public static XYChart lrFinder(LrFinder.Result result) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("LR finder")
                .xAxisTitle("learning rate (log scale)").yAxisTitle("smoothed loss").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendVisible(true);
        List<LrFinder.Point> points = result.points();
        double[] lr = points.stream().mapToDouble(LrFinder.Point::learningRate).toArray();
        double[] loss = points.stream().mapToDouble(LrFinder.Point::smoothedLoss).toArray();
        chart.addSeries("smoothed loss", lr, loss).setMarker(SeriesMarkers.NONE);
        double suggested = result.suggestedLearningRate();
        double y = loss[0];
        for (int k = 0; k < lr.length; k++) {
            if (lr[k] <= suggested) {
                y = loss[k];
            }
        }
        XYSeries mark = chart.addSeries(String.format(java.util.Locale.ROOT, "suggested %.2g", suggested),
                new double[] {suggested}, new double[] {y});
        mark.setMarker(SeriesMarkers.DIAMOND);
        mark.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        return chart;
    }

    /**
     * Writes a chart as a PNG file, through a temporary file moved into place.
     *
     * @param chart the chart
     * @param file the PNG file to write
     * @throws IOException if the file cannot be written
     */
    public static void savePng(XYChart chart, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".chart-", ".png");
        try {
            try (var out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
