package dev.spike.station.desktop;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.freedesktop.dbus.connections.impl.DBusConnection;
import org.freedesktop.dbus.connections.impl.DBusConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.DBusSigHandler;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices through the freedesktop.org notification service on the D-Bus session bus. The calls go out on one
 * background thread, so a slow or hung service never stalls the window; a click on a notice ("default" action) is
 * handed to the listener with the notice it belongs to.
 *
 * <p>Thread-safe.
 */
final class FreedesktopNotifications implements DesktopNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(FreedesktopNotifications.class);

    static final String APP_NAME = "Spike station";
    private static final String CLICK = "default";
    /** Shown notices remembered for their clicks; older ones are usually gone from the screen. */
    private static final int REMEMBERED = 64;

    private final DBusConnection connection;
    private final NotificationsBus service;
    private final boolean clickable;
    private final Consumer<Notice> onClick;
    private final ExecutorService calls = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "desktop-notifications");
        thread.setDaemon(true);
        return thread;
    });
    private final DBusSigHandler<NotificationsBus.ActionInvoked> actionHandler = this::actionInvoked;
    private final DBusSigHandler<NotificationsBus.NotificationClosed> closedHandler = this::closed;
    private final Map<Long, Notice> shown = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Notice> eldest) {
            return size() > REMEMBERED;
        }
    };

    private FreedesktopNotifications(DBusConnection connection, NotificationsBus service, boolean clickable,
            Consumer<Notice> onClick) {
        this.connection = connection;
        this.service = service;
        this.clickable = clickable;
        this.onClick = onClick;
    }

    /** Connects to the session bus and asks the notification service what it can do. */
    static FreedesktopNotifications connect(Consumer<Notice> onClick) throws NotificationsUnavailableException {
        return connect(null, onClick);
    }

    /**
     * @param busAddress the bus ("unix:path=/run/user/1000/bus"), or null for the session's, as
     *                   {@code DBUS_SESSION_BUS_ADDRESS} names it
     */
    static FreedesktopNotifications connect(String busAddress, Consumer<Notice> onClick)
            throws NotificationsUnavailableException {
        DBusConnection connection;
        try {
            DBusConnectionBuilder builder = busAddress == null
                    ? DBusConnectionBuilder.forSessionBus() : DBusConnectionBuilder.forAddress(busAddress);
            connection = builder.withShared(false).build();
        } catch (DBusException | RuntimeException e) {
            throw new NotificationsUnavailableException(
                    "no D-Bus session bus (" + e.getMessage() + "); a desktop session provides one", e);
        }
        try {
            NotificationsBus service = connection.getRemoteObject(NotificationsBus.BUS_NAME,
                    NotificationsBus.OBJECT_PATH, NotificationsBus.class);
            List<String> capabilities = service.capabilities();
            boolean clickable = capabilities.contains("actions");
            FreedesktopNotifications notifications =
                    new FreedesktopNotifications(connection, service, clickable, onClick);
            connection.addSigHandler(NotificationsBus.ActionInvoked.class, notifications.actionHandler);
            connection.addSigHandler(NotificationsBus.NotificationClosed.class, notifications.closedHandler);
            LOG.info("desktop notifications through {} (capabilities {})", NotificationsBus.BUS_NAME, capabilities);
            return notifications;
        } catch (DBusException | DBusExecutionException e) {
            connection.disconnect();
            throw new NotificationsUnavailableException("the desktop has no notification service ("
                    + NotificationsBus.BUS_NAME + ": " + e.getMessage() + ")", e);
        }
    }

    @Override
    public void show(Notice notice) {
        try {
            calls.execute(() -> send(notice));
        } catch (RejectedExecutionException e) {
            LOG.debug("closed; not shown: {}", notice);
        }
    }

    private void send(Notice notice) {
        Map<String, Variant<?>> hints = Map.of(
                "urgency", new Variant<>(notice.critical() ? (byte) 2 : (byte) 1),
                "category", new Variant<>("device.error"),
                "desktop-entry", new Variant<>("spike-station"));
        List<String> actions = clickable ? List.of(CLICK, "Show in Spike") : List.of();
        try {
            UInt32 id = service.showNotification(APP_NAME, new UInt32(0), notice.critical() ? "dialog-error" : "dialog-warning",
                    notice.title(), notice.body(), actions, hints, -1);
            synchronized (shown) {
                shown.put(id.longValue(), notice);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not show a desktop notification ({}): {}", e.getMessage(), notice.body());
        }
    }

    private void actionInvoked(NotificationsBus.ActionInvoked signal) {
        if (!CLICK.equals(signal.actionKey())) {
            return;
        }
        Notice notice;
        synchronized (shown) {
            notice = shown.get(signal.id());
        }
        if (notice != null) {
            onClick.accept(notice);
        }
    }

    private void closed(NotificationsBus.NotificationClosed signal) {
        synchronized (shown) {
            shown.remove(signal.id());
        }
    }

    @Override
    public String description() {
        return "the desktop's notification service" + (clickable ? "" : " (without clicks)");
    }

    @Override
    public void close() {
        calls.shutdown();
        try {
            if (!calls.awaitTermination(1, TimeUnit.SECONDS)) {
                calls.shutdownNow();
            }
        } catch (InterruptedException e) {
            calls.shutdownNow();
            Thread.currentThread().interrupt();
        }
        connection.disconnect();
    }
}
