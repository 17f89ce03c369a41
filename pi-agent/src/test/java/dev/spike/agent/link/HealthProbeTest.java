package dev.spike.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health figures from fake /proc and /sys trees, as a Pi's kernel writes them. */
class HealthProbeTest {

    @TempDir
    Path dir;

    private Path write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    @Test
    void readsThePisFigures() throws IOException {
        write("proc/loadavg", "0.12 0.10 0.05 1/123 4567\n");
        write("proc/meminfo", "MemTotal:        3931440 kB\nMemFree:          200000 kB\n"
                + "MemAvailable:     3145728 kB\nBuffers:           12345 kB\n");
        write("sys/class/thermal/thermal_zone0/temp", "48312\n");

        HealthProbe.Figures figures = new HealthProbe(dir.resolve("proc"), dir.resolve("sys"), dir).measure();

        assertThat(figures.load1()).isEqualTo(0.12);
        assertThat(figures.memTotalBytes()).isEqualTo(3931440L * 1024);
        assertThat(figures.memAvailableBytes()).isEqualTo(3145728L * 1024);
        assertThat(figures.cpuTemperatureC()).isEqualTo(48.312);
        assertThat(figures.diskFreeBytes()).isPositive();
        assertThat(figures.heapUsedBytes()).isPositive();
        assertThat(figures.heapMaxBytes()).isGreaterThanOrEqualTo(figures.heapUsedBytes());
    }

    @Test
    void whatThePlatformCannotTellIsLeftOutNotAnError() throws IOException {
        write("sys/class/thermal/thermal_zone0/temp", "garbage\n");

        HealthProbe.Figures figures = new HealthProbe(dir.resolve("proc"), dir.resolve("sys"), dir.resolve("nope"))
                .measure();

        assertThat(figures.cpuTemperatureC()).isNull();
        assertThat(figures.load1()).isZero();
        assertThat(figures.memTotalBytes()).isZero();
        assertThat(figures.diskFreeBytes()).isZero();
    }

    @Test
    void anOldKernelWithoutMemAvailableReportsMemFree() throws IOException {
        write("proc/meminfo", "MemTotal: 1000 kB\nMemFree: 400 kB\n");

        HealthProbe.Figures figures = new HealthProbe(dir.resolve("proc"), dir.resolve("sys"), dir).measure();

        assertThat(figures.memAvailableBytes()).isEqualTo(400 * 1024);
    }
}
