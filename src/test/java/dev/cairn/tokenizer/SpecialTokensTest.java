package dev.cairn.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgufArray;
import dev.cairn.gguf.GgufFile;
import dev.cairn.gguf.GgufValueType;
import dev.cairn.gguf.GgufWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-of-generation and special-token handling on a small byte-level vocabulary written by the test. Every
 * expectation here was checked with llama.cpp (libllama c392e509) on the same file.
 */
class SpecialTokensTest {
    static final List<String> TOKENS = new ArrayList<>();
    static int imEnd;
    static int eotId;
    static int endOfTurn;
    static int endOfText;
    static int fimPad;
    static int user;
    static int eos;
    static int hi;
    static Tokenizer tok;

    static int add(String text) {
        TOKENS.add(text);
        return TOKENS.size() - 1;
    }

    /** {@code texts} id by id: the GPT-2 byte alphabet, "hi", then the special tokens. */
    @BeforeAll
    static void write(@TempDir Path dir) throws Exception {
        for (int b = 0; b < 256; b++) {
            TOKENS.add(ByteLevel.encode(new byte[] {(byte) b}, 0, 1));
        }
        hi = add("hi");
        imEnd = add("<|im_end|>");
        eotId = add("<|eot_id|>");
        endOfTurn = add("<end_of_turn>");
        endOfText = add("<|endoftext|>");
        fimPad = add("<|fim_pad|>");
        user = add("<|user|>");
        eos = add("</s>");
        int[] types = new int[TOKENS.size()];
        java.util.Arrays.fill(types, 1); // NORMAL: llama.cpp itself marks the EOG-looking ones CONTROL
        types[endOfTurn] = 3;
        types[user] = 4; // USER_DEFINED
        Path file = dir.resolve("special.gguf");
        try (GgufWriter w = GgufWriter.create(file)) {
            w.putString("general.architecture", "gpt2");
            w.putString("tokenizer.ggml.model", "gpt2");
            w.putString("tokenizer.ggml.pre", "gpt-2");
            w.putArray("tokenizer.ggml.tokens", new GgufArray(GgufValueType.STRING, TOKENS.toArray(String[]::new)));
            w.putArray("tokenizer.ggml.token_type", new GgufArray(GgufValueType.INT32, types));
            w.putArray("tokenizer.ggml.merges", new GgufArray(GgufValueType.STRING, new String[] {"h i"}));
            w.putUInt32("tokenizer.ggml.eos_token_id", eos);
            w.putUInt32("tokenizer.ggml.bos_token_id", eos);
        }
        try (GgufFile f = GgufFile.open(file)) {
            tok = Tokenizers.fromGguf(f);
        }
    }

    @Test
    void endOfGenerationSetIsLlamaCpps() {
        List<Integer> eog = new ArrayList<>();
        for (int id = 0; id < tok.vocabSize(); id++) {
            if (tok.isEndOfGeneration(id)) {
                eog.add(id);
            }
        }
        // llama_vocab_is_eog: EOS, the EOG texts, and the FIM pad token found by its text
        assertThat(eog).containsExactlyInAnyOrder(eos, imEnd, eotId, endOfTurn, endOfText, fimPad);
        assertThat(tok.isEndOfGeneration(-1)).isFalse();
        assertThat(tok.isEndOfGeneration(tok.vocabSize())).isFalse();
    }

    @Test
    void laterLlamaCppEndOfGenerationTextsStopGenerationButTokenizeAsBefore() throws Exception {
        Tokenizer gpt2 = VocabConformanceTest.load("gpt-2");
        assertThat(gpt2.isEndOfGeneration(50256)).isTrue(); // <|endoftext|>, also EOS
        Path dir = java.nio.file.Files.createTempDirectory("eog");
        Path file = dir.resolve("v.gguf");
        String[] texts = {"a", "<|end_of_text|>", "_<EOT>", "<end_of_utterance>", "</s>"};
        try (GgufWriter w = GgufWriter.create(file)) {
            w.putString("tokenizer.ggml.model", "llama");
            w.putArray("tokenizer.ggml.tokens", new GgufArray(GgufValueType.STRING, texts));
            w.putArray("tokenizer.ggml.token_type", new GgufArray(GgufValueType.INT32, new int[] {1, 1, 1, 1, 1}));
        }
        Tokenizer t;
        try (GgufFile f = GgufFile.open(file)) {
            t = Tokenizers.fromGguf(f);
        }
        // EOS defaults to id 2 for SentencePiece; ids 1..3 are EOG by their text, "a" and "</s>" (4) are not
        assertThat(t.isEndOfGeneration(1)).isTrue();
        assertThat(t.isEndOfGeneration(2)).isTrue();
        assertThat(t.isEndOfGeneration(3)).isTrue();
        assertThat(t.isEndOfGeneration(0)).isFalse();
        assertThat(t.isEndOfGeneration(4)).isFalse();
        // still NORMAL tokens: not split out of text even with parseSpecial
        assertThat(t.encode("<|end_of_text|>", false, true)).doesNotContain(1);
    }

    @Test
    void controlTokensAreTextUnlessParsingSpecials() {
        // EOG-looking tokens became CONTROL: spelled out byte by byte without parseSpecial
        int[] plain = tok.encode("hi<|im_end|>", false, false);
        assertThat(plain).hasSize(1 + "<|im_end|>".length()).startsWith(hi);
        assertThat(tok.encode("hi<|im_end|>", false, true)).containsExactly(hi, imEnd);
        assertThat(tok.encode("<end_of_turn>hi", false, true)).containsExactly(endOfTurn, hi);
        // "</s>" stays NORMAL (EOS is not re-typed), so it is never split out as a special token
        assertThat(tok.encode("</s>", false, true)).hasSize(4);
    }

    @Test
    void userDefinedTokensAreAlwaysSingleTokens() {
        assertThat(tok.encode("hi<|user|>hi", false, false)).containsExactly(hi, user, hi);
        assertThat(tok.encode("hi<|user|>hi", false, true)).containsExactly(hi, user, hi);
    }

    @Test
    void decodeRendersSpecialTokensAsText() {
        assertThat(tok.decode(new int[] {hi, imEnd, user, eos})).isEqualTo("hi<|im_end|><|user|></s>");
    }
}
