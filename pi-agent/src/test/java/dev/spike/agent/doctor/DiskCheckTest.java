package dev.spike.agent.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskCheckTest {

    @TempDir
    Path dir;

    @Test
    void judgesTheFreeSpaceAgainstTheLimits() {
        Path data = Path.of("/var/lib/spike");

        assertThat(DiskCheck.judge(data, 99_000_000L).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(DiskCheck.judge(data, 100_000_000L).verdict()).isEqualTo(Verdict.WARN);
        assertThat(DiskCheck.judge(data, 999_000_000L).verdict()).isEqualTo(Verdict.WARN);
        assertThat(DiskCheck.judge(data, 1_000_000_000L).verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void showsTheFigure() {
        assertThat(DiskCheck.judge(Path.of("/var/lib/spike"), 12_345_678_901L).finding())
                .isEqualTo("12.3 GB free for the store in /var/lib/spike.");
        Finding low = DiskCheck.judge(Path.of("/var/lib/spike"), 42_000_000L);
        assertThat(low.finding()).startsWith("42 MB free for the store in /var/lib/spike");
        assertThat(low.fix()).contains("data.dir");
    }

    @Test
    void measuresTheNearestExistingParentOfADataDirNotYetCreated() {
        List<Path> asked = new ArrayList<>();

        Finding finding = DiskCheck.run(dir.resolve("not/yet"), path -> {
            asked.add(path);
            return 5_000_000_000L;
        });

        assertThat(finding.verdict()).isEqualTo(Verdict.OK);
        assertThat(asked).containsExactly(dir.toAbsolutePath());
    }

    @Test
    void failsWhenTheSpaceCannotBeRead() {
        Finding finding = DiskCheck.run(dir, path -> {
            throw new IOException("Input/output error");
        });

        assertThat(finding.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(finding.finding()).contains("Input/output error");
    }
}
