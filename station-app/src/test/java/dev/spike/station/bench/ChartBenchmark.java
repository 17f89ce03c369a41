package dev.spike.station.bench;

import dev.spike.model.SprayReason;
import dev.spike.station.chart.ChartData;
import dev.spike.station.chart.ReadingSeries;
import dev.spike.station.chart.ReadingsPlot;
import dev.spike.station.chart.SprayBand;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.DefaultXYDataset;

/**
 * How long one redraw of the readings chart takes at 30 days of 10 s readings (259,200 points per series), drawn to
 * a 1200x600 image with Java2D (headless AWT): the station's chart, which downsamples the window to the plot width
 * before every redraw, against the same chart with JFreeChart's default {@link XYLineAndShapeRenderer} on every
 * raw point. Both collect tooltip entities like the FX viewer does. Prints the median of several runs; not a test.
 *
 * <pre>
 * mvn -B -o -q -pl station-app test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -Djava.awt.headless=true \
 *     -cp station-app/target/test-classes:station-app/target/classes:$(cat station-app/cp.txt) \
 *     dev.spike.station.bench.ChartBenchmark
 * </pre>
 */
public final class ChartBenchmark {

    private static final int WIDTH = 1200;
    private static final int HEIGHT = 600;
    private static final long DAY_MS = 86_400_000L;
    private static final int POINTS = 30 * 8640;

    private ChartBenchmark() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        long end = 1_777_600_000_000L + 30 * DAY_MS;
        long start = end - 30 * DAY_MS;
        ChartData data = month(start);

        ReadingsPlot ours = new ReadingsPlot();
        // the plot's data area is narrower than the image; downsampling to the full width is the safe upper bound
        double oursMs = median(runs, () -> {
            ours.show(data, start, end, WIDTH);
            draw(ours.chart());
        });
        double oursDrawMs = median(runs, () -> draw(ours.chart()));

        ReadingsPlot raw = new ReadingsPlot();
        raw.show(data, start, end, WIDTH);
        raw.plot().setDataset(0, everyPoint("Humidity", data.humidity(), start));
        raw.plot().setDataset(1, everyPoint("Temperature", data.temperature(), start));
        raw.plot().setRenderer(0, new XYLineAndShapeRenderer(true, false));
        raw.plot().setRenderer(1, new XYLineAndShapeRenderer(true, false));
        double rawMs = median(Math.max(3, runs / 2), () -> draw(raw.chart()));

        System.out.printf(Locale.ROOT, "Readings chart redraw, 30 days, %,d points per series, %dx%d, median of %d:%n",
                POINTS, WIDTH, HEIGHT, runs);
        System.out.printf(Locale.ROOT, "  downsampled (min/max per column) + draw: %8.1f ms   (draw alone %.1f ms)%n",
                oursMs, oursDrawMs);
        System.out.printf(Locale.ROOT, "  default XYLineAndShapeRenderer, raw:     %8.1f ms%n", rawMs);
        System.out.printf(Locale.ROOT, "  ratio raw / downsampled:                 %8.1f x   target < 50 ms: %s%n",
                rawMs / oursMs, oursMs < 50 ? "met" : "MISSED");
    }

    private static void draw(JFreeChart chart) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g2 = image.createGraphics();
        try {
            chart.draw(g2, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT), null, new ChartRenderingInfo());
        } finally {
            g2.dispose();
        }
    }

    private static double median(int runs, Runnable task) {
        // the JIT needs a few rounds before the figures mean anything
        for (int i = 0; i < 10; i++) {
            task.run();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            task.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }

    /** 30 days of 10 s readings with a daily wave and noise, a spray every two hours and one each evening. */
    static ChartData month(long start) {
        Random random = new Random(42);
        ChartData data = new ChartData();
        data.update(() -> {
            for (int i = 0; i < POINTS; i++) {
                long t = start + i * 10_000L;
                double day = Math.sin(i * 2 * Math.PI / 8640);
                data.humidity().append(t, 80 + 7 * day + random.nextGaussian() * 0.8);
                data.temperature().append(t, 26 + 2.5 * day + random.nextGaussian() * 0.2);
                if (i % 720 == 360) {
                    data.addSpray(SprayBand.planned(t, 6, SprayReason.LOW_HUMIDITY));
                }
                if (i % 8640 == 7200) {
                    data.addSpray(SprayBand.planned(t, 6, SprayReason.EVENING));
                }
            }
            data.setLowHumidityPct(75);
        });
        return data;
    }

    private static DefaultXYDataset everyPoint(String key, ReadingSeries series,
                                               long start) {
        double[][] xy = new double[2][series.size()];
        for (int i = 0; i < series.size(); i++) {
            xy[0][i] = series.timeAt(i);
            xy[1][i] = series.valueAt(i);
        }
        DefaultXYDataset dataset = new DefaultXYDataset();
        dataset.addSeries(key, xy);
        return dataset;
    }
}
