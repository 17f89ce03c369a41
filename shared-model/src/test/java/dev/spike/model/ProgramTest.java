package dev.spike.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spike.model.Program.Period;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgramTest {

    static final Period NIGHT = new Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, 20);
    static final Period MIDDAY = new Period(LocalTime.of(12, 0), LocalTime.of(14, 0), 65, null);
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @ParameterizedTest(name = "{0}: threshold {1}, cooldown {2}")
    @CsvSource({"21:59, 70, 10", "22:00, 85, 20", "23:59, 85, 20", "00:00, 85, 20", "06:59, 85, 20",
        "07:00, 70, 10", "12:00, 65, 10", "13:59, 65, 10", "14:00, 70, 10"})
    void thePeriodInForceGivesThresholdAndCooldownWrappingMidnight(String local, double threshold, int cooldown) {
        Rules rules = Rules.defaults(ZoneOffset.UTC).withLowHumidityPct(70).withProgram(Program.of(NIGHT, MIDDAY));
        Instant at = Instant.parse("2026-06-10T" + local + ":00Z");

        assertThat(rules.lowHumidityPctAt(at)).isEqualTo(threshold);
        assertThat(rules.minIntervalMinAt(at)).isEqualTo(cooldown);
    }

    @Test
    void readsThePeriodInTheRulesZone() {
        Rules rules = Rules.defaults(BERLIN).withLowHumidityPct(70).withProgram(Program.of(NIGHT));

        // 20:30 UTC is 22:30 in Berlin in summer
        assertThat(rules.lowHumidityPctAt(Instant.parse("2026-06-10T20:30:00Z"))).isEqualTo(85);
        assertThat(rules.lowHumidityPctAt(Instant.parse("2026-06-10T19:30:00Z"))).isEqualTo(70);
    }

    @Test
    void withoutAProgramTheRulesOwnValuesHoldAllDay() {
        Rules rules = Rules.defaults(ZoneOffset.UTC);

        assertThat(rules.program()).isEqualTo(Program.NONE);
        for (int hour = 0; hour < 24; hour++) {
            Instant at = Instant.parse("2026-06-10T00:00:00Z").plusSeconds(hour * 3600L);
            assertThat(rules.lowHumidityPctAt(at)).isEqualTo(75);
            assertThat(rules.minIntervalMinAt(at)).isEqualTo(10);
        }
        assertThat(new Rules(75, 6, 10, 6, 3, LocalTime.of(20, 0), 60, ZoneOffset.UTC, 30, 10, 60, 95, null))
                .as("null is no program").isEqualTo(rules);
    }

    @Test
    void refusesOverlappingPeriodsNamingBoth() {
        Period morning = new Period(LocalTime.of(6, 0), LocalTime.of(9, 0), 80, null);

        assertThatThrownBy(() -> Program.of(NIGHT, morning)).isInstanceOf(InvalidFieldException.class)
                .hasMessage("program[1] must not overlap program[0] (22:00–07:00), was 06:00–09:00");
        assertThatThrownBy(() -> Program.of(MIDDAY, MIDDAY))
                .hasMessage("program[1] must not overlap program[0] (12:00–14:00), was 12:00–14:00");
    }

    @Test
    void allowsPeriodsThatTouch() {
        Period morning = new Period(LocalTime.of(7, 0), LocalTime.of(9, 0), 80, null);

        assertThat(Program.of(NIGHT, morning).periodAt(LocalTime.of(7, 0))).contains(morning);
    }

    @Test
    void namesTheFieldOfABadPeriod() {
        assertThatThrownBy(() -> new Period(LocalTime.of(22, 0), LocalTime.of(22, 0), 85, null))
                .hasMessage("to must differ from from (22:00); without a program the rules' own threshold holds"
                        + " all day, was 22:00");
        assertThatThrownBy(() -> new Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 100, null))
                .hasMessage("lowHumidityPct must be 1..99, was 100");
        assertThatThrownBy(() -> new Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, 0))
                .hasMessage("minIntervalMin must be 1..1440, was 0");
        assertThatThrownBy(() -> new Period(LocalTime.of(22, 0, 30), LocalTime.of(7, 0), 85, null))
                .hasMessage("from must be whole minutes (HH:mm), was 22:00:30");
        assertThatThrownBy(() -> new Period(null, LocalTime.of(7, 0), 85, null)).hasMessage("from is required");
    }

    @Test
    void holdsAtMostEightPeriods() {
        List<Period> nine = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(new Period(LocalTime.of(i, 0), LocalTime.of(i, 30), 80, null));
        }
        assertThat(new Program(nine.subList(0, 8)).periods()).hasSize(8);
        assertThatThrownBy(() -> new Program(nine)).hasMessage("program must have at most 8 periods, was 9");
        assertThatThrownBy(() -> new Program(Collections.singletonList(null))).hasMessage("program[0] is required");
    }

    @Test
    void listsTheChangesOfADayInOrder() {
        Program program = Program.of(NIGHT, MIDDAY);

        assertThat(program.changesBetween(Instant.parse("2026-06-10T00:00:00Z"),
                Instant.parse("2026-06-11T00:00:00Z"), ZoneOffset.UTC)).containsExactly(
                Instant.parse("2026-06-10T07:00:00Z"), Instant.parse("2026-06-10T12:00:00Z"),
                Instant.parse("2026-06-10T14:00:00Z"), Instant.parse("2026-06-10T22:00:00Z"));
        assertThat(Program.NONE.changesBetween(Instant.EPOCH, Instant.parse("2026-06-11T00:00:00Z"),
                ZoneOffset.UTC)).isEmpty();
    }

    @Test
    void aChangeInADstGapMovesForwardByTheGap() {
        Period early = new Period(LocalTime.of(2, 30), LocalTime.of(5, 0), 85, null);

        // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST, so 02:30 is 03:30 CEST = 01:30 UTC
        assertThat(Program.of(early).changesBetween(Instant.parse("2026-03-29T00:00:00Z"),
                Instant.parse("2026-03-29T12:00:00Z"), BERLIN)).containsExactly(
                Instant.parse("2026-03-29T01:30:00Z"), Instant.parse("2026-03-29T03:00:00Z"));
    }

    @Test
    void aPatchReplacesTheProgramWholeAndAnEmptyOneRemovesIt() {
        Rules rules = Rules.defaults(ZoneOffset.UTC).withProgram(Program.of(NIGHT, MIDDAY));
        RulesPatch onlyNight = new RulesPatch(null, null, null, null, null, null, null, null, null, null, null, null,
                Program.of(NIGHT));
        RulesPatch none = new RulesPatch(null, null, null, null, null, null, null, null, null, null, null, null,
                Program.NONE);
        RulesPatch threshold = new RulesPatch(72.0, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(onlyNight.applyTo(rules)).isEqualTo(rules.withProgram(Program.of(NIGHT)));
        assertThat(none.applyTo(rules)).isEqualTo(rules.withProgram(Program.NONE));
        assertThat(threshold.applyTo(rules).program()).as("left as it is").isEqualTo(rules.program());
        assertThat(onlyNight.changed()).containsExactly("program");
    }

    @Test
    void describesItselfForAPerson() {
        assertThat(Program.of(NIGHT, MIDDAY).describe())
                .isEqualTo("22:00–07:00 85 % (cooldown 20 min), 12:00–14:00 65 %");
        assertThat(Program.NONE.describe()).isEqualTo("none");
    }
}
