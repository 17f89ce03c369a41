package dev.spike.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spike.model.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Feeds random and mutated payloads to {@code decode} on every topic: it must answer each with a value or an error,
 * never throw, never return null. The seed is fixed so a failure reproduces; {@code -Dspike.fuzz.seed} and
 * {@code -Dspike.fuzz.count} widen the search.
 */
class DecodeFuzzTest {

    private static final long SEED = Long.getLong("spike.fuzz.seed", 20261121L);
    private static final int COUNT = Integer.getInteger("spike.fuzz.count", 12_000);

    private final Codec codec = new Codec();

    @Test
    void neverThrowsOnGarbage() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Samples.Sample> samples = new ArrayList<>(Samples.all().values());
        List<byte[]> seeds = new ArrayList<>();
        samples.forEach(sample -> seeds.add(codec.encode(sample.message())));
        int ok = 0;
        int failed = 0;

        for (int i = 0; i < COUNT; i++) {
            int pick = random.nextInt(samples.size());
            Topic topic = samples.get(random.nextInt(4) == 0 ? random.nextInt(samples.size()) : pick).topic();
            byte[] payload = mutate(random, seeds.get(pick));

            Decoded<Object> decoded = codec.decode(topic, payload);

            assertThat(decoded).as("payload #%d: %s", i, new String(payload, StandardCharsets.UTF_8)).isNotNull();
            if (decoded.isOk()) {
                ok++;
            } else {
                assertThat(decoded.error().field()).isNotBlank();
                failed++;
            }
        }

        // Both outcomes must occur, or the mutations are not exercising the decoder.
        assertThat(ok).isPositive();
        assertThat(failed).isPositive();
        assertThat(ok + failed).isEqualTo(COUNT);
    }

    private static byte[] mutate(SplittableRandom random, byte[] seed) {
        String json = new String(seed, StandardCharsets.UTF_8);
        switch (random.nextInt(10)) {
            case 0: // truncated
                return java.util.Arrays.copyOf(seed, random.nextInt(seed.length + 1));
            case 1: { // bit flips
                byte[] copy = seed.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return copy;
            }
            case 2: // deeply nested
                int depth = 1 + random.nextInt(3000);
                return ("{\"id\":\"a\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                        .getBytes(StandardCharsets.UTF_8);
            case 3: // huge numbers
                return json.replaceFirst(":(-?\\d+(\\.\\d+)?)", ":" + hugeNumber(random))
                        .getBytes(StandardCharsets.UTF_8);
            case 4: // wrong types
                return json.replaceFirst(":(\"[^\"]*\"|-?\\d+(\\.\\d+)?|true|false)", ":" + wrongValue(random))
                        .getBytes(StandardCharsets.UTF_8);
            case 5: { // random bytes
                byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                return bytes;
            }
            case 6: // a field dropped
                return json.replaceFirst(",\"[a-zA-Z]+\":(\"[^\"]*\"|[^,{}\\[\\]]+)", "")
                        .getBytes(StandardCharsets.UTF_8);
            case 7: // unknown fields added
                return json.replaceFirst("\\{", "{\"zz" + random.nextInt(100) + "\":" + wrongValue(random) + ",")
                        .getBytes(StandardCharsets.UTF_8);
            case 8: // a chunk spliced in at a random place
                int at = random.nextInt(json.length() + 1);
                String chunk = new String[] {"{", "}", "[", "]", ",", ":", "\"", "null", "\\u0000", "\uD800"}
                        [random.nextInt(10)];
                return (json.substring(0, at) + chunk + json.substring(at)).getBytes(StandardCharsets.UTF_8);
            default: // untouched: must decode
                return seed;
        }
    }

    private static String hugeNumber(SplittableRandom random) {
        String[] choices = {"1e400", "-1e400", "99999999999999999999999", "1" + "0".repeat(63),
                "1" + "0".repeat(2000), "-0", "4.9e-324", "9223372036854775808", "2147483648", "1.0e10"};
        return choices[random.nextInt(choices.length)];
    }

    private static String wrongValue(SplittableRandom random) {
        String[] choices = {"null", "true", "\"\"", "\"x\"", "[]", "{}", "[1,2,3]", "{\"a\":{}}", "0", "-1",
                "\"2026-13-45T99:00:00Z\"", "\"NaN\"", "\"" + "y".repeat(100) + "\""};
        return choices[random.nextInt(choices.length)];
    }
}
