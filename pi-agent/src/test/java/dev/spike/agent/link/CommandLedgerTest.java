package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.CommandKind;
import dev.spike.model.event.CommandResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLedgerTest {

    static final Instant T0 = Instant.parse("2026-05-01T18:00:00Z");

    private static CommandResult result(long seq, String id, boolean accepted) {
        return new CommandResult("ledger-1", seq, T0, id, CommandKind.SPRAY, accepted, accepted ? null : "no");
    }

    @Test
    void remembersTheFirstAnswerOfAnId() {
        CommandLedger ledger = new CommandLedger();
        ledger.begin("a");
        assertThat(ledger.inProgress("a")).isTrue();

        ledger.answered(result(5, "a", true));
        ledger.answered(result(9, "a", false));

        assertThat(ledger.inProgress("a")).isFalse();
        assertThat(ledger.answer("a")).contains(result(5, "a", true));
        assertThat(ledger.answer("b")).isEmpty();
    }

    @Test
    void seedingKeepsTheEarliestAnswerWhateverTheOrder() {
        CommandLedger ledger = new CommandLedger();

        ledger.seed(List.of(result(9, "a", false), result(5, "a", true), result(7, "b", true)));

        assertThat(ledger.answer("a").orElseThrow().seq()).isEqualTo(5);
        assertThat(ledger.answer("b").orElseThrow().seq()).isEqualTo(7);
    }

    @Test
    void forgetsTheOldestAnswersBeyondItsCapacity() {
        CommandLedger ledger = new CommandLedger();
        for (int i = 1; i <= CommandLedger.CAPACITY + 10; i++) {
            ledger.answered(result(i, "c" + i, true));
        }

        assertThat(ledger.answer("c1")).isEmpty();
        assertThat(ledger.answer("c" + (CommandLedger.CAPACITY + 10))).isPresent();
    }
}
