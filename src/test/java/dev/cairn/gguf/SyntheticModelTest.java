package dev.cairn.gguf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.gguf.SyntheticModel.Shape;
import dev.cairn.gguf.SyntheticModel.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticModelTest {
    @TempDir
    Path dir;

    @Test
    void llamaHasEveryHparamTheTokenizerAndLlamaCppTensorNames() {
        Path p = SyntheticModel.write(dir.resolve("llama.gguf"), new Spec("llama", Shape.TEST, GgmlType.F32, 1));
        try (GgufFile f = GgufFile.open(p)) {
            assertThat(f.architecture()).isEqualTo("llama");
            assertThat(f.getInt("llama.embedding_length", 0)).isEqualTo(64);
            assertThat(f.getInt("llama.block_count", 0)).isEqualTo(2);
            assertThat(f.getInt("llama.attention.head_count", 0)).isEqualTo(4);
            assertThat(f.getInt("llama.attention.head_count_kv", 0)).isEqualTo(2);
            assertThat(f.getInt("llama.feed_forward_length", 0)).isEqualTo(192);
            assertThat(f.getInt("llama.context_length", 0)).isEqualTo(256);
            assertThat(f.getFloat("llama.attention.layer_norm_rms_epsilon", 0)).isEqualTo(1e-5f);
            assertThat(f.getFloat("llama.rope.freq_base", 0)).isEqualTo(10000f);
            assertThat(f.getInt("general.file_type", -1)).isZero();
            assertThat(f.getString("general.name")).contains("llama");
            assertThat(f.getString("tokenizer.ggml.model")).isEqualTo("llama");
            assertThat(f.getStringArray("tokenizer.ggml.tokens")).hasSize(512);
            assertThat(f.metadataType("tokenizer.ggml.bos_token_id")).isEqualTo(GgufValueType.UINT32);
            assertThat(f.tensor("token_embd.weight").shape()).containsExactly(64, 512);
            assertThat(f.tensor("output.weight").shape()).containsExactly(64, 512);
            assertThat(f.tensor("output_norm.weight").shape()).containsExactly(64);
            for (int i = 0; i < 2; i++) {
                String b = "blk." + i + ".";
                assertThat(f.tensor(b + "attn_q.weight").shape()).containsExactly(64, 64);
                assertThat(f.tensor(b + "attn_k.weight").shape()).containsExactly(64, 32);
                assertThat(f.tensor(b + "attn_v.weight").shape()).containsExactly(64, 32);
                assertThat(f.tensor(b + "attn_output.weight").shape()).containsExactly(64, 64);
                assertThat(f.tensor(b + "ffn_gate.weight").shape()).containsExactly(64, 192);
                assertThat(f.tensor(b + "ffn_up.weight").shape()).containsExactly(64, 192);
                assertThat(f.tensor(b + "ffn_down.weight").shape()).containsExactly(192, 64);
                assertThat(f.tensor(b + "attn_norm.weight").type()).isEqualTo(GgmlType.F32);
                assertThat(f.tensor(b + "ffn_norm.weight").type()).isEqualTo(GgmlType.F32);
            }
            assertThat(f.tensors()).hasSize(2 + 2 * 9 + 1);
            // weights spread as documented: fan-in scaled matrices, norms near 1
            float[] q = Dequantize.tensor(f, f.tensor("blk.0.attn_q.weight"));
            double var = 0;
            for (float v : q) {
                var += v * v;
            }
            assertThat(Math.sqrt(var / q.length)).isBetween(0.8 / 8, 1.2 / 8);
            float[] norm = Dequantize.tensor(f, f.tensor("output_norm.weight"));
            for (float v : norm) {
                assertThat(v).isBetween(0.75f, 1.25f);
            }
        }
    }

    @Test
    void qwen2AddsBiasesAndQwen3AddsPerHeadNorms() {
        try (GgufFile f = GgufFile.open(SyntheticModel.write(dir.resolve("q2.gguf"), new Spec("qwen2", Shape.TEST, GgmlType.Q8_0, 1)))) {
            assertThat(f.getInt("qwen2.embedding_length", 0)).isEqualTo(64);
            assertThat(f.tensor("blk.1.attn_q.bias").shape()).containsExactly(64);
            assertThat(f.tensor("blk.1.attn_k.bias").shape()).containsExactly(32);
            assertThat(f.tensor("blk.1.attn_v.bias").type()).isEqualTo(GgmlType.F32);
            assertThat(f.tensor("blk.1.attn_q.weight").type()).isEqualTo(GgmlType.Q8_0);
            assertThat(f.getInt("general.file_type", -1)).isEqualTo(7);
        }
        try (GgufFile f = GgufFile.open(SyntheticModel.write(dir.resolve("q3.gguf"), new Spec("qwen3", Shape.TEST, GgmlType.F16, 1, true)))) {
            assertThat(f.tensor("blk.0.attn_q_norm.weight").shape()).containsExactly(16);
            assertThat(f.tensor("blk.0.attn_k_norm.weight").type()).isEqualTo(GgmlType.F32);
            assertThat(f.tensor("blk.0.attn_q.bias")).isNull();
            assertThat(f.tensor("output.weight")).as("tied output").isNull();
            assertThat(f.tensor("token_embd.weight").type()).isEqualTo(GgmlType.F16);
        }
    }

    @Test
    void kQuantsFallBackWhereRowsAreNotWholeSuperBlocks() {
        try (GgufFile f = GgufFile.open(SyntheticModel.write(dir.resolve("k.gguf"), new Spec("llama", Shape.TEST, GgmlType.Q4_K, 3)))) {
            assertThat(f.tensor("blk.0.attn_q.weight").type()).isEqualTo(GgmlType.Q5_0);
        }
        Shape k = new Shape("k", 256, 1, 4, 4, 512, 128);
        try (GgufFile f = GgufFile.open(SyntheticModel.write(dir.resolve("k2.gguf"), new Spec("llama", k, GgmlType.Q6_K, 3)))) {
            assertThat(f.tensor("blk.0.attn_q.weight").type()).isEqualTo(GgmlType.Q6_K);
            assertThat(f.tensor("blk.0.ffn_down.weight").type()).isEqualTo(GgmlType.Q6_K);
            assertThat(f.getStringArray("tokenizer.ggml.tokens")).hasSize(512);
        }
        try (GgufFile f = GgufFile.open(SyntheticModel.write(dir.resolve("tiny.gguf"), new Spec("llama", Shape.TINY, GgmlType.Q8_0, 3)))) {
            assertThat(f.getStringArray("tokenizer.ggml.tokens")).hasSize(32000);
            assertThat(f.getString("tokenizer.ggml.model")).isEqualTo("llama");
            assertThat(f.tensor("output.weight").shape()).containsExactly(256, 32000);
            assertThat(f.tensor("blk.1.ffn_down.weight").type()).isEqualTo(GgmlType.Q8_0);
        }
    }

    @Test
    void deterministicForASeedAndDifferentAcrossSeeds() throws Exception {
        Spec spec = new Spec("qwen2", Shape.TEST, GgmlType.Q4_0, 7);
        byte[] a = Files.readAllBytes(SyntheticModel.write(dir.resolve("a.gguf"), spec));
        byte[] b = Files.readAllBytes(SyntheticModel.write(dir.resolve("b.gguf"), spec));
        byte[] c = Files.readAllBytes(SyntheticModel.write(dir.resolve("c.gguf"), new Spec("qwen2", Shape.TEST, GgmlType.Q4_0, 8)));
        assertThat(Arrays.equals(a, b)).isTrue();
        assertThat(a.length).isEqualTo(c.length);
        assertThat(Arrays.equals(a, c)).isFalse();
    }

    @Test
    void presetsAndErrors() {
        assertThat(Shape.byName("test")).isEqualTo(Shape.TEST);
        assertThat(Shape.byName("tiny")).isEqualTo(Shape.TINY);
        assertThat(Shape.byName("160m")).isEqualTo(Shape.M160);
        assertThat(Shape.byName("100m")).isEqualTo(Shape.M100);
        assertThat(Shape.byName("TinyLlama-1.1B")).isEqualTo(Shape.TINYLLAMA_1B);
        assertThat(Shape.TINYLLAMA_1B).extracting(Shape::dim, Shape::layers, Shape::heads, Shape::kvHeads, Shape::ffnDim)
                .containsExactly(2048, 22, 32, 4, 5632);
        assertThat(SyntheticModel.parameterCount(new Spec("llama", Shape.M100, GgmlType.Q8_0, 0))).isBetween(90_000_000L, 130_000_000L);
        assertThat(SyntheticModel.parameterCount(new Spec("llama", Shape.TINYLLAMA_1B, GgmlType.Q8_0, 0))).isBetween(1_000_000_000L, 1_200_000_000L);
        assertThatThrownBy(() -> Shape.byName("huge")).hasMessageContaining("known: test, tiny");
        assertThatThrownBy(() -> new Spec("gpt2", Shape.TEST, GgmlType.F32, 0)).hasMessageContaining("gpt2");
        assertThatThrownBy(() -> new Spec("llama", Shape.TEST, GgmlType.Q8_K, 0)).hasMessageContaining("Q8_K");
        assertThatThrownBy(() -> new Spec("llama", Shape.TEST, GgmlType.IQ2_XS, 0)).hasMessageContaining("IQ2_XS");
    }
}
