package dev.spike.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class UnixDatagramNotifierTest {

    @Test
    void aPathIsSentNulTerminated() {
        byte[] address = UnixDatagramNotifier.sockaddr("/run/systemd/notify");

        assertThat(ByteBuffer.wrap(address).order(ByteOrder.nativeOrder()).getShort(0)).isEqualTo((short) 1);
        assertThat(new String(address, 2, address.length - 3, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("/run/systemd/notify");
        assertThat(address[address.length - 1]).isZero();
    }

    @Test
    void anAbstractNameStartsWithNulInPlaceOfTheAt() {
        byte[] address = UnixDatagramNotifier.sockaddr("@spike");

        assertThat(address).hasSize(2 + 6);
        assertThat(address[2]).isZero();
        assertThat(new String(address, 3, 5, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("spike");
    }

    @Test
    void refusesWhatIsNeitherAPathNorAnAbstractName() {
        assertThatThrownBy(() -> UnixDatagramNotifier.sockaddr("run/notify"))
                .hasMessageContaining("absolute path or start with '@'");
        assertThatThrownBy(() -> UnixDatagramNotifier.sockaddr("/" + "x".repeat(120)))
                .hasMessageContaining("longer than 107 bytes");
    }
}
