package dev.cairn.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.engine.EngineEvent.Done;
import dev.cairn.engine.EngineEvent.PrefillProgress;
import dev.cairn.gguf.GgmlType;
import dev.cairn.gguf.SyntheticModel;
import dev.cairn.model.LoadOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine on random-weight models of each architecture and a quantized type: chunked prefill, its progress events
 * and the prefix cache behave the same whatever the model, and a cached prefix gives the same tokens as a cold run.
 */
class SyntheticModelEngineTest {
    @TempDir
    static Path dir;

    @ParameterizedTest
    @CsvSource({"llama, F32", "qwen2, F32", "qwen3, F32", "llama, Q8_0"})
    void chunkedPrefillAndPrefixCacheAgreeWithAColdRun(String arch, GgmlType type) {
        Path file = SyntheticModel.write(dir.resolve(arch + "-" + type + ".gguf"),
                new SyntheticModel.Spec(arch, SyntheticModel.Shape.TEST, type, 7));
        try (ModelBundle bundle = ModelBundles.load(file, null, LoadOptions.defaults().withCtxSize(128).withThreads(2))) {
            int[] prompt = randomPrompt(bundle.tokenizer().vocabSize(), 50);
            List<String> stop = List.of();
            GenerationRequest req = new GenerationRequest("r", prompt, SamplingParams.greedy(), 12, stop);

            int[] cold;
            try (LocalEngine e = new LocalEngine(bundle, EngineOptions.defaults().withPrefillChunk(16))) {
                Recorder first = new Recorder();
                e.submit(req, first);
                first.awaitDone();
                cold = first.tokenIds();
                assertThat(first.progress()).extracting(PrefillProgress::processedTokens).containsExactly(0, 16, 32, 48, 50);

                Recorder again = new Recorder();
                e.submit(req, again);
                Done d = again.awaitDone();
                assertThat(d.cachedTokens()).isEqualTo(49);
                assertThat(again.progress()).extracting(PrefillProgress::processedTokens).containsExactly(49, 50);
                assertThat(again.tokenIds()).containsExactly(cold);
            }
            assertThat(cold).isNotEmpty();
        }
    }

    private static int[] randomPrompt(int vocab, int n) {
        SplittableRandom r = new SplittableRandom(3);
        int[] ids = new int[n];
        ids[0] = 1;
        for (int i = 1; i < n; i++) {
            ids[i] = 3 + r.nextInt(vocab - 3);
        }
        return ids;
    }
}
