package dev.spike.agent.ha;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Home Assistant's MQTT integration shows for Spike's discovery configs, emulated after its mqtt/ code: fed the
 * messages Home Assistant's user receives, in order, it keeps each entity's state as Home Assistant would.
 *
 * <p>The rules emulated (Home Assistant core, homeassistant/components/mqtt/):
 * <ul>
 *   <li>a config message on {@code <prefix>/<component>/<node>/<object>/config} adds or updates an entity; an empty
 *       one removes it;</li>
 *   <li>an entity with an {@code availability_topic} is {@code unavailable} until a message there renders (through
 *       {@code availability_template}, {@code value_json} being the parsed payload) to {@code payload_available}
 *       ({@code online}); anything else renders it unavailable;</li>
 *   <li>a state message renders {@code value_template}; {@code None} makes the entity {@code unknown}; an empty
 *       rendering is ignored (the state before stays); a binary sensor takes {@code ON}/{@code OFF}
 *       ({@code payload_on}/{@code payload_off}); a sensor with a unit or a state class must render a number, a
 *       timestamp sensor an ISO 8601 time with an offset, an enum sensor one of its options, any sensor at most
 *       255 characters, else Home Assistant logs an error and the state stays: here that is a test failure;</li>
 *   <li>an entity that had no state message yet is {@code unknown}.</li>
 * </ul>
 * Jinja is Jinjava here, Python's Jinja2 in Home Assistant; the templates keep to what both render alike (no bare
 * None: Jinjava renders null as an empty string, Jinja2 as "None", so templates write the string 'None').
 */
public final class HomeAssistantEmulator {

    public static final String UNAVAILABLE = "unavailable";
    public static final String UNKNOWN = "unknown";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String prefix;
    private final Jinjava jinja = new Jinjava(JinjavaConfig.newBuilder().build());
    /** By object id: the agent's entities have distinct object ids. */
    private final Map<String, Entity> entities = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

    private static final class Entity {
        final String component;
        final JsonNode config;
        boolean available;
        String state = UNKNOWN;

        Entity(String component, JsonNode config) {
            this.component = component;
            this.config = config;
        }

        String text(String field) {
            JsonNode value = config.get(field);
            return value == null ? null : value.asText();
        }
    }

    public HomeAssistantEmulator(String prefix) {
        this.prefix = prefix;
    }

    /** A message Home Assistant's user received, in the order received. */
    public synchronized void receive(String topic, byte[] payload) {
        if (topic.startsWith(prefix + "/") && topic.endsWith("/config")) {
            String[] levels = topic.substring(prefix.length() + 1).split("/");
            String objectId = levels[levels.length - 2];
            if (payload.length == 0) {
                entities.remove(objectId);
            } else {
                entities.put(objectId, new Entity(levels[0], parse(payload)));
            }
            return;
        }
        for (Map.Entry<String, Entity> named : entities.entrySet()) {
            Entity entity = named.getValue();
            if (topic.equals(entity.text("availability_topic"))) {
                String template = entity.text("availability_template");
                String rendered = template == null ? text(payload) : render(template, payload);
                entity.available = rendered.equals(entity.config.path("payload_available").asText("online"));
            }
            if (topic.equals(entity.text("state_topic"))) {
                update(named.getKey(), entity, render(entity.text("value_template"), payload));
            }
        }
    }

    /** What Home Assistant shows for the entity of this object id. */
    public synchronized String state(String objectId) {
        Entity entity = entities.get(objectId);
        if (entity == null) {
            throw new AssertionError("no entity " + objectId + "; entities: " + entities.keySet());
        }
        if (entity.text("availability_topic") != null && !entity.available) {
            return UNAVAILABLE;
        }
        return entity.component.equals("button") ? "available" : entity.state;
    }

    /** Every entity's state, by object id. */
    public synchronized Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        entities.keySet().forEach(id -> states.put(id, state(id)));
        return states;
    }

    /** What Home Assistant would have logged as an error; a test expects none. */
    public synchronized List<String> errors() {
        return errors;
    }

    private void update(String objectId, Entity entity, String rendered) {
        if (rendered.isEmpty()) {
            return; // Home Assistant ignores an empty state: the old one stays shown
        }
        if (rendered.equals("None")) {
            entity.state = UNKNOWN;
            return;
        }
        String component = entity.component;
        if (component.equals("binary_sensor")) {
            String on = entity.config.path("payload_on").asText("ON");
            String off = entity.config.path("payload_off").asText("OFF");
            if (rendered.equals(on) || rendered.equals(off)) {
                entity.state = rendered.equals(on) ? "on" : "off";
            } else {
                errors.add(objectId + ": binary sensor got \"" + rendered + "\", neither " + on + " nor " + off);
            }
            return;
        }
        if (rendered.length() > 255) {
            errors.add(objectId + ": state longer than 255 characters");
            return;
        }
        String deviceClass = entity.text("device_class");
        if ("timestamp".equals(deviceClass)) {
            try {
                OffsetDateTime.parse(rendered);
            } catch (DateTimeParseException e) {
                errors.add(objectId + ": timestamp sensor got \"" + rendered + "\"");
                return;
            }
        } else if ("enum".equals(deviceClass)) {
            List<String> options = new ArrayList<>();
            entity.config.path("options").forEach(option -> options.add(option.asText()));
            if (!options.contains(rendered)) {
                errors.add(objectId + ": enum sensor got \"" + rendered + "\", not one of " + options);
                return;
            }
        } else if (component.equals("number") || entity.config.has("unit_of_measurement")
                || entity.config.has("state_class")) {
            try {
                Double.parseDouble(rendered);
            } catch (NumberFormatException e) {
                errors.add(objectId + ": numeric entity got \"" + rendered + "\"");
                return;
            }
        }
        entity.state = rendered;
    }

    /** Renders with Home Assistant's variables: {@code value} (the payload as text) and {@code value_json}. */
    String render(String template, byte[] payload) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("value", text(payload));
        try {
            variables.put("value_json", JSON.readValue(payload, Object.class));
        } catch (IOException e) {
            // Home Assistant leaves value_json out when the payload is not JSON
        }
        return jinja.render(template, variables).strip();
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
