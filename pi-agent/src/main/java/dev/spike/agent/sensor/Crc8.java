package dev.spike.agent.sensor;

/**
 * Sensirion's CRC-8 over one 16-bit word: polynomial 0x31 (x^8 + x^5 + x^4 + 1), init 0xFF, no reflection, no final
 * XOR. The SHT30 appends one to every word it sends.
 */
final class Crc8 {

    private Crc8() {
    }

    static int of(int msb, int lsb) {
        int crc = 0xFF;
        for (int value : new int[] {msb & 0xFF, lsb & 0xFF}) {
            crc ^= value;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x31) & 0xFF : (crc << 1) & 0xFF;
            }
        }
        return crc;
    }

    static int ofWord(int word) {
        return of(word >> 8, word);
    }
}
