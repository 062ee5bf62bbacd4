package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.engine.EngineOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets a 4xx in the endpoint's own error shape with a message naming the problem. */
class BadInputTest {
    static final int CTX = 256;
    static ServerFixture fx;

    @BeforeAll
    static void start() {
        fx = new ServerFixture(TestModels::small, new EngineOptions(1, 16, CTX, 1),
                ServerOptions.defaults().withApiKey(null).withMaxBodyBytes(64 * 1024));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    static final String CHAT = "/v1/chat/completions";
    static final String MESSAGES = "/v1/messages";
    static final String USER = "[{\"role\":\"user\",\"content\":\"hi\"}]";

    /** Asserts OpenAI's error shape and returns the message. */
    static String openAiError(ServerFixture.Reply r, int status, String type) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("content-type")).startsWith("application/json");
        JsonNode e = r.json().get("error");
        assertThat(StreamWireTest.fieldNames(e)).containsExactly("message", "type", "param", "code");
        assertThat(e.get("type").asText()).isEqualTo(type);
        assertNoStackTrace(r.body());
        return e.get("message").asText();
    }

    static String anthropicError(ServerFixture.Reply r, int status, String type) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode root = r.json();
        assertThat(StreamWireTest.fieldNames(root)).containsExactly("type", "error");
        assertThat(root.get("type").asText()).isEqualTo("error");
        assertThat(root.at("/error/type").asText()).isEqualTo(type);
        assertNoStackTrace(r.body());
        return root.at("/error/message").asText();
    }

    static void assertNoStackTrace(String body) {
        assertThat(body).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("dev.cairn");
    }

    static String badChat(String body) {
        return openAiError(fx.post(CHAT, body), 400, "invalid_request_error");
    }

    static String badMessages(String body) {
        return anthropicError(fx.post(MESSAGES, body), 400, "invalid_request_error");
    }

    @Test
    void malformedJson() {
        assertThat(badChat("{\"messages\": [")).contains("not valid JSON").contains("line 1");
        assertThat(badMessages("{max_tokens: 5}")).contains("not valid JSON");
        assertThat(badChat("")).contains("empty");
        assertThat(badChat("[1,2]")).contains("must be a JSON object");
        assertThat(badChat("{\"messages\":" + USER + "} trailing")).contains("not valid JSON");
        assertThat(badChat("[".repeat(3000) + "]".repeat(3000))).contains("nesting depth").doesNotContain("StreamReadConstraints");
    }

    @Test
    void wrongTypes() {
        assertThat(badChat("{\"messages\":\"hi\"}")).contains("'messages' must be an array");
        assertThat(badChat("{\"messages\":" + USER + ",\"max_tokens\":\"5\"}")).contains("'max_tokens' must be an integer");
        assertThat(badChat("{\"messages\":" + USER + ",\"temperature\":\"hot\"}")).contains("'temperature' must be a number");
        assertThat(badChat("{\"messages\":" + USER + ",\"stream\":\"yes\"}")).contains("'stream' must be a boolean");
        assertThat(badChat("{\"messages\":" + USER + ",\"stop\":5}")).contains("'stop' must be a string or an array of strings");
        assertThat(badChat("{\"messages\":[{\"role\":\"user\",\"content\":5}]}")).contains("messages[0].content");
        assertThat(badChat("{\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}")).contains("messages[0].role");
        assertThat(badChat("{\"model\":7,\"messages\":" + USER + "}")).contains("'model' must be a string");
        assertThat(badMessages("{\"max_tokens\":5,\"messages\":" + USER + ",\"system\":5}")).contains("'system' must be");
        // A system turn among the messages is taken (Claude Code sends one); an unknown role is not.
        assertThat(badMessages("{\"max_tokens\":5,\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}"))
                .contains("messages.0.role");
        assertThat(badMessages("{\"max_tokens\":5,\"messages\":" + USER + ",\"temperature\":1.5}"))
                .contains("'temperature' must be between 0 and 1");
        assertThat(badMessages("{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"image\",\"source\":{}}]}]}")).contains("only text");
    }

    @Test
    void missingFieldsAndEmptyMessages() {
        assertThat(badChat("{\"model\":\"m\"}")).contains("'messages' is required");
        assertThat(badChat("{\"messages\":[]}")).contains("at least one message");
        assertThat(badMessages("{\"messages\":" + USER + "}")).contains("'max_tokens' is required");
        assertThat(badMessages("{\"max_tokens\":5,\"messages\":[]}")).contains("at least one message");
        assertThat(badMessages("{\"max_tokens\":5}")).contains("'messages' is required");
        assertThat(openAiError(fx.post("/v1/completions", "{\"max_tokens\":3}"), 400, "invalid_request_error"))
                .contains("'prompt' is required");
        assertThat(badChat("{\"messages\":[{\"role\":\"user\"}]}")).contains("'messages[0].content' is required");
    }

    @Test
    void maxTokensBelowOne() {
        assertThat(badChat("{\"messages\":" + USER + ",\"max_tokens\":0}")).contains("'max_tokens' must be at least 1, got 0");
        assertThat(badChat("{\"messages\":" + USER + ",\"max_completion_tokens\":-3}")).contains("must be at least 1");
        assertThat(badMessages("{\"max_tokens\":0,\"messages\":" + USER + "}")).contains("'max_tokens' must be at least 1");
    }

    @Test
    void promptLongerThanTheContextIsRefusedBeforeAnyWork() {
        String longText = "word ".repeat(CTX * 2);
        String msg = badChat("{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"" + longText + "\"}]}");
        assertThat(msg).contains("prompt has").contains("context size is " + CTX);
        assertThat(badMessages("{\"stream\":true,\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\""
                + longText + "\"}]}")).contains("context size is " + CTX);
    }

    @Test
    void bodyOverTheSizeLimit() {
        String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(70 * 1024) + "\"}]}";
        assertThat(openAiError(fx.post(CHAT, big), 413, "invalid_request_error")).contains("larger than the limit");
        assertThat(anthropicError(fx.post(MESSAGES, big), 413, "request_too_large")).contains("larger than the limit");
    }

    /**
     * The client is still sending when the 413 is ready; unless the server reads the rest of the body first, closing
     * the connection resets it and the client sees no response at all (before the fix, 2-4 of 200 such requests).
     */
    @Test
    void everyOversizedBodyGetsIts413() {
        String big = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(200 * 1024) + "\"}]}";
        for (int i = 0; i < 150; i++) {
            assertThat(fx.post(CHAT, big).status()).as("request %d", i).isEqualTo(413);
        }
    }

    @Test
    void unsupportedFeaturesAreRefusedNotIgnored() {
        assertThat(badChat("{\"messages\":" + USER + ",\"n\":2}")).contains("'n' must be 1");
        assertThat(badChat("{\"messages\":" + USER + ",\"functions\":[{\"name\":\"f\"}]}"))
                .contains("deprecated function-calling API");
        assertThat(badChat("{\"messages\":" + USER + ",\"response_format\":{\"type\":\"yaml\"}}"))
                .contains("'response_format.type' must be");
        assertThat(badChat("{\"messages\":" + USER + ",\"prefill_progress\":\"loud\"}")).contains("prefill_progress");
        // response_format text is the default and fine
        assertThat(fx.post(CHAT, "{\"messages\":" + USER + ",\"max_tokens\":2,\"response_format\":{\"type\":\"text\"}}")
                .status()).isEqualTo(200);
    }

    @Test
    void unknownRoutesAndMethodsInTheErrorShape() {
        assertThat(openAiError(fx.get("/v1/nothing"), 404, "not_found_error")).contains("/v1/nothing");
        assertThat(openAiError(fx.post("/v1/requests/nope/cancel", ""), 404, "not_found_error")).contains("nope");
        assertThat(openAiError(fx.get(CHAT), 405, "invalid_request_error"))
                .isEqualTo("GET is not allowed on " + CHAT + "; it takes POST");
        assertThat(anthropicError(fx.send("DELETE", "/v1/messages"), 405, "invalid_request_error"))
                .isEqualTo("DELETE is not allowed on /v1/messages; it takes POST");
        assertThat(openAiError(fx.post("/v1/models", "{}"), 405, "invalid_request_error"))
                .isEqualTo("POST is not allowed on /v1/models; it takes GET");
        // the dashboard's files and unknown paths are unaffected
        assertThat(fx.get("/").status()).isEqualTo(200);
        assertThat(fx.get("/nothing.html").status()).isEqualTo(404);
    }

    @Test
    void bodiesParseAsJsonWhateverTheContentType() {
        // curl -d sends application/x-www-form-urlencoded
        ServerFixture.Reply r = fx.post(CHAT, "{\"messages\":" + USER + ",\"max_tokens\":2}",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("object").asText()).isEqualTo("chat.completion");
        r = fx.post(MESSAGES, "{\"max_tokens\":2,\"messages\":" + USER + "}", "Content-Type", "text/plain");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("type").asText()).isEqualTo("message");
    }
}
