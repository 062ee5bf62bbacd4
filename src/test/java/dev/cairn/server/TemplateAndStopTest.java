package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.chat.ChatTemplates;
import dev.cairn.engine.EngineOptions;
import dev.cairn.engine.ModelBundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** chat_template_kwargs reach the template, template errors are 400s, and stop strings end answers as each API says. */
class TemplateAndStopTest {
    /** Refuses to render unless the client passes the "flag" template argument; echoes the conversation otherwise. */
    static final String TEMPLATE = "{% if not flag %}{{ raise_exception('this template needs flag') }}{% endif %}"
            + "{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}\n{% endfor %}"
            + "{% if add_generation_prompt %}assistant:{% endif %}";
    static ServerFixture fx;

    @BeforeAll
    static void start() {
        fx = new ServerFixture(ctx -> {
            ModelBundle b = TestModels.small(ctx);
            return new ModelBundle(b.id(), b.file(), b.model(), b.tokenizer(), ChatTemplates.fromString(TEMPLATE, "", ""));
        }, new EngineOptions(1, 16, 256, 1), ServerOptions.defaults().withApiKey(null));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    static String chat(String extra) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"tell me a story\"}],\"max_tokens\":12,\"temperature\":0"
                + extra + "}";
    }

    @Test
    void templateArgumentsArePassedAndTemplateErrorsAreClientErrors() {
        String msg = BadInputTest.openAiError(fx.post("/v1/chat/completions", chat("")), 400, "invalid_request_error");
        assertThat(msg).contains("this template needs flag");
        ServerFixture.Reply ok = fx.post("/v1/chat/completions", chat(",\"chat_template_kwargs\":{\"flag\":true}"));
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(BadInputTest.openAiError(fx.post("/v1/chat/completions", chat(",\"chat_template_kwargs\":\"flag\"")),
                400, "invalid_request_error")).contains("'chat_template_kwargs' must be an object");
    }

    @Test
    void stopStringsEndTheAnswerWithTheRightReason() throws Exception {
        // Find what the model says greedily, then ask it to stop at a piece of that text.
        String body = "{\"prompt\":\"Once upon a time\",\"max_tokens\":12,\"temperature\":0";
        String full = fx.post("/v1/completions", body + "}").json().at("/choices/0/text").asText();
        assertThat(full.length()).isGreaterThan(6);
        String stop = full.substring(3, 6);
        String before = full.substring(0, full.indexOf(stop));
        JsonNode c = fx.post("/v1/completions", body + ",\"stop\":" + Json.MAPPER.writeValueAsString(stop) + "}").json();
        assertThat(c.at("/choices/0/text").asText()).isEqualTo(before);
        assertThat(c.at("/choices/0/finish_reason").asText()).isEqualTo("stop");

        String chatFull = fx.post("/v1/chat/completions", chat(",\"chat_template_kwargs\":{\"flag\":true}")).json()
                .at("/choices/0/message/content").asText();
        assertThat(chatFull.length()).isGreaterThan(6);
        String chatStop = chatFull.substring(2, 5);
        ServerFixture.Reply m = fx.post("/v1/messages", "{\"max_tokens\":12,\"temperature\":0,\"stop_sequences\":["
                + Json.MAPPER.writeValueAsString(chatStop) + "],\"messages\":[{\"role\":\"user\",\"content\":\"tell me a story\"}]}")
                ;
        // /v1/messages has no chat_template_kwargs, so this template refuses it: a 400 in Anthropic's shape
        assertThat(BadInputTest.anthropicError(m, 400, "invalid_request_error")).contains("this template needs flag");
        JsonNode stopped = fx.post("/v1/chat/completions", chat(",\"chat_template_kwargs\":{\"flag\":true},\"stop\":["
                + Json.MAPPER.writeValueAsString(chatStop) + "]")).json();
        assertThat(stopped.at("/choices/0/message/content").asText()).isEqualTo(chatFull.substring(0, chatFull.indexOf(chatStop)));
        assertThat(stopped.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }
}
