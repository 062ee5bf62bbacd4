package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.ToolCall;
import dev.cairn.chat.ToolChoice;
import dev.cairn.chat.TurnRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How OpenAI and Anthropic bodies with tools, tool history, response formats and thinking become a chat turn. */
class ToolRequestParsingTest {
    static final String WEATHER = "{\"type\":\"function\",\"function\":{\"name\":\"weather\",\"description\":\"Weather now\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]},"
            + "\"strict\":true}}";
    static final String USER = "[{\"role\":\"user\",\"content\":\"hi\"}]";

    static TurnRequest openAi(String json) {
        return OpenAiRequests.chat(body(json), null).turn();
    }

    static TurnRequest anthropic(String json) {
        return AnthropicRequests.messages(body(json), null).turn();
    }

    static ObjectNode body(String json) {
        return Json.parseBody(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String openAiError(String json) {
        return message(() -> OpenAiRequests.chat(body(json), null));
    }

    static String anthropicError(String json) {
        return message(() -> AnthropicRequests.messages(body(json), null));
    }

    static String message(Runnable r) {
        try {
            r.run();
        } catch (ApiException e) {
            assertThat(e.kind()).isEqualTo(ApiException.Kind.BAD_REQUEST);
            return e.getMessage();
        }
        throw new AssertionError("no 400");
    }

    @Test
    void openAiToolsAndChoices() {
        TurnRequest t = openAi("{\"messages\":" + USER + ",\"tools\":[" + WEATHER + "]}");
        assertThat(t.tools()).hasSize(1);
        assertThat(t.tools().getFirst().name()).isEqualTo("weather");
        assertThat(t.tools().getFirst().description()).isEqualTo("Weather now");
        assertThat(t.tools().getFirst().strict()).isTrue();
        assertThat(t.tools().getFirst().parameters().at("/required/0").asText()).isEqualTo("city");
        assertThat(t.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.AUTO, null, true));
        assertThat(openAi("{\"messages\":" + USER + ",\"tools\":[" + WEATHER + "],\"tool_choice\":\"required\","
                + "\"parallel_tool_calls\":false}").toolChoice())
                .isEqualTo(new ToolChoice(ToolChoice.Mode.REQUIRED, null, false));
        assertThat(openAi("{\"messages\":" + USER + ",\"tools\":[" + WEATHER + "],\"tool_choice\":"
                + "{\"type\":\"function\",\"function\":{\"name\":\"weather\"}}}").toolChoice())
                .isEqualTo(new ToolChoice(ToolChoice.Mode.NAMED, "weather", true));
        assertThat(openAi("{\"messages\":" + USER + ",\"tools\":[" + WEATHER + "],\"tool_choice\":\"none\"}")
                .toolChoice().mode()).isEqualTo(ToolChoice.Mode.NONE);
        assertThat(openAi("{\"messages\":" + USER + "}").toolChoice().mode()).isEqualTo(ToolChoice.Mode.NONE);
        // a function without parameters gets an empty object schema
        TurnRequest bare = openAi("{\"messages\":" + USER + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"now\"}}]}");
        assertThat(Json.write(bare.tools().getFirst().parameters())).isEqualTo("{\"type\":\"object\",\"properties\":{}}");
    }

    @Test
    void openAiToolErrorsNameTheField() {
        assertThat(openAiError("{\"messages\":" + USER + ",\"tools\":[" + WEATHER + "],\"tool_choice\":"
                + "{\"type\":\"function\",\"function\":{\"name\":\"rain\"}}}"))
                .contains("'tool_choice.function.name'").contains("\"rain\"").contains("not among the tools");
        assertThat(openAiError("{\"messages\":" + USER + ",\"tool_choice\":\"required\"}"))
                .contains("'tool_choice' asks for a tool call but no tools are given");
        assertThat(openAiError("{\"messages\":" + USER + ",\"tool_choice\":\"sometimes\"}")).contains("'tool_choice' must be");
        assertThat(openAiError("{\"messages\":" + USER + ",\"tools\":[{\"type\":\"custom\",\"custom\":{}}]}"))
                .contains("'tools[0].type' \"custom\" is not supported");
        assertThat(openAiError("{\"messages\":" + USER + ",\"tools\":[{\"type\":\"function\"}]}"))
                .contains("'tools[0].function' is required");
        assertThat(openAiError("{\"messages\":" + USER + ",\"tools\":[" + WEATHER + "," + WEATHER + "]}"))
                .contains("names the tool \"weather\" twice");
        assertThat(openAiError("{\"messages\":" + USER + ",\"tools\":[{\"type\":\"function\",\"function\":"
                + "{\"name\":\"f\",\"parameters\":\"none\"}}]}")).contains("'tools[0].function.parameters' must be an object");
        assertThat(openAiError("{\"messages\":" + USER + ",\"function_call\":\"auto\"}")).contains("deprecated function-calling");
    }

    @Test
    void openAiToolHistory() {
        TurnRequest t = openAi("{\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"they want weather\",\"tool_calls\":["
                + "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\": \\\"Oslo\\\"}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":[{\"type\":\"text\",\"text\":\"rain\"}]},"
                + "{\"role\":\"assistant\",\"content\":\"It rains.\"}],\"tools\":[" + WEATHER + "]}");
        // the last assistant message is a pre-fill; the one with calls is history
        assertThat(t.assistantPrefill()).isEqualTo("It rains.");
        assertThat(t.messages()).containsExactly(
                new ChatMessage("user", "weather?"),
                new ChatMessage("assistant", "", List.of(new ToolCall("call_1", "weather", "{\"city\":\"Oslo\"}")), null,
                        null, "they want weather"),
                new ChatMessage("tool", "rain", List.of(), "call_1", "weather", null));
        // a final assistant turn that calls tools is history, not a pre-fill
        TurnRequest endsWithCall = openAi("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\","
                + "\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]}]}");
        assertThat(endsWithCall.assistantPrefill()).isEmpty();
        assertThat(endsWithCall.messages().getLast().toolCalls()).containsExactly(new ToolCall("c", "weather", "{}"));
    }

    @Test
    void openAiHistoryErrors() {
        assertThat(openAiError("{\"messages\":[{\"role\":\"function\",\"name\":\"f\",\"content\":\"x\"}]}"))
                .contains("'messages[0].role' \"function\"").contains("send \"tool\" messages");
        assertThat(openAiError("{\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}"))
                .contains("'messages[0].tool_call_id' is required");
        assertThat(openAiError("{\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{oops\"}}]}]}"))
                .contains("'messages[0].tool_calls[0].function.arguments' must be a JSON object in a string");
        assertThat(openAiError("{\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"[1]\"}}]}]}")).contains("got an array");
        // content is only optional next to tool calls
        assertThat(openAiError("{\"messages\":[{\"role\":\"assistant\"}]}")).contains("'messages[0].content' is required");
    }

    @Test
    void openAiResponseFormats() {
        assertThat(openAi("{\"messages\":" + USER + ",\"response_format\":{\"type\":\"text\"}}").responseFormat()).isNull();
        assertThat(Json.write(openAi("{\"messages\":" + USER + ",\"response_format\":{\"type\":\"json_object\"}}")
                .responseFormat())).isEqualTo("{\"type\":\"object\"}");
        String schema = "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}}}";
        assertThat(Json.write(openAi("{\"messages\":" + USER + ",\"response_format\":{\"type\":\"json_schema\","
                + "\"json_schema\":{\"name\":\"n\",\"strict\":true,\"schema\":" + schema + "}}}").responseFormat()))
                .isEqualTo(schema);
        assertThat(openAiError("{\"messages\":" + USER + ",\"response_format\":{\"type\":\"json_schema\"}}"))
                .contains("'response_format.json_schema' is required");
        assertThat(openAiError("{\"messages\":" + USER + ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":"
                + "{\"schema\":{}}}}")).contains("'response_format.json_schema.name' is required");
    }

    @Test
    void openAiReasoningFormatAndTemplateArgs() {
        TurnRequest t = openAi("{\"messages\":" + USER + ",\"reasoning_format\":\"none\","
                + "\"chat_template_kwargs\":{\"enable_thinking\":false}}");
        assertThat(t.reasoning()).isEqualTo(TurnRequest.ReasoningFormat.NONE);
        assertThat(t.templateArgs()).containsEntry("enable_thinking", false);
        assertThat(openAi("{\"messages\":" + USER + "}").reasoning()).isEqualTo(TurnRequest.ReasoningFormat.DEEPSEEK);
        assertThat(openAiError("{\"messages\":" + USER + ",\"reasoning_format\":\"loud\"}")).contains("'reasoning_format'");
    }

    static final String ANTHROPIC_TOOL = "{\"name\":\"weather\",\"description\":\"Weather now\",\"cache_control\":"
            + "{\"type\":\"ephemeral\"},\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}";

    @Test
    void anthropicToolsAndChoices() {
        String base = "{\"max_tokens\":5,\"messages\":" + USER + ",\"tools\":[" + ANTHROPIC_TOOL
                + ",{\"type\":\"web_search_20250305\",\"name\":\"web_search\",\"max_uses\":3}]";
        TurnRequest t = anthropic(base + "}");
        // the server tool is left out; the client tool is offered
        assertThat(t.tools()).extracting(s -> s.name()).containsExactly("weather");
        assertThat(t.tools().getFirst().parameters().at("/properties/city/type").asText()).isEqualTo("string");
        assertThat(t.toolChoice()).isEqualTo(new ToolChoice(ToolChoice.Mode.AUTO, null, true));
        assertThat(anthropic(base + ",\"tool_choice\":{\"type\":\"any\",\"disable_parallel_tool_use\":true}}").toolChoice())
                .isEqualTo(new ToolChoice(ToolChoice.Mode.REQUIRED, null, false));
        assertThat(anthropic(base + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"weather\"}}").toolChoice())
                .isEqualTo(new ToolChoice(ToolChoice.Mode.NAMED, "weather", true));
        assertThat(anthropic(base + ",\"tool_choice\":{\"type\":\"none\"}}").toolChoice().mode())
                .isEqualTo(ToolChoice.Mode.NONE);
        assertThat(anthropicError(base + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"web_search\"}}"))
                .contains("'tool_choice.name' names the tool \"web_search\", which is not among the tools given");
        assertThat(anthropicError(base + ",\"tool_choice\":{\"type\":\"sometimes\"}}")).contains("'tool_choice.type' must be");
        assertThat(anthropicError("{\"max_tokens\":5,\"messages\":" + USER + ",\"tools\":[{\"name\":\"f\"}]}"))
                .contains("'tools.0.input_schema' is required");
        assertThat(anthropicError("{\"max_tokens\":5,\"messages\":" + USER + ",\"tool_choice\":{\"type\":\"any\"}}"))
                .contains("no tools are given");
    }

    @Test
    void anthropicToolHistoryThinkingAndIgnoredFields() {
        TurnRequest t = anthropic("{\"max_tokens\":5,\"metadata\":{\"user_id\":\"u\"},\"service_tier\":\"auto\","
                + "\"context_management\":{\"edits\":[]},\"output_config\":{\"effort\":\"low\"},"
                + "\"thinking\":{\"type\":\"disabled\"},\"tools\":[" + ANTHROPIC_TOOL + "],\"messages\":["
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"weather?\",\"cache_control\":{\"type\":\"ephemeral\"}}]},"
                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"need a call\",\"signature\":\"abc\"},"
                + "{\"type\":\"redacted_thinking\",\"data\":\"xyz\"},{\"type\":\"text\",\"text\":\"Let me look.\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"weather\",\"input\":{\"city\":\"Oslo\"}}]},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"rain\"}]},{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\","
                + "\"content\":\"timeout\",\"is_error\":true},{\"type\":\"text\",\"text\":\"and tomorrow?\"}]}]}");
        assertThat(t.templateArgs()).containsEntry("enable_thinking", false);
        assertThat(t.messages()).containsExactly(
                new ChatMessage("user", "weather?"),
                new ChatMessage("assistant", "Let me look.", List.of(new ToolCall("toolu_1", "weather", "{\"city\":\"Oslo\"}")),
                        null, null, "need a call"),
                new ChatMessage("tool", "rain", List.of(), "toolu_1", "weather", null),
                new ChatMessage("tool", "Error: timeout", List.of(), "toolu_1", "weather", null),
                new ChatMessage("user", "and tomorrow?"));
        assertThat(anthropic("{\"max_tokens\":5,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024},\"messages\":"
                + USER + "}").templateArgs()).containsEntry("enable_thinking", true);
    }

    @Test
    void anthropicBlockErrors() {
        assertThat(anthropicError("{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\","
                + "\"source\":{}}]}]}")).contains("'messages.0.content.0.type' \"image\" is not supported; only text");
        assertThat(anthropicError("{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
                + "\"tool_use_id\":\"t\",\"content\":[{\"type\":\"image\",\"source\":{}}]}]}]}"))
                .contains("'messages.0.content.0.content.0.type' \"image\" is not supported");
        assertThat(anthropicError("{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\"}]}]}"))
                .contains("'messages.0.content.0.tool_use_id' is required");
        assertThat(anthropicError("{\"max_tokens\":5,\"thinking\":{\"type\":\"maybe\"},\"messages\":" + USER + "}"))
                .contains("'thinking.type' must be");
    }

    @Test
    void maxTokensBeyondTheContextIsNotRefusedHere() {
        assertThat(OpenAiRequests.chat(body("{\"messages\":" + USER + ",\"max_tokens\":2000000000}"), null).maxTokens())
                .isEqualTo(2_000_000_000);
        assertThatThrownBy(() -> OpenAiRequests.chat(body("{\"messages\":" + USER + ",\"max_tokens\":0}"), null))
                .isInstanceOf(ApiException.class);
    }
}
