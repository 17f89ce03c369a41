package dev.spike.model;

/** Faults a simulated SHT30 can be switched to with {@code sim/set}. */
public enum SensorFault implements WireName {
    /** Answers correctly. */
    OK("ok"),
    /** Does not acknowledge its address: wiring or bus noise. */
    NACK("nack"),
    /** Answers with a wrong checksum. */
    CRC("crc"),
    /** Returns the same raw word forever. */
    STUCK("stuck"),
    /** Unplugged. */
    ABSENT("absent");

    private final String wire;

    SensorFault(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
