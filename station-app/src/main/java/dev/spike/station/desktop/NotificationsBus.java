package dev.spike.station.desktop;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.annotations.DBusMemberName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/**
 * The part of the freedesktop.org Desktop Notifications Specification (1.2) the station uses, as dbus-java maps it.
 * The member names are the specification's; the Java names follow Java's conventions (and stay clear of
 * {@code Object}'s: dbus-java's proxy answers a method called {@code notify} itself, without asking the bus).
 */
@DBusInterfaceName("org.freedesktop.Notifications")
public interface NotificationsBus extends DBusInterface {

    String BUS_NAME = "org.freedesktop.Notifications";
    String OBJECT_PATH = "/org/freedesktop/Notifications";

    /** "actions", "body", "persistence", ...: what the server can do. */
    @DBusMemberName("GetCapabilities")
    List<String> capabilities();

    /**
     * Shows a notification and returns its id.
     *
     * @param actions       pairs of action key and label; the key "default" is a click on the notification itself
     * @param hints         "urgency" (byte 0, 1, 2), "category", "desktop-entry"
     * @param expireTimeout milliseconds, -1 for the server's default, 0 for never
     */
    @DBusMemberName("Notify")
    UInt32 showNotification(String appName, UInt32 replacesId, String appIcon, String summary, String body, List<String> actions,
            Map<String, Variant<?>> hints, int expireTimeout);

    /** The person invoked an action of notification {@code id} (a click is "default"). */
    final class ActionInvoked extends DBusSignal {

        private final UInt32 id;
        private final String actionKey;

        public ActionInvoked(String path, UInt32 id, String actionKey) throws DBusException {
            super(path, id, actionKey);
            this.id = id;
            this.actionKey = actionKey;
        }

        public long id() {
            return id.longValue();
        }

        public String actionKey() {
            return actionKey;
        }
    }

    /** Notification {@code id} went away (expired, dismissed, closed). */
    final class NotificationClosed extends DBusSignal {

        private final UInt32 id;

        public NotificationClosed(String path, UInt32 id, UInt32 reason) throws DBusException {
            super(path, id, reason);
            this.id = id;
        }

        public long id() {
            return id.longValue();
        }
    }
}
