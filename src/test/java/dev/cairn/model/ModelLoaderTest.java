package dev.cairn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.GgufWriter;
import dev.cairn.gguf.TensorInfo;
import dev.cairn.tensor.WorkerPool;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hyper-parameters read from metadata, the memory report, and clear errors for files cairn cannot run. */
class ModelLoaderTest {
    static WorkerPool pool;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static Path aidreams() throws Exception {
        return RealModelGreedyTest.model("aidreams260K-f32.gguf");
    }

    /**
     * Copies {@code src} to {@code out}: metadata with {@code meta} applied (a null value drops the key), tensors mapped
     * through {@code tensor} (null drops one; one of another size gets zero bytes).
     */
    static Path rewrite(Path src, Path out, Map<String, String> meta, Function<TensorInfo, TensorInfo> tensor) {
        try (GgufFile f = GgufFile.open(src); GgufWriter w = GgufWriter.create(out)) {
            w.copyMetadata(f, k -> !meta.containsKey(k));
            meta.forEach((k, v) -> {
                if (v != null) {
                    w.putString(k, v);
                }
            });
            var kept = f.tensors().values().stream().filter(t -> tensor.apply(t) != null)
                    .map(t -> Map.entry(t, tensor.apply(t))).toList();
            for (var e : kept) {
                w.addTensor(e.getValue().name(), e.getValue().type(), e.getValue().shape());
            }
            for (var e : kept) {
                if (e.getValue().byteSize() == e.getKey().byteSize()) {
                    w.writeData(f.tensorData(e.getKey()).asByteBuffer());
                } else {
                    w.writeData(new byte[(int) e.getValue().byteSize()], 0, (int) e.getValue().byteSize());
                }
            }
        }
        return out;
    }

    @Test
    void readsHyperParametersAndReportsMemory() throws Exception {
        try (GgufFile f = GgufFile.open(aidreams());
             TransformerModel m = ModelLoader.load(f, LoadOptions.defaults(), pool)) {
            ModelConfig c = m.config();
            assertThat(c.architecture()).isEqualTo("llama");
            assertThat(c.vocabSize()).isEqualTo(512);
            assertThat(c.dim()).isEqualTo(64);
            assertThat(c.layers()).isEqualTo(4);
            assertThat(c.heads()).isEqualTo(4);
            assertThat(c.headDim()).isEqualTo(16);
            assertThat(c.ffnDim()).isEqualTo(172);
            assertThat(c.contextLength()).isEqualTo(128);
            assertThat(c.ropeNeox()).isFalse();
            assertThat(m.ctxSize()).isEqualTo(128); // the model's context, under the 8192 cap

            MemoryEstimate mem = m.memoryEstimate();
            long tensorBytes = f.tensors().values().stream().mapToLong(TensorInfo::byteSize).sum();
            assertThat(mem.weightBytes()).isEqualTo(tensorBytes);
            // 2 (K and V) x 4 layers x 128 positions x 4 kv heads x 16 dims x 2 bytes (F16)
            assertThat(mem.kvBytes()).isEqualTo(2L * 4 * 128 * 4 * 16 * 2).isEqualTo(m.newCache().bytes());
            assertThat(mem.describe()).contains("weights", "KV cache", "F16", "128 ctx");
        }
    }

    @Test
    void ctxSizeOptionSizesTheCache() throws Exception {
        try (GgufFile f = GgufFile.open(aidreams());
             TransformerModel m = ModelLoader.load(f, LoadOptions.defaults().withCtxSize(1000).withKvType(KvType.F32), pool)) {
            assertThat(m.ctxSize()).isEqualTo(1000);
            assertThat(m.newCache().capacity()).isEqualTo(1000);
            assertThat(m.memoryEstimate().kvBytes()).isEqualTo(2L * 4 * 1000 * 64 * 4);
        }
    }

    @Test
    void memoryEstimateCountsEverySlotsCache() throws Exception {
        try (GgufFile f = GgufFile.open(aidreams());
             TransformerModel m = ModelLoader.load(f, LoadOptions.defaults().withSequences(3), pool)) {
            assertThat(m.memoryEstimate().kvBytes()).isEqualTo(3 * m.newCache().bytes());
            assertThat(m.memoryEstimate().describe()).contains("x 3 slots");
        }
    }

    @Test
    void refusesAContextThatDoesNotFitInMemory() throws Exception {
        try (GgufFile f = GgufFile.open(aidreams())) {
            for (int ctx : new int[]{200_000_000, 5_000_000}) { // ~270 GiB: beyond RAM; ~7 GiB: beyond the 6 GiB test heap
                Throwable e = org.assertj.core.api.Assertions.catchThrowable(
                        () -> ModelLoader.load(f, LoadOptions.defaults().withCtxSize(ctx), pool));
                assertThat(e).isInstanceOf(ModelLoadException.class)
                        .hasMessageStartingWith("not enough memory")
                        .hasMessageContaining(ctx + " tokens");
                var m = java.util.regex.Pattern.compile("lower --ctx-size \\(at most about (\\d+) fits\\)")
                        .matcher(e.getMessage());
                assertThat(m.find()).as(e.getMessage()).isTrue();
                long fits = Long.parseLong(m.group(1));
                assertThat(fits).isPositive().isLessThan(ctx);
                // The suggestion is sized to what is free: a quarter of it passes the check.
                try (TransformerModel ok = ModelLoader.load(f, LoadOptions.defaults().withCtxSize((int) (fits / 4)), pool)) {
                    assertThat(ok.ctxSize()).isEqualTo(fits / 4);
                }
            }
        }
    }

    @Test
    void rejectsUnsupportedArchitecture() throws Exception {
        Path p = rewrite(aidreams(), dir.resolve("mamba.gguf"), Map.of("general.architecture", "mamba"), t -> t);
        try (GgufFile f = GgufFile.open(p)) {
            assertThatThrownBy(() -> ModelLoader.load(f, LoadOptions.defaults(), pool))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessage("unsupported model architecture 'mamba' (cairn runs llama, qwen2, qwen3)");
        }
    }

    @Test
    void rejectsMissingTensor() throws Exception {
        Path p = rewrite(aidreams(), dir.resolve("missing.gguf"), Map.of(),
                t -> t.name().equals("blk.2.ffn_up.weight") ? null : t);
        try (GgufFile f = GgufFile.open(p)) {
            assertThatThrownBy(() -> ModelLoader.load(f, LoadOptions.defaults(), pool))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessage("missing.gguf (llama): is missing tensor 'blk.2.ffn_up.weight' (needed by architecture llama)");
        }
    }

    @Test
    void rejectsMissingMetadataAndWrongShapes() throws Exception {
        Map<String, String> noDim = new java.util.HashMap<>();
        noDim.put("llama.embedding_length", null);
        Path p = rewrite(aidreams(), dir.resolve("nodim.gguf"), noDim, t -> t);
        try (GgufFile f = GgufFile.open(p)) {
            assertThatThrownBy(() -> ModelLoader.load(f, LoadOptions.defaults(), pool))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("is missing metadata 'llama.embedding_length'");
        }
        Path q = rewrite(aidreams(), dir.resolve("shape.gguf"), Map.of(), t -> t.name().equals("blk.0.attn_k.weight")
                ? new TensorInfo(t.name(), new long[]{64, 32}, t.type(), 0) : t);
        try (GgufFile f = GgufFile.open(q)) {
            assertThatThrownBy(() -> ModelLoader.load(f, LoadOptions.defaults(), pool))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("tensor 'blk.0.attn_k.weight' has shape [64, 32], expected [64, 64]");
        }
    }

    @Test
    void rejectsMixtureOfExperts() throws Exception {
        Path p = aidreams();
        Path moe = dir.resolve("moe2.gguf");
        try (GgufFile f = GgufFile.open(p); GgufWriter w = GgufWriter.create(moe)) {
            w.copyMetadata(f, k -> true);
            w.putUInt32("llama.expert_count", 8);
            for (TensorInfo t : f.tensors().values()) {
                w.addTensor(t.name(), t.type(), t.shape());
            }
            for (TensorInfo t : f.tensors().values()) {
                w.writeData(f.tensorData(t).asByteBuffer());
            }
        }
        try (GgufFile f = GgufFile.open(moe)) {
            assertThatThrownBy(() -> ModelLoader.load(f, LoadOptions.defaults(), pool))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("mixture-of-experts model (8 experts");
        }
    }

    @Test
    void rejectsUnsupportedRopeScaling() throws Exception {
        Path p = rewrite(aidreams(), dir.resolve("longrope.gguf"), Map.of("llama.rope.scaling.type", "longrope"), t -> t);
        try (GgufFile f = GgufFile.open(p)) {
            assertThatThrownBy(() -> ModelLoader.load(f, LoadOptions.defaults(), pool))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("RoPE scaling 'longrope' is not supported");
        }
    }

    @Test
    void rejectsTensorTypeTheKernelsCannotRun() {
        Path src = SyntheticModels.write(dir, "llama", GgmlType.Q4_K, 1, false);
        Path p = rewrite(src, dir.resolve("q8k.gguf"), Map.of(), t -> t.name().equals("blk.1.ffn_gate.weight")
                ? new TensorInfo(t.name(), t.shape(), GgmlType.Q8_K, 0) : t);
        try (GgufFile f = GgufFile.open(p)) {
            assertThatThrownBy(() -> ModelLoader.load(f, LoadOptions.defaults(), pool))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageContaining("tensor 'blk.1.ffn_gate.weight' has type Q8_K, which cairn cannot compute with")
                    .hasMessageContaining("Q4_K");
        }
    }

    @Test
    void forwardRejectsBadArguments() throws Exception {
        try (GgufFile f = GgufFile.open(aidreams());
             TransformerModel m = ModelLoader.load(f, LoadOptions.defaults(), pool)) {
            KvCache c = m.newCache(4);
            assertThatThrownBy(() -> m.forward(c, new int[]{1, 600}, 0, 2, true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id 600");
            assertThat(c.length()).isZero();
            assertThatThrownBy(() -> m.forward(c, new int[]{1, 2, 3, 4, 5}, 0, 5, true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("context full");
            assertThatThrownBy(() -> c.truncate(1)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
