package dev.spike.station.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.Status;
import dev.spike.station.connection.ConnectionState;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PresenceTest {

    private static final Instant NOW = Instant.parse("2026-05-01T18:00:00Z");
    private static final ConnectionState CONNECTED = ConnectionState.connected("tcp://pi:1883");
    private static final ConnectionState RECONNECTING = ConnectionState.reconnecting("tcp://pi:1883", 2, "refused");
    private static final Status ONLINE = new Status(true, NOW.minusSeconds(3600), "0.1.0", false);
    private static final Status OFFLINE = new Status(false, NOW.minusSeconds(60), "0.1.0", false);

    static Stream<Arguments> cases() {
        return Stream.of(
                // agent, connection, status, reading seconds before now (null: none), interval s, expected
                Arguments.of(null, CONNECTED, ONLINE, 5L, 10, Presence.NO_AGENT),
                Arguments.of("t-1", null, ONLINE, 5L, 10, Presence.STATION_DISCONNECTED),
                Arguments.of("t-1", RECONNECTING, ONLINE, 5L, 10, Presence.STATION_DISCONNECTED),
                Arguments.of("t-1", CONNECTED, null, 5L, 10, Presence.OFFLINE),
                Arguments.of("t-1", CONNECTED, OFFLINE, 5L, 10, Presence.OFFLINE),
                Arguments.of("t-1", CONNECTED, ONLINE, null, 10, Presence.STALE),
                Arguments.of("t-1", CONNECTED, ONLINE, 30L, 10, Presence.ONLINE),
                Arguments.of("t-1", CONNECTED, ONLINE, 31L, 10, Presence.STALE),
                Arguments.of("t-1", CONNECTED, ONLINE, 31L, 60, Presence.ONLINE),
                // a reading "in the future" of the station is fresh: the caller passes the agent's now
                Arguments.of("t-1", CONNECTED, ONLINE, -120L, 10, Presence.ONLINE));
    }

    @ParameterizedTest(name = "{0} {1} {2} reading {3} s ago every {4} s -> {5}")
    @MethodSource("cases")
    void decidesWhetherAnAgentCanBeHeard(String agent, ConnectionState connection, Status status, Long readingAgoS,
                                         int intervalS, Presence expected) {
        Instant readingAt = readingAgoS == null ? null : NOW.minusSeconds(readingAgoS);

        assertThat(Presence.of(agent, connection, status, readingAt, intervalS, NOW)).isEqualTo(expected);
    }
}
