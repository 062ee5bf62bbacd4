package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.engine.EngineOptions;
import dev.cairn.server.FamilyModels.Family;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official npm SDKs ({@code openai}, {@code @anthropic-ai/sdk}), unmodified, against the real server on a
 * Qwen2.5-like model: they accept every answer and stream, and their stream helpers accumulate the same message as
 * the plain request gives.
 */
class NpmSdkTest {
    static final String KEY = "npm-sdk-key";
    static ServerFixture fx;

    @BeforeAll
    static void start() {
        fx = new ServerFixture(ctx -> FamilyModels.load(Family.QWEN25, ctx), new EngineOptions(1, 64, 2048, 1),
                ServerOptions.defaults().withApiKey(KEY));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    static NodeSdk.Result openai(String op, String request) {
        return NodeSdk.run(fx.base(), KEY, new NodeSdk.Job("openai", op, json(request)));
    }

    static NodeSdk.Result anthropic(String op, String request) {
        return NodeSdk.run(fx.base(), KEY, new NodeSdk.Job("anthropic", op, json(request)));
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String OPENAI_CHAT = """
            {"model": "m", "temperature": 0, "max_completion_tokens": 7,
             "messages": [{"role": "system", "content": "Be terse."}, {"role": "user", "content": "Tell me about rivers"}]}""";

    @Test
    void openAiChatStreamedEqualsNotStreamed() {
        JsonNode whole = openai("create", OPENAI_CHAT).ok().get("response");
        assertThat(whole.get("id").asText()).startsWith("chatcmpl-");
        assertThat(whole.get("model").asText()).isEqualTo(fx.server.modelId());
        JsonNode choice = whole.get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(whole.get("usage").get("completion_tokens").asInt()).isEqualTo(7);
        String text = choice.get("message").get("content").asText();
        assertThat(text).isNotEmpty();

        JsonNode streamed = openai("stream", OPENAI_CHAT).ok();
        assertThat(streamed.get("chunks").size()).isGreaterThan(2);
        JsonNode fin = streamed.get("response").get("choices").get(0);
        assertThat(fin.get("message").get("content").asText()).isEqualTo(text);
        assertThat(fin.get("finish_reason").asText()).isEqualTo("length");
        assertThat(streamed.get("contentDone").get(0).get("content").asText()).isEqualTo(text);
    }

    @Test
    void openAiErrorsAreTheSdksTypedErrors() {
        JsonNode err = openai("create", OPENAI_CHAT.replace("\"temperature\": 0", "\"n\": 2")).error();
        assertThat(err.get("name").asText()).isEqualTo("BadRequestError");
        assertThat(err.get("status").asInt()).isEqualTo(400);
        assertThat(err.get("message").asText()).contains("'n' must be 1");
        JsonNode unauthorized = NodeSdk.run(fx.base(), "wrong", new NodeSdk.Job("openai", "create", json(OPENAI_CHAT)))
                .error();
        assertThat(unauthorized.get("name").asText()).isEqualTo("AuthenticationError");
    }

    static final String ANTHROPIC_CHAT = """
            {"model": "claude-whatever", "max_tokens": 6, "temperature": 0, "system": "Be terse.",
             "messages": [{"role": "user", "content": "Tell me about hills"}]}""";

    @Test
    void anthropicStreamFinalMessageEqualsNotStreamed() {
        JsonNode whole = anthropic("create", ANTHROPIC_CHAT).ok().get("response");
        assertThat(whole.get("id").asText()).startsWith("msg_");
        assertThat(whole.get("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(whole.get("usage").get("output_tokens").asInt()).isEqualTo(6);
        assertThat(whole.get("content")).hasSize(1);
        assertThat(whole.get("content").get(0).get("type").asText()).isEqualTo("text");

        JsonNode streamed = anthropic("stream", ANTHROPIC_CHAT).ok();
        JsonNode events = streamed.get("events");
        assertThat(events.get(0).get("type").asText()).isEqualTo("message_start");
        assertThat(events.get(events.size() - 1).get("type").asText()).isEqualTo("message_stop");
        JsonNode fin = streamed.get("response");
        assertThat(fin.get("content")).isEqualTo(whole.get("content"));
        assertThat(fin.get("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(fin.get("usage").get("output_tokens").asInt()).isEqualTo(6);
    }

    @Test
    void anthropicErrorsAreTheSdksTypedErrors() {
        JsonNode err = anthropic("create", ANTHROPIC_CHAT.replace("\"temperature\": 0", "\"top_p\": 7")).error();
        assertThat(err.get("name").asText()).isEqualTo("BadRequestError");
        assertThat(err.get("status").asInt()).isEqualTo(400);
        assertThat(err.get("message").asText()).contains("top_p");
    }
}
