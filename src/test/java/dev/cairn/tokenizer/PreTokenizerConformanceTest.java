package dev.cairn.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.GgufWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every pre-tokenizer end to end against llama.cpp: GPT-2's vocabulary with {@code tokenizer.ggml.pre} replaced,
 * ids recorded from llama.cpp on the same patched file (see resources vocab/pre/README.md).
 */
class PreTokenizerConformanceTest {
    @TempDir
    static Path dir;

    static Tokenizer withPre(String pre) throws Exception {
        Path gpt2 = Path.of(PreTokenizerConformanceTest.class.getResource("/vocab/ggml-vocab-gpt-2.gguf").toURI());
        Path patched = dir.resolve("gpt2-" + pre + ".gguf");
        try (GgufFile src = GgufFile.open(gpt2); GgufWriter w = GgufWriter.create(patched)) {
            w.copyMetadata(src, k -> !k.equals("tokenizer.ggml.pre"));
            w.putString("tokenizer.ggml.pre", pre);
        }
        try (GgufFile f = GgufFile.open(patched)) {
            return Tokenizers.fromGguf(f);
        }
    }

    static String resource(String name) throws Exception {
        return Files.readString(Path.of(PreTokenizerConformanceTest.class.getResource("/vocab/pre/" + name).toURI()), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-bpe", "qwen2", "smollm", "deepseek-coder", "deepseek-v3", "mpt", "refact", "command-r",
            "stablelm2", "dbrx", "chatglm-bpe", "tekken", "chameleon", "poro-chat", "viking", "bloom", "olmo", "exaone",
            "megrez", "default"})
    void idsMatchLlamaCpp(String pre) throws Exception {
        String[] inputs = resource("cases.inp").split(VocabConformanceTest.SEPARATOR, -1);
        List<String> expected = resource(pre + ".out").lines().toList();
        assertThat(inputs.length - 1).isEqualTo(expected.size()).isGreaterThan(90);
        Tokenizer tok = withPre(pre);
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            String o = expected.get(i).strip();
            int[] want = o.isEmpty() ? new int[0] : Arrays.stream(o.split(" ")).mapToInt(Integer::parseInt).toArray();
            int[] got = tok.encode(inputs[i], false, false);
            if (!Arrays.equals(got, want)) {
                failures.add("'" + inputs[i] + "': expected " + Arrays.toString(want) + " got " + Arrays.toString(got));
            }
        }
        assertThat(failures).as(pre).isEmpty();
    }

    @Test
    void bosDefaultsFollowThePreTokenizerWhenMetadataIsSilent() throws Exception {
        // GPT-2's file has no add_bos_token key: llama.cpp adds BOS for llama-bpe (and tekken, chameleon), not for qwen2
        assertThat(withPre("llama-bpe").encode("Hi", true, false)).containsExactly(50256, 17250);
        assertThat(withPre("qwen2").encode("Hi", true, false)).containsExactly(17250);
    }

    @Test
    void unknownPreTokenizerIsAClearError() throws Exception {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> withPre("no-such-pre"))
                .hasMessageContaining("unknown pre-tokenizer type 'no-such-pre'");
    }
}
