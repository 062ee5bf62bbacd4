package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import dev.cairn.engine.EngineOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tool calls and thinking on the wire of both APIs, through the real engine and the official SDKs with strict
 * validation, on a model whose output a {@link StandInPlanner} reads as thinking and one call: the shapes, the SSE
 * event sequences, the finish reasons, and that progress and usage stay as they are without tools.
 */
class ToolCallWireTest {
    static final int CTX = 1024;
    static ServerFixture fx;
    static StandInPlanner planner = new StandInPlanner();
    static OpenAIClient openai;
    static AnthropicClient anthropic;

    @BeforeAll
    static void start() {
        fx = new ServerFixture(TestModels::small, new EngineOptions(1, StreamWireTest.CHUNK, CTX, 1),
                ServerOptions.defaults().withApiKey(null), planner);
        openai = fx.openAi("k");
        anthropic = fx.anthropic("k");
    }

    @AfterAll
    static void stop() {
        openai.close();
        anthropic.close();
        fx.close();
    }

    static final String WEATHER = "{\"type\":\"function\",\"function\":{\"name\":\"weather\",\"parameters\":"
            + "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}}}";

    static String chatBody(String user, String extra) {
        return chatBody(user, "required", extra);
    }

    static String chatBody(String user, String choice, String extra) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"" + user + "\"}],\"temperature\":0,\"tools\":["
                + WEATHER + "],\"tool_choice\":\"" + choice + "\"" + extra + "}";
    }

    /**
     * A stop string that ends this greedy answer after the stand-in's call is complete: a piece the model writes
     * later than the call, whose text does not occur before it.
     */
    static String stopAfterTheCall(String path, String body) {
        ServerFixture.Reply r = fx.post(path, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> pieces = planner.lastPieces();
        String raw = String.join("", pieces);
        int offset = 0;
        for (int i = 0; i < pieces.size(); i++) {
            String p = pieces.get(i);
            if (i > StandInPlanner.ARGUMENT_PIECES + 1 && !p.isBlank() && raw.indexOf(p) == offset) {
                return p;
            }
            offset += p.length();
        }
        throw new AssertionError("no usable stop string in " + pieces);
    }

    static String json(String s) {
        return new com.fasterxml.jackson.databind.node.TextNode(s).toString();
    }

    @Test
    void openAiCallNonStreamingAndStreamedAgreeUnderTheSdk() {
        String stop = stopAfterTheCall("/v1/chat/completions", chatBody("weather in Oslo", ",\"max_tokens\":24"));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("m")
                .addUserMessage("weather in Oslo").temperature(0.0).maxCompletionTokens(24).stop(stop)
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("weather")
                        .parameters(FunctionParameters.builder().putAdditionalProperty("type",
                                com.openai.core.JsonValue.from("object")).build()).build()).build())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build();
        ChatCompletion whole = openai.chat().completions().create(params);
        ChatCompletion.Choice choice = whole.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessage message = choice.message();
        assertThat(message.content()).isEmpty();
        List<String> pieces = planner.lastPieces();
        assertThat(message._additionalProperties().get("reasoning_content").asString()).contains(pieces.getFirst());
        assertThat(message.toolCalls().orElseThrow()).hasSize(1);
        ChatCompletionMessageFunctionToolCall call = message.toolCalls().get().getFirst().asFunction();
        assertThat(call.id()).isEqualTo(StandInPlanner.CALL_ID);
        assertThat(call.function().name()).isEqualTo("weather");
        JsonNode args = Frames.parse(call.function().arguments());
        assertThat(args.get("text").asText()).isEqualTo(String.join("", pieces.subList(1, 1 + StandInPlanner.ARGUMENT_PIECES)));

        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (var stream = openai.chat().completions().createStreaming(params)) {
            stream.stream().forEach(acc::accumulate);
        }
        ChatCompletion streamed = acc.chatCompletion();
        ChatCompletion.Choice sc = streamed.choices().getFirst();
        assertThat(sc.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall scall = sc.message().toolCalls().orElseThrow().getFirst().asFunction();
        assertThat(scall.id()).isEqualTo(call.id());
        assertThat(scall.function().name()).isEqualTo("weather");
        assertThat(scall.function().arguments()).isEqualTo(call.function().arguments());
        // the stop string's own tokens are generated but never reach the parser
        assertThat(whole.usage().orElseThrow().completionTokens()).isGreaterThan(pieces.size());
    }

    @Test
    void openAiToolCallDeltasOnTheWire() throws Exception {
        String body = chatBody("wire " + StreamWireTest.prompt(20), ",\"max_tokens\":24");
        String stop = stopAfterTheCall("/v1/chat/completions", body);
        String streamBody = body.substring(0, body.length() - 1) + ",\"stream\":true,\"stop\":" + json(stop) + "}";
        Frames f = stream("/v1/chat/completions", streamBody);
        List<Frames.Frame> data = f.data();
        assertThat(data.getLast().data()).isEqualTo("[DONE]");
        List<JsonNode> deltas = new ArrayList<>();
        for (Frames.Frame d : data.subList(0, data.size() - 1)) {
            deltas.add(d.dataJson().at("/choices/0/delta"));
        }
        // role first, as without tools
        assertThat(Json.write(deltas.getFirst())).isEqualTo("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}");
        assertThat(deltas.get(1).get("reasoning_content").asText()).isNotEmpty();
        JsonNode start = deltas.get(2).get("tool_calls");
        assertThat(Json.write(start)).isEqualTo("[{\"index\":0,\"id\":\"" + StandInPlanner.CALL_ID
                + "\",\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]");
        StringBuilder arguments = new StringBuilder();
        List<JsonNode> rest = deltas.subList(3, deltas.size() - 1);
        assertThat(rest).isNotEmpty();
        for (JsonNode d : rest) {
            assertThat(StreamWireTest.fieldNames(d)).containsExactly("tool_calls");
            JsonNode call = d.get("tool_calls").get(0);
            assertThat(StreamWireTest.fieldNames(call)).containsExactly("index", "function");
            assertThat(StreamWireTest.fieldNames(call.get("function"))).containsExactly("arguments");
            arguments.append(call.at("/function/arguments").asText());
        }
        assertThat(Frames.parse(arguments.toString()).get("text").isTextual()).isTrue();
        JsonNode last = data.get(data.size() - 2).dataJson();
        assertThat(Json.write(last.at("/choices/0/delta"))).isEqualTo("{}");
        assertThat(last.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        // progress comments are there as without tools
        String id = data.getFirst().dataJson().get("id").asText();
        StreamWireTest.assertProgressSequence(f.comments("prefill_progress").stream().map(Frames.Frame::commentJson)
                .toList(), id, fx.server.modelId());
    }

    @Test
    void lengthInsideACallEndsWithLengthAndNoCall() {
        // thinking, then two of the three argument pieces: the call is not complete
        ServerFixture.Reply r = fx.post("/v1/chat/completions", chatBody("cut short", ",\"max_tokens\":3"));
        JsonNode c = r.json();
        assertThat(c.at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(c.at("/choices/0/message").has("tool_calls")).isFalse();
        List<String> pieces = planner.lastPieces();
        assertThat(c.at("/choices/0/message/content").asText()).isEqualTo(pieces.get(1) + pieces.get(2));
        ServerFixture.Reply m = fx.post("/v1/messages", anthropicBody("cut short", ",\"max_tokens\":3"));
        assertThat(m.json().get("stop_reason").asText()).isEqualTo("max_tokens");
        assertThat(m.json().get("content")).extracting(b -> b.get("type").asText()).containsExactly("thinking", "text");
    }

    static final String ANTHROPIC_TOOL = "{\"name\":\"weather\",\"input_schema\":{\"type\":\"object\"}}";

    static String anthropicBody(String user, String extra) {
        return anthropicBody(user, "any", extra);
    }

    static String anthropicBody(String user, String choice, String extra) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"" + user + "\"}],\"temperature\":0,\"tools\":["
                + ANTHROPIC_TOOL + "],\"tool_choice\":{\"type\":\"" + choice + "\"}" + extra + "}";
    }

    @Test
    void anthropicToolUseNonStreamingAndStreamedAgreeUnderTheSdk() {
        String stop = stopAfterTheCall("/v1/messages", anthropicBody("weather in Bergen", ",\"max_tokens\":24"));
        MessageCreateParams params = MessageCreateParams.builder().model("m").maxTokens(24)
                .addUserMessage("weather in Bergen").stopSequences(List.of(stop))
                .addTool(Tool.builder().name("weather").inputSchema(Tool.InputSchema.builder().build()).build())
                .toolChoice(com.anthropic.models.messages.ToolChoiceAny.builder().build())
                .putAdditionalBodyProperty("temperature", JsonValue.from(0)).build();
        Message whole = anthropic.messages().create(params);
        assertThat(whole.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(whole.stopSequence()).isEmpty();
        List<ContentBlock> blocks = whole.content();
        assertThat(blocks).hasSize(2);
        List<String> pieces = planner.lastPieces();
        assertThat(blocks.get(0).asThinking().thinking()).isEqualTo(pieces.getFirst());
        assertThat(blocks.get(0).asThinking().signature()).isEmpty();
        var use = blocks.get(1).asToolUse();
        assertThat(use.id()).isEqualTo("toolu_standin");
        assertThat(use.name()).isEqualTo("weather");
        @SuppressWarnings("unchecked")
        Map<String, Object> input = use._input().convert(Map.class);
        assertThat(input.get("text")).isEqualTo(String.join("", pieces.subList(1, 1 + StandInPlanner.ARGUMENT_PIECES)));

        MessageAccumulator acc = MessageAccumulator.create();
        try (var stream = anthropic.messages().createStreaming(params)) {
            stream.stream().forEach(acc::accumulate);
        }
        Message streamed = acc.message();
        assertThat(streamed.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(streamed.content()).hasSize(2);
        assertThat(streamed.content().get(0).asThinking().thinking()).isEqualTo(pieces.getFirst());
        var streamedUse = streamed.content().get(1).asToolUse();
        assertThat(streamedUse.id()).isEqualTo(use.id());
        assertThat(streamedUse._input().convert(Map.class)).isEqualTo(input);
    }

    @Test
    void anthropicBlockEventsOnTheWire() throws Exception {
        String body = anthropicBody("blocks " + StreamWireTest.prompt(20), ",\"max_tokens\":24");
        String stop = stopAfterTheCall("/v1/messages", body);
        Frames f = stream("/v1/messages", body.substring(0, body.length() - 1) + ",\"stream\":true,\"stop_sequences\":["
                + json(stop) + "]}");
        List<String> order = new ArrayList<>();
        for (Frames.Frame fr : f.frames()) {
            if (fr.event() == null) {
                continue;
            }
            JsonNode d = fr.dataJson();
            String name = fr.event();
            if (name.equals("content_block_start")) {
                name += ":" + d.get("index").asInt() + ":" + d.at("/content_block/type").asText();
            } else if (name.equals("content_block_delta")) {
                name += ":" + d.get("index").asInt() + ":" + d.at("/delta/type").asText();
            } else if (name.equals("content_block_stop")) {
                name += ":" + d.get("index").asInt();
            }
            if (order.isEmpty() || !order.getLast().equals(name)) {
                order.add(name);
            }
        }
        assertThat(order).containsExactly("message_start", "content_block_start:0:thinking", "ping",
                "content_block_delta:0:thinking_delta", "content_block_delta:0:signature_delta", "content_block_stop:0",
                "content_block_start:1:tool_use", "content_block_delta:1:input_json_delta", "content_block_stop:1",
                "message_delta", "message_stop");
        JsonNode toolStart = f.events("content_block_start").get(1).dataJson().get("content_block");
        assertThat(Json.write(toolStart)).isEqualTo("{\"type\":\"tool_use\",\"id\":\"toolu_standin\",\"name\":\"weather\","
                + "\"input\":{}}");
        JsonNode thinkingStart = f.events("content_block_start").getFirst().dataJson().get("content_block");
        assertThat(Json.write(thinkingStart)).isEqualTo("{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}");
        StringBuilder partial = new StringBuilder();
        for (Frames.Frame d : f.events("content_block_delta")) {
            if (d.dataJson().at("/delta/type").asText().equals("input_json_delta")) {
                partial.append(d.dataJson().at("/delta/partial_json").asText());
            }
        }
        assertThat(Frames.parse(partial.toString()).get("text").isTextual()).isTrue();
        JsonNode delta = f.events("message_delta").getFirst().dataJson();
        assertThat(delta.at("/delta/stop_reason").asText()).isEqualTo("tool_use");
        assertThat(delta.at("/delta/stop_sequence").isNull()).isTrue();
        String id = f.events("message_start").getFirst().dataJson().at("/message/id").asText();
        StreamWireTest.assertProgressSequence(f.comments("prefill_progress").stream().map(Frames.Frame::commentJson)
                .toList(), id, fx.server.modelId());
    }

    @Test
    void anthropicTextAfterThinkingWithoutToolsGetsItsOwnBlock() throws Exception {
        // tools offered but not to be called: thinking, then text
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"no calls\"}],\"temperature\":0,\"max_tokens\":5,"
                + "\"stream\":true,\"tools\":[" + ANTHROPIC_TOOL + "],\"tool_choice\":{\"type\":\"none\"}}";
        Frames f = stream("/v1/messages", body);
        List<Frames.Frame> starts = f.events("content_block_start");
        assertThat(starts).extracting(s -> s.dataJson().at("/content_block/type").asText()).containsExactly("thinking", "text");
        assertThat(starts).extracting(s -> s.dataJson().get("index").asInt()).containsExactly(0, 1);
        assertThat(f.events("message_delta").getFirst().dataJson().at("/delta/stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void maxTokensBeyondTheContextIsCappedToTheRoomLeft() {
        // a prompt that leaves a few tokens of room, so the model's own end is unlikely to come first
        int room = 4;
        int base = promptTokens(0);
        int per100 = promptTokens(100) - base;
        assertThat(per100).isPositive();
        int words = (CTX - 2 * room - base) * 100 / per100;
        int prompt = promptTokens(words);
        while (CTX - prompt > 2 * room) {
            prompt = promptTokens(++words);
        }
        assertThat(CTX - prompt).isPositive();
        JsonNode c = fx.post("/v1/chat/completions", chatBody(words(words), "none", ",\"max_tokens\":100000")).json();
        assertThat(c.at("/choices/0/finish_reason").asText()).as(c.toString()).isEqualTo("length");
        assertThat(c.at("/usage/completion_tokens").asInt()).isEqualTo(CTX - prompt);
        JsonNode m = fx.post("/v1/messages", anthropicBody(words(words), "none", ",\"max_tokens\":100000")).json();
        assertThat(m.get("stop_reason").asText()).as(m.toString()).isEqualTo("max_tokens");
        int[] ids = new int[CTX - room];
        java.util.Arrays.fill(ids, 100);
        JsonNode t = fx.post("/v1/completions", "{\"prompt\":" + java.util.Arrays.toString(ids)
                + ",\"max_tokens\":100000,\"temperature\":0}").json();
        assertThat(t.at("/choices/0/finish_reason").asText()).as(t.toString()).isEqualTo("length");
        assertThat(t.at("/usage/completion_tokens").asInt()).isEqualTo(room);
    }

    static String words(int n) {
        return "stone ".repeat(n).trim();
    }

    static int promptTokens(int words) {
        ServerFixture.Reply r = fx.post("/v1/chat/completions", chatBody(words(words), "none", ",\"max_tokens\":1"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().at("/usage/prompt_tokens").asInt();
    }

    static Frames stream(String path, String body) throws Exception {
        try (ServerFixture.RawStream s = fx.raw("POST", path, "127.0.0.1:" + fx.server.port(), body)) {
            assertThat(s.status).isEqualTo(200);
            return Frames.of(s.readAll());
        }
    }
}
