package org.collab4j.plot;

import org.collab4j.recommend.BiasRanking;
import org.collab4j.recommend.ItemProjection;
import org.collab4j.recommend.ScoredId;
import org.collab4j.train.EpochResult;
import org.collab4j.train.LrFinder;
import org.collab4j.util.AtomicFiles;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds XChart charts of training runs and of trained models, and writes them as PNG files.
 *
 * <p>Training: {@link #lossCurves} (fast.ai's {@code plot_losses}), {@link #lrFinder}, {@link #stepCurves} (any
 * per-step series, e.g. the loss of several optimizers). Models: {@link #predictedVsActual} (a 2-D histogram, as
 * seaborn's {@code jointplot}), {@link #itemPca} (items on two principal components, labelled),
 * {@link #biasRanking} (bar chart of the highest and lowest biases). Every chart is {@link #WIDTH} ×
 * {@link #HEIGHT} pixels but the item map, {@link #MAP_WIDTH} × {@link #MAP_HEIGHT}; {@link #savePng} writes any of
 * them. Rendering needs no display (AWT runs headless).
 */
public final class Charts {

    /** Default width of a chart in pixels. */
    public static final int WIDTH = 800;
    /** Default height of a chart in pixels. */
    public static final int HEIGHT = 500;
    /** Width of the item map ({@link #itemPca}) in pixels: its labels need the room. */
    public static final int MAP_WIDTH = 1000;
    /** Height of the item map ({@link #itemPca}) in pixels. */
    public static final int MAP_HEIGHT = 800;

    /** Longest label, in characters, before it is shortened with an ellipsis. */
    private static final int LABEL_LENGTH = 32;

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
     * Several series over the same steps on one chart, e.g. the loss of different optimizers at each step of the
     * same problem. Series with a non-positive value are drawn on a linear axis even if {@code logY} is asked for.
     *
     * @param title the chart's title
     * @param yAxisTitle the quantity, e.g. {@code "MSE"}
     * @param curves series name to its values at steps 0, 1, 2, ... (step 0: before the first update), in the
     *     order to draw them
     * @param logY whether the y axis is logarithmic (losses that fall by orders of magnitude)
     * @return the chart
     * @throws IllegalArgumentException if there are no series or a series is empty
     */
    public static XYChart stepCurves(String title, String yAxisTitle, Map<String, double[]> curves, boolean logY) {
        if (curves.isEmpty()) {
            throw new IllegalArgumentException("no series to plot");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step")
                .yAxisTitle(yAxisTitle).build();
        boolean positive = true;
        for (Map.Entry<String, double[]> curve : curves.entrySet()) {
            double[] y = curve.getValue();
            if (y.length == 0) {
                throw new IllegalArgumentException("series '" + curve.getKey() + "' is empty");
            }
            double[] x = new double[y.length];
            for (int k = 0; k < y.length; k++) {
                x[k] = k;
                positive &= y[k] > 0;
            }
            chart.addSeries(curve.getKey(), x, y).setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setYAxisLogarithmic(logY && positive);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }

    /**
     * Predicted against actual ratings as a 2-D histogram (the heat map of seaborn's {@code jointplot}): the
     * ratings are counted in cells {@code binWidth} wide on both axes, centred on multiples of {@code binWidth}
     * (so half-star ratings each get their own column with the default 0.5), and every cell shows its count. A
     * good model puts the counts on the diagonal. The title gives the number of ratings and the RMSE.
     *
     * @param actual the true ratings
     * @param predicted the predicted ratings, in the same order
     * @param binWidth the width of a cell on both axes, e.g. 0.5
     * @return the chart
     * @throws IllegalArgumentException if the arrays differ in length or are empty, a value is not finite, or
     *     {@code binWidth} is not positive
     */
    public static HeatMapChart predictedVsActual(float[] actual, float[] predicted, double binWidth) {
        if (actual.length != predicted.length || actual.length == 0) {
            throw new IllegalArgumentException("need as many predictions as actual ratings, at least one; got "
                    + actual.length + " actual and " + predicted.length + " predicted");
        }
        if (!(binWidth > 0) || Double.isInfinite(binWidth)) {
            throw new IllegalArgumentException("binWidth must be positive, got " + binWidth);
        }
        long low = Long.MAX_VALUE;
        long high = Long.MIN_VALUE;
        double sumSq = 0;
        for (int k = 0; k < actual.length; k++) {
            if (!Float.isFinite(actual[k]) || !Float.isFinite(predicted[k])) {
                throw new IllegalArgumentException("rating " + k + " is not finite: actual " + actual[k]
                        + ", predicted " + predicted[k]);
            }
            low = Math.min(low, Math.min(bin(actual[k], binWidth), bin(predicted[k], binWidth)));
            high = Math.max(high, Math.max(bin(actual[k], binWidth), bin(predicted[k], binWidth)));
            sumSq += (double) (predicted[k] - actual[k]) * (predicted[k] - actual[k]);
        }
        int size = (int) (high - low + 1);
        int[][] counts = new int[size][size];
        for (int k = 0; k < actual.length; k++) {
            counts[(int) (bin(actual[k], binWidth) - low)][(int) (bin(predicted[k], binWidth) - low)]++;
        }
        List<String> labels = new ArrayList<>(size);
        int decimals = binWidth >= 1 && binWidth == Math.rint(binWidth) ? 0 : binWidth >= 0.1 ? 1 : 2;
        for (long b = low; b <= high; b++) {
            labels.add(String.format(Locale.ROOT, "%." + decimals + "f", b * binWidth));
        }
        List<Number[]> cells = new ArrayList<>();
        for (int x = 0; x < size; x++) {
            for (int y = 0; y < size; y++) {
                if (counts[x][y] > 0) {
                    cells.add(new Number[] {x, y, counts[x][y]});
                }
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format(Locale.ROOT, "Predicted vs actual: %,d ratings, RMSE %.4f", actual.length,
                        Math.sqrt(sumSq / actual.length)))
                .xAxisTitle("actual rating").yAxisTitle("predicted rating").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("#");
        chart.getStyler().setValueFontColor(Color.BLACK);
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setRangeColors(new Color[] {new Color(0xF7FBFF), new Color(0x6BAED6),
            new Color(0x08306B)});
        chart.addSeries("ratings", labels, labels, cells);
        return chart;
    }

    private static long bin(float value, double width) {
        return Math.round(value / width);
    }

    /**
     * Items on the first two principal components of the item factors, each labelled with its title (fast.ai's
     * scatter of movies in the lesson). Pass a few dozen items, e.g. the 50 most rated of
     * {@code recommender.itemPcaProjection(2, 50)}: every label is drawn. The chart is {@link #MAP_WIDTH} ×
     * {@link #MAP_HEIGHT}.
     *
     * @param items the items to place, with at least two coordinates each
     * @return the chart
     * @throws IllegalArgumentException if there are no items or an item has fewer than two coordinates
     */
    public static XYChart itemPca(List<ItemProjection> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("no items to plot");
        }
        XYChart chart = new XYChartBuilder().width(MAP_WIDTH).height(MAP_HEIGHT)
                .title("Items on the first two principal components of their factors")
                .xAxisTitle("principal component 1").yAxisTitle("principal component 2").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setAnnotationTextFontColor(new Color(0x33, 0x33, 0x33));
        chart.getStyler().setAnnotationTextFont(chart.getStyler().getAnnotationTextFont().deriveFont(11f));
        double[] x = new double[items.size()];
        double[] y = new double[items.size()];
        for (int k = 0; k < x.length; k++) {
            ItemProjection item = items.get(k);
            if (item.coordinates().length < 2) {
                throw new IllegalArgumentException("item " + item.id() + " has " + item.coordinates().length
                        + " coordinate(s); the map needs two: itemPcaProjection(2, minRatings)");
            }
            x[k] = item.coordinate(1);
            y[k] = item.coordinate(2);
        }
        XYSeries points = chart.addSeries("items", x, y);
        points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        points.setMarker(SeriesMarkers.CIRCLE);
        // Room for the labels: they start left of their point and run to the right and above it.
        chart.getStyler().setXAxisMin(min(x) - 0.1 * span(x));
        chart.getStyler().setXAxisMax(min(x) + 1.14 * span(x));
        chart.getStyler().setYAxisMin(min(y) - 0.04 * span(y));
        chart.getStyler().setYAxisMax(min(y) + 1.07 * span(y));
        double rise = span(y) * 0.018;
        for (int k = 0; k < x.length; k++) {
            // Data coordinates: the label sits just above its point, centred on it.
            chart.addAnnotation(new AnnotationText(shorten(items.get(k).label()), x[k], y[k] + rise, false));
        }
        return chart;
    }

    private static double min(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
        }
        return min;
    }

    private static double span(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max > min ? max - min : 1;
    }

    /**
     * The highest and the lowest biases as bars, from the highest on the left to the lowest on the right (the
     * two lists of fast.ai's lesson in one picture), labelled with titles.
     *
     * @param ranking e.g. {@code recommender.itemBiases(10, 50)}
     * @param title the chart's title, e.g. {@code "Item biases (items with 50+ ratings)"}
     * @return the chart
     * @throws IllegalArgumentException if the ranking is empty
     */
    public static CategoryChart biasRanking(BiasRanking ranking, String title) {
        List<ScoredId> highest = ranking.highest();
        List<ScoredId> lowest = new ArrayList<>(ranking.lowest());
        java.util.Collections.reverse(lowest);
        if (highest.isEmpty() && lowest.isEmpty()) {
            throw new IllegalArgumentException("the ranking is empty");
        }
        List<String> labels = new ArrayList<>();
        List<Double> high = new ArrayList<>();
        List<Double> low = new ArrayList<>();
        for (ScoredId s : highest) {
            labels.add(uniqueLabel(labels, s));
            high.add((double) s.score());
            low.add(0d);
        }
        for (ScoredId s : lowest) {
            labels.add(uniqueLabel(labels, s));
            high.add(0d);
            low.add((double) s.score());
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .yAxisTitle("bias").build();
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setAxisTickLabelsFont(chart.getStyler().getAxisTickLabelsFont().deriveFont(10f));
        chart.addSeries("highest", labels, high);
        chart.addSeries("lowest", labels, low);
        return chart;
    }

    /** A shortened label, made unique among those so far (a category chart merges equal labels). */
    private static String uniqueLabel(List<String> labels, ScoredId s) {
        String label = shorten(s.label());
        return labels.contains(label) ? shorten(s.label()) + " (" + s.id() + ")" : label;
    }

    private static String shorten(String label) {
        return label.length() <= LABEL_LENGTH ? label : label.substring(0, LABEL_LENGTH - 1) + "\u2026";
    }

    /**
     * Writes a chart as a PNG file of the chart's size, through a temporary file moved into place: the file is
     * either absent, the previous one, or complete. Missing parent folders are created.
     *
     * @param chart the chart: any XChart chart ({@code XYChart}, {@code CategoryChart}, {@code HeatMapChart}, ...)
     * @param file the PNG file to write
     * @throws IOException if the file cannot be written
     */
    public static void savePng(Chart<?, ?> chart, Path file) throws IOException {
        AtomicFiles.write(file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
