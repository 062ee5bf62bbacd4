package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ToolChoiceOptions;
import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.ChatTemplate;
import dev.cairn.chat.TurnPlan;
import dev.cairn.chat.TurnRequest;
import dev.cairn.engine.EngineOptions;
import dev.cairn.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/responses through openai-java and raw HTTP on the real engine: plain and streamed answers (the SDK's
 * accumulator rebuilds the streamed response from the events, which must come in OpenAI's order), a function-call
 * loop with function_call_output, json_schema output, previous_response_id, GET /v1/responses/{id}, and progress
 * comments before the first event that carries text. Turns with tools go through a {@link StandInPlanner} (its model
 * output read as thinking and one call), wrapped to record what the chat layer was asked.
 */
class ResponsesApiTest {
    static final int CTX = 1024;
    static ServerFixture fx;
    static final StandInPlanner standIn = new StandInPlanner();
    static volatile TurnRequest lastTurn;
    static OpenAIClient openai;

    @BeforeAll
    static void start() {
        TurnPlanner recording = new TurnPlanner() {
            @Override
            public TurnPlan plan(TurnRequest request, ChatTemplate template, Tokenizer tokenizer) {
                lastTurn = request;
                return standIn.plan(request, template, tokenizer);
            }
        };
        fx = new ServerFixture(TestModels::small, new EngineOptions(1, StreamWireTest.CHUNK, CTX, 1),
                ServerOptions.defaults().withApiKey(null), recording);
        openai = fx.openAi("k");
    }

    @AfterAll
    static void stop() {
        openai.close();
        fx.close();
    }

    static ResponseCreateParams.Builder plain(String input) {
        return ResponseCreateParams.builder().model("m").input(input).temperature(0.0).maxOutputTokens(8);
    }

    static String text(Response r) {
        StringBuilder sb = new StringBuilder();
        for (ResponseOutputItem item : r.output()) {
            if (item.isMessage()) {
                item.asMessage().content().forEach(c -> sb.append(c.asOutputText().text()));
            }
        }
        return sb.toString();
    }

    @Test
    void plainAnswerIsAResponseWithOneMessageAndUsage() {
        Response r = openai.responses().create(plain(StreamWireTest.prompt(5)).build());
        r.validate();
        assertThat(r.id()).startsWith("resp_");
        assertThat(r.status()).contains(com.openai.models.responses.ResponseStatus.INCOMPLETE);
        assertThat(r.incompleteDetails().orElseThrow().reason()).hasValueSatisfying(
                reason -> assertThat(reason.asString()).isEqualTo("max_output_tokens"));
        assertThat(r.output()).hasSize(1);
        assertThat(r.output().getFirst().asMessage().id()).startsWith("msg_");
        assertThat(text(r)).isNotEmpty();
        var usage = r.usage().orElseThrow();
        assertThat(usage.outputTokens()).isEqualTo(8);
        assertThat(usage.inputTokens()).isPositive();
        assertThat(usage.totalTokens()).isEqualTo(usage.inputTokens() + 8);
        assertThat(usage.inputTokensDetails().cachedTokens()).isBetween(0L, usage.inputTokens());
    }

    @Test
    void streamedAnswerRebuildsToTheSameResponseFromEventsInOpenAisOrder() {
        ResponseCreateParams params = plain(StreamWireTest.prompt(6)).build();
        Response whole = openai.responses().create(params);
        ResponseAccumulator acc = ResponseAccumulator.createWithSnapshots();
        List<String> types = new ArrayList<>();
        List<Long> sequence = new ArrayList<>();
        try (var stream = openai.responses().createStreaming(params)) {
            stream.stream().forEach(e -> {
                acc.accumulate(e);
                JsonNode json = Json.MAPPER.valueToTree(e);
                types.add(json.get("type").asText());
                sequence.add(json.get("sequence_number").asLong());
            });
        }
        Response rebuilt = acc.reconstructedResponse();
        assertThat(text(rebuilt)).isEqualTo(text(whole));
        assertThat(text(acc.response())).isEqualTo(text(whole));
        assertThat(sequence).isEqualTo(java.util.stream.LongStream.range(0, sequence.size()).boxed().toList());
        List<String> collapsed = new ArrayList<>();
        for (String t : types) {
            if (collapsed.isEmpty() || !collapsed.getLast().equals(t)) {
                collapsed.add(t);
            }
        }
        assertThat(collapsed).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.incomplete");
    }

    @Test
    void rawStreamHasProgressCommentsBeforeTheFirstTextEventAndNoDoneLine() throws Exception {
        String body = "{\"model\":\"m\",\"input\":\"" + StreamWireTest.prompt(40)
                + "\",\"max_output_tokens\":4,\"temperature\":0,\"stream\":true}";
        Frames f;
        try (ServerFixture.RawStream s = fx.raw("POST", "/v1/responses", "127.0.0.1:" + fx.server.port(), body)) {
            assertThat(s.status).isEqualTo(200);
            f = Frames.of(s.readAll());
        }
        List<Frames.Frame> progress = f.comments("prefill_progress");
        assertThat(progress).hasSizeGreaterThan(2);
        Frames.Frame firstText = f.events("response.output_text.delta").getFirst();
        assertThat(f.indexOf(progress.getLast())).isLessThan(f.indexOf(firstText));
        assertThat(f.indexOf(f.events("response.created").getFirst())).isLessThan(f.indexOf(progress.getFirst()));
        assertThat(f.frames()).allMatch(fr -> fr.isComment("prefill_progress")
                || fr.event() != null && fr.event().equals(fr.dataJson().get("type").asText()));
        assertThat(f.frames()).noneMatch(fr -> "[DONE]".equals(fr.data()));
        JsonNode last = f.frames().getLast().dataJson();
        assertThat(last.get("type").asText()).isEqualTo("response.incomplete");
        assertThat(last.at("/response/usage/output_tokens").asInt()).isEqualTo(4);
    }

    static final FunctionTool WEATHER = FunctionTool.builder().name("weather").strict(false)
            .parameters(FunctionTool.Parameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(java.util.Map.of("text",
                            java.util.Map.of("type", "string")))).build()).build();

    @Test
    void functionCallLoopSendsTheCallsOutputBackToTheModel() {
        ResponseCreateParams first = ResponseCreateParams.builder().model("m").input("weather in Oslo?")
                .temperature(0.0).maxOutputTokens(12).addTool(WEATHER).toolChoice(ToolChoiceOptions.REQUIRED)
                .build();
        Response r = openai.responses().create(first);
        r.validate();
        assertThat(lastTurn.tools()).extracting(t -> t.name()).containsExactly("weather");
        List<ResponseOutputItem> out = r.output();
        assertThat(out.getFirst().isReasoning()).isTrue();
        assertThat(out.getFirst().asReasoning().content().orElseThrow().getFirst().text())
                .isEqualTo(standIn.lastPieces().getFirst());
        ResponseFunctionToolCall call = out.stream().filter(ResponseOutputItem::isFunctionCall).findFirst()
                .orElseThrow().asFunctionCall();
        assertThat(call.callId()).isEqualTo(StandInPlanner.CALL_ID);
        assertThat(call.name()).isEqualTo("weather");
        assertThat(call.id()).hasValueSatisfying(id -> assertThat(id).startsWith("fc_"));
        assertThat(Frames.parse(call.arguments()).get("text").asText()).isEqualTo(
                String.join("", standIn.lastPieces().subList(1, 1 + StandInPlanner.ARGUMENT_PIECES)));

        ResponseCreateParams second = ResponseCreateParams.builder().model("m").temperature(0.0).maxOutputTokens(4)
                .addTool(WEATHER).toolChoice(ToolChoiceOptions.NONE)
                .inputOfResponse(List.of(
                        ResponseInputItem.ofEasyInputMessage(com.openai.models.responses.EasyInputMessage.builder()
                                .role(com.openai.models.responses.EasyInputMessage.Role.USER)
                                .content("weather in Oslo?").build()),
                        ResponseInputItem.ofFunctionCall(call),
                        ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                                .callId(call.callId()).output("sunny, 21 degrees").build())))
                .build();
        Response answer = openai.responses().create(second);
        answer.validate();
        List<ChatMessage> seen = lastTurn.messages();
        assertThat(seen).extracting(ChatMessage::role).containsExactly("user", "assistant", "tool");
        assertThat(seen.get(1).toolCalls().getFirst().id()).isEqualTo(StandInPlanner.CALL_ID);
        assertThat(seen.get(2).content()).isEqualTo("sunny, 21 degrees");
        assertThat(seen.get(2).name()).isEqualTo("weather");
        assertThat(text(answer)).isNotEmpty();
    }

    @Test
    void jsonSchemaFormatReachesTheChatLayerAndIsEchoed() {
        String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}";
        ServerFixture.Reply r = fx.post("/v1/responses", "{\"model\":\"m\",\"input\":\"a city\",\"max_output_tokens\":4,"
                + "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"city\",\"strict\":true,\"schema\":"
                + schema + "}}}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(lastTurn.responseFormat()).isEqualTo(Frames.parse(schema));
        assertThat(r.json().at("/text/format/type").asText()).isEqualTo("json_schema");
        assertThat(r.json().at("/text/format/schema")).isEqualTo(Frames.parse(schema));

        ServerFixture.Reply missing = fx.post("/v1/responses", "{\"input\":\"x\",\"text\":{\"format\":"
                + "{\"type\":\"json_schema\",\"name\":\"n\"}}}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/error/param").asText()).isEqualTo("text.format.schema");
    }

    @Test
    void previousResponseIdContinuesTheStoredConversationAndGetReturnsIt() {
        Response first = openai.responses().create(plain("remember the word " + StreamWireTest.prompt(2))
                .instructions("be brief").build());
        Response second = openai.responses().create(ResponseCreateParams.builder().model("m")
                .input("what was the word?").previousResponseId(first.id()).maxOutputTokens(2)
                .addTool(WEATHER).toolChoice(ToolChoiceOptions.NONE).build());
        assertThat(second.previousResponseId()).contains(first.id());
        List<ChatMessage> seen = lastTurn.messages();
        assertThat(seen).extracting(ChatMessage::role).containsExactly("user", "assistant", "user");
        assertThat(seen.getFirst().content()).startsWith("remember the word");
        assertThat(seen.get(1).content()).isEqualTo(text(first));
        assertThat(seen.get(2).content()).isEqualTo("what was the word?");

        ServerFixture.Reply got = fx.get("/v1/responses/" + first.id());
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().get("id").asText()).isEqualTo(first.id());
        assertThat(got.json().at("/output/0/content/0/text").asText()).isEqualTo(text(first));
        assertThat(got.json().get("instructions").asText()).isEqualTo("be brief");

        ServerFixture.Reply unknown = fx.get("/v1/responses/resp_nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/error/message").asText()).contains("resp_nope");
        assertThat(unknown.json().at("/error/type").asText()).isEqualTo("not_found_error");

        Response unstored = openai.responses().create(plain("x").store(false).build());
        assertThat(fx.get("/v1/responses/" + unstored.id()).status()).isEqualTo(404);
        ServerFixture.Reply chained = fx.post("/v1/responses", "{\"input\":\"y\",\"previous_response_id\":\""
                + unstored.id() + "\"}");
        assertThat(chained.status()).isEqualTo(400);
        assertThat(chained.json().at("/error/param").asText()).isEqualTo("previous_response_id");
    }
}
