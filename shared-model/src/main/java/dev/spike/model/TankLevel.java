package dev.spike.model;

/** The simulated water tank: an empty tank makes sprays do nothing. */
public enum TankLevel implements WireName {
    FULL("full"),
    EMPTY("empty");

    private final String wire;

    TankLevel(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
