package dev.spike.station.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.station.alarms.StationAlarmPolicy.Clear;
import dev.spike.station.alarms.StationAlarmPolicy.ClockSkew;
import dev.spike.station.alarms.StationAlarmPolicy.Connection;
import dev.spike.station.alarms.StationAlarmPolicy.Decision;
import dev.spike.station.alarms.StationAlarmPolicy.Input;
import dev.spike.station.alarms.StationAlarmPolicy.Raise;
import dev.spike.station.alarms.StationAlarmPolicy.ReadInterval;
import dev.spike.station.alarms.StationAlarmPolicy.ReadingSeen;
import dev.spike.station.alarms.StationAlarmPolicy.SprayAnswered;
import dev.spike.station.alarms.StationAlarmPolicy.SprayExpected;
import dev.spike.station.alarms.StationAlarmPolicy.State;
import dev.spike.station.alarms.StationAlarmPolicy.StatusSeen;
import dev.spike.station.alarms.StationAlarmPolicy.Tick;
import dev.spike.station.log.EventTexts;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The station's own alarms, table-driven on a made-up timeline: (second, input) steps, the decisions of the last. */
class StationAlarmPolicyTest {

    private static final Instant T0 = Instant.parse("2026-05-01T18:00:00Z");
    private static final EventTexts TEXTS = new EventTexts(ZoneId.of("UTC"));
    private static final String A = "t-1";

    private record Step(long second, Input input) {
    }

    private static Step at(long second, Input input) {
        return new Step(second, input);
    }

    static Stream<Arguments> timelines() {
        return Stream.of(
                Arguments.of("offline for 2 min raises offline",
                        List.of(at(0, new Connection(true)), at(0, new StatusSeen(A, false)), at(120, new Tick())),
                        List.of("raise offline")),
                Arguments.of("offline for 119 s raises nothing",
                        List.of(at(0, new Connection(true)), at(0, new StatusSeen(A, false)), at(119, new Tick())),
                        List.of()),
                Arguments.of("back online clears offline",
                        List.of(at(0, new Connection(true)), at(0, new StatusSeen(A, false)),
                                at(130, new StatusSeen(A, true))),
                        List.of("clear offline")),
                Arguments.of("while disconnected nothing is raised",
                        List.of(at(0, new Connection(false)), at(0, new StatusSeen(A, false)), at(300, new Tick())),
                        List.of()),
                Arguments.of("a reconnect restarts the offline timer",
                        List.of(at(0, new Connection(false)), at(0, new StatusSeen(A, false)),
                                at(300, new Connection(true)), at(360, new Tick())),
                        List.of()),
                Arguments.of("no reading for 3 intervals raises no_reading",
                        List.of(at(0, new Connection(true)), at(0, new ReadInterval(A, 10)),
                                at(0, new StatusSeen(A, true)), at(0, new ReadingSeen(A, T0)), at(31, new Tick())),
                        List.of("raise no_reading")),
                Arguments.of("a reading within 3 intervals raises nothing",
                        List.of(at(0, new Connection(true)), at(0, new ReadInterval(A, 10)),
                                at(0, new StatusSeen(A, true)), at(25, new ReadingSeen(A, T0.plusSeconds(25))),
                                at(50, new Tick())),
                        List.of()),
                Arguments.of("a fresh reading clears no_reading",
                        List.of(at(0, new ReadInterval(A, 10)), at(40, new ReadingSeen(A, T0.plusSeconds(40)))),
                        List.of("clear no_reading")),
                // on the agent's clock: the readings carry the agent's times, the station's ticks its own
                Arguments.of("an agent 2 h ahead with fresh readings raises no no_reading",
                        skewed(Duration.ofHours(2), at(50, new ReadingSeen(A, T0.plus(Duration.ofHours(2))
                                .plusSeconds(50))), at(60, new Tick())),
                        List.of()),
                Arguments.of("an agent 2 h ahead whose readings stopped raises no_reading after 3 intervals",
                        skewed(Duration.ofHours(2), at(31, new Tick())),
                        List.of("raise no_reading")),
                Arguments.of("... not before",
                        skewed(Duration.ofHours(2), at(30, new Tick())),
                        List.of()),
                Arguments.of("an agent 2 h behind with fresh readings raises no no_reading",
                        skewed(Duration.ofHours(-2), at(50, new ReadingSeen(A, T0.minus(Duration.ofHours(2))
                                .plusSeconds(50))), at(60, new Tick())),
                        List.of()),
                Arguments.of("an agent 2 h behind whose readings stopped raises no_reading after 3 intervals",
                        skewed(Duration.ofHours(-2), at(31, new Tick())),
                        List.of("raise no_reading")),
                Arguments.of("... not before",
                        skewed(Duration.ofHours(-2), at(30, new Tick())),
                        List.of()),
                Arguments.of("a fresh reading of an agent 2 h behind clears no_reading",
                        List.of(at(0, new ReadInterval(A, 10)), at(0, new ClockSkew(A, Duration.ofHours(-2))),
                                at(40, new ReadingSeen(A, T0.minus(Duration.ofHours(2)).plusSeconds(40)))),
                        List.of("clear no_reading")),
                Arguments.of("a skew learned later moves the check to the agent's clock",
                        List.of(at(0, new Connection(true)), at(0, new ReadInterval(A, 10)),
                                at(0, new StatusSeen(A, true)),
                                at(0, new ReadingSeen(A, T0.minus(Duration.ofHours(2)))),
                                at(1, new ClockSkew(A, Duration.ofHours(-2))), at(20, new Tick())),
                        List.of()),
                Arguments.of("an unanswered spray raises once after 5 s",
                        List.of(at(0, new SprayExpected(A, "spray-1", 6, T0)), at(5, new Tick()),
                                at(6, new Tick())),
                        List.of()),
                Arguments.of("... the first tick after 5 s raises it",
                        List.of(at(0, new SprayExpected(A, "spray-1", 6, T0)), at(5, new Tick())),
                        List.of("raise spray_unconfirmed:spray-1")),
                Arguments.of("a late valve_opened clears it",
                        List.of(at(0, new SprayExpected(A, "spray-1", 6, T0)), at(5, new Tick()),
                                at(9, new SprayAnswered(A, "spray-1", true, T0.plusSeconds(9)))),
                        List.of("clear spray_unconfirmed:spray-1")),
                Arguments.of("a rejected spray raises no unconfirmed alarm",
                        List.of(at(0, new SprayExpected(A, "spray-1", 6, T0)),
                                at(1, new SprayAnswered(A, "spray-1", false, T0.plusSeconds(1))), at(6, new Tick())),
                        List.of()));
    }

    /**
     * An online agent whose clock is {@code skew} off the station's, with a reading at the station's second 0 (its
     * own time T0 + skew), then {@code steps}.
     */
    private static List<Step> skewed(Duration skew, Step... steps) {
        List<Step> timeline = new ArrayList<>(List.of(at(0, new Connection(true)), at(0, new ReadInterval(A, 10)),
                at(0, new ClockSkew(A, skew)), at(0, new StatusSeen(A, true)),
                at(0, new ReadingSeen(A, T0.plus(skew)))));
        timeline.addAll(List.of(steps));
        return timeline;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timelines")
    void decidesTheStationsOwnAlarms(String name, List<Step> steps, List<String> lastDecisions) {
        State state = State.initial(false);
        List<Decision> decisions = new ArrayList<>();
        for (Step step : steps) {
            StationAlarmPolicy.Result result = StationAlarmPolicy.decide(state, step.input(),
                    T0.plusSeconds(step.second()), TEXTS);
            state = result.state();
            decisions = result.decisions();
        }

        assertThat(decisions.stream().map(StationAlarmPolicyTest::describe).collect(Collectors.toList()))
                .isEqualTo(lastDecisions);
    }

    private static String describe(Decision decision) {
        if (decision instanceof Raise) {
            return "raise " + ((Raise) decision).key();
        }
        return "clear " + ((Clear) decision).key();
    }
}
