package dev.cairn.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
    static Path resource(String name) throws URISyntaxException {
        return Path.of(GgufFileTest.class.getResource("/models/" + name).toURI());
    }

    @Test
    void readsRealModelMetadataAndTensors() throws Exception {
        try (GgufFile f = GgufFile.open(resource("aidreams260K-f32.gguf"))) {
            assertThat(f.version()).isEqualTo(3);
            assertThat(f.architecture()).isEqualTo("llama");
            assertThat(f.getInt("llama.embedding_length", -1)).isEqualTo(64);
            assertThat(f.getInt("llama.block_count", -1)).isEqualTo(4);
            assertThat(f.getStringArray("tokenizer.ggml.tokens")).hasSize(512);
            TensorInfo emb = f.tensor("token_embd.weight");
            assertThat(emb.type()).isEqualTo(GgmlType.F32);
            assertThat(emb.shape()).containsExactly(64, 512);
            assertThat(f.tensorData(emb).byteSize()).isEqualTo(64L * 512 * 4);
        }
    }

    @Test
    void rejectsNonGgufAndTruncatedFiles(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.gguf");
        Files.writeString(junk, "hello world, not a model");
        assertThatThrownBy(() -> GgufFile.open(junk)).isInstanceOf(GgufException.class).hasMessageContaining("not a GGUF file");

        byte[] real = Files.readAllBytes(resource("aidreams260K-f32.gguf"));
        Path cut = dir.resolve("cut.gguf");
        Files.write(cut, java.util.Arrays.copyOf(real, 1000));
        assertThatThrownBy(() -> GgufFile.open(cut)).isInstanceOf(GgufException.class).hasMessageContaining("truncated");

        Path cutData = dir.resolve("cutdata.gguf");
        Files.write(cutData, java.util.Arrays.copyOf(real, real.length - 100));
        assertThatThrownBy(() -> GgufFile.open(cutData)).isInstanceOf(GgufException.class)
                .hasMessageContaining("tensor data out of bounds");

        Path v1 = dir.resolve("v1.gguf");
        byte[] b = real.clone();
        b[4] = 1;
        Files.write(v1, b);
        assertThatThrownBy(() -> GgufFile.open(v1)).isInstanceOf(GgufException.class)
                .hasMessageContaining("unsupported GGUF version 1");
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> GgufFile.open(Path.of("/nonexistent/x.gguf"))).isInstanceOf(GgufException.class)
                .hasMessageContaining("no such file");
    }
}
