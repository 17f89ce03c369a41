package dev.spike.agent.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Crc8Test {

    @Test
    void matchesTheDatasheetTestVector() {
        assertThat(Crc8.of(0xBE, 0xEF)).isEqualTo(0x92);
        assertThat(Crc8.ofWord(0xBEEF)).isEqualTo(0x92);
    }

    @Test
    void matchesSensirionsCrcOfAZeroWord() {
        // 0x81 is what an SHT3x sends after 0x00 0x00 (e.g. a cleared status register).
        assertThat(Crc8.of(0x00, 0x00)).isEqualTo(0x81);
    }

    @Test
    void detectsASingleFlippedBit() {
        assertThat(Crc8.of(0xBE, 0xEE)).isNotEqualTo(0x92);
    }

    @Test
    void ignoresSignExtensionOfJavaBytes() {
        assertThat(Crc8.of((byte) 0xBE, (byte) 0xEF)).isEqualTo(0x92);
    }
}
