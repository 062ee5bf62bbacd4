package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelLoadingTest {
    @Test
    void aQuickLoadDrawsNoBarAndGivesTheModel() throws Exception {
        Path file = Path.of(getClass().getResource("/models/aidreams260K-q8_0-mixed.gguf").toURI());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (var bundle = ModelLoading.load(file, null, dev.cairn.engine.EngineOptions.defaults(),
                new PrintStream(err, true, StandardCharsets.UTF_8))) {
            assertThat(bundle.id()).isEqualTo("aidreams260K-q8_0-mixed");
            assertThat(bundle.model().config().vocabSize()).isEqualTo(512);
        }
        assertThat(err.size()).isZero();
    }
}
