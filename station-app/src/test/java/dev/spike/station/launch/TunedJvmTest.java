package dev.spike.station.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void mapsTheBuildsClassArchiveOnlyWhenThisJvmWroteOne(@TempDir Path build) throws IOException {
        Path jar = Files.createFile(build.resolve("spike-station.jar"));
        List<String> plain = List.of("java", "-jar", jar.toString(), "--demo");
        String thisJvm = System.getProperty("java.vm.version");
        Files.createFile(build.resolve("spike-station-17.0.0+0-another-build.jsa"));

        assertThat(TunedJvm.command(plain)).as("another JVM's archive is not ours to read")
                .noneMatch(option -> option.startsWith("-XX:SharedArchiveFile"));

        Path archive = Files.createFile(build.resolve("spike-station-" + thisJvm + ".jsa"));
        List<String> argv = TunedJvm.command(plain);

        assertThat(TunedJvm.archiveFor(jar, thisJvm)).isEqualTo(archive);
        assertThat(argv).containsSubsequence("-XX:SharedArchiveFile=" + archive, "-jar", jar.toString(), "--demo");
        assertThat(argv.indexOf("-XX:SharedArchiveFile=" + archive)).as("a JVM option, before -jar")
                .isLessThan(argv.indexOf("-jar"));
    }

    @Test
    void addsTheMallocLimitUnlessTheEnvironmentSetsIt() {
        assertThat(TunedJvm.environment(Map.of("DISPLAY", ":0")))
                .containsExactlyInAnyOrder("DISPLAY=:0", "MALLOC_ARENA_MAX=2");
        assertThat(TunedJvm.environment(Map.of("MALLOC_ARENA_MAX", "4"))).containsExactly("MALLOC_ARENA_MAX=4");
    }
}
