package dev.cairn.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streaming decode: a character split over several tokens comes out whole, once its last byte arrives. */
class TokenDecoderTest {
    static List<String> stream(Tokenizer tok, int... ids) {
        TokenDecoder d = tok.newDecoder();
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(d.push(id));
        }
        out.add(d.flush());
        return out;
    }

    @Test
    void spmByteTokensAreHeldUntilTheCharacterIsComplete() throws Exception {
        Tokenizer tok = VocabConformanceTest.load("llama-spm");
        // llama.cpp: "😀é" -> "▁", <0xF0> <0x9F> <0x98> <0x80>, "é"
        int[] ids = tok.encode("😀é", false, false);
        assertThat(ids).containsExactly(29871, 243, 162, 155, 131, 29948);
        assertThat(stream(tok, ids)).containsExactly(" ", "", "", "", "😀", "é", "");
        assertThat(tok.decode(ids)).isEqualTo("😀é");
    }

    @Test
    void byteLevelPiecesAreHeldUntilTheCharacterIsComplete() throws Exception {
        Tokenizer tok = VocabConformanceTest.load("gpt-2");
        // llama.cpp: "🦙x" -> 8582 (F0 9F A6) 99 (0x99) 247 ... ; the llama's 4 bytes end inside token 99
        int[] ids = tok.encode("🦙x", false, false);
        assertThat(ids).containsExactly(8582, 99, 247, 87);
        List<String> out = stream(tok, ids);
        assertThat(String.join("", out)).isEqualTo("🦙x");
        assertThat(out.get(0)).isEmpty();
    }

    @Test
    void incompleteBytesBecomeReplacementCharactersOnFlush() throws Exception {
        Tokenizer tok = VocabConformanceTest.load("llama-spm");
        TokenDecoder d = tok.newDecoder();
        assertThat(d.push(243)).isEmpty(); // <0xF0>: a 4-byte lead byte
        assertThat(d.push(162)).isEmpty(); // <0x9F>
        assertThat(d.flush()).isEqualTo("\uFFFD");
        assertThat(d.flush()).isEmpty();
        // a stray continuation byte is not held back forever
        assertThat(d.push(131)).isEqualTo("\uFFFD"); // <0x80>
        assertThat(d.push(29948)).isEqualTo("é");
    }

    @Test
    void streamKeepsTheLeadingSpaceOfAContinuation() throws Exception {
        Tokenizer tok = VocabConformanceTest.load("llama-spm");
        int[] ids = tok.encode("Hello world", false, false); // "▁Hello", "▁world"
        assertThat(String.join("", stream(tok, ids))).isEqualTo(" Hello world");
        assertThat(tok.decode(ids)).isEqualTo("Hello world");
    }

    @Test
    void unknownIdsAreRejectedClearly() throws Exception {
        Tokenizer tok = VocabConformanceTest.load("llama-spm");
        assertThatThrownBy(() -> tok.decode(new int[] {32000})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id 32000 is outside the vocabulary");
        assertThatThrownBy(() -> tok.newDecoder().push(-5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void completePrefixFindsUnfinishedSequences() {
        byte[] b = "a€".getBytes(java.nio.charset.StandardCharsets.UTF_8); // 61 E2 82 AC
        assertThat(Utf8StreamDecoder.completePrefix(b, 4)).isEqualTo(4);
        assertThat(Utf8StreamDecoder.completePrefix(b, 3)).isEqualTo(1);
        assertThat(Utf8StreamDecoder.completePrefix(b, 2)).isEqualTo(1);
        assertThat(Utf8StreamDecoder.completePrefix(b, 1)).isEqualTo(1);
    }
}
