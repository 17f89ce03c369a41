package dev.spike.agent.sensor;

/** Air whose humidity and temperature a test can change between measurements. */
public final class MutableEnvironment implements Environment {

    private double humidityPct;
    private double temperatureC;

    public MutableEnvironment(double humidityPct, double temperatureC) {
        set(humidityPct, temperatureC);
    }

    public void set(double humidityPct, double temperatureC) {
        this.humidityPct = humidityPct;
        this.temperatureC = temperatureC;
    }

    @Override
    public double humidityPct() {
        return humidityPct;
    }

    @Override
    public double temperatureC() {
        return temperatureC;
    }
}
