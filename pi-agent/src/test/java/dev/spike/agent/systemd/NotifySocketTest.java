package dev.spike.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spike.agent.AgentMainHarness;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real thing: a unix datagram socket as systemd opens it (python3 plays systemd), and the simulated agent, in
 * this JVM, sending to it through JNA.
 */
class NotifySocketTest {

    /** Binds NOTIFY_SOCKET as systemd does, prints "bound", then every datagram on a line of its own. */
    private static final String LISTENER = String.join("\n",
            "import socket, sys",
            "name = sys.argv[1]",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
            "s.bind('\\0' + name[1:] if name.startswith('@') else name)",
            "print('bound', flush=True)",
            "s.settimeout(60)",
            "while True:",
            "    m = s.recv(4096).decode()",
            "    print(m.replace('\\n', ' '), flush=True)",
            "    if m == 'STOPPING=1':",
            "        break");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"path", "abstract"})
    void theAgentSendsReadyWatchdogPingsAndStopping(String kind) throws Exception {
        String socket = kind.equals("path") ? dir.resolve("notify").toString()
                : "@spike-notify-test-" + ThreadLocalRandom.current().nextLong(1L << 40);
        Process systemd = new ProcessBuilder("python3", "-c", LISTENER, socket).redirectErrorStream(true).start();
        List<String> received = new CopyOnWriteArrayList<>();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(systemd.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("bound");
            Thread reader = new Thread(() -> {
                try {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        received.add(line);
                    }
                } catch (IOException e) {
                    received.add("reader failed: " + e);
                }
            }, "notify-listener");
            reader.setDaemon(true);
            reader.start();

            int exit = AgentMainHarness.run(Map.of("NOTIFY_SOCKET", socket, "WATCHDOG_USEC", "400000"),
                    "--simulate", "--data-dir", dir.resolve("data").toString(), "--stop-after", "2s");

            assertThat(exit).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("STOPPING=1"));
        } finally {
            systemd.destroy();
        }
        assertThat(received.get(0)).isEqualTo("READY=1");
        assertThat(received.get(received.size() - 1)).isEqualTo("STOPPING=1");
        // pings every 200 ms for 2 s: about 10, the first right after READY=1
        assertThat(received.subList(1, received.size() - 1)).allMatch("WATCHDOG=1"::equals).hasSizeBetween(5, 15);
    }
}
