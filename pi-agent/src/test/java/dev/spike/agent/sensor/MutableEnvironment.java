package dev.spike.agent.sensor;

/** Air whose humidity and temperature a test can change between measurements. */
final class MutableEnvironment implements Environment {

    private double humidityPct;
    private double temperatureC;

    MutableEnvironment(double humidityPct, double temperatureC) {
        set(humidityPct, temperatureC);
    }

    void set(double humidityPct, double temperatureC) {
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
