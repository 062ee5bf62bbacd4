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
    void readsVersionTwoAndNamesBigEndianFiles(@TempDir Path dir) throws Exception {
        byte[] real = Files.readAllBytes(resource("aidreams260K-f32.gguf"));
        byte[] v2 = real.clone();
        v2[4] = 2;
        try (GgufFile f = GgufFile.read("v2.gguf", v2)) {
            assertThat(f.version()).isEqualTo(2);
            assertThat(f.tensors()).hasSize(38);
        }
        byte[] be = real.clone();
        be[4] = 0;
        be[7] = 3;
        assertThatThrownBy(() -> GgufFile.read("be.gguf", be)).isInstanceOf(GgufException.class).hasMessageContaining("big-endian");
    }

    @Test
    void unsupportedTensorTypesAreNamed(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("iq.gguf");
        try (GgufWriter w = GgufWriter.create(p)) {
            w.addTensor("blk.0.ffn_up.weight", GgmlType.F32, 256);
            w.writeFloats(new float[256], 0, 256);
        }
        byte[] b = Files.readAllBytes(p);
        // tensor info: name, n_dims (u32), one dim (u64), then the type (u32): set it to IQ2_XS (17)
        byte[] patched = b.clone();
        int typeAt = indexOf(b, "blk.0.ffn_up.weight".getBytes()) + "blk.0.ffn_up.weight".length() + 4 + 8;
        assertThat(b[typeAt]).isEqualTo((byte) GgmlType.F32.id);
        patched[typeAt] = 17;
        assertThatThrownBy(() -> GgufFile.read("iq.gguf", patched)).isInstanceOf(GgufException.class)
                .hasMessageContaining("blk.0.ffn_up.weight").hasMessageContaining("IQ2_XS");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> GgufFile.open(Path.of("/nonexistent/x.gguf"))).isInstanceOf(GgufException.class)
                .hasMessageContaining("no such file");
    }
}
