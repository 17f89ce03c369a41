package dev.spike.model;

/** Why the water budget's tank estimate changed, in a {@code water_level} event. */
public enum WaterChange implements WireName {
    /** The tank was configured (or its capacity changed): it is assumed full. */
    CONFIGURED("configured"),
    /** A spray used water: the valve's open time times its flow. */
    SPRAY("spray"),
    /** The keeper said the tank was refilled ({@code cmd/refill}). */
    REFILLED("refilled"),
    /** A spray had no effect ({@code no_effect}): the tank is taken to be empty. */
    EMPTY("empty");

    /** The largest tank, in litres, the protocol describes: far above any terrarium's. */
    public static final double MAX_LITRES = 1000;

    private final String wire;

    WaterChange(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
