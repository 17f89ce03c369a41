package dev.spike.station.alarms;

import dev.spike.station.log.EventTexts;
import dev.spike.station.store.AlarmRecord;
import dev.spike.station.store.AlarmRecord.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The alarm list: every active or unacknowledged alarm and the rest of the last 30 days, newest first, each with
 * severity, source, message, raised and cleared times and who acknowledged it when. The count of unacknowledged
 * alarms is always available ({@link #unacknowledgedCountProperty()}, for a badge), with the worst severity among
 * them ({@link #worstUnacknowledgedProperty()}, for its colour).
 *
 * <p>{@link #acknowledge(long)} records the OS user name given at construction. {@link #refresh()} (once a second
 * from the app's timer) runs the time-based checks (agent offline, no reading, spray not confirmed).
 *
 * <p>The rows change on the UI executor only.
 */
public final class AlarmsViewModel {

    private final AlarmTracker tracker;
    private final EventTexts texts;
    private final String operator;

    private final ObservableList<AlarmRow> rows = FXCollections.observableArrayList();
    private final ObservableList<AlarmRow> readOnlyRows = FXCollections.unmodifiableObservableList(rows);
    private final ReadOnlyIntegerWrapper unacknowledgedCount = new ReadOnlyIntegerWrapper(this, "unacknowledgedCount");
    private final ReadOnlyIntegerWrapper activeCount = new ReadOnlyIntegerWrapper(this, "activeCount");
    private final ReadOnlyObjectWrapper<Severity> worstUnacknowledged =
            new ReadOnlyObjectWrapper<>(this, "worstUnacknowledged");

    /**
     * @param tracker  the station's alarm tracker (started)
     * @param ui       {@code Platform::runLater} in the app, {@code Runnable::run} in tests
     * @param texts    the station's texts
     * @param operator who acknowledges: {@link #currentUser()} in the app
     */
    public AlarmsViewModel(AlarmTracker tracker, Executor ui, EventTexts texts, String operator) {
        this.tracker = tracker;
        this.texts = texts;
        this.operator = operator;
        tracker.addListener(alarms -> {
            List<AlarmRow> converted = new ArrayList<>(alarms.size());
            for (AlarmRecord alarm : alarms) {
                converted.add(row(alarm));
            }
            ui.execute(() -> show(converted));
        });
    }

    /** The OS user name, for acknowledgements. */
    public static String currentUser() {
        return System.getProperty("user.name", "unknown");
    }

    public void acknowledge(long alarmId) {
        tracker.acknowledge(alarmId, operator);
    }

    public void acknowledge(AlarmRow row) {
        acknowledge(row.id());
    }

    public void acknowledgeAll() {
        tracker.acknowledgeAll(operator);
    }

    /** Runs the time-based alarm checks; call once a second. */
    public void refresh() {
        tracker.tick();
    }

    private void show(List<AlarmRow> converted) {
        rows.setAll(converted);
        int unacknowledged = 0;
        int activeAlarms = 0;
        Severity worst = null;
        for (AlarmRow row : converted) {
            if (row.active()) {
                activeAlarms++;
            }
            if (!row.acknowledged()) {
                unacknowledged++;
                if (worst == null || row.severity().compareTo(worst) < 0) {
                    worst = row.severity();
                }
            }
        }
        unacknowledgedCount.set(unacknowledged);
        activeCount.set(activeAlarms);
        worstUnacknowledged.set(worst);
    }

    private AlarmRow row(AlarmRecord alarm) {
        String source = alarm.source() == AlarmRecord.Source.AGENT ? alarm.agentId() : "station";
        String cleared = alarm.clearedAt() == null ? "" : texts.dateTime(alarm.clearedAt());
        String acked = alarm.acknowledgedAt() == null ? ""
                : texts.dateTime(alarm.acknowledgedAt()) + " by " + alarm.acknowledgedBy();
        return new AlarmRow(alarm.id(), alarm.agentId(), alarm.severity(), source, alarm.message(),
                alarm.raisedAt(), texts.dateTime(alarm.raisedAt()), alarm.active(), cleared, alarm.acknowledged(),
                acked, alarm);
    }

    /** Newest first; read-only. */
    public ObservableList<AlarmRow> alarms() {
        return readOnlyRows;
    }

    public ReadOnlyIntegerProperty unacknowledgedCountProperty() {
        return unacknowledgedCount.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty activeCountProperty() {
        return activeCount.getReadOnlyProperty();
    }

    /** The most severe unacknowledged alarm's severity, or null when all are acknowledged. */
    public ReadOnlyObjectProperty<Severity> worstUnacknowledgedProperty() {
        return worstUnacknowledged.getReadOnlyProperty();
    }
}
