package dev.spike.station.launch;

import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import dev.spike.model.codec.Codec;
import dev.spike.station.chart.ReadingsPlot;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javafx.fxml.FXMLLoader;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;

/**
 * Readies, on a second core, what the station's first screen needs while the main thread parses the options and
 * JavaFX starts its toolkit (half a second of GTK on one core, the window's longest wait before its own work).
 * Each step does what the station does next anyway, only sooner: logging reads its configuration, SQLite unpacks
 * and loads its native library, the MQTT client, the codec and the chart library load their classes. Nothing is
 * opened, connected or shown, and nothing built here is kept.
 *
 * <p>A step that fails is left to the real path, which says why in its own words; a warm-up only saves time. The
 * figures are in docs/performance.md, "The demo's start".
 */
public final class Warmup {

    /** One line of the agent's protocol, decoded as the station's store and gateway will decode thousands. */
    private static final byte[] EVENT = ("{\"seq\":1,\"at\":\"2026-12-05T09:09:02.631Z\",\"type\":\"humidity_changed\","
            + "\"humidityPct\":69.97}").getBytes(StandardCharsets.UTF_8);

    private static final List<Runnable> STEPS = List.of(
            LoggerFactory::getILoggerFactory,
            Warmup::loadSqlite,
            () -> new Codec().decodeEvent("warmup", EVENT),
            () -> Mqtt5Client.builder().identifier("warmup").serverHost("127.0.0.1").buildAsync(),
            ReadingsPlot::new,
            () -> FXMLLoader.class.getName());

    private Warmup() {
    }

    /** Starts the warm-up on a daemon thread and returns at once. */
    public static void start() {
        Thread thread = new Thread(Warmup::run, "station-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    static void run() {
        for (Runnable step : STEPS) {
            try {
                step.run();
            } catch (RuntimeException | LinkageError e) {
                // the real path meets the same problem and reports it
            }
        }
    }

    private static void loadSqlite() {
        try {
            SQLiteJDBCLoader.initialize();
        } catch (Exception e) {
            // the store's open says why, in its own words
        }
    }
}
