package dev.spike.station.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The station's notices on a real notification server (dunst) over a real D-Bus session bus. */
class FreedesktopNotificationsTest {

    @TempDir
    Path dir;

    private DesktopSession desktop;
    private final List<Notice> clicked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startDesktop() throws Exception {
        desktop = DesktopSession.start(dir);
    }

    @AfterEach
    void stopDesktop() throws Exception {
        desktop.close();
    }

    @Test
    void showsTheAlarmWithItsUrgency() throws Exception {
        try (FreedesktopNotifications notifications =
                FreedesktopNotifications.connect(desktop.address(), clicked::add)) {
            notifications.show(new Notice(7, "Spike: terrarium-1", "humidity 68 % since 14:02", true));
            notifications.show(new Notice(8, "Spike: terrarium-2", "no reading for 5 min", false));

            await().atMost(Duration.ofSeconds(20)).until(() -> desktop.shown().size() == 2);
            assertThat(desktop.shown()).containsExactly(
                    "Spike: terrarium-1\thumidity 68 % since 14:02\tdialog-error\tCRITICAL",
                    "Spike: terrarium-2\tno reading for 5 min\tdialog-warning\tNORMAL");
        }
    }

    @Test
    void aClickHandsBackTheNoticeItBelongsTo() throws Exception {
        try (FreedesktopNotifications notifications =
                FreedesktopNotifications.connect(desktop.address(), clicked::add)) {
            Notice low = new Notice(7, "Spike: terrarium-1", "humidity 68 % since 14:02", true);
            notifications.show(low);
            await().atMost(Duration.ofSeconds(20)).until(() -> desktop.shown().size() == 1);

            desktop.clickNewest();

            await().atMost(Duration.ofSeconds(20)).until(() -> !clicked.isEmpty());
            assertThat(clicked).containsExactly(low);
        }
    }

    @Test
    void aBusWithoutANotificationServiceIsAClearRefusal() throws Exception {
        desktop.stopNotificationServer();

        assertThatThrownBy(() -> FreedesktopNotifications.connect(desktop.address(), clicked::add))
                .isInstanceOf(NotificationsUnavailableException.class)
                .hasMessageContaining("the desktop has no notification service (org.freedesktop.Notifications");
    }

    @Test
    void noBusIsAClearRefusal() {
        assertThatThrownBy(() -> FreedesktopNotifications.connect("unix:path=" + dir.resolve("no-bus"),
                clicked::add))
                .isInstanceOf(NotificationsUnavailableException.class)
                .hasMessageStartingWith("no D-Bus session bus (");
    }
}
