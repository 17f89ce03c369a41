package dev.spike.station.connection;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;

/** The part every ViewModel that sends a command shares: a send that failed, reported on the UI executor. */
public final class CommandSend {

    private CommandSend() {
    }

    /**
     * When {@code sending} fails and {@code stillPending} says the command still waits for its answer, logs it and
     * hands {@code failed} the reason ("not sent to ...: the station is disconnected"), on {@code ui}.
     *
     * @param what names the command in the log: "cmd/calibration to terrarium-1"
     */
    public static void onFailure(CompletableFuture<Void> sending, Executor ui, Logger log, String what,
            BooleanSupplier stillPending, Consumer<String> failed) {
        sending.whenCompleteAsync((ignored, error) -> {
            if (error != null && stillPending.getAsBoolean()) {
                log.warn("{} not sent: {}", what, error.getMessage());
                failed.accept(error.getMessage());
            }
        }, ui);
    }
}
