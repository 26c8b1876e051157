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
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
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
 * them; the bias bars grow taller for long titles. Rendering needs no display (AWT runs headless).
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

    /** Longest label on the item map, in characters, before it is shortened with an ellipsis. */
    private static final int LABEL_LENGTH = 32;
    /** Points of the LR finder's curve left out at the end (fast.ai's {@code skip_end}). */
    private static final int LR_SKIP_END = 5;
    /** Points at the start of the LR finder's curve that do not set its y axis (fast.ai 1's {@code skip_start}). */
    private static final int LR_SKIP_START = 10;

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
     * Smoothed loss against learning rate on a log axis, with the suggested rate marked. As fast.ai's
     * {@code plot_lr_find}, the last {@value #LR_SKIP_END} points (where the loss shoots up) are left out, and the
     * y axis spans the part that matters: from a little below the lowest loss to a little above the highest loss
     * before it (the first {@value #LR_SKIP_START} points, whose smoothing has not settled, aside), so the
     * divergence leaves the top of the chart instead of squashing the valley into a few pixels.
     *
     * @param result the LR finder's result
     * @return the chart
     */
    public static XYChart lrFinder(LrFinder.Result result) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("LR finder")
                .xAxisTitle("learning rate (log scale)").yAxisTitle("smoothed loss").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendVisible(true);
        List<LrFinder.Point> all = result.points();
        List<LrFinder.Point> points = all.size() > 2 * LR_SKIP_END ? all.subList(0, all.size() - LR_SKIP_END) : all;
        double[] lr = points.stream().mapToDouble(LrFinder.Point::learningRate).toArray();
        double[] loss = points.stream().mapToDouble(LrFinder.Point::smoothedLoss).toArray();
        chart.addSeries("smoothed loss", lr, loss).setMarker(SeriesMarkers.NONE);
        double[] range = lrFinderYRange(loss);
        if (range != null) {
            chart.getStyler().setYAxisMin(range[0]);
            chart.getStyler().setYAxisMax(range[1]);
        }
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
     * The LR finder's y axis: {@code [min - 10 %, top + 25 %]} of {@code top - min}, where {@code min} is the
     * lowest loss and {@code top} the highest one between the first {@value #LR_SKIP_START} points and the
     * minimum; {@code null} (XChart's own range) when there are too few points or the losses are not finite.
     */
    static double[] lrFinderYRange(double[] loss) {
        int start = Math.min(LR_SKIP_START, loss.length / 4);
        int lowest = start;
        for (int k = start; k < loss.length; k++) {
            if (loss[k] < loss[lowest]) {
                lowest = k;
            }
        }
        if (loss.length < 4 || !Double.isFinite(loss[lowest])) {
            return null;
        }
        double top = loss[lowest];
        for (int k = start; k <= lowest; k++) {
            top = Math.max(top, loss[k]);
        }
        double span = top - loss[lowest];
        if (!(span > 0) || !Double.isFinite(span)) {
            return null;
        }
        return new double[] {loss[lowest] - 0.1 * span, top + 0.25 * span};
    }

    /**
     * Several series over the same steps on one chart, e.g. the loss of different optimizers at each step of the
     * same problem. Series with a non-positive value are drawn on a linear axis even if {@code logY} is asked for.
     *
     * <p>A log axis is drawn as the base-10 logarithm of the values on a linear axis whose ticks are labelled
     * with the values themselves (0.4, 0.63, 1, 1.6, ...): XChart's own log axis labels only powers of ten, a
     * single tick for a loss that falls from 3 to 0.35. The series of such a chart therefore hold
     * {@code log10} of the values.
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
            if (curve.getValue().length == 0) {
                throw new IllegalArgumentException("series '" + curve.getKey() + "' is empty");
            }
            for (double v : curve.getValue()) {
                positive &= v > 0 && Double.isFinite(v);
            }
        }
        boolean log = logY && positive;
        for (Map.Entry<String, double[]> curve : curves.entrySet()) {
            double[] y = curve.getValue().clone();
            double[] x = new double[y.length];
            for (int k = 0; k < y.length; k++) {
                x[k] = k;
                y[k] = log ? Math.log10(y[k]) : y[k];
            }
            chart.addSeries(curve.getKey(), x, y).setMarker(SeriesMarkers.NONE);
        }
        if (log) {
            chart.setYAxisTitle(yAxisTitle + " (log scale)");
            chart.setCustomYAxisTickLabelsFormatter(Charts::powerOfTenLabel);
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        return chart;
    }

    /** The label of a tick at {@code exponent} on a log axis drawn as log10: the value, two significant digits. */
    static String powerOfTenLabel(double exponent) {
        double value = Math.pow(10, exponent);
        java.math.BigDecimal rounded = new java.math.BigDecimal(value).round(new java.math.MathContext(2));
        return rounded.stripTrailingZeros().toPlainString();
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
     * {@code recommender.itemPcaProjection(2, 50)}: every label is drawn, placed where it overlaps no other label
     * and no point (with a thin line to its point when it had to move away). The chart is {@link #MAP_WIDTH} ×
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
        chart.getStyler().setXAxisDecimalPattern("0.0#");
        chart.getStyler().setYAxisDecimalPattern("0.0#");
        // Room for labels beside the outermost points.
        chart.getStyler().setXAxisMin(min(x) - 0.12 * span(x));
        chart.getStyler().setXAxisMax(min(x) + 1.12 * span(x));
        chart.getStyler().setYAxisMin(min(y) - 0.05 * span(y));
        chart.getStyler().setYAxisMax(min(y) + 1.07 * span(y));
        List<String> labels = items.stream().map(item -> shorten(item.label())).toList();
        placeLabels(chart, x, y, labels);
        return chart;
    }

    /**
     * Puts every label near its point where it overlaps no other label and no point: greedily, in the given
     * order, trying places above, below, right and left of the point, then farther away; a label that had to move
     * away from its point gets a thin leader line to it. The layout is done in pixels, on the axes the chart has
     * once painted at its size (annotations do not change the axes).
     */
    private static void placeLabels(XYChart chart, double[] x, double[] y, List<String> labels) {
        BufferedImage image = new BufferedImage(chart.getWidth(), chart.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            chart.paint(g, chart.getWidth(), chart.getHeight());
            g.setFont(chart.getStyler().getAnnotationTextFont());
            FontMetrics metrics = g.getFontMetrics();
            double[] px = new double[x.length];
            double[] py = new double[y.length];
            for (int k = 0; k < x.length; k++) {
                px[k] = chart.getScreenXFromChart(x[k]);
                py[k] = chart.getScreenYFromChart(y[k]);
            }
            Rectangle2D plot = new Rectangle2D.Double(chart.getScreenXFromChart(chart.getStyler().getXAxisMin()),
                    chart.getScreenYFromChart(chart.getStyler().getYAxisMax()), 0, 0);
            plot.add(chart.getScreenXFromChart(chart.getStyler().getXAxisMax()),
                    chart.getScreenYFromChart(chart.getStyler().getYAxisMin()));
            List<Rectangle2D> placed = new ArrayList<>();
            for (int k = 0; k < x.length; k++) {
                double w = metrics.stringWidth(labels.get(k)) + 2;
                double h = metrics.getAscent() + 1;
                Rectangle2D best = null;
                double bestCost = Double.POSITIVE_INFINITY;
                for (double[] offset : labelOffsets(w, h)) {
                    Rectangle2D box = new Rectangle2D.Double(px[k] + offset[0] - w / 2, py[k] + offset[1] - h / 2,
                            w, h);
                    double cost = overlap(box, placed, px, py) + (plot.contains(box) ? 0 : 1e6);
                    if (cost < bestCost) {
                        best = box;
                        bestCost = cost;
                        if (cost == 0) {
                            break;
                        }
                    }
                }
                placed.add(best);
                double cx = best.getCenterX();
                double cy = best.getCenterY();
                chart.addAnnotation(new AnnotationText(labels.get(k), chart.getChartXFromCoordinate((int) Math.round(cx)),
                        chart.getChartYFromCoordinate((int) Math.round(cy)), false));
                if (Math.abs(cy - py[k]) > h * 1.6 || Math.abs(cx - px[k]) > w / 2 + 12) {
                    // From the point to the nearest edge of its label.
                    double ex = Math.max(best.getMinX(), Math.min(px[k], best.getMaxX()));
                    double ey = py[k] < best.getMinY() ? best.getMinY() : py[k] > best.getMaxY() ? best.getMaxY() : cy;
                    XYSeries leader = chart.addSeries("leader " + k,
                            new double[] {x[k], chart.getChartXFromCoordinate((int) Math.round(ex))},
                            new double[] {y[k], chart.getChartYFromCoordinate((int) Math.round(ey))});
                    leader.setMarker(SeriesMarkers.NONE);
                    leader.setLineColor(new Color(0x99, 0x99, 0x99));
                    leader.setLineWidth(0.6f);
                }
            }
        } finally {
            g.dispose();
        }
    }

    /** Offsets of a label's centre from its point, in pixels, nearest first. */
    private static List<double[]> labelOffsets(double w, double h) {
        List<double[]> offsets = new ArrayList<>();
        double gap = 7;
        for (int ring = 0; ring < 8; ring++) {
            double dy = ring * (h + 2);
            offsets.add(new double[] {0, -(gap + h / 2 + dy)});
            offsets.add(new double[] {0, gap + h / 2 + dy});
            offsets.add(new double[] {gap + w / 2, -dy});
            offsets.add(new double[] {-(gap + w / 2), -dy});
            offsets.add(new double[] {gap + w / 2, dy});
            offsets.add(new double[] {-(gap + w / 2), dy});
            offsets.add(new double[] {w / 2, -(gap + h / 2 + dy)});
            offsets.add(new double[] {-w / 2, -(gap + h / 2 + dy)});
            offsets.add(new double[] {w / 2, gap + h / 2 + dy});
            offsets.add(new double[] {-w / 2, gap + h / 2 + dy});
        }
        return offsets;
    }

    /** How much a label box overlaps the labels placed so far and the points (4-pixel squares), in pixels². */
    private static double overlap(Rectangle2D box, List<Rectangle2D> placed, double[] px, double[] py) {
        double area = 0;
        for (Rectangle2D other : placed) {
            Rectangle2D cut = box.createIntersection(other);
            area += cut.isEmpty() ? 0 : (cut.getWidth() + 1) * (cut.getHeight() + 1);
        }
        for (int k = 0; k < px.length; k++) {
            Rectangle2D cut = box.createIntersection(new Rectangle2D.Double(px[k] - 4, py[k] - 4, 8, 8));
            area += cut.isEmpty() ? 0 : (cut.getWidth() + 1) * (cut.getHeight() + 1);
        }
        return area;
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
     * two lists of fast.ai's lesson in one picture), labelled with their whole titles, written downwards. The
     * chart is {@link #WIDTH} wide and {@link #HEIGHT} high, or higher when the longest title needs the room, so
     * that the bars keep their height.
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
        java.awt.Font tickFont = new CategoryChartBuilder().build().getStyler().getAxisTickLabelsFont().deriveFont(10f);
        int longest = 0;
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            FontMetrics metrics = g.getFontMetrics(tickFont);
            for (String label : labels) {
                longest = Math.max(longest, metrics.stringWidth(label));
            }
        } finally {
            g.dispose();
        }
        // What a 500-pixel chart leaves the plot and the title with labels of the item map's length (about 190 px).
        int height = Math.max(HEIGHT, HEIGHT - 190 + longest);
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(height).title(title)
                .yAxisTitle("bias").build();
        chart.getStyler().setOverlapped(true);
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setAxisTickLabelsFont(tickFont);
        chart.addSeries("highest", labels, high);
        chart.addSeries("lowest", labels, low);
        return chart;
    }

    /** A label, made unique among those so far (a category chart merges equal labels). */
    private static String uniqueLabel(List<String> labels, ScoredId s) {
        String label = s.label();
        return labels.contains(label) ? label + " (" + s.id() + ")" : label;
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
