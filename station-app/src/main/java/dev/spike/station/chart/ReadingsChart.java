package dev.spike.station.chart;

import dev.spike.model.SprayReason;
import java.io.File;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.value.ObservableValue;
import javafx.css.CssMetaData;
import javafx.css.PseudoClass;
import javafx.css.Styleable;
import javafx.css.StyleableProperty;
import javafx.css.StyleablePropertyFactory;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.util.Duration;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.fx.ChartCanvas;
import org.jfree.chart.fx.ChartViewer;
import org.jfree.chart.fx.interaction.MouseHandlerFX;
import org.jfree.chart.fx.interaction.PanHandlerFX;
import org.jfree.chart.fx.interaction.ScrollHandlerFX;

/**
 * The readings chart of one agent: humidity and temperature over time, the spray threshold, and a band per spray
 * coloured by its reason. Shows a {@link ChartData}; never touches MQTT or the store.
 *
 * <p>It starts following "now" over a preset {@link TimeRange}: the window ends at the current time and moves on
 * as readings arrive. Zooming (mouse wheel, dragging a span to the right; dragging to the left resets) or panning
 * (Ctrl- or Shift-drag, arrow keys) leaves the live view until {@link #followNow()} or a range is picked again.
 * Keys while it has focus: Left/Right pan, +/- zoom, End returns to now.
 *
 * <p>Every change of data, window or width redraws at most once per pulse, from the readings downsampled to the
 * plot's width (see {@link Downsampler}), so a redraw costs the same at any range. Colours come from CSS:
 * {@code -spike-chart-background}, {@code -spike-chart-plot-background}, {@code -spike-chart-grid},
 * {@code -spike-chart-text}, {@code -spike-chart-humidity}, {@code -spike-chart-temperature},
 * {@code -spike-chart-threshold} and {@code -spike-chart-spray-low-humidity}, {@code -spike-chart-spray-sensor-down},
 * {@code -spike-chart-spray-evening}, {@code -spike-chart-spray-manual}. Pseudo-class {@code :following} is set
 * while the window follows now.
 */
public class ReadingsChart extends StackPane {

    private static final StyleablePropertyFactory<ReadingsChart> CSS =
            new StyleablePropertyFactory<>(StackPane.getClassCssMetaData());
    private static final PseudoClass FOLLOWING = PseudoClass.getPseudoClass("following");
    private static final double ZOOM_STEP = 1.5;
    private static final double PAN_STEP = 0.25;

    private static final ChartData NO_DATA = new ChartData();

    private final ReadingsPlot model = new ReadingsPlot();
    private final ChartViewer viewer = new ChartViewer(model.chart());
    private final ObjectProperty<ChartData> data = new SimpleObjectProperty<>(this, "data", new ChartData());
    private final ObjectProperty<TimeRange> range = new SimpleObjectProperty<>(this, "range", TimeRange.HOURS_24);
    private final ReadOnlyBooleanWrapper following = new ReadOnlyBooleanWrapper(this, "following", true);
    private final Runnable onDataChanged = this::requestRefresh;
    private final Timeline clockTick = new Timeline(new KeyFrame(Duration.seconds(5), e -> {
        if (isFollowing()) {
            requestRefresh();
        }
    }));
    private Clock clock = Clock.systemUTC();
    private long startMs;
    private long endMs;
    private boolean adjusting;
    private boolean refreshNeeded = true;
    private boolean paletteNeeded = true;
    private int redraws;

    private final StyleableProperty<Color> background = colour("background", "-spike-chart-background",
            c -> c.background, fx(Palette.LIGHT.background()));
    private final StyleableProperty<Color> plotBackground = colour("plotBackground",
            "-spike-chart-plot-background", c -> c.plotBackground, fx(Palette.LIGHT.plotBackground()));
    private final StyleableProperty<Color> grid = colour("grid", "-spike-chart-grid", c -> c.grid,
            fx(Palette.LIGHT.grid()));
    private final StyleableProperty<Color> text = colour("text", "-spike-chart-text", c -> c.text,
            fx(Palette.LIGHT.text()));
    private final StyleableProperty<Color> humidity = colour("humidity", "-spike-chart-humidity", c -> c.humidity,
            fx(Palette.LIGHT.humidity()));
    private final StyleableProperty<Color> temperature = colour("temperature", "-spike-chart-temperature",
            c -> c.temperature, fx(Palette.LIGHT.temperature()));
    private final StyleableProperty<Color> threshold = colour("threshold", "-spike-chart-threshold",
            c -> c.threshold, fx(Palette.LIGHT.threshold()));
    private final StyleableProperty<Color> sprayLowHumidity = colour("sprayLowHumidity",
            "-spike-chart-spray-low-humidity", c -> c.sprayLowHumidity,
            fx(Palette.LIGHT.spray(SprayReason.LOW_HUMIDITY)));
    private final StyleableProperty<Color> spraySensorDown = colour("spraySensorDown",
            "-spike-chart-spray-sensor-down", c -> c.spraySensorDown,
            fx(Palette.LIGHT.spray(SprayReason.SENSOR_DOWN)));
    private final StyleableProperty<Color> sprayEvening = colour("sprayEvening", "-spike-chart-spray-evening",
            c -> c.sprayEvening, fx(Palette.LIGHT.spray(SprayReason.EVENING)));
    private final StyleableProperty<Color> sprayManual = colour("sprayManual", "-spike-chart-spray-manual",
            c -> c.sprayManual, fx(Palette.LIGHT.spray(SprayReason.MANUAL)));

    public ReadingsChart() {
        getStyleClass().add("readings-chart");
        pseudoClassStateChanged(FOLLOWING, true);
        getChildren().add(viewer);
        viewer.setId("readings-chart-viewer");
        viewer.setZoomFillPaint(Color.rgb(14, 165, 233, 0.18));
        installMouseHandlers(viewer.getCanvas());
        MouseHandlerFX entityTooltips = viewer.getCanvas().getMouseHandler("tooltip");
        if (entityTooltips != null) {
            viewer.getCanvas().removeAuxiliaryMouseHandler(entityTooltips);
        }
        viewer.getCanvas().addAuxiliaryMouseHandler(new ReadoutHandler(this));

        // fonts and colours change the axis too: only a new range that this class did not set is the person's
        model.timeAxis().addChangeListener(e -> {
            if (!adjusting && (model.timeAxis().isAutoRange()
                    || (long) model.timeAxis().getLowerBound() != startMs
                    || (long) model.timeAxis().getUpperBound() != endMs)) {
                userMovedWindow();
            }
        });
        following.addListener((o, was, now) -> pseudoClassStateChanged(FOLLOWING, now));
        range.addListener((o, was, now) -> followNow());
        data.addListener((o, was, now) -> {
            if (was != null) {
                was.removeListener(onDataChanged);
            }
            if (now != null) {
                now.addListener(onDataChanged);
            }
            requestRefresh();
        });
        getData().addListener(onDataChanged);
        viewer.widthProperty().addListener((o, was, now) -> requestRefresh());
        addEventHandler(KeyEvent.KEY_PRESSED, this::onKey);
        // a click on the plot gives it the keyboard (arrows pan, +/- zoom)
        viewer.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> viewer.requestFocus());

        clockTick.setCycleCount(Animation.INDEFINITE);
        sceneProperty().addListener((o, was, now) -> {
            if (now == null) {
                clockTick.stop();
            } else {
                clockTick.play();
            }
        });
    }

    // --- data and window

    public final ObjectProperty<ChartData> dataProperty() {
        return data;
    }

    /** The data shown; never null (an empty one while the property holds null, e.g. no agent selected). */
    public final ChartData getData() {
        ChartData value = data.get();
        return value == null ? NO_DATA : value;
    }

    public final void setData(ChartData value) {
        data.set(value);
    }

    /** The preset span; setting it (even to the same value via {@link #followNow()}) returns to the live view. */
    public final ObjectProperty<TimeRange> rangeProperty() {
        return range;
    }

    public final TimeRange getRange() {
        return range.get();
    }

    public final void setRange(TimeRange value) {
        range.set(value);
    }

    /** True while the window ends at "now" and moves with it; false after the person zoomed or panned. */
    public final ReadOnlyBooleanProperty followingProperty() {
        return following.getReadOnlyProperty();
    }

    public final boolean isFollowing() {
        return following.get();
    }

    /** The clock that says where "now" is; tests and demos pass a fixed or offset one. */
    public void setClock(Clock clock) {
        this.clock = clock;
        requestRefresh();
    }

    /** Back to the live view over the current range. */
    public void followNow() {
        following.set(true);
        refreshNow();
    }

    /** Zooms the time axis about the middle of the window: a factor below 1 zooms in, above 1 out. */
    public void zoom(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("factor must be > 0, was " + factor);
        }
        long middle = startMs + (endMs - startMs) / 2;
        long half = Math.max(30_000L, (long) ((endMs - startMs) * factor / 2));
        showWindow(middle - half, middle + half);
    }

    /** Moves the window by a fraction of its width: negative to the past, positive to the future. */
    public void pan(double fraction) {
        long shift = (long) ((endMs - startMs) * fraction);
        if (shift > 0 && endMs + shift >= now()) {
            followNow();
            return;
        }
        showWindow(startMs + shift, endMs + shift);
    }

    /** Start of the visible window, epoch ms. */
    public long getVisibleStartMs() {
        return startMs;
    }

    /** End of the visible window, epoch ms. */
    public long getVisibleEndMs() {
        return endMs;
    }

    // --- export

    /** Writes the chart as it is shown (window, colours, size) as a PNG image. */
    public void exportPng(File file) throws IOException {
        int width = (int) Math.max(640, viewer.getWidth());
        int height = (int) Math.max(400, viewer.getHeight());
        ChartUtils.saveChartAsPNG(file, model.chart(), width, height);
    }

    /** The readings and sprays of the visible window as CSV (every reading, not the downsampled ones). */
    public String visibleCsv() {
        return CsvExport.toCsv(getData(), startMs, endMs);
    }

    // --- for the views and tests of this package

    /** The JFreeChart viewer inside, for tests and for the default context menu (Export As PNG/JPEG). */
    public ChartViewer getViewer() {
        return viewer;
    }

    /** The chart model inside. */
    public ReadingsPlot getModel() {
        return model;
    }

    /** How many times the data was put into the chart: each is one redraw. */
    public int getRedrawCount() {
        return redraws;
    }

    // --- refresh

    @Override
    protected void layoutChildren() {
        super.layoutChildren();
        if (paletteNeeded) {
            paletteNeeded = false;
            adjusting = true;
            try {
                model.applyPalette(palette());
            } finally {
                adjusting = false;
            }
        }
        if (refreshNeeded) {
            refreshNow();
        }
    }

    /** Redraws at the next layout pass: several changes within one pulse cost one redraw. */
    private void requestRefresh() {
        refreshNeeded = true;
        requestLayout();
    }

    private void refreshNow() {
        refreshNeeded = false;
        if (isFollowing()) {
            long end = Math.max(now(), getData().lastTimeMs());
            startMs = end - getRange().spanMs();
            endMs = end;
        }
        int columns = (int) Math.max(50, plotWidth());
        adjusting = true;
        try {
            model.show(getData(), startMs, endMs, columns);
        } finally {
            adjusting = false;
        }
        redraws++;
    }

    /** The width of the plot's data area at the last draw; before the first, the viewer's width. */
    private double plotWidth() {
        ChartRenderingInfo info = viewer.getRenderingInfo();
        double area = info == null ? 0 : info.getPlotInfo().getDataArea().getWidth();
        if (area > 0 && area <= viewer.getWidth()) {
            return area;
        }
        return viewer.getWidth() > 0 ? viewer.getWidth() : getWidth();
    }

    private void showWindow(long start, long end) {
        following.set(false);
        startMs = start;
        endMs = end;
        refreshNow();
    }

    /** The person zoomed or panned with the mouse: keep their window and downsample it afresh. */
    private void userMovedWindow() {
        if (model.timeAxis().isAutoRange()) {
            // dragging to the left is JFreeChart's "zoom out"; here it means back to the live view
            following.set(true);
        } else {
            following.set(false);
            startMs = (long) model.timeAxis().getLowerBound();
            endMs = (long) model.timeAxis().getUpperBound();
        }
        requestRefresh();
    }

    private long now() {
        return clock.millis();
    }

    private void onKey(KeyEvent e) {
        switch (e.getCode()) {
            case LEFT:
                pan(-PAN_STEP);
                break;
            case RIGHT:
                pan(PAN_STEP);
                break;
            case PLUS:
            case ADD:
            case EQUALS:
                zoom(1 / ZOOM_STEP);
                break;
            case MINUS:
            case SUBTRACT:
                zoom(ZOOM_STEP);
                break;
            case END:
                followNow();
                break;
            default:
                return;
        }
        e.consume();
    }

    private static void installMouseHandlers(ChartCanvas canvas) {
        // JFreeChart pans on Alt-drag, which most Linux desktops take for moving the window
        MouseHandlerFX altPan = canvas.getMouseHandler("pan");
        if (altPan != null) {
            canvas.removeMouseHandler(altPan);
        }
        canvas.addMouseHandler(new PanHandlerFX("pan", false, true, false, false));
        canvas.addMouseHandler(new PanHandlerFX("pan-shift", false, false, false, true));
        canvas.setRangeZoomable(false);
        MouseHandlerFX scroll = canvas.getMouseHandler("scroll");
        if (scroll instanceof ScrollHandlerFX) {
            ((ScrollHandlerFX) scroll).setZoomFactor(0.2);
        }
    }

    // --- CSS

    private StyleableProperty<Color> colour(String name, String cssName,
                                            Function<ReadingsChart, StyleableProperty<Color>> self, Color initial) {
        StyleableProperty<Color> property = CSS.createStyleableColorProperty(this, name, cssName, self, initial);
        @SuppressWarnings("unchecked")
        ObservableValue<Color> observable = (ObservableValue<Color>) property;
        observable.addListener((o, was, now) -> {
            paletteNeeded = true;
            requestLayout();
        });
        return property;
    }

    private Palette palette() {
        return new Palette(awt(background), awt(plotBackground), awt(grid), awt(text), awt(humidity),
                awt(temperature), awt(threshold), Palette.sprayColors(awt(sprayLowHumidity), awt(spraySensorDown),
                awt(sprayEvening), awt(sprayManual)));
    }

    private static Color fx(java.awt.Color c) {
        return Color.rgb(c.getRed(), c.getGreen(), c.getBlue(), c.getAlpha() / 255.0);
    }

    private static java.awt.Color awt(StyleableProperty<Color> property) {
        Color c = property.getValue();
        return new java.awt.Color((float) c.getRed(), (float) c.getGreen(), (float) c.getBlue(),
                (float) c.getOpacity());
    }

    public static List<CssMetaData<? extends Styleable, ?>> getClassCssMetaData() {
        return CSS.getCssMetaData();
    }

    @Override
    public List<CssMetaData<? extends Styleable, ?>> getCssMetaData() {
        return CSS.getCssMetaData();
    }
}
