package dev.cairn.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.GgufFile;
import dev.cairn.tensor.WorkerPool;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The batched prefill path against token-by-token decode on random-weight llama, qwen2 and qwen3 models of every
 * weight type: logits within 1e-4 relative at every chunk boundary, and identical greedy output whatever the chunk.
 */
class ChunkedPrefillTest {
    static final int[] CHUNKS = {7, 64, 512};
    static final int PROMPT = 70;
    static final int GENERATE = 12;
    static final List<GgmlType> TYPES = List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0,
            GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);

    /** Model seed per case; 7 unless that model has a near-tie in its greedy run (then the next seed that has none). */
    static final java.util.Map<String, Long> SEEDS = java.util.Map.of("qwen3 Q8_0", 8L);

    static WorkerPool pool;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        pool = new WorkerPool(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    static Stream<Arguments> models() {
        List<Arguments> out = new ArrayList<>();
        for (String arch : List.of("llama", "qwen2", "qwen3")) {
            for (GgmlType t : TYPES) {
                out.add(Arguments.of(arch, t, SEEDS.getOrDefault(arch + " " + t, 7L)));
            }
        }
        return out.stream();
    }

    static int[] prompt(int vocab, long seed) {
        Random r = new Random(seed);
        int[] p = new int[PROMPT];
        p[0] = 1;
        for (int i = 1; i < p.length; i++) {
            p[i] = 3 + r.nextInt(vocab - 3);
        }
        return p;
    }

    /** max |a - b| / max |b|. */
    static double relativeError(float[] a, float[] b) {
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / scale;
    }

    @ParameterizedTest(name = "{0} {1} seed {2}")
    @MethodSource("models")
    void chunkedPrefillMatchesTokenByTokenDecode(String arch, GgmlType type, long seed) {
        boolean tied = arch.equals("qwen2"); // small Qwen2.5 models tie the output to the embedding
        Path file = SyntheticModels.write(dir, arch, type, seed, tied);
        try (GgufFile f = GgufFile.open(file); TransformerModel m = ModelLoader.load(f, LoadOptions.defaults(), pool)) {
            assertThat(m.config().tiedOutput()).isEqualTo(tied);
            int[] prompt = prompt(m.config().vocabSize(), 11);

            // Token by token: logits after every position, then greedy continuation with its margins.
            KvCache ref = m.newCache(256);
            float[][] refLogits = new float[PROMPT][];
            for (int i = 0; i < PROMPT; i++) {
                refLogits[i] = m.forward(ref, prompt, i, 1, true);
            }
            int[] refIds = new int[GENERATE];
            float[] logits = refLogits[PROMPT - 1];
            for (int k = 0; k < GENERATE; k++) {
                assertThat(Greedy.margin(logits)).as("top-2 margin at step %d (no near-ties)", k).isGreaterThan(1e-3f);
                refIds[k] = Greedy.argmax(logits);
                logits = m.forward(ref, refIds, k, 1, true);
            }

            for (int chunk : CHUNKS) {
                KvCache cache = m.newCache(256);
                double worst = 0;
                for (int i = 0; i < PROMPT; i += chunk) {
                    int count = Math.min(chunk, PROMPT - i);
                    float[] got = m.forward(cache, prompt, i, count, true);
                    worst = Math.max(worst, relativeError(got, refLogits[i + count - 1]));
                }
                assertThat(cache.length()).isEqualTo(PROMPT);
                System.out.printf("%s %s chunk %d: max relative logit error %.2e%n", arch, type, chunk, worst);
                assertThat(worst).as("%s %s chunk %d: max relative logit error", arch, type, chunk).isLessThan(1e-4);

                int[] ids = Greedy.generate(m, m.newCache(256), prompt, chunk, GENERATE);
                assertThat(ids).as("greedy ids with prefill chunk %d", chunk).containsExactly(refIds);
            }
            assertThat(Greedy.generate(m, m.newCache(256), prompt, 1, GENERATE)).containsExactly(refIds);
        }
    }

    @Test
    void nonFinalChunksReturnNoLogitsAndF32CacheAgrees() {
        Path file = SyntheticModels.write(dir, "llama", GgmlType.Q8_0, 3, false);
        try (GgufFile f = GgufFile.open(file);
             TransformerModel m16 = ModelLoader.load(f, LoadOptions.defaults(), pool);
             TransformerModel m32 = ModelLoader.load(f, LoadOptions.defaults().withKvType(KvType.F32), pool)) {
            int[] prompt = prompt(m16.config().vocabSize(), 5);
            KvCache c16 = m16.newCache(128), c32 = m32.newCache(128);
            assertThat(c32.bytes()).isEqualTo(2 * c16.bytes());
            assertThat(m16.forward(c16, prompt, 0, 64, false)).isNull();
            assertThat(m32.forward(c32, prompt, 0, 64, false)).isNull();
            float[] a = m16.forward(c16, prompt, 64, PROMPT - 64, true);
            float[] b = m32.forward(c32, prompt, 64, PROMPT - 64, true);
            // Keys and values rounded to half precision move the logits only slightly.
            assertThat(relativeError(a, b)).isLessThan(1e-2).isGreaterThan(0);
        }
    }

    @Test
    void truncatedCacheRecomputesTheSameLogits() {
        Path file = SyntheticModels.write(dir, "qwen3", GgmlType.F16, 4, false);
        try (GgufFile f = GgufFile.open(file); TransformerModel m = ModelLoader.load(f, LoadOptions.defaults(), pool)) {
            int[] prompt = prompt(m.config().vocabSize(), 6);
            KvCache c = m.newCache(128);
            float[] full = m.forward(c, prompt, 0, PROMPT, true);
            c.truncate(40);
            assertThat(c.length()).isEqualTo(40);
            float[] again = m.forward(c, prompt, 40, PROMPT - 40, true);
            assertThat(again).containsExactly(full);
        }
    }
}
