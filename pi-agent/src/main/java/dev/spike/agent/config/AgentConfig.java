package dev.spike.agent.config;

import dev.spike.model.Checks;
import dev.spike.model.InvalidFieldException;
import dev.spike.model.Program;
import dev.spike.model.Rules;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Everything the agent is configured with: identity, storage, hardware and the initial rules. Read from a
 * properties file (see {@code docs/agent.md} and {@code pi-agent/src/main/dist/agent.properties}); command-line
 * flags override it. Every bad value is reported with the file, the key, the value and what is allowed.
 *
 * @param agentId         this agent's id, as in topics
 * @param dataDir         where the event store lives
 * @param rules           the rules used until a {@code cmd/config} replaces them (the store remembers those)
 * @param i2cBus          the SHT30's I2C bus (1 on a Pi)
 * @param sensorAddress   the SHT30's I2C address, 0x44 or 0x45
 * @param valveGpio       the BCM pin of the valve relay
 * @param valveActiveLow  true if the relay closes its contact when the pin is low
 * @param runawayBudgetS  the most seconds the valve may be open in any hour
 * @param retentionDays   readings older than this are compacted; decisions, valve events and errors are kept
 * @param mqtt            the broker of the MQTT link, or {@link MqttSettings#NONE} to run standalone
 * @param homeAssistant   Home Assistant discovery over that link
 * @param alerts          alerts to the keeper (ntfy, webhook, e-mail) and the heartbeat; {@link NotifySettings#NONE}
 *                        by default
 * @param sensors         calibrations, the optional second sensor and its divergence alarm; {@link SensorSettings#ONE}
 *                        by default
 */
public record AgentConfig(
        String agentId,
        Path dataDir,
        Rules rules,
        int i2cBus,
        int sensorAddress,
        int valveGpio,
        boolean valveActiveLow,
        int runawayBudgetS,
        int retentionDays,
        MqttSettings mqtt,
        HomeAssistantSettings homeAssistant,
        NotifySettings alerts,
        SensorSettings sensors) {

    public AgentConfig {
        Checks.agentId("agent.id", agentId);
        Checks.notNull("data.dir", dataDir);
        Checks.notNull("rules", rules);
        Checks.range("sensor.i2cBus", i2cBus, 0, 31);
        SensorSettings.checkAddress("sensor.address", sensorAddress);
        Checks.range("valve.gpio", valveGpio, 0, 27);
        Checks.range("valve.runawayBudgetS", runawayBudgetS, 1, 3600);
        Checks.range("store.retentionDays", retentionDays, 1, 3650);
        Checks.notNull("mqtt", mqtt);
        Checks.notNull("ha", homeAssistant);
        Checks.notNull("notify", alerts);
        Checks.notNull("sensors", sensors);
        if (sensors.hasSecond() && sensors.sensor2Bus() == i2cBus && sensors.sensor2Address() == sensorAddress) {
            throw new InvalidFieldException("sensor2.address", "must differ from sensor.address on the same bus");
        }
    }

    /** With one uncalibrated sensor. */
    public AgentConfig(String agentId, Path dataDir, Rules rules, int i2cBus, int sensorAddress, int valveGpio,
            boolean valveActiveLow, int runawayBudgetS, int retentionDays, MqttSettings mqtt,
            HomeAssistantSettings homeAssistant, NotifySettings alerts) {
        this(agentId, dataDir, rules, i2cBus, sensorAddress, valveGpio, valveActiveLow, runawayBudgetS, retentionDays,
                mqtt, homeAssistant, alerts, SensorSettings.ONE);
    }

    /** Without alerts. */
    public AgentConfig(String agentId, Path dataDir, Rules rules, int i2cBus, int sensorAddress, int valveGpio,
            boolean valveActiveLow, int runawayBudgetS, int retentionDays, MqttSettings mqtt,
            HomeAssistantSettings homeAssistant) {
        this(agentId, dataDir, rules, i2cBus, sensorAddress, valveGpio, valveActiveLow, runawayBudgetS, retentionDays,
                mqtt, homeAssistant, NotifySettings.NONE);
    }

    /** Without Home Assistant discovery. */
    public AgentConfig(String agentId, Path dataDir, Rules rules, int i2cBus, int sensorAddress, int valveGpio,
            boolean valveActiveLow, int runawayBudgetS, int retentionDays, MqttSettings mqtt) {
        this(agentId, dataDir, rules, i2cBus, sensorAddress, valveGpio, valveActiveLow, runawayBudgetS, retentionDays,
                mqtt, HomeAssistantSettings.OFF);
    }

    /** Without an MQTT link: the agent runs standalone. */
    public AgentConfig(String agentId, Path dataDir, Rules rules, int i2cBus, int sensorAddress, int valveGpio,
            boolean valveActiveLow, int runawayBudgetS, int retentionDays) {
        this(agentId, dataDir, rules, i2cBus, sensorAddress, valveGpio, valveActiveLow, runawayBudgetS, retentionDays,
                MqttSettings.NONE);
    }

    /** The defaults: a Pi with the sensor at 0x44 on bus 1 and the relay on BCM 17, active high. */
    public static AgentConfig defaults() {
        return new AgentConfig("terrarium", defaultDataDir(), Rules.defaults(), 1, 0x44, 17, false, 120, 90,
                MqttSettings.NONE, HomeAssistantSettings.OFF, NotifySettings.NONE);
    }

    /** {@code $XDG_DATA_HOME/spike-agent}, else {@code ~/.local/share/spike-agent}. */
    static Path defaultDataDir() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("spike-agent");
    }

    public AgentConfig withAgentId(String value) {
        return new AgentConfig(value, dataDir, rules, i2cBus, sensorAddress, valveGpio, valveActiveLow,
                runawayBudgetS, retentionDays, mqtt, homeAssistant, alerts, sensors);
    }

    public AgentConfig withDataDir(Path value) {
        return new AgentConfig(agentId, value, rules, i2cBus, sensorAddress, valveGpio, valveActiveLow,
                runawayBudgetS, retentionDays, mqtt, homeAssistant, alerts, sensors);
    }

    public AgentConfig withRules(Rules value) {
        return new AgentConfig(agentId, dataDir, value, i2cBus, sensorAddress, valveGpio, valveActiveLow,
                runawayBudgetS, retentionDays, mqtt, homeAssistant, alerts, sensors);
    }

    public AgentConfig withMqtt(MqttSettings value) {
        return new AgentConfig(agentId, dataDir, rules, i2cBus, sensorAddress, valveGpio, valveActiveLow,
                runawayBudgetS, retentionDays, value, homeAssistant, alerts, sensors);
    }

    public AgentConfig withHomeAssistant(HomeAssistantSettings value) {
        return new AgentConfig(agentId, dataDir, rules, i2cBus, sensorAddress, valveGpio, valveActiveLow,
                runawayBudgetS, retentionDays, mqtt, value, alerts, sensors);
    }

    public AgentConfig withAlerts(NotifySettings value) {
        return new AgentConfig(agentId, dataDir, rules, i2cBus, sensorAddress, valveGpio, valveActiveLow,
                runawayBudgetS, retentionDays, mqtt, homeAssistant, value, sensors);
    }

    public AgentConfig withSensors(SensorSettings value) {
        return new AgentConfig(agentId, dataDir, rules, i2cBus, sensorAddress, valveGpio, valveActiveLow,
                runawayBudgetS, retentionDays, mqtt, homeAssistant, alerts, value);
    }

    /** Keys a config file may hold; anything else is a typo worth reporting. */
    static final Set<String> KEYS = keys("agent.id", "data.dir", "sensor.i2cBus", "sensor.address", "valve.gpio",
            "valve.activeLow", "valve.runawayBudgetS", "store.retentionDays", "rules.lowHumidityPct",
            "rules.sprayDurationS", "rules.minIntervalMin", "rules.sensorDownSprayEveryH",
            "rules.sensorDownAfterFailures", "rules.eveningTime", "rules.eveningSkipIfSprayedWithinMin",
            "rules.timeZone", "rules.maxSprayS", "rules.readIntervalS", "rules.alarmLowPct", "rules.alarmHighPct",
            ProgramText.KEY, "mqtt.broker", "mqtt.username", "mqtt.passwordFile", "mqtt.caFile", "ha.discovery", "ha.prefix",
            "notify.ntfy.url", "notify.ntfy.tokenFile", "notify.webhook.url", "notify.email.smtp", "notify.email.from",
            "notify.email.to", "notify.email.username", "notify.email.passwordFile", "notify.remindEveryH",
            "notify.maxAgeH", "heartbeat.url", "heartbeat.everyMin");

    private static Set<String> keys(String... keys) {
        Set<String> all = new TreeSet<>(List.of(keys));
        all.addAll(SensorSettings.KEYS);
        return Set.copyOf(all);
    }

    /** Reads a config file over the defaults. */
    public static AgentConfig load(Path file) throws ConfigException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
        }
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new ConfigException(file + ": unknown key " + String.join(", ", unknown) + " (known keys: "
                    + String.join(", ", new TreeSet<>(KEYS)) + ")");
        }
        try {
            return fromProperties(properties, defaults());
        } catch (InvalidFieldException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    private static AgentConfig fromProperties(Properties p, AgentConfig d) {
        Rules r = d.rules();
        Rules rules = new Rules(
                decimal(p, "rules.lowHumidityPct", r.lowHumidityPct()),
                integer(p, "rules.sprayDurationS", r.sprayDurationS()),
                integer(p, "rules.minIntervalMin", r.minIntervalMin()),
                integer(p, "rules.sensorDownSprayEveryH", r.sensorDownSprayEveryH()),
                integer(p, "rules.sensorDownAfterFailures", r.sensorDownAfterFailures()),
                time(p, "rules.eveningTime", r.eveningTime()),
                integer(p, "rules.eveningSkipIfSprayedWithinMin", r.eveningSkipIfSprayedWithinMin()),
                zone(p, "rules.timeZone", r.timeZone()),
                integer(p, "rules.maxSprayS", r.maxSprayS()),
                integer(p, "rules.readIntervalS", r.readIntervalS()),
                decimal(p, "rules.alarmLowPct", r.alarmLowPct()),
                decimal(p, "rules.alarmHighPct", r.alarmHighPct()),
                program(p, r.program()));
        String dataDir = text(p, "data.dir", null);
        MqttSettings mqtt = new MqttSettings(text(p, "mqtt.broker", null), text(p, "mqtt.username", null),
                path(p, "mqtt.passwordFile"), path(p, "mqtt.caFile"));
        int bus = integer(p, "sensor.i2cBus", d.i2cBus());
        int address = integer(p, "sensor.address", d.sensorAddress());
        SensorSettings sensors = SensorSettings.read(p, bus, address,
                (props, key) -> parsed(props, key, null, "a number", Double::parseDouble),
                (props, key) -> parsed(props, key, null, "a whole number", AgentConfig::parseInteger));
        return new AgentConfig(
                text(p, "agent.id", d.agentId()),
                dataDir == null ? d.dataDir() : Path.of(dataDir),
                rules,
                bus,
                address,
                integer(p, "valve.gpio", d.valveGpio()),
                bool(p, "valve.activeLow", d.valveActiveLow()),
                integer(p, "valve.runawayBudgetS", d.runawayBudgetS()),
                integer(p, "store.retentionDays", d.retentionDays()),
                mqtt,
                new HomeAssistantSettings(bool(p, "ha.discovery", d.homeAssistant().discovery()),
                        text(p, "ha.prefix", d.homeAssistant().prefix())),
                notify(p, d.alerts()),
                sensors);
    }

    /** Not through {@link #parsed}: the parser's own message names the period and what is wrong with it. */
    private static Program program(Properties p, Program fallback) {
        String value = p.getProperty(ProgramText.KEY);
        return value == null ? fallback : ProgramText.parse(value);
    }

    private static NotifySettings notify(Properties p, NotifySettings d) {
        String smtp = text(p, "notify.email.smtp", null);
        NotifySettings.Email email = null;
        if (smtp != null) {
            String to = text(p, "notify.email.to", null);
            email = new NotifySettings.Email(smtp, text(p, "notify.email.from", null),
                    to == null ? List.of() : NotifySettings.split(to), text(p, "notify.email.username", null),
                    path(p, "notify.email.passwordFile"));
        } else {
            for (String key : List.of("notify.email.from", "notify.email.to", "notify.email.username",
                    "notify.email.passwordFile")) {
                if (text(p, key, null) != null) {
                    throw new InvalidFieldException(key, "needs notify.email.smtp, which is not set");
                }
            }
        }
        return new NotifySettings(text(p, "notify.ntfy.url", d.ntfyUrl()), path(p, "notify.ntfy.tokenFile"),
                text(p, "notify.webhook.url", d.webhookUrl()), email,
                integer(p, "notify.remindEveryH", d.remindEveryH()), integer(p, "notify.maxAgeH", d.maxAgeH()),
                text(p, "heartbeat.url", d.heartbeatUrl()), integer(p, "heartbeat.everyMin", d.heartbeatEveryMin()));
    }

    private static String text(Properties p, String key, String fallback) {
        String value = p.getProperty(key);
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static Path path(Properties p, String key) {
        return parsed(p, key, null, "a file path", Path::of);
    }

    private static int integer(Properties p, String key, int fallback) {
        return parsed(p, key, fallback, "a whole number", AgentConfig::parseInteger);
    }

    private static Integer parseInteger(String value) {
        return value.toLowerCase(Locale.ROOT).startsWith("0x") ? Integer.parseInt(value.substring(2), 16)
                : Integer.parseInt(value);
    }

    private static double decimal(Properties p, String key, double fallback) {
        return parsed(p, key, fallback, "a number", Double::parseDouble);
    }

    private static boolean bool(Properties p, String key, boolean fallback) {
        return parsed(p, key, fallback, "true or false", value -> {
            if (!value.equals("true") && !value.equals("false")) {
                throw new IllegalArgumentException(value);
            }
            return Boolean.parseBoolean(value);
        });
    }

    private static LocalTime time(Properties p, String key, LocalTime fallback) {
        return parsed(p, key, fallback, "a time HH:mm such as 20:00", LocalTime::parse);
    }

    private static ZoneId zone(Properties p, String key, ZoneId fallback) {
        return parsed(p, key, fallback, "a time zone such as Europe/Berlin", ZoneId::of);
    }

    /** The key's value parsed, the fallback if the key is absent, or an error naming key, value and form. */
    private static <T> T parsed(Properties p, String key, T fallback, String expected, Function<String, T> parse) {
        String value = text(p, key, null);
        if (value == null) {
            return fallback;
        }
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new InvalidFieldException(key, "must be " + expected + ", was \"" + value + "\"");
        }
    }
}
