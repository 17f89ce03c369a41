package dev.spike.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every message has a golden JSON file under {@code src/test/resources/golden}: the code must write exactly it and
 * read it back to the same value. Run with {@code -Dspike.golden.update=true} to rewrite the files after a
 * deliberate protocol change, then review the diff (and {@code docs/protocol.md}).
 */
class GoldenFilesTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Codec codec = new Codec();

    static Stream<Arguments> samples() {
        return Samples.all().values().stream().map(sample -> Arguments.of(sample.name(), sample));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void encodesExactlyAsTheGoldenFile(String name, Samples.Sample sample) throws IOException {
        Path file = GOLDEN.resolve(name + ".json");
        // through bytes, so that 6 written as a long and 6 read as an int compare equal
        JsonNode encoded = JSON.readTree(codec.encode(sample.message()));
        if (Boolean.getBoolean("spike.golden.update")) {
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(encoded) + "\n");
        }
        assertThat(encoded).isEqualTo(JSON.readTree(Files.readString(file)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void decodesTheGoldenFileToTheSameValue(String name, Samples.Sample sample) throws IOException {
        byte[] golden = Files.readString(GOLDEN.resolve(name + ".json")).getBytes(StandardCharsets.UTF_8);

        Decoded<Object> decoded = codec.decode(sample.topic().toString(), golden);

        assertThat(decoded.isOk()).as("%s", decoded).isTrue();
        assertThat(decoded.value()).isEqualTo(sample.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void roundTripsThroughBytes(String name, Samples.Sample sample) {
        byte[] bytes = codec.encode(sample.message());

        assertThat(codec.decode(sample.topic(), bytes).value()).isEqualTo(sample.message());
    }
}
