package dev.spike.station.desktop;

import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop's notification area. {@link #show} never blocks and never throws: a notification that cannot be shown
 * is a log line, never a stall of the window or a lost alarm (the alarm list still has it).
 */
public interface DesktopNotifications extends AutoCloseable {

    /** Shows {@code notice}; when the person clicks it, the listener given at opening runs (on a background thread). */
    void show(Notice notice);

    /** Where the notices go, for the log and the settings ("the desktop's notification service (dunst 1.9.0)"). */
    String description();

    @Override
    void close();

    /**
     * Connects to this desktop's notification service: the freedesktop.org one on the D-Bus session bus (GNOME, KDE,
     * Xfce, LXDE on Raspberry Pi OS, dunst, mako). Elsewhere, or when there is none, notices are logged only and the
     * reason is logged once.
     *
     * @param onClick gets the clicked notice, on a background thread
     */
    static DesktopNotifications open(Consumer<Notice> onClick) {
        Logger log = LoggerFactory.getLogger(DesktopNotifications.class);
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") && !os.contains("bsd")) {
            log.info("desktop notifications are not available on {} yet; alarms show in the window only",
                    System.getProperty("os.name"));
            return unavailable("not available on " + System.getProperty("os.name"));
        }
        try {
            return FreedesktopNotifications.connect(onClick);
        } catch (NotificationsUnavailableException e) {
            log.warn("desktop notifications are off: {}", e.getMessage());
            return unavailable(e.getMessage());
        }
    }

    /**
     * Connects to the notification service on the D-Bus bus at {@code busAddress} ("unix:path=/run/user/1000/bus"),
     * or, when there is none, notices are logged only.
     */
    static DesktopNotifications open(String busAddress, Consumer<Notice> onClick) {
        try {
            return FreedesktopNotifications.connect(busAddress, onClick);
        } catch (NotificationsUnavailableException e) {
            LoggerFactory.getLogger(DesktopNotifications.class).warn("desktop notifications are off: {}",
                    e.getMessage());
            return unavailable(e.getMessage());
        }
    }

    /** Notices go nowhere; {@code reason} says why, for the settings. */
    static DesktopNotifications unavailable(String reason) {
        return new DesktopNotifications() {
            @Override
            public void show(Notice notice) {
                LoggerFactory.getLogger(DesktopNotifications.class).debug("not shown ({}): {}", reason, notice);
            }

            @Override
            public String description() {
                return "none (" + reason + ")";
            }

            @Override
            public void close() {
            }
        };
    }
}
