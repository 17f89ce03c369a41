package dev.spike.station.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.SprayReason;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CsvExportTest {

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static ChartData sample() {
        ChartData data = new ChartData();
        data.appendHumidity(at("2026-05-01T17:59:50Z"), 77);
        data.appendHumidity(at("2026-05-01T18:00:00Z"), 76.1);
        data.appendTemperature(at("2026-05-01T18:00:00Z"), 27.30);
        data.appendHumidity(at("2026-05-01T18:00:10Z"), 74.2);
        data.addSpray(new SprayBand(at("2026-05-01T18:00:10Z"), at("2026-05-01T18:00:16.003Z"),
                SprayReason.LOW_HUMIDITY));
        data.appendTemperature(at("2026-05-01T18:00:20Z"), 27.35);
        data.addSpray(SprayBand.planned(at("2026-05-01T18:25:00Z"), 10, SprayReason.MANUAL));
        data.appendHumidity(at("2026-05-01T19:00:00Z"), 90);
        return data;
    }

    @Test
    void writesReadingsAndSpraysOfTheWindowInTimeOrder() {
        String csv = CsvExport.toCsv(sample(), at("2026-05-01T18:00:00Z"), at("2026-05-01T18:30:00Z"));

        assertThat(csv).isEqualTo(""
                + "time,humidity_pct,temperature_c,spray_reason,spray_duration_s\r\n"
                + "2026-05-01T18:00:00Z,76.1,27.3,,\r\n"
                + "2026-05-01T18:00:10Z,74.2,,,\r\n"
                + "2026-05-01T18:00:10Z,,,low_humidity,6.003\r\n"
                + "2026-05-01T18:00:20Z,,27.35,,\r\n"
                + "2026-05-01T18:25:00Z,,,manual,10\r\n");
    }

    @Test
    void includesBothEndsOfTheWindow() {
        String csv = CsvExport.toCsv(sample(), at("2026-05-01T17:59:50Z"), at("2026-05-01T19:00:00Z"));

        assertThat(csv).startsWith(CsvExport.HEADER + "\r\n2026-05-01T17:59:50Z,77,,,\r\n")
                .endsWith("2026-05-01T19:00:00Z,90,,,\r\n");
    }

    @Test
    void listsASprayThatBeganJustBeforeTheWindow() {
        String csv = CsvExport.toCsv(sample(), at("2026-05-01T18:00:15Z"), at("2026-05-01T18:00:20Z"));

        assertThat(csv).isEqualTo(CsvExport.HEADER + "\r\n"
                + "2026-05-01T18:00:10Z,,,low_humidity,6.003\r\n"
                + "2026-05-01T18:00:20Z,,27.35,,\r\n");
    }

    @Test
    void anEmptyWindowGivesTheHeaderOnly() {
        String csv = CsvExport.toCsv(sample(), at("2026-05-02T00:00:00Z"), at("2026-05-03T00:00:00Z"));

        assertThat(csv).isEqualTo(CsvExport.HEADER + "\r\n");
    }

    @Test
    void numbersIgnoreTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            String csv = CsvExport.toCsv(sample(), at("2026-05-01T18:00:00Z"), at("2026-05-01T18:00:00Z"));

            assertThat(csv).contains("76.1,27.3");
        } finally {
            Locale.setDefault(saved);
        }
    }
}
