package dev.spike.station.desktop;

import dev.spike.station.alarms.AlarmTracker;
import dev.spike.station.connection.BrokerSettingsFile;
import dev.spike.station.connection.Registration;
import dev.spike.station.desktop.DesktopAlerts.Window;
import dev.spike.station.store.AlarmRecord;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * Desktop notifications of the station's alarms: the thin shell around {@link DesktopAlerts}. It hands the alarm
 * list, as the tracker publishes it, to the pure decision on the UI executor together with where the person is
 * ({@link #windowProperty()}, kept by the main view) and the setting ({@link #enabledProperty()}, saved in the
 * station's settings file), and shows the notices it decides on. A click on a notice comes back as
 * {@link #clickedProperty()}, for the main view to bring the window and that alarm to the front.
 *
 * <p>Properties change on the UI executor only.
 */
public final class DesktopAlarms implements AutoCloseable {

    private final Executor ui;
    private final BooleanProperty enabled = new SimpleBooleanProperty(this, "enabled", true);
    private final ObjectProperty<Window> window = new SimpleObjectProperty<>(this, "window", Window.IN_FRONT);
    private final ReadOnlyObjectWrapper<Notice> clicked = new ReadOnlyObjectWrapper<>(this, "clicked");
    private final ReadOnlyStringWrapper service =
            new ReadOnlyStringWrapper(this, "service", "none (not connected yet)");
    private final Registration registration;

    private DesktopAlerts.State state = DesktopAlerts.State.initial();
    private volatile DesktopNotifications out = DesktopNotifications.unavailable("not connected yet");
    private volatile boolean closed;

    /**
     * @param tracker  the station's alarms (started)
     * @param settings where the setting is kept
     * @param ui       {@code Platform::runLater} in the app, {@code Runnable::run} in tests
     */
    public DesktopAlarms(AlarmTracker tracker, BrokerSettingsFile settings, Executor ui) {
        this.ui = ui;
        enabled.set(settings.desktopNotifications());
        enabled.addListener((o, was, now) -> settings.saveDesktopNotifications(now));
        registration = tracker.addListener(alarms -> ui.execute(() -> look(alarms)));
    }

    /**
     * Connects to the desktop's notification service on a background thread, so the window never waits for it.
     *
     * @param opener {@code DesktopNotifications::open} in the app; gets the listener for clicks
     */
    public void connect(Function<Consumer<Notice>, DesktopNotifications> opener) {
        Thread thread = new Thread(() -> {
            DesktopNotifications opened = opener.apply(notice -> ui.execute(() -> {
                // a second click on the same notice must tell again
                clicked.set(null);
                clicked.set(notice);
            }));
            if (closed) {
                opened.close();
                return;
            }
            out = opened;
            ui.execute(() -> service.set(opened.description()));
        }, "desktop-notifications-connect");
        thread.setDaemon(true);
        thread.start();
    }

    private void look(List<AlarmRecord> alarms) {
        DesktopAlerts.Outcome outcome = DesktopAlerts.decide(state, alarms, window.get(), enabled.get());
        state = outcome.state();
        outcome.notices().forEach(out::show);
    }

    /** On unless the person turned it off; saved as it changes. */
    public BooleanProperty enabledProperty() {
        return enabled;
    }

    /** Where the person is; the main view keeps it from the window's focus and minimised state. */
    public ObjectProperty<Window> windowProperty() {
        return window;
    }

    /** The notice a person clicked last. */
    public ReadOnlyObjectProperty<Notice> clickedProperty() {
        return clicked.getReadOnlyProperty();
    }

    /** Where notices go: "the desktop's notification service", or "none (why)". */
    public ReadOnlyStringProperty serviceProperty() {
        return service.getReadOnlyProperty();
    }

    @Override
    public void close() {
        closed = true;
        registration.close();
        out.close();
    }
}
