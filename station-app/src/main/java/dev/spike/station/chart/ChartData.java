package dev.spike.station.chart;

import dev.spike.model.Program;
import dev.spike.model.SprayReason;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything the readings chart of one agent shows, free of JavaFX and JFreeChart: humidity and temperature
 * readings, the sprays, and the low-humidity threshold. The station's chart ViewModel fills it; {@link ReadingsChart}
 * draws it and redraws after every change.
 *
 * <p>Confined to one thread like every other piece of UI state: the ViewModel changes it through its UI executor
 * (the FX thread in the app, the test thread in tests), never from an MQTT callback. Listeners run synchronously
 * on that thread after each change, or once at the end of {@link #update(Runnable)} for a batch (a history
 * backfill of thousands of readings is then one redraw, not thousands).
 *
 * <pre>
 * ChartData data = new ChartData();
 * data.setLowHumidityPct(75);
 * data.humidity().append(epochMs, 74.2);       // or appendHumidity(...), which also notifies
 * data.addSpray(SprayBand.planned(openedMs, 6, SprayReason.LOW_HUMIDITY));   // at valve_opened
 * data.addSpray(new SprayBand(openedMs, closedMs, SprayReason.LOW_HUMIDITY)); // at valve_closed: replaces it
 * readingsChart.setData(data);
 * </pre>
 */
public final class ChartData {

    private static final Comparator<SprayBand> BY_START = Comparator.comparingLong(SprayBand::startMs);

    private final ReadingSeries humidity = new ReadingSeries();
    private final ReadingSeries temperature = new ReadingSeries();
    private final ReadingSeries sensor1Humidity = new ReadingSeries();
    private final ReadingSeries sensor2Humidity = new ReadingSeries();
    private final List<SprayBand> sprays = new ArrayList<>();
    private final List<SprayBand> proposedSprays = new ArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private double lowHumidityPct = Double.NaN;
    private Program program = Program.NONE;
    private ZoneId programZone = ZoneOffset.UTC;
    private int batchDepth;
    private boolean changedInBatch;

    /** Humidity readings in %RH. Appending to it directly does not notify; call {@link #changed()} after. */
    public ReadingSeries humidity() {
        return humidity;
    }

    /** Temperature readings in °C. Appending to it directly does not notify; call {@link #changed()} after. */
    public ReadingSeries temperature() {
        return temperature;
    }

    /**
     * Sensor 1's calibrated humidity, from readings that carry per-sensor values; with {@link #sensor2Humidity()}
     * the chart's two thin lines under the agreed one. Appending does not notify.
     */
    public ReadingSeries sensor1Humidity() {
        return sensor1Humidity;
    }

    /** Sensor 2's calibrated humidity; empty for an agent with one sensor, and then no sensor lines are drawn. */
    public ReadingSeries sensor2Humidity() {
        return sensor2Humidity;
    }

    /** Whether there are two sensors' lines to draw. */
    public boolean hasTwoSensors() {
        return !sensor2Humidity.isEmpty();
    }

    public void appendHumidity(long timeMs, double pct) {
        humidity.append(timeMs, pct);
        changed();
    }

    public void appendTemperature(long timeMs, double celsius) {
        temperature.append(timeMs, celsius);
        changed();
    }

    /**
     * Adds a spray, or replaces the one that started at the same millisecond (the planned band of a spray whose
     * {@code valve_closed} has now arrived).
     */
    public void addSpray(SprayBand band) {
        int index = Collections.binarySearch(sprays, band, BY_START);
        if (index >= 0) {
            sprays.set(index, band);
        } else {
            sprays.add(-index - 1, band);
        }
        changed();
    }

    /** The sprays, ordered by start time; read-only. */
    public List<SprayBand> sprays() {
        return Collections.unmodifiableList(sprays);
    }

    /** The sprays that overlap {@code [fromMs, toMs]}, ordered by start. */
    public List<SprayBand> spraysBetween(long fromMs, long toMs) {
        List<SprayBand> out = new ArrayList<>();
        // sprays last at most 60 s, so none that starts earlier than a minute before the window can reach into it
        long earliest = fromMs - 60_000;
        int first = Collections.binarySearch(sprays, new SprayBand(earliest, earliest, SprayReason.MANUAL), BY_START);
        for (int i = first >= 0 ? first : -first - 1; i < sprays.size(); i++) {
            SprayBand band = sprays.get(i);
            if (band.startMs() > toMs) {
                break;
            }
            if (band.endMs() >= fromMs) {
                out.add(band);
            }
        }
        return out;
    }

    /**
     * Sprays that other rules would have made (the rules preview's replay), drawn as marks over the real ones;
     * ordered by start, empty on the live chart.
     */
    public List<SprayBand> proposedSprays() {
        return Collections.unmodifiableList(proposedSprays);
    }

    public void setProposedSprays(List<SprayBand> bands) {
        proposedSprays.clear();
        proposedSprays.addAll(bands);
        proposedSprays.sort(BY_START);
        changed();
    }

    /** The low-humidity spray threshold in %RH ({@code lowHumidityPct} of the rules), or NaN while unknown. */
    public double lowHumidityPct() {
        return lowHumidityPct;
    }

    public void setLowHumidityPct(double pct) {
        if (Double.compare(pct, lowHumidityPct) != 0) {
            lowHumidityPct = pct;
            changed();
        }
    }

    /** The rules' day/night program that steps the threshold over the day; {@link Program#NONE} for a flat line. */
    public Program program() {
        return program;
    }

    /** Sets the program and the zone its times are local in (the rules' {@code timeZone}). */
    public void setProgram(Program value, ZoneId zone) {
        if (!value.equals(program) || !zone.equals(programZone)) {
            program = value;
            programZone = zone;
            changed();
        }
    }

    /** The threshold in force at {@code timeMs}: the program period's, else {@link #lowHumidityPct()}. */
    public double thresholdAt(long timeMs) {
        return program.periodAt(Instant.ofEpochMilli(timeMs), programZone).map(Program.Period::lowHumidityPct)
                .orElse(lowHumidityPct);
    }

    /**
     * The threshold over {@code [fromMs, toMs]} as the corners of a stepped line: {@code [times, values]}, a point
     * at the start, one at every change of period (with the new value) and one at the end. Empty arrays without a
     * program or while the threshold is unknown: a flat threshold needs no steps.
     */
    public double[][] thresholdSteps(long fromMs, long toMs) {
        if (program.isEmpty() || Double.isNaN(lowHumidityPct) || toMs <= fromMs) {
            return new double[][] {new double[0], new double[0]};
        }
        List<Instant> changes = program.changesBetween(Instant.ofEpochMilli(fromMs), Instant.ofEpochMilli(toMs),
                programZone);
        int size = changes.size() + 2;
        double[] times = new double[size];
        double[] values = new double[size];
        times[0] = fromMs;
        values[0] = thresholdAt(fromMs);
        for (int i = 0; i < changes.size(); i++) {
            long at = changes.get(i).toEpochMilli();
            times[i + 1] = at;
            values[i + 1] = thresholdAt(at);
        }
        times[size - 1] = toMs;
        values[size - 1] = thresholdAt(toMs);
        return new double[][] {times, values};
    }

    /** Removes every reading and spray, for example when the chart switches to another agent. */
    public void clear() {
        humidity.clear();
        temperature.clear();
        sensor1Humidity.clear();
        sensor2Humidity.clear();
        sprays.clear();
        changed();
    }

    /** The time of the newest reading of either series, or {@link Long#MIN_VALUE} when there is none. */
    public long lastTimeMs() {
        long last = Long.MIN_VALUE;
        if (!humidity.isEmpty()) {
            last = humidity.timeAt(humidity.size() - 1);
        }
        if (!temperature.isEmpty()) {
            last = Math.max(last, temperature.timeAt(temperature.size() - 1));
        }
        return last;
    }

    /** Runs {@code changes} and notifies the listeners once at the end, however many changes it made. */
    public void update(Runnable changes) {
        batchDepth++;
        try {
            changes.run();
        } finally {
            batchDepth--;
        }
        if (batchDepth == 0 && changedInBatch) {
            changedInBatch = false;
            fire();
        }
    }

    /** Tells the listeners that something changed: after appending to {@link #humidity()} or {@link #temperature()}. */
    public void changed() {
        if (batchDepth > 0) {
            changedInBatch = true;
        } else {
            fire();
        }
    }

    public void addListener(Runnable listener) {
        listeners.add(listener);
    }

    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void fire() {
        for (Runnable listener : listeners) {
            listener.run();
        }
    }
}
