package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JavaCheckTest {

    @Test
    void okFromSeventeenOnShowingVersionAndVendor() {
        Finding finding = JavaCheck.judge(Runtime.Version.parse("17.0.15+6-Debian-1deb12u1"), "Debian",
                "/usr/lib/jvm/java-17-openjdk-arm64");

        assertThat(finding.verdict()).isEqualTo(Verdict.OK);
        assertThat(finding.finding()).isEqualTo("Java 17.0.15+6-Debian-1deb12u1 (Debian) in"
                + " /usr/lib/jvm/java-17-openjdk-arm64.");
        assertThat(JavaCheck.judge(Runtime.Version.parse("25"), "Debian", "/j").verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void failsBelowSeventeen() {
        Finding finding = JavaCheck.judge(Runtime.Version.parse("11.0.2"), "Debian", "/j");

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.fix()).contains("openjdk-17-jre-headless");
    }

    @Test
    void theRunningJvmPasses() {
        assertThat(JavaCheck.run().verdict()).isEqualTo(Verdict.OK);
    }
}
