package dev.spike.agent.sensor;

/** What {@link FakeSht30} measures: the simulated terrarium air. Asked once per measurement, on the agent thread. */
public interface Environment {

    /** Relative humidity, %RH. The fake clamps what does not fit the sensor's 16-bit word. */
    double humidityPct();

    /** Temperature, degrees Celsius. */
    double temperatureC();

    /** Air that never changes, for tests. */
    static Environment constant(double humidityPct, double temperatureC) {
        return new Environment() {
            @Override
            public double humidityPct() {
                return humidityPct;
            }

            @Override
            public double temperatureC() {
                return temperatureC;
            }

            @Override
            public String toString() {
                return "constant " + humidityPct + " %RH, " + temperatureC + " degC";
            }
        };
    }
}
