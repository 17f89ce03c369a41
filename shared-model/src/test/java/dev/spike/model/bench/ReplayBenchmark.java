package dev.spike.model.bench;

import dev.spike.model.Rules;
import dev.spike.model.event.AgentStarted;
import dev.spike.model.event.ConfigApplied;
import dev.spike.model.event.Event;
import dev.spike.model.event.HumidityChanged;
import dev.spike.model.event.SensorError;
import dev.spike.model.event.TemperatureChanged;
import dev.spike.model.rules.Replay;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Prints how long {@link Replay} takes over 30 days of one agent (issue 16 item 4, target under 1 s): 259,200
 * readings every 10 s, each with its 86,400 ticks a day, a 14 h sensor outage and a restart, replayed with the rules
 * as recorded and with a proposed threshold. Median of 7 runs after 3 warm-up runs, on one thread.
 *
 * <p>Run: {@code mvn -B -q -pl shared-model test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.spike.model.bench.ReplayBenchmark}
 */
public final class ReplayBenchmark {

    static final int DAYS = 30;
    static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    static final Rules RULES = Rules.defaults(ZoneId.of("Europe/Berlin"));

    private ReplayBenchmark() {
    }

    public static void main(String[] args) {
        List<Event> record = month();
        long readings = record.stream().filter(HumidityChanged.class::isInstance).count();
        Rules proposed = RULES.withLowHumidityPct(80);
        System.out.printf(Locale.ROOT, "record: %,d events, %,d readings over %d days%n", record.size(), readings,
                DAYS);
        for (Rules rules : Arrays.asList(null, proposed)) {
            long[] ms = new long[7];
            Replay.Result result = null;
            for (int round = -3; round < ms.length; round++) {
                long t0 = System.nanoTime();
                result = Replay.run("bench", null, record, rules, null);
                if (round >= 0) {
                    ms[round] = (System.nanoTime() - t0) / 1_000_000;
                }
            }
            Arrays.sort(ms);
            long sprays = result.events().stream().filter(e -> e instanceof dev.spike.model.event.ValveOpened)
                    .count();
            System.out.printf(Locale.ROOT, "replay %-26s median %,d ms (min %,d, max %,d): %,d sprays, %,d events%n",
                    rules == null ? "with the rules as recorded" : "with lowHumidityPct 80", ms[ms.length / 2],
                    ms[0], ms[ms.length - 1], sprays, result.events().size());
        }
    }

    /** A month as an agent records it: a start, then a reading every 10 s, a day of which the sensor is gone. */
    static List<Event> month() {
        List<Event> record = new ArrayList<>();
        Random random = new Random(16);
        record.add(new ConfigApplied("bench", 1, START, RULES));
        record.add(new AgentStarted("bench", 2, START, "bench"));
        Instant outage = START.plus(Duration.ofDays(12));
        Instant restart = START.plus(Duration.ofDays(20)).plusSeconds(5);
        double humidity = 80;
        int failures = 0;
        for (long i = 1; i <= DAYS * 8_640L; i++) {
            Instant at = START.plusSeconds(i * 10).plusMillis(16);
            if (at.isAfter(restart) && at.minusSeconds(10).isBefore(restart)) {
                record.add(new AgentStarted("bench", record.size() + 1, restart, "bench"));
            }
            if (!at.isBefore(outage) && at.isBefore(outage.plus(Duration.ofHours(14)))) {
                record.add(new SensorError("bench", record.size() + 1, at, "no ACK from 0x44", ++failures));
                continue;
            }
            failures = 0;
            // a day's swing between 62 and 92 % with noise: low-humidity sprays most of the day
            double hourOfDay = (i % 8_640) / 360.0;
            humidity = 77 + 15 * Math.sin(hourOfDay / 24 * 2 * Math.PI) + random.nextGaussian() * 0.3;
            record.add(new HumidityChanged("bench", record.size() + 1, at, Math.round(humidity * 100) / 100.0));
            if (i % 30 == 0) {
                record.add(new TemperatureChanged("bench", record.size() + 1, at, 24 + random.nextGaussian()));
            }
        }
        return record;
    }

}
