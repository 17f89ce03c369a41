package dev.spike.station.chart;

import dev.spike.model.SprayReason;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYDataset;

/**
 * The JFreeChart model behind {@link ReadingsChart}, without JavaFX: humidity on the left axis, temperature on the
 * right one, the low-humidity threshold as a dashed line (stepped where the rules' day/night program changes it), one
 * band per spray coloured by its reason, and a legend.
 * {@link #show} puts a time window of {@link ChartData} into it, downsampled to the plot's width, so drawing costs
 * the same at 1 hour and at 30 days. Used by the FX component and, on a {@code BufferedImage}, by the benchmark.
 */
public final class ReadingsPlot {

    /** Readings arrive at least every 5 minutes; three missed periodic readings mean the sensor or agent was down. */
    public static final long DEFAULT_GAP_MS = 15 * 60_000L;

    /** A spray lasts seconds, invisible at 30 days: every band is drawn at least this many pixels wide. */
    static final double MIN_BAND_PX = 3;

    /**
     * When the bands would cover more than this share of the plot (30 days of sprays every hour or so), they hide
     * the lines: they are then drawn as ticks in a lane along the bottom of the plot instead.
     */
    static final double LANE_ABOVE_COVER = 0.2;

    /** Height of that lane in pixels. */
    static final double LANE_PX = 12;

    private static final DateTimeFormatter TOOLTIP_TIME =
            DateTimeFormatter.ofPattern("EEE d MMM HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter TOOLTIP_CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ENGLISH);

    static final String HUMIDITY = "Humidity";
    static final String TEMPERATURE = "Temperature";
    static final String SENSOR_1 = "Sensor 1";
    static final String SENSOR_2 = "Sensor 2";
    static final String THRESHOLD = "Threshold";

    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Stroke LINE = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    /**
     * Dense lines (more points than columns, the min/max zigzag) are drawn as separate butt-capped segments: as
     * one antialiased path with round joins they cost three times as much (50 ms instead of 16 ms at 30 days).
     */
    private static final Stroke DENSE_LINE = new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_BEVEL);
    private static final Stroke THIN_LINE = new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final Stroke DENSE_THIN_LINE = new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_BEVEL);
    private static final Stroke SENSOR_LINE = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_BEVEL);
    private static final Stroke SENSOR_2_LINE = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_BEVEL,
            10f, new float[] {4f, 3f}, 0f);
    private static final Stroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {8f, 6f}, 0f);

    private final DefaultXYDataset humidityData = new DefaultXYDataset();
    private final DefaultXYDataset temperatureData = new DefaultXYDataset();
    /** The rules preview's would-be sprays: a mark each along the top of the plot, one series per reason. */
    private final DefaultXYDataset proposedData = new DefaultXYDataset();
    private final XYLineAndShapeRenderer proposedRenderer = new XYLineAndShapeRenderer(false, true);
    private boolean showsProposed;
    private final DateAxis timeAxis = new DateAxis();
    private final NumberAxis humidityAxis = new NumberAxis("Humidity  %RH");
    private final NumberAxis temperatureAxis = new NumberAxis("Temperature  °C");
    private final HumidityRenderer humidityRenderer = new HumidityRenderer();
    private final XYLineAndShapeRenderer temperatureRenderer = new XYLineAndShapeRenderer(true, false);
    private final ValueMarker threshold = new ValueMarker(Double.NaN);
    /** The threshold as a stepped line, when a program makes it change over the day; empty otherwise. */
    private final DefaultXYDataset thresholdSteps = new DefaultXYDataset();
    private final XYStepRenderer thresholdRenderer = new XYStepRenderer();
    private String programText = "";
    private final XYPlot plot;
    private final JFreeChart chart;
    private final LegendTitle legend;
    private Palette palette = Palette.LIGHT;
    private long gapMs = DEFAULT_GAP_MS;
    private int visibleSprays;
    private double thresholdPct = Double.NaN;
    /** Whether the two sensors' lines are shown: the legend lists them then. */
    private boolean sensorsShown;

    public ReadingsPlot() {
        plot = new XYPlot(null, timeAxis, humidityAxis, humidityRenderer) {
            // the humidity scale follows the data, a drag only picks a time span
            @Override
            public boolean isRangeZoomable() {
                return false;
            }
        };
        plot.setDataset(0, humidityData);
        plot.setDataset(1, temperatureData);
        plot.setRangeAxis(1, temperatureAxis);
        plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, temperatureRenderer);
        plot.setDataset(3, proposedData);
        plot.setRenderer(3, proposedRenderer);
        proposedRenderer.setDefaultCreateEntities(false);
        java.awt.Polygon down = new java.awt.Polygon(new int[] {-6, 6, 0}, new int[] {-6, -6, 5}, 3);
        for (SprayReason reason : SprayReason.values()) {
            proposedRenderer.setSeriesShape(reason.ordinal(), down);
        }
        // humidity, the quantity the rules act on, is drawn over temperature
        plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
        plot.setDomainPannable(true);
        plot.setRangePannable(false);
        plot.setOutlineVisible(false);
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));

        timeAxis.setAutoRange(false);
        timeAxis.setLowerMargin(0);
        timeAxis.setUpperMargin(0);
        humidityAxis.setAutoRange(false);
        humidityAxis.setRange(0, 100);
        // a few round steps: 100, 90, 80 reads faster across the room than 100, 98, 96
        TickUnits percent = new TickUnits();
        for (int step : new int[] {5, 10, 20, 25}) {
            percent.add(new NumberTickUnit(step, new DecimalFormat("0")));
        }
        humidityAxis.setStandardTickUnits(percent);
        temperatureAxis.setAutoRangeIncludesZero(false);
        temperatureAxis.setAutoRangeMinimumSize(4);

        for (XYLineAndShapeRenderer renderer : List.of(humidityRenderer, temperatureRenderer)) {
            // no entity (hotspot and tooltip text) per point: a third of the redraw time; see describeAt
            renderer.setDefaultCreateEntities(false);
            renderer.setDrawSeriesLineAsPath(true);
            renderer.setSeriesStroke(0, LINE);
        }
        temperatureRenderer.setSeriesStroke(0, THIN_LINE);
        // each sensor thin under the agreed line: solid for sensor 1, dashed for sensor 2
        humidityRenderer.setSeriesStroke(1, SENSOR_LINE);
        humidityRenderer.setSeriesStroke(2, SENSOR_2_LINE);

        threshold.setStroke(DASHED);
        plot.addRangeMarker(0, threshold, Layer.FOREGROUND);
        plot.setDataset(2, thresholdSteps);
        plot.setRenderer(2, thresholdRenderer);
        thresholdRenderer.setDefaultCreateEntities(false);
        thresholdRenderer.setDefaultShapesVisible(false);
        thresholdRenderer.setSeriesStroke(0, DASHED);

        chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setPadding(new RectangleInsets(8, 4, 4, 8));
        legend = new LegendTitle(plot);
        legend.setPosition(RectangleEdge.TOP);
        legend.setItemFont(LEGEND_FONT);
        legend.setFrame(BlockBorder.NONE);
        legend.setMargin(new RectangleInsets(0, 0, 6, 0));
        legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 14));
        chart.addLegend(legend);
        applyPalette(Palette.LIGHT);
    }

    public JFreeChart chart() {
        return chart;
    }

    public XYPlot plot() {
        return plot;
    }

    public DateAxis timeAxis() {
        return timeAxis;
    }

    /** How long a silence between readings must be to break the line; {@link Downsampler#NO_GAPS} never breaks. */
    public void setGapMs(long gapMs) {
        this.gapMs = gapMs;
    }

    /** True when the sprays are drawn as ticks along the bottom instead of full-height bands. */
    public boolean spraysInLane() {
        return humidityRenderer.lane;
    }

    /** How many spray bands (after merging neighbours closer than a few pixels) the last {@link #show} drew. */
    public int visibleSprayBands() {
        return visibleSprays;
    }

    /**
     * Shows the window {@code [startMs, endMs]} of {@code data}, downsampled to {@code columns} pixel columns, with
     * one chart change event at the end (one redraw).
     */
    public void show(ChartData data, long startMs, long endMs, int columns) {
        int width = Math.max(1, columns);
        boolean notify = chart.isNotify();
        chart.setNotify(false);
        try {
            timeAxis.setRange(startMs, endMs);
            Downsampler.Points humidity = Downsampler.minMaxPerColumn(data.humidity(), startMs, endMs, width, gapMs);
            Downsampler.Points temperature =
                    Downsampler.minMaxPerColumn(data.temperature(), startMs, endMs, width, gapMs);
            humidityData.addSeries(HUMIDITY, xy(humidity));
            boolean two = data.hasTwoSensors();
            if (two) {
                humidityData.addSeries(SENSOR_1, xy(Downsampler.minMaxPerColumn(data.sensor1Humidity(), startMs, endMs,
                        width, gapMs)));
                humidityData.addSeries(SENSOR_2, xy(Downsampler.minMaxPerColumn(data.sensor2Humidity(), startMs, endMs,
                        width, gapMs)));
            } else if (humidityData.getSeriesCount() > 1) {
                humidityData.removeSeries(SENSOR_2);
                humidityData.removeSeries(SENSOR_1);
            }
            temperatureData.addSeries(TEMPERATURE, xy(temperature));
            lineStyle(humidityRenderer, humidity.size() > width, LINE, DENSE_LINE);
            lineStyle(temperatureRenderer, temperature.size() > width, THIN_LINE, DENSE_THIN_LINE);
            double[][] steps = data.thresholdSteps(startMs, endMs);
            thresholdSteps.addSeries(THRESHOLD, steps);
            boolean stepped = steps[0].length > 0;
            fitHumidityAxis(humidity, stepped ? steps[1] : new double[] {data.lowHumidityPct()});
            // a stepped line replaces the flat marker
            threshold.setValue(stepped || Double.isNaN(data.lowHumidityPct()) ? -1000 : data.lowHumidityPct());
            String program = data.program().isEmpty() ? "" : data.program().describe();
            if (Double.compare(thresholdPct, data.lowHumidityPct()) != 0 || !program.equals(programText)
                    || sensorsShown != two) {
                thresholdPct = data.lowHumidityPct();
                programText = program;
                sensorsShown = two;
                plot.setFixedLegendItems(legendItems());
            }
            showSprays(data.spraysBetween(startMs, endMs), (double) (endMs - startMs) / width, endMs - startMs);
            showProposed(data.proposedSprays());
        } finally {
            chart.setNotify(notify);
        }
    }

    private static void lineStyle(XYLineAndShapeRenderer renderer, boolean dense, Stroke sparse, Stroke packed) {
        if (renderer.getDrawSeriesLineAsPath() == dense) {
            renderer.setDrawSeriesLineAsPath(!dense);
            renderer.setSeriesStroke(0, dense ? packed : sparse, false);
        }
    }

    /**
     * The tooltip text for the moment {@code timeMs}: the nearest humidity and temperature readings within
     * {@code toleranceMs} and the spray under it, or null when there is nothing that close.
     *
     * <pre>
     * Tue 5 May 14:03:10
     * Humidity 74.2 %RH
     * Temperature 27.3 °C
     * Spray: low humidity, 6.0 s
     * </pre>
     */
    public static String describeAt(ChartData data, long timeMs, long toleranceMs, ZoneId zone) {
        int h = nearest(data.humidity(), timeMs, toleranceMs);
        int t = nearest(data.temperature(), timeMs, toleranceMs);
        SprayBand spray = null;
        for (SprayBand band : data.spraysBetween(timeMs - toleranceMs, timeMs + toleranceMs)) {
            spray = band;
        }
        if (h < 0 && t < 0 && spray == null) {
            return null;
        }
        long at = h >= 0 ? data.humidity().timeAt(h) : t >= 0 ? data.temperature().timeAt(t) : spray.startMs();
        StringBuilder text = new StringBuilder(TOOLTIP_TIME.format(Instant.ofEpochMilli(at).atZone(zone)));
        if (h >= 0) {
            text.append("\nHumidity ").append(oneDecimal(data.humidity().valueAt(h))).append(" %RH");
        }
        int s1 = nearest(data.sensor1Humidity(), timeMs, toleranceMs);
        int s2 = nearest(data.sensor2Humidity(), timeMs, toleranceMs);
        if (s2 >= 0) {
            text.append("\n").append(SENSOR_1).append(' ')
                    .append(s1 >= 0 ? oneDecimal(data.sensor1Humidity().valueAt(s1)) + " %RH" : "failed")
                    .append(", ").append(SENSOR_2).append(' ')
                    .append(oneDecimal(data.sensor2Humidity().valueAt(s2))).append(" %RH");
        }
        if (t >= 0) {
            text.append("\nTemperature ").append(oneDecimal(data.temperature().valueAt(t))).append(" °C");
        }
        if (spray != null) {
            text.append("\nSpray: ").append(describe(spray.reason())).append(", ")
                    .append(oneDecimal(spray.durationMs() / 1000.0)).append(" s at ")
                    .append(TOOLTIP_CLOCK.format(Instant.ofEpochMilli(spray.startMs()).atZone(zone)));
        }
        return text.toString();
    }

    private static int nearest(ReadingSeries series, long timeMs, long toleranceMs) {
        int after = series.indexAtOrAfter(timeMs);
        int best = -1;
        long bestDistance = Long.MAX_VALUE;
        for (int i = Math.max(0, after - 1); i <= after && i < series.size(); i++) {
            long distance = Math.abs(series.timeAt(i) - timeMs);
            if (distance <= toleranceMs && distance < bestDistance) {
                best = i;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static String oneDecimal(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** Recolours everything; the next draw uses {@code palette}. */
    public void applyPalette(Palette palette) {
        this.palette = palette;
        boolean notify = chart.isNotify();
        chart.setNotify(false);
        try {
            chart.setBackgroundPaint(palette.background());
            plot.setBackgroundPaint(palette.plotBackground());
            plot.setDomainGridlinePaint(palette.grid());
            plot.setRangeGridlinePaint(palette.grid());
            styleAxis(timeAxis, palette.text());
            styleAxis(humidityAxis, palette.humidity());
            styleAxis(temperatureAxis, palette.temperature());
            timeAxis.setAxisLineVisible(false);
            humidityRenderer.setSeriesPaint(0, palette.humidity());
            humidityRenderer.setSeriesPaint(1, sensorPaint(palette));
            humidityRenderer.setSeriesPaint(2, sensorPaint(palette));
            temperatureRenderer.setSeriesPaint(0, palette.temperature());
            threshold.setPaint(palette.threshold());
            threshold.setLabelPaint(palette.threshold());
            thresholdRenderer.setSeriesPaint(0, palette.threshold());
            legend.setBackgroundPaint(palette.background());
            legend.setItemPaint(palette.text());
            plot.setFixedLegendItems(legendItems());
            for (Object marker : markers()) {
                if (marker instanceof SprayMarker) {
                    SprayMarker band = (SprayMarker) marker;
                    band.setPaint(palette.spray(band.reason()));
                }
            }
        } finally {
            chart.setNotify(notify);
        }
    }

    public Palette palette() {
        return palette;
    }

    /** The sensors' lines: the humidity colour, faded, so the agreed value stays the line to read. */
    private static Color sensorPaint(Palette palette) {
        Color humidity = palette.humidity();
        return new Color(humidity.getRed(), humidity.getGreen(), humidity.getBlue(), 150);
    }

    private void styleAxis(ValueAxis axis, Color labelColour) {
        axis.setTickLabelFont(TICK_FONT);
        axis.setLabelFont(LABEL_FONT);
        axis.setTickLabelPaint(palette.text());
        axis.setLabelPaint(labelColour);
        axis.setAxisLinePaint(palette.grid());
        axis.setTickMarkPaint(palette.grid());
    }

    private LegendItemCollection legendItems() {
        LegendItemCollection items = new LegendItemCollection();
        Shape line = new Line2D.Double(-10, 0, 10, 0);
        items.add(new LegendItem(HUMIDITY, null, null, null, line, LINE, palette.humidity()));
        if (sensorsShown) {
            items.add(new LegendItem(SENSOR_1, null, null, null, line, SENSOR_LINE, sensorPaint(palette)));
            items.add(new LegendItem(SENSOR_2, null, null, null, line, SENSOR_2_LINE, sensorPaint(palette)));
        }
        items.add(new LegendItem(TEMPERATURE, null, null, null, line, LINE, palette.temperature()));
        String spraysBelow = Double.isNaN(thresholdPct) ? "Spray threshold"
                : "Sprays below " + BigDecimal.valueOf(thresholdPct).stripTrailingZeros().toPlainString() + "\u00a0%"
                        + (programText.isEmpty() ? "" : ", " + programText);
        items.add(new LegendItem(spraysBelow, null, null, null, line, DASHED, palette.threshold()));
        Shape box = new Rectangle2D.Double(-6, -6, 12, 12);
        // reads as one list: "Spray: low humidity, sensor down, evening, manual"
        for (SprayReason reason : SprayReason.values()) {
            String label = reason == SprayReason.values()[0] ? "Spray: " + describe(reason) : describe(reason);
            items.add(new LegendItem(label, null, null, null, box, palette.spray(reason)));
        }
        if (showsProposed) {
            items.add(new LegendItem("proposed rules", null, null, null,
                    new java.awt.Polygon(new int[] {-6, 6, 0}, new int[] {-6, -6, 5}, 3), palette.text()));
        }
        return items;
    }

    /** How a person reads a spray reason: "low humidity", "sensor down", "evening", "manual". */
    public static String describe(SprayReason reason) {
        return reason.wire().replace('_', ' ');
    }

    private void fitHumidityAxis(Downsampler.Points points, double[] thresholds) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (double value : points.values()) {
            if (!Double.isNaN(value)) {
                low = Math.min(low, value);
                high = Math.max(high, value);
            }
        }
        for (double thresholdPct : thresholds) {
            if (!Double.isNaN(thresholdPct)) {
                low = Math.min(low, thresholdPct);
                high = Math.max(high, thresholdPct);
            }
        }
        if (low > high) {
            humidityAxis.setRange(0, 100);
            return;
        }
        // whole tens with some air, at least 20 points tall, never outside 0..100
        double lower = Math.max(0, Math.floor((low - 3) / 10) * 10);
        double upper = Math.min(100, Math.ceil((high + 3) / 10) * 10);
        if (upper - lower < 20) {
            upper = Math.min(100, lower + 20);
            lower = Math.max(0, upper - 20);
        }
        humidityAxis.setRange(lower, upper);
    }

    private void showSprays(List<SprayBand> sprays, double msPerPixel, long windowMs) {
        for (Object marker : markers()) {
            plot.removeDomainMarker(0, (IntervalMarker) marker, Layer.BACKGROUND, false);
        }
        long minWidth = (long) Math.ceil(MIN_BAND_PX * msPerPixel);
        int count = 0;
        double coveredMs = 0;
        SprayMarker current = null;
        for (SprayBand band : sprays) {
            long end = Math.max(band.endMs(), band.startMs() + minWidth);
            if (current != null && current.reason() == band.reason() && band.startMs() <= current.getEndValue()) {
                current.setEndValue(Math.max(current.getEndValue(), end));
                continue;
            }
            if (current != null) {
                coveredMs += current.getEndValue() - current.getStartValue();
            }
            current = new SprayMarker(band.startMs(), end, band.reason(), palette.spray(band.reason()));
            plot.addDomainMarker(0, current, Layer.BACKGROUND, false);
            count++;
        }
        if (current != null) {
            coveredMs += current.getEndValue() - current.getStartValue();
        }
        visibleSprays = count;
        humidityRenderer.lane = coveredMs > LANE_ABOVE_COVER * windowMs;
    }

    /** Marks along the top of the humidity axis where other rules would have sprayed; legend item while any. */
    private void showProposed(List<SprayBand> proposed) {
        double y = humidityAxis.getUpperBound() - humidityAxis.getRange().getLength() * 0.08;
        for (SprayReason reason : SprayReason.values()) {
            long count = proposed.stream().filter(b -> b.reason() == reason).count();
            double[][] xy = new double[2][(int) count];
            int i = 0;
            for (SprayBand band : proposed) {
                if (band.reason() == reason) {
                    xy[0][i] = band.startMs();
                    xy[1][i++] = y;
                }
            }
            proposedData.addSeries("proposed " + reason.wire(), xy);
            proposedRenderer.setSeriesPaint(reason.ordinal(), palette.spray(reason));
        }
        if (showsProposed != !proposed.isEmpty()) {
            showsProposed = !proposed.isEmpty();
            plot.setFixedLegendItems(legendItems());
        }
    }

    private Collection<?> markers() {
        Collection<?> markers = plot.getDomainMarkers(0, Layer.BACKGROUND);
        return markers == null ? List.of() : List.copyOf(markers);
    }

    private static double[][] xy(Downsampler.Points points) {
        long[] times = points.timesMs();
        double[] x = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            x[i] = times[i];
        }
        return new double[][] {x, points.values()};
    }

    /** A spray band that remembers its reason, so a palette change can recolour it. */
    static final class SprayMarker extends IntervalMarker {
        private static final long serialVersionUID = 1L;
        private final SprayReason reason;

        SprayMarker(double start, double end, SprayReason reason, Color colour) {
            // opaque: the bands lie under the lines anyway, and an alpha composite per band costs redraw time
            super(start, end, colour);
            this.reason = reason;
        }

        SprayReason reason() {
            return reason;
        }
    }

    /** Draws the humidity line, and the spray markers either as full-height bands or as ticks in a lane. */
    static final class HumidityRenderer extends XYLineAndShapeRenderer {
        private static final long serialVersionUID = 1L;
        private boolean lane;

        HumidityRenderer() {
            super(true, false);
        }

        @Override
        public void drawDomainMarker(Graphics2D g2, XYPlot plot, ValueAxis axis, Marker marker,
                                     Rectangle2D dataArea) {
            if (!lane || !(marker instanceof SprayMarker)) {
                super.drawDomainMarker(g2, plot, axis, marker, dataArea);
                return;
            }
            IntervalMarker band = (IntervalMarker) marker;
            double x0 = axis.valueToJava2D(band.getStartValue(), dataArea, plot.getDomainAxisEdge());
            double x1 = axis.valueToJava2D(band.getEndValue(), dataArea, plot.getDomainAxisEdge());
            double left = Math.max(dataArea.getMinX(), Math.min(x0, x1));
            double right = Math.min(dataArea.getMaxX(), Math.max(x0, x1));
            if (right >= left) {
                g2.setPaint(marker.getPaint());
                g2.fill(new Rectangle2D.Double(left, dataArea.getMaxY() - LANE_PX, Math.max(1, right - left),
                        LANE_PX));
            }
        }
    }
}
