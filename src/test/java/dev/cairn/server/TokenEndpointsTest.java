package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.chat.ChatMessage;
import dev.cairn.engine.EngineOptions;
import dev.cairn.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /v1/messages/count_tokens, /tokenize, /detokenize and /apply-template, checked against what generation uses. */
class TokenEndpointsTest {
    static ServerFixture fx;

    @BeforeAll
    static void start() {
        fx = new ServerFixture(TestModels::small, new EngineOptions(1, 64, 1024, 1),
                ServerOptions.defaults().withApiKey(null));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    static List<Integer> ids(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isObject() ? n.get("id").asInt() : n.asInt()));
        return out;
    }

    static List<Integer> list(int[] ids) {
        return java.util.Arrays.stream(ids).boxed().toList();
    }

    @Test
    void tokenizeMatchesTheTokenizerAndDetokenizeInvertsIt() {
        Tokenizer tokenizer = fx.bundle.tokenizer();
        String text = "Rivers run to the sea, héllo";
        JsonNode plain = fx.post("/tokenize", "{\"content\":\"" + text + "\"}").json();
        assertThat(ids(plain.get("tokens"))).isEqualTo(list(tokenizer.encode(text, false, true)));
        JsonNode special = fx.post("/tokenize", "{\"content\":\"" + text + "\",\"add_special\":true}").json();
        assertThat(ids(special.get("tokens"))).isEqualTo(list(tokenizer.encode(text, true, true)));

        JsonNode pieces = fx.post("/tokenize", "{\"content\":\"" + text + "\",\"with_pieces\":true}").json();
        assertThat(ids(pieces.get("tokens"))).isEqualTo(ids(plain.get("tokens")));
        // "é" is two byte tokens in this vocabulary: each is half a character, so its piece is its byte value.
        java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
        int bytePieces = 0;
        for (JsonNode t : pieces.get("tokens")) {
            JsonNode piece = t.get("piece");
            if (piece.isTextual()) {
                joined.writeBytes(piece.asText().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                bytePieces++;
                piece.forEach(b -> joined.write(b.asInt()));
            }
        }
        assertThat(bytePieces).isEqualTo(2);
        assertThat(joined.toString(java.nio.charset.StandardCharsets.UTF_8).replace('\u2581', ' ').strip())
                .isEqualTo(text);

        JsonNode back = fx.post("/detokenize", "{\"tokens\":" + plain.get("tokens") + "}").json();
        assertThat(back.get("content").asText().strip()).isEqualTo(text);

        ServerFixture.Reply bad = fx.post("/detokenize", "{\"tokens\":[1, " + tokenizer.vocabSize() + "]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().at("/error/message").asText()).contains("tokens[1]");
        assertThat(fx.post("/tokenize", "{}").status()).isEqualTo(400);
    }

    @Test
    void applyTemplateIsThePromptChatCompletionsRuns() {
        JsonNode r = fx.post("/apply-template", "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hi\"}]}").json();
        String expected = fx.bundle.template().render(List.of(new ChatMessage("system", "Be brief."),
                new ChatMessage("user", "Hi")), true, Map.of());
        assertThat(r.get("prompt").asText()).isEqualTo(expected);
    }

    @Test
    void countTokensIsTheInputTokensOfTheSameMessagesRequest() {
        String messages = "\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me of hills\"}]";
        ServerFixture.Reply count = fx.post("/v1/messages/count_tokens", "{\"model\":\"m\"," + messages + "}");
        assertThat(count.status()).as(count.body()).isEqualTo(200);
        assertThat(count.json().size()).isEqualTo(1);
        JsonNode answer = fx.post("/v1/messages", "{\"model\":\"m\",\"max_tokens\":1," + messages + "}").json();
        assertThat(count.json().get("input_tokens").asInt()).isEqualTo(answer.at("/usage/input_tokens").asInt())
                .isPositive();
        ServerFixture.Reply bad = fx.post("/v1/messages/count_tokens", "{\"model\":\"m\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("type").asText()).isEqualTo("error");
    }
}
