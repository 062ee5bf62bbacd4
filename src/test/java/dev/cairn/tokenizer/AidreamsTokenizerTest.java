package dev.cairn.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgufFile;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tiny real model's SentencePiece vocabulary against llama.cpp's prompt ids (models/REFERENCE.md). */
class AidreamsTokenizerTest {
    static Tokenizer tok;

    @BeforeAll
    static void load() throws Exception {
        Path p = Path.of(AidreamsTokenizerTest.class.getResource("/models/aidreams260K-f32.gguf").toURI());
        try (GgufFile f = GgufFile.open(p)) {
            tok = Tokenizers.fromGguf(f);
        }
    }

    @Test
    void promptsWithBosMatchLlamaCpp() {
        assertThat(tok.encode("I dreamed of a", true, false)).containsExactly(1, 303, 281, 269, 435, 447, 328, 275, 262);
        assertThat(tok.encode("The machine", true, false)).containsExactly(1, 368, 430, 276, 435, 307, 259, 430);
        assertThat(tok.encode("", true, false)).containsExactly(1);
        assertThat(tok.encode("", false, false)).isEmpty();
    }

    @Test
    void specialIdsAndEndOfGeneration() {
        assertThat(tok.bosId()).isEqualTo(1);
        assertThat(tok.eosId()).isEqualTo(2);
        assertThat(tok.vocabSize()).isEqualTo(512);
        assertThat(tok.isEndOfGeneration(2)).isTrue();
        assertThat(tok.isEndOfGeneration(1)).isFalse();
        assertThat(tok.isEndOfGeneration(303)).isFalse();
        assertThat(tok.tokenText(1)).isEqualTo("<s>");
    }

    @Test
    void generatedIdsDecodeToLlamaCppText() {
        // REFERENCE.md: "The machine" then greedy ids; llama.cpp prints the prompt followed by the pieces
        int[] gen = {446, 279, 406, 289, 408, 326, 446, 279, 317, 442, 432, 285, 281, 364, 275, 280, 302, 450, 405, 403,
            399, 448, 429, 465, 265, 434, 317, 431, 434, 289, 418, 321, 278, 416, 446, 262, 429, 453, 435, 285};
        TokenDecoder d = tok.newDecoder();
        StringBuilder sb = new StringBuilder();
        for (int id : gen) {
            sb.append(d.push(id));
        }
        sb.append(d.flush());
        assertThat("The machine" + sb).startsWith("The machine, features emerge, fragile dance of probability. Contrast edges sharpen, a kale");
    }

    @Test
    void decodeDropsTheSpacePrefixOfTheFirstPiece() {
        assertThat(tok.decode(tok.encode("I dreamed of a", false, false))).isEqualTo("I dreamed of a");
        // with BOS first, BOS takes the strip and the text keeps its space, as llama_detokenize does
        assertThat(tok.decode(tok.encode("I dreamed of a", true, false))).isEqualTo("<s> I dreamed of a");
    }
}
