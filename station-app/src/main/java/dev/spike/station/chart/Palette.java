package dev.spike.station.chart;

import dev.spike.model.SprayReason;
import java.awt.Color;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The colours of the readings chart, in AWT terms because JFreeChart draws with Java2D. In the app they come from
 * the stylesheet through {@link ReadingsChart}'s CSS properties; {@link #LIGHT} and {@link #DARK} are the defaults
 * and what the benchmark and image export outside the app use.
 */
public record Palette(Color background, Color plotBackground, Color grid, Color text, Color humidity,
                      Color temperature, Color threshold, Map<SprayReason, Color> sprays) {

    public static final Palette LIGHT = new Palette(
            new Color(0xffffff), new Color(0xffffff), new Color(0xe2e8f0), new Color(0x334155),
            new Color(0x0284c7), new Color(0xea580c), new Color(0x0f766e),
            sprayColors(new Color(0x5eead4), new Color(0xfcd34d), new Color(0xc4b5fd), new Color(0xf9a8d4)));

    public static final Palette DARK = new Palette(
            new Color(0x1e293b), new Color(0x1e293b), new Color(0x334155), new Color(0xcbd5e1),
            new Color(0x38bdf8), new Color(0xfb923c), new Color(0x2dd4bf),
            sprayColors(new Color(0x0f766e), new Color(0xa16207), new Color(0x6d28d9), new Color(0xbe185d)));

    public Palette {
        Objects.requireNonNull(background, "background");
        Objects.requireNonNull(plotBackground, "plotBackground");
        Objects.requireNonNull(grid, "grid");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(humidity, "humidity");
        Objects.requireNonNull(temperature, "temperature");
        Objects.requireNonNull(threshold, "threshold");
        EnumMap<SprayReason, Color> copy = new EnumMap<>(SprayReason.class);
        copy.putAll(sprays);
        for (SprayReason reason : SprayReason.values()) {
            if (!copy.containsKey(reason)) {
                throw new IllegalArgumentException("sprays must have a colour for " + reason.wire());
            }
        }
        sprays = Map.copyOf(copy);
    }

    public Color spray(SprayReason reason) {
        return sprays.get(reason);
    }

    /** Spray colours in the order of {@link SprayReason}: low humidity, sensor down, evening, manual. */
    public static Map<SprayReason, Color> sprayColors(Color lowHumidity, Color sensorDown, Color evening,
                                                     Color manual) {
        EnumMap<SprayReason, Color> map = new EnumMap<>(SprayReason.class);
        map.put(SprayReason.LOW_HUMIDITY, lowHumidity);
        map.put(SprayReason.SENSOR_DOWN, sensorDown);
        map.put(SprayReason.EVENING, evening);
        map.put(SprayReason.MANUAL, manual);
        return map;
    }
}
