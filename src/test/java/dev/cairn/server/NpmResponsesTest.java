package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.TurnRequest;
import dev.cairn.engine.EngineOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The npm {@code openai} SDK's Responses API (responses.create, responses.stream with finalResponse) against the
 * real server: streamed equals not streamed, the event order the SDK's stream helper accepts, a function-call loop
 * that sends function_call_output back, and previous_response_id. Turns with tools go through a
 * {@link StandInPlanner}.
 */
class NpmResponsesTest {
    static final String KEY = "npm-responses-key";
    static ServerFixture fx;
    static final StandInPlanner standIn = new StandInPlanner();
    static volatile TurnRequest lastTurn;

    @BeforeAll
    static void start() {
        TurnPlanner recording = (request, template, tokenizer) -> {
            lastTurn = request;
            return standIn.plan(request, template, tokenizer);
        };
        fx = new ServerFixture(TestModels::small, new EngineOptions(1, 64, 1024, 1),
                ServerOptions.defaults().withApiKey(KEY), recording);
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    static JsonNode run(String op, String request, String extra) {
        ObjectNode more = extra == null ? null : (ObjectNode) NpmSdkTest.json(extra);
        return NodeSdk.run("openai", op, fx.base(), KEY, NpmSdkTest.json(request), more).ok();
    }

    static String text(JsonNode response) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode item : response.get("output")) {
            if (item.get("type").asText().equals("message")) {
                item.get("content").forEach(c -> sb.append(c.get("text").asText()));
            }
        }
        return sb.toString();
    }

    static final String PLAIN = """
            {"model": "m", "temperature": 0, "max_output_tokens": 7, "instructions": "Be terse.",
             "input": "Tell me about rivers"}""";

    @Test
    void streamedEqualsNotStreamed() {
        JsonNode whole = run("responses.create", PLAIN, null).get("response");
        assertThat(whole.get("id").asText()).startsWith("resp_");
        assertThat(whole.get("status").asText()).isEqualTo("incomplete");
        assertThat(text(whole)).isNotEmpty();
        // the SDK's own convenience field, which it fills from the output items
        assertThat(whole.get("output_text").asText()).isEqualTo(text(whole));

        JsonNode streamed = run("responses.stream", PLAIN, null);
        assertThat(text(streamed.get("response"))).isEqualTo(text(whole));
        List<String> types = new ArrayList<>();
        streamed.get("events").forEach(e -> types.add(e.get("type").asText()));
        assertThat(types.getFirst()).isEqualTo("response.created");
        assertThat(types.getLast()).isEqualTo("response.incomplete");
        assertThat(types).contains("response.output_text.delta", "response.output_item.done");
    }

    @Test
    void functionCallLoopSendsTheOutputBack() {
        String request = """
                {"model": "m", "temperature": 0, "max_output_tokens": 12, "input": "weather in Oslo?",
                 "tool_choice": "required", "tools": [{"type": "function", "name": "weather", "strict": false,
                 "parameters": {"type": "object", "properties": {"text": {"type": "string"}}}}]}""";
        JsonNode loop = run("responses.tool-loop", request, "{\"stream\": true, \"followUp\": {\"tool_choice\": \"none\", \"max_output_tokens\": 3}}");
        JsonNode call = null;
        for (JsonNode item : loop.at("/first/response/output")) {
            if (item.get("type").asText().equals("function_call")) {
                call = item;
            }
        }
        assertThat(call).isNotNull();
        assertThat(call.get("call_id").asText()).isEqualTo(StandInPlanner.CALL_ID);
        assertThat(call.get("name").asText()).isEqualTo("weather");
        List<ChatMessage> seen = lastTurn.messages();
        assertThat(seen).extracting(ChatMessage::role).containsExactly("user", "assistant", "tool");
        // the reasoning item sent back goes with the call it came before
        assertThat(loop.at("/first/response/output/0/type").asText()).isEqualTo("reasoning");
        assertThat(seen.get(1).reasoning()).isEqualTo(loop.at("/first/response/output/0/content/0/text").asText());
        assertThat(seen.get(2).content()).contains("\"tool\":\"weather\"");
        assertThat(loop.at("/second/response/status").asText()).isEqualTo("incomplete");
    }

    @Test
    void previousResponseIdChainsTurns() {
        JsonNode first = run("responses.create", PLAIN, null).get("response");
        String second = "{\"model\": \"m\", \"max_output_tokens\": 2, \"input\": \"and lakes?\","
                + " \"tools\": [{\"type\": \"function\", \"name\": \"weather\"}], \"tool_choice\": \"none\","
                + " \"previous_response_id\": \"" + first.get("id").asText() + "\"}";
        JsonNode r = run("responses.create", second, null).get("response");
        assertThat(r.get("previous_response_id").asText()).isEqualTo(first.get("id").asText());
        assertThat(lastTurn.messages()).extracting(ChatMessage::content)
                .containsExactly("Tell me about rivers", text(first), "and lakes?");
    }
}
