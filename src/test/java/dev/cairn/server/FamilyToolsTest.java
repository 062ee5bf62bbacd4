package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.core.type.TypeReference;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import dev.cairn.engine.EngineOptions;
import dev.cairn.grammar.SchemaCheck;
import dev.cairn.server.FamilyModels.Family;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tools and structured output end to end on each family's random-weight model with its real template, tokens and
 * call format, through the official SDKs with strict validation: forced calls and json_schema answers parse and
 * satisfy their schemas (judged by networknt's validator) whatever the model, streamed equal to not streamed, and a
 * call, its result and the answer make a tool loop on both APIs.
 */
class FamilyToolsTest {
    static final int CTX = 4096;
    static final String TRIP = """
            {"type":"object","properties":{"city":{"type":"string","enum":["Oslo","Bergen","Tromsø"]},
             "days":{"type":"integer","minimum":1,"maximum":14},"by_train":{"type":"boolean"}},
             "required":["city","days","by_train"],"additionalProperties":false}""";
    static final String WEATHER = """
            {"type":"object","properties":{"place":{"type":"string","maxLength":12},
             "unit":{"type":"string","enum":["C","F"]}},"required":["place","unit"]}""";
    static final String VERDICT = """
            {"type":"object","properties":{"answer":{"type":"string","maxLength":16},
             "confidence":{"type":"integer","minimum":0,"maximum":100},
             "tags":{"type":"array","items":{"enum":["a","b","c"]},"maxItems":3}},
             "required":["answer","confidence","tags"],"additionalProperties":false}""";
    static final int MAX_TOKENS = 400;

    private static final Map<Family, Served> SERVED = new EnumMap<>(Family.class);

    record Served(ServerFixture fx, OpenAIClient openai, AnthropicClient anthropic) {
    }

    static synchronized Served served(Family family) {
        return SERVED.computeIfAbsent(family, f -> {
            ServerFixture fx = new ServerFixture(ctx -> FamilyModels.load(f, ctx), new EngineOptions(1, 256, CTX, 1),
                    ServerOptions.defaults().withApiKey(null));
            return new Served(fx, fx.openAi("k"), fx.anthropic("k"));
        });
    }

    @AfterAll
    static void stop() {
        for (Served s : SERVED.values()) {
            s.openai().close();
            s.anthropic().close();
            s.fx().close();
        }
        SERVED.clear();
    }

    static Map<String, Object> map(String json) {
        return Json.MAPPER.convertValue(SchemaCheck.parse(json), new TypeReference<Map<String, Object>>() {
        });
    }

    static ChatCompletionFunctionTool openAiTool(String name, String schema) {
        FunctionParameters.Builder params = FunctionParameters.builder();
        map(schema).forEach((k, v) -> params.putAdditionalProperty(k, JsonValue.from(v)));
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name(name)
                .description("Plans " + name).parameters(params.build()).strict(true).build()).build();
    }

    static ChatCompletionCreateParams.Builder openAiChat(String user) {
        return ChatCompletionCreateParams.builder().model("m").addSystemMessage("You help with travel.")
                .addUserMessage(user).putAdditionalBodyProperty("chat_template_kwargs",
                        JsonValue.from(Map.of("enable_thinking", false))).temperature(0.0).maxCompletionTokens(MAX_TOKENS)
                .addTool(openAiTool("plan_trip", TRIP)).addTool(openAiTool("weather", WEATHER));
    }

    static void assertSatisfies(String schema, String json) {
        assertThat(new SchemaCheck(schema).errors(json)).as(json).isEmpty();
    }

    static ChatCompletion streamed(OpenAIClient openai, ChatCompletionCreateParams params) {
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (var stream = openai.chat().completions().createStreaming(params)) {
            stream.stream().forEach(acc::accumulate);
        }
        return acc.chatCompletion();
    }

    static ChatCompletionMessageFunctionToolCall onlyCall(ChatCompletion c) {
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertThat(choice.finishReason()).as(c.toString()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().toolCalls().orElseThrow()).hasSize(1);
        return choice.message().toolCalls().get().getFirst().asFunction();
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void openAiNamedCallSatisfiesItsSchemaStreamedOrNot(Family family) {
        Served s = served(family);
        ChatCompletionCreateParams params = openAiChat("Plan a trip north.").parallelToolCalls(false)
                .toolChoice(ChatCompletionNamedToolChoice.builder().function(ChatCompletionNamedToolChoice.Function
                        .builder().name("plan_trip").build()).build()).build();
        ChatCompletionMessageFunctionToolCall call = onlyCall(s.openai().chat().completions().create(params));
        assertThat(call.function().name()).isEqualTo("plan_trip");
        assertSatisfies(TRIP, call.function().arguments());
        ChatCompletionMessageFunctionToolCall streamedCall = onlyCall(streamed(s.openai(), params));
        assertThat(streamedCall.function().name()).isEqualTo("plan_trip");
        assertThat(SchemaCheck.parse(streamedCall.function().arguments()))
                .isEqualTo(SchemaCheck.parse(call.function().arguments()));
        assertThat(streamedCall.id()).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void openAiRequiredCallNamesAnOfferedToolAndSatisfiesItsSchema(Family family) {
        Served s = served(family);
        ChatCompletionCreateParams params = openAiChat("What is the weather?").parallelToolCalls(false)
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build();
        for (ChatCompletion c : List.of(s.openai().chat().completions().create(params), streamed(s.openai(), params))) {
            ChatCompletionMessageFunctionToolCall call = onlyCall(c);
            assertThat(call.function().name()).isIn("plan_trip", "weather");
            assertSatisfies(call.function().name().equals("weather") ? WEATHER : TRIP, call.function().arguments());
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void openAiJsonSchemaAnswerSatisfiesItsSchemaStreamedOrNot(Family family) {
        Served s = served(family);
        ResponseFormatJsonSchema.JsonSchema.Schema.Builder schema = ResponseFormatJsonSchema.JsonSchema.Schema.builder();
        map(VERDICT).forEach((k, v) -> schema.putAdditionalProperty(k, JsonValue.from(v)));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("m")
                .addUserMessage("Judge this.").temperature(0.0).maxCompletionTokens(MAX_TOKENS)
                .responseFormat(ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema
                        .builder().name("verdict").strict(true).schema(schema.build()).build()).build()).build();
        ChatCompletion whole = s.openai().chat().completions().create(params);
        assertThat(whole.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        String content = whole.choices().getFirst().message().content().orElseThrow();
        assertSatisfies(VERDICT, content);
        assertThat(streamed(s.openai(), params).choices().getFirst().message().content()).contains(content);
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void openAiToolLoop(Family family) {
        Served s = served(family);
        ChatCompletionCreateParams first = openAiChat("Plan a trip north.").parallelToolCalls(false)
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED).build();
        ChatCompletion called = s.openai().chat().completions().create(first);
        ChatCompletionMessageFunctionToolCall call = onlyCall(called);
        ChatCompletion answer = s.openai().chat().completions().create(openAiAfterCall(called, call, "booked"));
        assertThat(answer.choices().getFirst().message().toolCalls().orElse(List.of())).isEmpty();
        assertThat(answer.choices().getFirst().message().content()).isPresent();
        // the result is part of the prompt: a longer result makes a longer prompt
        ChatCompletion longer = s.openai().chat().completions().create(openAiAfterCall(called, call,
                "booked on the night train with a sleeper cabin"));
        assertThat(longer.usage().orElseThrow().promptTokens())
                .isGreaterThan(answer.usage().orElseThrow().promptTokens());
    }

    static ChatCompletionCreateParams openAiAfterCall(ChatCompletion called, ChatCompletionMessageFunctionToolCall call,
                                                      String result) {
        return openAiChat("Plan a trip north.").maxCompletionTokens(8)
                .addMessage(called.choices().getFirst().message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id())
                        .content("{\"status\": \"" + result + "\"}").build())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE).build();
    }

    static Tool anthropicTool(String name, String schema) {
        Map<String, Object> m = map(schema);
        Tool.InputSchema.Builder input = Tool.InputSchema.builder()
                .properties(com.anthropic.core.JsonValue.from(m.get("properties")));
        m.forEach((k, v) -> {
            if (!k.equals("properties") && !k.equals("type")) {
                input.putAdditionalProperty(k, com.anthropic.core.JsonValue.from(v));
            }
        });
        return Tool.builder().name(name).description("Plans " + name).inputSchema(input.build()).build();
    }

    static MessageCreateParams.Builder anthropicMessage(String user) {
        return MessageCreateParams.builder().model("m").maxTokens(MAX_TOKENS).addUserMessage(user)
                .addTool(anthropicTool("plan_trip", TRIP)).addTool(anthropicTool("weather", WEATHER))
                .putAdditionalBodyProperty("temperature", com.anthropic.core.JsonValue.from(0))
                .thinking(com.anthropic.models.messages.ThinkingConfigDisabled.builder().build());
    }

    static ToolUseBlock onlyToolUse(Message m) {
        assertThat(m.stopReason()).as(m.toString()).contains(StopReason.TOOL_USE);
        List<ToolUseBlock> uses = m.content().stream().filter(ContentBlock::isToolUse).map(ContentBlock::asToolUse)
                .toList();
        assertThat(uses).hasSize(1);
        assertThat(uses.getFirst().id()).isNotBlank();
        return uses.getFirst();
    }

    static String inputJson(ToolUseBlock use) {
        return Json.write(Json.MAPPER.valueToTree(use._input().convert(Object.class)));
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void anthropicForcedToolUseSatisfiesItsSchemaStreamedOrNot(Family family) {
        Served s = served(family);
        MessageCreateParams named = anthropicMessage("Plan a trip north.").toolChoice(ToolChoiceTool.builder()
                .name("plan_trip").disableParallelToolUse(true).build()).build();
        ToolUseBlock use = onlyToolUse(s.anthropic().messages().create(named));
        assertThat(use.name()).isEqualTo("plan_trip");
        assertSatisfies(TRIP, inputJson(use));
        MessageAccumulator acc = MessageAccumulator.create();
        try (var stream = s.anthropic().messages().createStreaming(named)) {
            stream.stream().forEach(acc::accumulate);
        }
        ToolUseBlock streamedUse = onlyToolUse(acc.message());
        assertThat(SchemaCheck.parse(inputJson(streamedUse))).isEqualTo(SchemaCheck.parse(inputJson(use)));

        MessageCreateParams any = anthropicMessage("Weather?").toolChoice(ToolChoiceAny.builder()
                .disableParallelToolUse(true).build()).build();
        ToolUseBlock anyUse = onlyToolUse(s.anthropic().messages().create(any));
        assertThat(anyUse.name()).isIn("plan_trip", "weather");
        assertSatisfies(anyUse.name().equals("weather") ? WEATHER : TRIP, inputJson(anyUse));
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void anthropicToolLoop(Family family) {
        Served s = served(family);
        MessageCreateParams first = anthropicMessage("Plan a trip north.").toolChoice(ToolChoiceAny.builder()
                .disableParallelToolUse(true).build()).build();
        Message called = s.anthropic().messages().create(first);
        ToolUseBlock use = onlyToolUse(called);
        Message answer = s.anthropic().messages().create(anthropicAfterCall(called, use, "booked"));
        assertThat(answer.content()).noneMatch(ContentBlock::isToolUse);
        assertThat(answer.stopReason()).isPresent().get().isNotEqualTo(StopReason.TOOL_USE);
        Message longer = s.anthropic().messages().create(anthropicAfterCall(called, use,
                "booked on the night train with a sleeper cabin"));
        assertThat(longer.usage().inputTokens() + longer.usage().cacheReadInputTokens().orElse(0L))
                .isGreaterThan(answer.usage().inputTokens() + answer.usage().cacheReadInputTokens().orElse(0L));
    }

    static MessageCreateParams anthropicAfterCall(Message called, ToolUseBlock use, String result) {
        return anthropicMessage("Plan a trip north.").maxTokens(8).addMessage(called.toParam())
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(ToolResultBlockParam.builder()
                        .toolUseId(use.id()).content("{\"status\": \"" + result + "\"}").build())))
                .toolChoice(com.anthropic.models.messages.ToolChoiceNone.builder().build()).build();
    }

    @org.junit.jupiter.api.Test
    void strictSchemaWithAnUnsupportedKeywordIsA400NamingIt() {
        ServerFixture fx = served(Family.QWEN25).fx();
        String schema = "{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Z]+$\"}}}";
        ServerFixture.Reply tool = fx.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"strict\":true,\"parameters\":" + schema
                + "}}],\"tool_choice\":\"required\",\"max_tokens\":4}");
        assertThat(BadInputTest.openAiError(tool, 400, "invalid_request_error")).contains("'pattern'");
        assertThat(tool.json().at("/error/param").asText()).isEqualTo("pattern");
        ServerFixture.Reply format = fx.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"n\",\"strict\":true,"
                + "\"schema\":" + schema + "}},\"max_tokens\":4}");
        assertThat(BadInputTest.openAiError(format, 400, "invalid_request_error")).contains("'pattern'");
        ServerFixture.Reply anthropic = fx.post("/v1/messages", "{\"max_tokens\":4,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}],\"tools\":[{\"name\":\"f\",\"strict\":true,\"input_schema\":" + schema + "}],"
                + "\"tool_choice\":{\"type\":\"any\"}}");
        assertThat(BadInputTest.anthropicError(anthropic, 400, "invalid_request_error")).contains("'pattern'");
    }
}
