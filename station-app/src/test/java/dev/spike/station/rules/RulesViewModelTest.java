package dev.spike.station.rules;

import dev.spike.station.agents.SelectedAgent;
import dev.spike.station.connection.CommandState;
import static dev.spike.station.store.TestEvents.AGENT;
import static dev.spike.station.store.TestEvents.RULES;
import static dev.spike.station.store.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.CommandKind;
import dev.spike.model.Program;
import dev.spike.model.Rules;
import dev.spike.model.command.ConfigCommand;
import dev.spike.model.event.EventType;
import dev.spike.model.topic.Topic;
import dev.spike.station.store.TestEvents;
import dev.spike.station.store.TestStation;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesViewModelTest {

    @TempDir
    Path dir;

    private TestStation station;
    private RulesViewModel vm;
    private SelectedAgent selected;

    @BeforeEach
    void open() {
        station = TestStation.open(dir);
        station.gateway.connect();
        selected = new SelectedAgent(station.feed, station.gateway, TestStation.UI, station.clock);
        vm = new RulesViewModel(selected, station.gateway, TestStation.UI, station.clock);
        station.gateway.receive(Topic.status(AGENT), TestEvents.online(T0));
        station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, RULES));
        selected.select(AGENT);
    }

    @AfterEach
    void close() {
        station.close();
    }

    private void type(String field, String text) {
        vm.field(field).textProperty().set(text);
    }

    private String error(String field) {
        return vm.field(field).errorProperty().get();
    }

    @Test
    void showsEveryRuleInForceAsText() {
        assertThat(vm.fields()).extracting(RuleField::name).containsExactly("lowHumidityPct", "sprayDurationS",
                "minIntervalMin", "sensorDownSprayEveryH", "sensorDownAfterFailures", "eveningTime",
                "eveningSkipIfSprayedWithinMin", "timeZone", "maxSprayS", "readIntervalS", "alarmLowPct",
                "alarmHighPct");
        assertThat(vm.fields()).extracting(field -> field.textProperty().get()).containsExactly("75", "6", "10",
                "6", "3", "20:00", "60", "UTC", "30", "10", "60", "95");
        assertThat(vm.field("lowHumidityPct").label()).isEqualTo("Spray below");
        assertThat(vm.field("lowHumidityPct").unit()).isEqualTo("%RH");
        assertThat(vm.validProperty().get()).isTrue();
        assertThat(vm.dirtyProperty().get()).isFalse();
        assertThat(vm.canApplyProperty().get()).isFalse();
        assertThat(vm.whyNotProperty().get()).isEqualTo("Nothing changed");
        assertThat(vm.rulesInForceProperty().get()).isEqualTo(RULES);
    }

    @Test
    void validatesAsYouTypeWithTheAgentsOwnMessages() {
        type("sprayDurationS", "45");
        assertThat(error("sprayDurationS")).isEqualTo("sprayDurationS must be 1..30, was 45");
        assertThat(vm.validProperty().get()).isFalse();
        assertThat(vm.whyNotProperty().get()).isEqualTo("Correct the marked fields");

        type("sprayDurationS", "6.5");
        assertThat(error("sprayDurationS")).isEqualTo("sprayDurationS must be a whole number, was \"6.5\"");
        type("eveningTime", "8pm");
        assertThat(error("eveningTime")).isEqualTo("eveningTime must be a time HH:mm such as 20:00, was \"8pm\"");
        type("timeZone", "Mars/Olympus");
        assertThat(error("timeZone"))
                .isEqualTo("timeZone must be a time zone such as Europe/Berlin or UTC, was \"Mars/Olympus\"");
        type("lowHumidityPct", "wet");
        assertThat(error("lowHumidityPct"))
                .isEqualTo("lowHumidityPct must be a number such as 75 or 72.5, was \"wet\"");
        type("minIntervalMin", "");
        assertThat(error("minIntervalMin")).isEqualTo("minIntervalMin is required");
        // each field has its own error at the same time
        assertThat(vm.fields()).filteredOn(field -> !field.errorProperty().get().isEmpty()).hasSize(5);
    }

    @Test
    void checksSettingsThatDependOnEachOtherTogether() {
        type("maxSprayS", "5");
        assertThat(error("sprayDurationS")).isEqualTo("sprayDurationS must be 1..5, was 6");
        assertThat(error("maxSprayS")).isEmpty();

        type("sprayDurationS", "5");
        assertThat(error("sprayDurationS")).isEmpty();
        assertThat(vm.validProperty().get()).isTrue();

        type("alarmLowPct", "97");
        assertThat(error("alarmLowPct")).isEqualTo("alarmLowPct must be below alarmHighPct (95), was 97");
    }

    @Test
    void appliesTheWholeRulesAndShowsTheAgentsAnswer() {
        type("lowHumidityPct", "72.5");
        assertThat(vm.dirtyProperty().get()).isTrue();
        assertThat(vm.field("lowHumidityPct").changedProperty().get()).isTrue();
        assertThat(vm.canApplyProperty().get()).isTrue();

        assertThat(vm.apply()).isTrue();

        List<ConfigCommand> sent = station.gateway.sent(ConfigCommand.class);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).rules()).isEqualTo(RULES.withLowHumidityPct(72.5));
        assertThat(vm.stateProperty().get()).isEqualTo(CommandState.PENDING);
        assertThat(vm.canApplyProperty().get()).isFalse();

        station.gateway.receive(Topic.event(AGENT, EventType.COMMAND_RESULT),
                TestEvents.result(1, T0, sent.get(0).id(), CommandKind.CONFIG, true, null));
        assertThat(vm.stateProperty().get()).isEqualTo(CommandState.ACCEPTED);
        assertThat(vm.resultTextProperty().get()).isEqualTo("accepted: the new rules are in force on terrarium-1");

        // the agent republishes its config: nothing is edited any more
        station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, RULES.withLowHumidityPct(72.5)));
        assertThat(vm.dirtyProperty().get()).isFalse();
        assertThat(vm.field("lowHumidityPct").textProperty().get()).isEqualTo("72.5");
    }

    @Test
    void showsARejectionWithTheAgentsReason() {
        type("eveningTime", "21:30");
        vm.apply();
        String id = station.gateway.sent(ConfigCommand.class).get(0).id();

        station.gateway.receive(Topic.event(AGENT, EventType.COMMAND_RESULT),
                TestEvents.result(1, T0, id, CommandKind.CONFIG, false, "rules are locked on this agent"));

        assertThat(vm.stateProperty().get()).isEqualTo(CommandState.REJECTED);
        assertThat(vm.resultTextProperty().get()).isEqualTo("rejected: rules are locked on this agent");
        assertThat(vm.canApplyProperty().get()).isTrue();
    }

    @Test
    void saysSoWhenTheAgentDoesNotAnswer() {
        type("readIntervalS", "5");
        vm.apply();

        station.clock.advanceSeconds(10);
        vm.refresh();

        assertThat(vm.stateProperty().get()).isEqualTo(CommandState.NO_ANSWER);
        assertThat(vm.resultTextProperty().get())
                .isEqualTo("no answer from terrarium-1 within 10 s; it may not have received the rules");
        assertThat(vm.canApplyProperty().get()).isTrue();
    }

    @Test
    void keepsEditsWhenTheConfigChangesAndRevertBringsTheNewOneBack() {
        type("minIntervalMin", "20");
        Rules changedElsewhere = RULES.withEveningTime(LocalTime.of(19, 0)).withTimeZone(ZoneId.of("Europe/Berlin"));

        station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, changedElsewhere));

        assertThat(vm.field("minIntervalMin").textProperty().get()).isEqualTo("20");
        assertThat(vm.field("eveningTime").textProperty().get()).isEqualTo("20:00");
        assertThat(vm.field("eveningTime").changedProperty().get()).isTrue();

        vm.revert();
        assertThat(vm.field("minIntervalMin").textProperty().get()).isEqualTo("10");
        assertThat(vm.field("eveningTime").textProperty().get()).isEqualTo("19:00");
        assertThat(vm.field("timeZone").textProperty().get()).isEqualTo("Europe/Berlin");
        assertThat(vm.dirtyProperty().get()).isFalse();
    }

    @Test
    void cannotApplyWhileDisconnectedOrBeforeTheRulesAreKnown() {
        type("minIntervalMin", "20");
        station.gateway.dropConnection();
        assertThat(vm.canApplyProperty().get()).isFalse();
        assertThat(vm.whyNotProperty().get()).isEqualTo("The station is not connected to the broker");
        assertThat(vm.apply()).isFalse();

        station.gateway.restoreConnection();
        station.gateway.receive(Topic.status("terrarium-2"), TestEvents.online(T0));
        selected.select("terrarium-2");
        assertThat(vm.whyNotProperty().get()).isEqualTo("Waiting for terrarium-2's rules");
        assertThat(vm.fields()).allSatisfy(field -> assertThat(field.errorProperty().get()).isEmpty());
    }

    /** The day/night program: periods added, edited with their own errors, removed, and sent with the rules. */
    @Nested
    class DayNightProgram {

        private final Program.Period night = new Program.Period(LocalTime.of(22, 0), LocalTime.of(7, 0), 85, 20);

        private ProgramRows.Row row(int index) {
            return vm.program().rows().get(index);
        }

        @Test
        void showsTheProgramInForceAndEditingItMarksTheRulesChanged() {
            station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, RULES.withProgram(Program.of(night))));

            assertThat(vm.program().rows()).hasSize(1);
            assertThat(row(0).fields()).extracting(field -> field.textProperty().get())
                    .containsExactly("22:00", "07:00", "85", "20");
            assertThat(vm.dirtyProperty().get()).isFalse();

            row(0).lowHumidityPct().textProperty().set("88");

            assertThat(row(0).lowHumidityPct().changedProperty().get()).isTrue();
            assertThat(row(0).from().changedProperty().get()).isFalse();
            assertThat(vm.dirtyProperty().get()).isTrue();
            assertThat(vm.canApplyProperty().get()).isTrue();
        }

        @Test
        void addsANightPeriodAndSendsItWithTheWholeRules() {
            assertThat(vm.program().rows()).isEmpty();

            vm.program().add();
            row(0).minIntervalMin().textProperty().set("20");

            assertThat(vm.dirtyProperty().get()).isTrue();
            assertThat(vm.apply()).isTrue();
            assertThat(station.gateway.sent(ConfigCommand.class).get(0).rules())
                    .isEqualTo(RULES.withProgram(Program.of(night)));
        }

        @Test
        void anEmptyCooldownIsTheRulesOwn() {
            vm.program().add();

            assertThat(row(0).minIntervalMin().textProperty().get()).isEmpty();
            assertThat(row(0).minIntervalMin().errorProperty().get()).isEmpty();
            vm.apply();
            assertThat(station.gateway.sent(ConfigCommand.class).get(0).rules().program().periods().get(0)
                    .minIntervalMin()).isNull();
        }

        @Test
        void eachFieldOfAPeriodShowsItsOwnErrorAsItIsTyped() {
            vm.program().add();

            row(0).lowHumidityPct().textProperty().set("120");
            assertThat(row(0).lowHumidityPct().errorProperty().get())
                    .isEqualTo("program[0].lowHumidityPct must be 1..99, was 120");
            assertThat(vm.validProperty().get()).isFalse();
            assertThat(vm.canApplyProperty().get()).isFalse();
            assertThat(vm.whyNotProperty().get()).isEqualTo("Correct the marked fields");

            row(0).lowHumidityPct().textProperty().set("85");
            row(0).to().textProperty().set("7am");
            assertThat(row(0).to().errorProperty().get())
                    .isEqualTo("program[0].to must be a time HH:mm such as 20:00, was \"7am\"");
            row(0).to().textProperty().set("22:00");
            assertThat(row(0).to().errorProperty().get()).startsWith("program[0].to must differ from from (22:00)");
            row(0).to().textProperty().set("07:00");
            row(0).minIntervalMin().textProperty().set("0");
            assertThat(row(0).minIntervalMin().errorProperty().get())
                    .isEqualTo("program[0].minIntervalMin must be 1..1440, was 0");
            row(0).minIntervalMin().textProperty().set("");

            assertThat(row(0).fields()).allSatisfy(field -> assertThat(field.errorProperty().get()).isEmpty());
            assertThat(vm.validProperty().get()).isTrue();
        }

        @Test
        void anOverlapIsMarkedOnTheLaterPeriod() {
            vm.program().add();
            vm.program().add();
            assertThat(row(1).from().textProperty().get()).as("starts where the last ends").isEqualTo("07:00");
            assertThat(row(1).to().errorProperty().get()).isEqualTo("program[1].to is required");

            row(1).from().textProperty().set("06:00");
            row(1).to().textProperty().set("09:00");
            row(1).lowHumidityPct().textProperty().set("80");

            assertThat(row(1).from().errorProperty().get())
                    .isEqualTo("program[1] must not overlap program[0] (22:00–07:00), was 06:00–09:00");
            assertThat(row(0).from().errorProperty().get()).isEmpty();
            assertThat(vm.validProperty().get()).isFalse();

            row(1).from().textProperty().set("07:00");
            assertThat(vm.validProperty().get()).isTrue();
        }

        @Test
        void removingThePeriodsRemovesTheProgram() {
            station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, RULES.withProgram(Program.of(night))));

            vm.program().remove(row(0));

            assertThat(vm.program().rows()).isEmpty();
            assertThat(vm.dirtyProperty().get()).isTrue();
            vm.apply();
            assertThat(station.gateway.sent(ConfigCommand.class).get(0).rules().program()).isEqualTo(Program.NONE);
        }

        @Test
        void editingAnotherSettingKeepsTheProgramInForce() {
            station.gateway.receive(Topic.config(AGENT), TestEvents.config(T0, RULES.withProgram(Program.of(night))));

            type("lowHumidityPct", "70");
            vm.apply();

            assertThat(station.gateway.sent(ConfigCommand.class).get(0).rules())
                    .isEqualTo(RULES.withLowHumidityPct(70).withProgram(Program.of(night)));
        }

        @Test
        void takesAtMostEightPeriods() {
            for (int i = 0; i < Program.MAX_PERIODS; i++) {
                vm.program().add();
            }
            assertThat(vm.program().canAddProperty().get()).isFalse();
            vm.program().add();
            assertThat(vm.program().rows()).hasSize(Program.MAX_PERIODS);

            vm.program().remove(row(7));
            assertThat(vm.program().canAddProperty().get()).isTrue();
        }
    }
}
