package dev.cairn.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.gguf.GgufFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** tokenBytes gives exactly what the streaming decoder prints, token by token (grammars match against these). */
class TokenBytesTest {
    @ParameterizedTest
    @ValueSource(strings = {"llama-spm", "deepseek-llm"})
    void tokenBytesConcatenateToTheStreamedText(String name) {
        Tokenizer tok;
        try (GgufFile f = GgufFile.open(Path.of("src/test/resources/vocab/ggml-vocab-" + name + ".gguf"))) {
            tok = Tokenizers.fromGguf(f);
        }
        String text = "{\"city\": \"Zürich\", \"emoji\": \"😀\", \"n\": -12.5}\n\tend <s> </s>";
        int[] ids = tok.encode(text, false, true);
        TokenDecoder decoder = tok.newDecoder();
        StringBuilder streamed = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            streamed.append(decoder.push(id));
            bytes.writeBytes(tok.tokenBytes(id));
        }
        streamed.append(decoder.flush());
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(streamed.toString());
        assertThat(streamed.toString()).contains("Zürich").contains("😀");
    }
}
