package dev.cairn.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The word splits of the pre-tokenizers that have no llama.cpp test vocabulary, checked by hand against their
 * regexes (llama-vocab.cpp):
 * <ul>
 * <li>llama3: {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}</li>
 * <li>qwen2: the same with {@code \p{N}} (one digit) instead of {@code \p{N}{1,3}}</li>
 * <li>smollm: {@code \p{N}} first (every digit alone), then GPT-2's
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)} (contractions case-sensitive)</li>
 * </ul>
 */
class PreTokenizerTest {
    static List<String> split(PreTokenizer.Type type, String text) {
        return new PreTokenizer(type).split(text);
    }

    @Test
    void llama3() {
        PreTokenizer.Type t = PreTokenizer.Type.LLAMA3;
        assertThat(split(t, "I'm DON'T")).containsExactly("I", "'m", " DON", "'T");
        assertThat(split(t, "they'RE we'Ve")).containsExactly("they", "'RE", " we", "'Ve");
        assertThat(split(t, "1234567")).containsExactly("123", "456", "7");
        assertThat(split(t, "x 12345")).containsExactly("x", " ", "123", "45");
        assertThat(split(t, "a   b\n\n c")).containsExactly("a", "  ", " b", "\n\n", " c");
        assertThat(split(t, "你好 世界")).containsExactly("你好", " 世界");
        assertThat(split(t, "🦙🦙 ✅!")).containsExactly("🦙🦙", " ✅!");
        assertThat(split(t, "Hello, world!!\n\nnext")).containsExactly("Hello", ",", " world", "!!\n\n", "next");
        assertThat(split(t, "\tword")).containsExactly("\tword");
        assertThat(split(t, "end  ")).containsExactly("end", "  ");
        assertThat(split(t, "")).isEmpty();
    }

    @Test
    void qwen2() {
        PreTokenizer.Type t = PreTokenizer.Type.QWEN2;
        assertThat(split(t, "I'm DON'T")).containsExactly("I", "'m", " DON", "'T");
        assertThat(split(t, "1234")).containsExactly("1", "2", "3", "4");
        assertThat(split(t, "x 12")).containsExactly("x", " ", "1", "2");
        assertThat(split(t, "a   b\n\n c")).containsExactly("a", "  ", " b", "\n\n", " c");
        assertThat(split(t, "你好 世界")).containsExactly("你好", " 世界");
        assertThat(split(t, "🦙🦙 ✅!")).containsExactly("🦙🦙", " ✅!");
        assertThat(split(t, "v1.2")).containsExactly("v", "1", ".", "2");
        // non-ASCII whitespace (U+00A0, U+3000) is \s: a run of it leaves its last character to the next word
        assertThat(split(t, "a\u00a0b")).containsExactly("a", "\u00a0b");
        assertThat(split(t, "a\u3000\u3000b")).containsExactly("a", "\u3000", "\u3000b");
    }

    @Test
    void smollm() {
        PreTokenizer.Type t = PreTokenizer.Type.SMOLLM;
        assertThat(split(t, "I'm DON'T")).containsExactly("I", "'m", " DON", "'", "T");
        assertThat(split(t, "x 123")).containsExactly("x", " ", "1", "2", "3");
        assertThat(split(t, "a   b\n\n c")).containsExactly("a", "  ", " b", "\n\n", " c");
        assertThat(split(t, "你好 世界")).containsExactly("你好", " 世界");
        assertThat(split(t, "🦙🦙 ✅!")).containsExactly("🦙🦙", " ✅!");
        assertThat(split(t, "\tword")).containsExactly("\t", "word");
    }

    @Test
    void everyPreTokenizerNameIsKnown() {
        for (String name : List.of("default", "llama3", "llama-bpe", "qwen2", "smollm", "deepseek-llm", "deepseek-coder",
                "starcoder", "falcon", "mpt", "refact", "gpt-2")) {
            assertThat(PreTokenizer.Type.forName(name)).as(name).isNotNull();
        }
        assertThat(PreTokenizer.Type.forName("")).isEqualTo(PreTokenizer.Type.DEFAULT);
        assertThat(PreTokenizer.Type.forName("nope")).isNull();
    }
}
