package dev.cairn.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.gguf.GgufException;
import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.GgufWriter;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata handling of {@link Tokenizers#fromGguf}: flags, defaults and errors. */
class TokenizersTest {
    @TempDir
    Path dir;

    /** A copy of a test vocabulary with some tokenizer keys dropped and others put. */
    Tokenizer patched(String vocab, String dropPrefix, Consumer<GgufWriter> put) throws Exception {
        Path src = VocabConformanceTest.vocab(vocab);
        Path out = dir.resolve(vocab + "-patched.gguf");
        try (GgufFile f = GgufFile.open(src); GgufWriter w = GgufWriter.create(out)) {
            w.copyMetadata(f, k -> !k.startsWith(dropPrefix));
            put.accept(w);
        }
        try (GgufFile f = GgufFile.open(out)) {
            return Tokenizers.fromGguf(f);
        }
    }

    @Test
    void spmFlagsFromMetadata() throws Exception {
        // ids from llama.cpp on the same patched file: no space prefix, no BOS, EOS appended
        Tokenizer tok = patched("llama-spm", "tokenizer.ggml.add_", w -> w
                .putBool("tokenizer.ggml.add_space_prefix", false)
                .putBool("tokenizer.ggml.add_bos_token", false)
                .putBool("tokenizer.ggml.add_eos_token", true));
        assertThat(tok.encode("Hello world", true, true)).containsExactly(10994, 3186, 2);
        assertThat(tok.encode(" Hello", true, true)).containsExactly(15043, 2);
        assertThat(tok.encode("<s>Hi</s> x", true, true)).containsExactly(1, 18567, 2, 921, 2);
        assertThat(tok.decode(new int[] {15043, 2})).isEqualTo(" Hello</s>");
    }

    @Test
    void spmDefaultsAddBosWithoutMetadata() throws Exception {
        Tokenizer tok = patched("llama-spm", "tokenizer.ggml.add_", w -> { });
        assertThat(tok.encode("Hello world", true, false)).containsExactly(1, 15043, 3186);
        // after a special token the text gets its space prefix again, as llama.cpp does
        assertThat(tok.encode("<s>Hello", false, true)).containsExactly(1, 15043);
    }

    @Test
    void unknownTokenizerModelIsNamed() {
        assertThatThrownBy(() -> patched("llama-spm", "tokenizer.ggml.model", w -> w.putString("tokenizer.ggml.model", "t5x")))
                .isInstanceOf(GgufException.class)
                .hasMessageContaining("unknown tokenizer model 't5x'");
    }

    @Test
    void missingVocabularyIsAClearError() {
        assertThatThrownBy(() -> patched("llama-spm", "tokenizer.", w -> { }))
                .isInstanceOf(GgufException.class)
                .hasMessageContaining("no tokenizer in this file");
        assertThatThrownBy(() -> patched("gpt-2", "tokenizer.ggml.merges", w -> { }))
                .isInstanceOf(GgufException.class)
                .hasMessageContaining("without merges");
    }

    @Test
    void oddInputNeverThrows() throws Exception {
        for (String name : new String[] {"llama-spm", "gpt-2"}) {
            Tokenizer tok = VocabConformanceTest.load(name);
            for (String s : new String[] {"\ud800x", "\u0000", "\uffff\ufffe", "x\udfff"}) {
                assertThat(tok.encode(s, true, true)).as(name).isNotEmpty();
            }
        }
    }
}
