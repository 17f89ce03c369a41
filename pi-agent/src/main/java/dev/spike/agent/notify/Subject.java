package dev.spike.agent.notify;

import dev.spike.model.AlarmKind;
import dev.spike.model.WireName;

/**
 * What a notification is about; its wire name is the {@code alarm} field of the webhook's JSON. The first eight are
 * alarms with a raised and a cleared side; {@link #UNCLEAN_RESTART} and {@link #TEST} are one-off notices.
 */
public enum Subject implements WireName {
    SENSOR_DOWN("sensor_down", Notification.Priority.URGENT, "sensor down"),
    LOW("low", Notification.Priority.HIGH, "humidity low"),
    HIGH("high", Notification.Priority.HIGH, "humidity high"),
    NO_EFFECT("no_effect", Notification.Priority.URGENT, "spraying has no effect"),
    RUNAWAY("runaway", Notification.Priority.URGENT, "valve budget used up"),
    /** One of two sensors failed; the rules go on with the other one. */
    SENSOR_FAILED("sensor_failed", Notification.Priority.HIGH, "one sensor failed"),
    /** Two sensors disagree: one of them drifted. */
    SENSOR_DIVERGENCE("sensor_divergence", Notification.Priority.DEFAULT, "sensors disagree"),
    STORE_FAILING("store_failing", Notification.Priority.HIGH, "event store failing"),
    UNCLEAN_RESTART("unclean_restart", Notification.Priority.HIGH, "restarted after an unclean stop"),
    TEST("test", Notification.Priority.DEFAULT, "test message");

    private final String wire;
    private final Notification.Priority priority;
    private final String label;

    Subject(String wire, Notification.Priority priority, String label) {
        this.wire = wire;
        this.priority = priority;
        this.label = label;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The priority while raised; recoveries go out at {@link Notification.Priority#DEFAULT}. */
    public Notification.Priority priority() {
        return priority;
    }

    /** For titles, in lower case: "sensor down". ASCII only, since ntfy takes the title as an HTTP header. */
    public String label() {
        return label;
    }

    /** Whether it has a raised and a cleared side (and so reminders, and a part in the heartbeat's /fail). */
    public boolean isAlarm() {
        return this != UNCLEAN_RESTART && this != TEST;
    }

    public static Subject of(AlarmKind kind) {
        switch (kind) {
            case LOW:
                return LOW;
            case HIGH:
                return HIGH;
            case NO_EFFECT:
                return NO_EFFECT;
            case SENSOR_FAILED:
                return SENSOR_FAILED;
            case SENSOR_DIVERGENCE:
                return SENSOR_DIVERGENCE;
            default:
                return RUNAWAY;
        }
    }
}
