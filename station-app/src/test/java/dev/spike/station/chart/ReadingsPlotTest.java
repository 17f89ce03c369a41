package dev.spike.station.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.Program;
import dev.spike.model.SprayReason;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

class ReadingsPlotTest {

    private static final long HOUR_MS = 3_600_000L;
    private static final long NOW = Instant.parse("2026-05-31T12:00:00Z").toEpochMilli();

    @Test
    void frequentSpraysOverLongRangesMoveToALaneSoTheyDoNotHideTheLines() {
        ChartData data = new ChartData();
        for (long t = NOW - 30 * 24 * HOUR_MS; t < NOW; t += HOUR_MS) {
            data.addSpray(SprayBand.planned(t, 6, SprayReason.LOW_HUMIDITY));
        }
        ReadingsPlot plot = new ReadingsPlot();

        plot.show(data, NOW - 30 * 24 * HOUR_MS, NOW, 1000);
        assertThat(plot.spraysInLane()).isTrue();

        plot.show(data, NOW - 6 * HOUR_MS, NOW, 1000);
        assertThat(plot.spraysInLane()).isFalse();
        assertThat(plot.visibleSprayBands()).isEqualTo(6);
    }

    @Test
    void spraysCloserThanAFewPixelsMergeIntoOneBand() {
        ChartData data = new ChartData();
        data.addSpray(SprayBand.planned(NOW - 2 * HOUR_MS, 6, SprayReason.EVENING));
        data.addSpray(SprayBand.planned(NOW - 2 * HOUR_MS + 60_000, 6, SprayReason.EVENING));
        data.addSpray(SprayBand.planned(NOW - 2 * HOUR_MS + 90_000, 6, SprayReason.MANUAL));
        ReadingsPlot plot = new ReadingsPlot();

        // 30 days on 1000 pixels: a pixel is 43 minutes
        plot.show(data, NOW - 30 * 24 * HOUR_MS, NOW, 1000);

        assertThat(plot.visibleSprayBands()).isEqualTo(2);
    }

    @Test
    void tooltipNamesTheReadingsAndTheSprayUnderThePointer() {
        ChartData data = new ChartData();
        data.appendHumidity(NOW, 74.24);
        data.appendTemperature(NOW + 2_000, 27.35);
        data.addSpray(new SprayBand(NOW - 1_000, NOW + 5_003, SprayReason.LOW_HUMIDITY));

        String text = ReadingsPlot.describeAt(data, NOW + 500, 10_000, ZoneOffset.UTC);

        assertThat(text).isEqualTo("Sun 31 May 12:00:00\nHumidity 74.2 %RH\nTemperature 27.4 °C\n"
                + "Spray: low humidity, 6.0 s at 11:59:59");
    }

    @Test
    void tooltipIsEmptyFarFromAnyReading() {
        ChartData data = new ChartData();
        data.appendHumidity(NOW, 74.2);

        assertThat(ReadingsPlot.describeAt(data, NOW + 60_000, 10_000, ZoneOffset.UTC)).isNull();
    }

    @Test
    void thresholdIsNamedInTheLegend() {
        ChartData data = new ChartData();
        data.setLowHumidityPct(72.5);
        ReadingsPlot plot = new ReadingsPlot();

        plot.show(data, NOW - HOUR_MS, NOW, 800);

        assertThat(plot.plot().getLegendItems().get(2).getLabel()).isEqualTo("Sprays below 72.5\u00a0%");
    }

    @Test
    void twoSensorsAreDrawnUnderTheAgreedLineNamedInTheLegendAndTheTooltip() {
        ChartData data = new ChartData();
        data.appendHumidity(NOW, 75.1);
        data.sensor1Humidity().append(NOW, 76.2);
        data.sensor2Humidity().append(NOW, 74.0);
        ReadingsPlot plot = new ReadingsPlot();

        plot.show(data, NOW - HOUR_MS, NOW + 1, 800);

        assertThat(plot.plot().getDataset(0).getSeriesCount()).isEqualTo(3);
        java.util.List<String> labels = new java.util.ArrayList<>();
        for (int i = 0; i < plot.plot().getLegendItems().getItemCount(); i++) {
            labels.add(plot.plot().getLegendItems().get(i).getLabel());
        }
        assertThat(labels).containsSubsequence("Humidity", "Sensor 1", "Sensor 2", "Temperature");
        assertThat(ReadingsPlot.describeAt(data, NOW, 10_000, ZoneOffset.UTC))
                .contains("\nHumidity 75.1 %RH\nSensor 1 76.2 %RH, Sensor 2 74.0 %RH");

        plot.show(new ChartData(), NOW - HOUR_MS, NOW + 1, 800);
        assertThat(plot.plot().getDataset(0).getSeriesCount()).isEqualTo(1);
        assertThat(plot.plot().getLegendItems().get(1).getLabel()).isEqualTo("Temperature");
    }

    @Test
    void aDayNightProgramDrawsTheThresholdAsASteppedLine() {
        ChartData data = new ChartData();
        data.setLowHumidityPct(75);
        data.setProgram(Program.of(new Program.Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, 20)),
                ZoneOffset.UTC);
        ReadingsPlot plot = new ReadingsPlot();
        long start = Instant.parse("2026-05-31T00:00:00Z").toEpochMilli();

        plot.show(data, start, start + 24 * HOUR_MS, 800);

        XYDataset steps = plot.plot().getDataset(2);
        assertThat(steps.getItemCount(0)).isEqualTo(4);
        assertThat(List.of(steps.getXValue(0, 0), steps.getXValue(0, 1), steps.getXValue(0, 2),
                steps.getXValue(0, 3))).containsExactly((double) start, (double) (start + 7 * HOUR_MS),
                (double) (start + 22 * HOUR_MS), (double) (start + 24 * HOUR_MS));
        assertThat(List.of(steps.getYValue(0, 0), steps.getYValue(0, 1), steps.getYValue(0, 2),
                steps.getYValue(0, 3))).containsExactly(85.0, 75.0, 85.0, 85.0);
        assertThat(plot.plot().getRenderer(2)).isInstanceOf(XYStepRenderer.class);
        assertThat(((ValueMarker) plot.plot().getRangeMarkers(0, Layer.FOREGROUND).iterator().next()).getValue())
                .as("the flat marker gives way to the steps").isLessThan(0);
        assertThat(plot.plot().getRangeAxis(0).getUpperBound()).as("both thresholds in view")
                .isGreaterThanOrEqualTo(85);
        assertThat(plot.plot().getLegendItems().get(2).getLabel())
                .isEqualTo("Sprays below 75\u00a0%, 22:00–07:00 85 % (cooldown 20 min)");
    }

    @Test
    void withoutAProgramTheThresholdStaysOneFlatLine() {
        ChartData data = new ChartData();
        data.setLowHumidityPct(75);
        ReadingsPlot plot = new ReadingsPlot();

        plot.show(data, NOW - HOUR_MS, NOW, 800);

        assertThat(plot.plot().getDataset(2).getItemCount(0)).isZero();
        assertThat(((ValueMarker) plot.plot().getRangeMarkers(0, Layer.FOREGROUND).iterator().next()).getValue())
                .isEqualTo(75);
    }
}
