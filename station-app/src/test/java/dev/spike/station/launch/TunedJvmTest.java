package dev.spike.station.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TunedJvmTest {

    @Test
    void tunesOnlyAPlainJavaDashJar() {
        assertThat(TunedJvm.isPlainJar(List.of("java", "-jar", "spike-station.jar", "--demo"))).isTrue();
        assertThat(TunedJvm.isPlainJar(List.of("/usr/bin/java", "-jar", "spike-station.jar"))).isTrue();

        assertThat(TunedJvm.isPlainJar(List.of("java", "-Xmx1g", "-jar", "spike-station.jar")))
                .as("the keeper's own options win").isFalse();
        assertThat(TunedJvm.isPlainJar(List.of("java", "-cp", "a.jar", "dev.spike.station.app.Launcher")))
                .as("not from the jar: an IDE, tests").isFalse();
        assertThat(TunedJvm.isPlainJar(List.of())).as("/proc unreadable").isFalse();
    }

    @Test
    void keepsTheJarAndItsArgumentsAfterTheOptions() {
        List<String> argv = TunedJvm.command(List.of("java", "-jar", "station-app/target/spike-station.jar", "--demo",
                "--broker-port", "1884"));

        assertThat(argv.get(0)).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertThat(argv.subList(1, 1 + TunedJvm.OPTIONS.size())).isEqualTo(TunedJvm.OPTIONS);
        assertThat(argv.subList(1 + TunedJvm.OPTIONS.size(), argv.size()))
                .containsExactly("-jar", "station-app/target/spike-station.jar", "--demo", "--broker-port", "1884");
        assertThat(TunedJvm.isPlainJar(argv)).as("the replacement does not replace itself again").isFalse();
    }

    @Test
    void addsTheMallocLimitUnlessTheEnvironmentSetsIt() {
        assertThat(TunedJvm.environment(Map.of("DISPLAY", ":0")))
                .containsExactlyInAnyOrder("DISPLAY=:0", "MALLOC_ARENA_MAX=2");
        assertThat(TunedJvm.environment(Map.of("MALLOC_ARENA_MAX", "4"))).containsExactly("MALLOC_ARENA_MAX=4");
    }
}
