package dev.spike.station.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.model.SprayReason;
import dev.spike.model.event.EventType;
import dev.spike.station.app.StationApp;
import dev.spike.station.app.StationContext;
import dev.spike.station.connection.BrokerSettings;
import dev.spike.station.store.EventQuery;
import dev.spike.station.store.PlatformDirs;
import dev.spike.station.whatif.WhatIfViewModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;
import java.util.concurrent.Callable;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TitledPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The rules preview against the demo's agent (issue 16): the built-in broker and the simulated agent process with a
 * week of history, the real station in its window. A keeper lowers the spray threshold, picks 7 days and previews;
 * the comparison, the note and the would-be sprays appear. The window is saved as
 * {@code target/screenshots/whatif.png} (docs/images/whatif.png is that file).
 */
@ExtendWith(ApplicationExtension.class)
class WhatIfDemoTest {

    static final String AGENT = "demo-terrarium";

    @TempDir
    Path dir;

    private Stage stage;
    private DemoSystem system;
    private StationContext station;

    @Start
    void start(Stage stage) throws Exception {
        this.stage = stage;
        system = DemoSystem.start(new DemoSystem.Options(DemoSystemTest.agentJar(), DemoSystemTest.freePort(), 1,
                AGENT, dir.resolve("agent"), Duration.ofDays(7)));
        Clock clock = Clock.system(ZoneId.of("Europe/Berlin"));
        station = StationContext.open(clock, new PlatformDirs(dir.resolve("config"), dir.resolve("data")));
        StationApp.show(stage, station);
        station.core.gateway().connect(BrokerSettings.parse(system.brokerUri(), null, null, null));
    }

    @AfterEach
    void close() throws Exception {
        onFx(() -> {
            station.close();
            return null;
        });
        system.close();
    }

    private static <T> T onFx(Callable<T> task) throws Exception {
        return WaitForAsyncUtils.asyncFx(task).get();
    }

    private String row(String label, boolean proposed) throws Exception {
        return onFx(() -> station.whatIf.rows().stream().filter(r -> r.label().equals(label)).findFirst()
                .map(r -> proposed ? r.proposed() : r.current()).orElseThrow());
    }

    @Test
    void aLowerThresholdPreviewedOverTheDemosWeek(FxRobot robot) throws Exception {
        // the week of history arrives through the broker (live and backfilled): about 9,000 events a simulated day
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> station.core.feed()
                .read(s -> s.events(AGENT, EventQuery.newest(EventQuery.MAX_LIMIT)
                        .withTypes(Set.of(EventType.HUMIDITY_CHANGED)))).join().size() > 7 * 8_000);
        onFx(() -> {
            station.selected.select(AGENT);
            return null;
        });
        robot.clickOn(robot.lookup(".tab-label").match(n -> "Rules".equals(((Label) n).getText()))
                .queryAs(Node.class));
        await().atMost(Duration.ofSeconds(30)).until(() -> onFx(() -> station.rules.rulesInForceProperty().get())
                != null);
        double inForce = onFx(() -> station.rules.rulesInForceProperty().get().lowHumidityPct());

        // the demo's terrarium dries below its threshold within every cooldown: a lower one sprays much less
        robot.doubleClickOn("#lowHumidityPct").eraseText(6).write(Integer.toString((int) inForce - 5));
        // unfolded at once: a click during the unfolding animation can find the period buttons still clipped
        onFx(() -> {
            robot.lookup("#whatIfPane").queryAs(TitledPane.class).setAnimated(false);
            return null;
        });
        robot.clickOn(robot.lookup("#whatIfPane .title").queryAs(Node.class));
        robot.clickOn("#days7");
        robot.clickOn("#previewButton");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(onFx(() ->
                station.whatIf.outcomeProperty().get())).isNotNull());
        assertThat(onFx(() -> station.whatIf.periodProperty().get())).isEqualTo(WhatIfViewModel.Period.DAYS_7);
        assertThat(onFx(() -> robot.lookup("#note").queryAs(Label.class).getText()))
                .isEqualTo(WhatIfViewModel.NOTE);
        // the check beside it: the rules in force, replayed over the same record, make the recorded sprays again
        assertThat(onFx(() -> station.whatIf.outcomeProperty().get().faithful()))
                .as("%s %s", onFx(() -> station.whatIf.statusProperty().get()),
                        onFx(() -> station.whatIf.outcomeProperty().get().differences())).isTrue();
        int current = Integer.parseInt(row("   low humidity", false));
        int proposed = Integer.parseInt(row("   low humidity", true));
        assertThat(proposed).as("low-humidity sprays below %s %% instead of %s %%", inForce - 5, inForce)
                .isLessThan(current);
        assertThat(onFx(() -> station.whatIf.chartProperty().get().proposedSprays())).isNotEmpty()
                .anySatisfy(band -> assertThat(band.reason()).isEqualTo(SprayReason.LOW_HUMIDITY));
        shot("whatif");
    }

    private void shot(String name) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.image.WritableImage image = onFx(() -> stage.getScene().snapshot(null));
        Path file = Path.of("target", "screenshots", name + ".png");
        Files.createDirectories(file.getParent());
        javax.imageio.ImageIO.write(javafx.embed.swing.SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
    }
}
