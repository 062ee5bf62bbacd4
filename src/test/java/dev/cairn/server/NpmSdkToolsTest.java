package dev.cairn.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.engine.EngineOptions;
import dev.cairn.engine.GenerationRequest;
import dev.cairn.server.FamilyModels.Family;
import dev.cairn.grammar.SchemaCheck;
import dev.cairn.server.NodeSdk.Job;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tools and structured output through the official npm SDKs on every family's test model (random weights, real
 * template and special tokens): forced calls and json_schema answers parse and satisfy their schemas, streamed (the
 * SDKs' own stream helpers accumulate them) and not, and a tool loop (call, result, answer) reaches the model's
 * prompt in the family's own markup. Each family's jobs run in one Node.js process against one server.
 */
class NpmSdkToolsTest {
    static final String KEY = "npm-tools-key";

    /** Bounded values only (enums, ranges, a date), so even a random model's forced answer ends well within the limit. */
    static final String WEATHER_SCHEMA = """
            {"type": "object", "properties": {
               "city": {"type": "string", "enum": ["Paris", "Tokyo", "Lima"]},
               "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
               "days": {"type": "integer", "minimum": 1, "maximum": 7},
               "date": {"type": "string", "format": "date"}},
             "required": ["city", "unit", "days", "date"], "additionalProperties": false}""";
    static final String ADD_SCHEMA = """
            {"type": "object", "properties": {
               "a": {"type": "integer", "minimum": 0, "maximum": 99},
               "exact": {"type": "boolean"}},
             "required": ["a", "exact"], "additionalProperties": false}""";
    static final String ANSWER_SCHEMA = """
            {"type": "object", "properties": {
               "answer": {"type": "string", "enum": ["yes", "no"]},
               "confidence": {"type": "integer", "minimum": 0, "maximum": 10},
               "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}, "maxItems": 2}},
             "required": ["answer", "confidence", "tags"], "additionalProperties": false}""";
    static final Map<String, SchemaCheck> SCHEMAS = Map.of("get_weather", new SchemaCheck(WEATHER_SCHEMA),
            "add", new SchemaCheck(ADD_SCHEMA));

    static final String OPENAI_TOOLS = """
            [{"type": "function", "function": {"name": "get_weather", "description": "Weather forecast for a city",
              "strict": true, "parameters": %s}},
             {"type": "function", "function": {"name": "add", "description": "Adds one to a number",
              "strict": true, "parameters": %s}}]""".formatted(WEATHER_SCHEMA, ADD_SCHEMA);
    static final String ANTHROPIC_TOOLS = """
            [{"name": "get_weather", "description": "Weather forecast for a city", "input_schema": %s},
             {"name": "add", "description": "Adds one to a number", "input_schema": %s}]"""
            .formatted(WEATHER_SCHEMA, ADD_SCHEMA);

    static final String USER = "What will the weather be in Paris this week?";
    /**
     * Room for a forced answer: the grammar lets JSON carry a bounded run of whitespace at each position, and random
     * weights take it. Thinking is switched off (Qwen3 would otherwise think, unconstrained, until the limit).
     */
    static final int MAX_TOKENS = 700;

    /** Where a tool's result lands in each family's prompt, and how the call before it is written back. */
    static final Map<Family, List<String>> LOOP_MARKUP = Map.of(
            Family.QWEN25, List.of("<tool_call>", "</tool_call>", "<tool_response>"),
            Family.QWEN3, List.of("<tool_call>", "</tool_call>", "<tool_response>"),
            Family.HERMES3, List.of("<tool_call>", "</tool_call>", "<tool_response>"),
            Family.LLAMA31, List.of("\"name\": \"get_weather\"", "<|start_header_id|>ipython<|end_header_id|>"),
            Family.MISTRAL_NEMO, List.of("[TOOL_CALLS]", "[TOOL_RESULTS]", "[/TOOL_RESULTS]"));

    /** What one family's server answered to every job, and the prompts it ran. */
    record Batch(Map<String, NodeSdk.Result> results, List<String> prompts) {
        JsonNode ok(String job) {
            return results.get(job).ok();
        }
    }

    private static final Map<Family, Batch> BATCHES = new EnumMap<>(Family.class);

    static synchronized Batch batch(Family family) {
        return BATCHES.computeIfAbsent(family, NpmSdkToolsTest::runBatch);
    }

    private static Batch runBatch(Family family) {
        Map<String, Job> jobs = jobs();
        try (ServerFixture fx = new ServerFixture(ctx -> FamilyModels.load(family, ctx),
                new EngineOptions(1, 256, 4096, 1), ServerOptions.defaults().withApiKey(KEY))) {
            List<NodeSdk.Result> results = NodeSdk.run(fx.base(), KEY, List.copyOf(jobs.values()));
            Map<String, NodeSdk.Result> byName = new LinkedHashMap<>();
            List<String> names = List.copyOf(jobs.keySet());
            for (int i = 0; i < names.size(); i++) {
                byName.put(names.get(i), results.get(i));
            }
            List<String> prompts = new ArrayList<>();
            for (GenerationRequest r : fx.recorder.submitted) {
                prompts.add(fx.bundle.tokenizer().decode(r.promptTokens()));
            }
            return new Batch(byName, prompts);
        }
    }

    static Map<String, Job> jobs() {
        Map<String, Job> jobs = new LinkedHashMap<>();
        String namedChoice = "{\"type\": \"function\", \"function\": {\"name\": \"get_weather\"}}";
        jobs.put("openai-named", openai("create", namedChoice));
        jobs.put("openai-named-stream", openai("stream", namedChoice));
        jobs.put("openai-required-parse", openai("parse", "\"required\""));
        jobs.put("openai-required-stream", openai("stream", "\"required\""));
        jobs.put("openai-run-tools", withTicket(openai("run-tools", namedChoice), "openai-run-tools"));
        String format = """
                {"model": "m", "temperature": 0, "max_completion_tokens": %d,
                 "chat_template_kwargs": {"enable_thinking": false},
                 "messages": [{"role": "user", "content": "Is it sunny? Answer in JSON."}],
                 "response_format": {"type": "json_schema",
                   "json_schema": {"name": "answer", "strict": true, "schema": %s}}}""".formatted(MAX_TOKENS, ANSWER_SCHEMA);
        jobs.put("openai-schema", new Job("openai", "create", NpmSdkTest.json(format)));
        jobs.put("openai-schema-stream", new Job("openai", "stream", NpmSdkTest.json(format)));
        jobs.put("openai-schema-parse", new Job("openai", "parse", NpmSdkTest.json(format)));
        String toolChoice = "{\"type\": \"tool\", \"name\": \"get_weather\", \"disable_parallel_tool_use\": true}";
        jobs.put("anthropic-tool", anthropic("create", toolChoice));
        jobs.put("anthropic-tool-stream", anthropic("stream", toolChoice));
        String anyChoice = "{\"type\": \"any\", \"disable_parallel_tool_use\": true}";
        jobs.put("anthropic-any", anthropic("create", anyChoice));
        jobs.put("anthropic-any-stream", anthropic("stream", anyChoice));
        for (boolean stream : new boolean[] {false, true}) {
            String suffix = stream ? "-stream" : "";
            // The answer after the result is cut short on purpose; the SDK's helpers refuse to parse a cut answer
            // to strict tools (LengthFinishReasonError), so the follow-up offers them without strict.
            jobs.put("openai-loop" + suffix, loop(openai("create", namedChoice), stream, "openai-loop" + suffix,
                    "{\"tool_choice\": \"none\", \"max_completion_tokens\": 6, \"tools\": "
                            + OPENAI_TOOLS.replace("\"strict\": true", "\"strict\": false") + "}"));
            jobs.put("anthropic-loop" + suffix, loop(anthropic("create", toolChoice), stream,
                    "anthropic-loop" + suffix, "{\"tool_choice\": {\"type\": \"none\"}, \"max_tokens\": 6}"));
        }
        return jobs;
    }

    static Job openai(String op, String toolChoice) {
        return new Job("openai", op, NpmSdkTest.json("""
                {"model": "m", "temperature": 0, "max_completion_tokens": %d, "parallel_tool_calls": false,
                 "chat_template_kwargs": {"enable_thinking": false},
                 "messages": [{"role": "system", "content": "You are a helpful assistant."},
                              {"role": "user", "content": "%s"}],
                 "tools": %s, "tool_choice": %s}""".formatted(MAX_TOKENS, USER, OPENAI_TOOLS, toolChoice)));
    }

    static Job anthropic(String op, String toolChoice) {
        return new Job("anthropic", op, NpmSdkTest.json("""
                {"model": "claude-whatever", "max_tokens": %d, "temperature": 0, "thinking": {"type": "disabled"},
                 "system": "You are a helpful assistant.", "messages": [{"role": "user", "content": "%s"}],
                 "tools": %s, "tool_choice": %s}""".formatted(MAX_TOKENS, USER, ANTHROPIC_TOOLS, toolChoice)));
    }

    static Job withTicket(Job job, String ticket) {
        return new Job(job.sdk(), job.op(), job.request(), Json.MAPPER.createObjectNode().put("ticket", ticket + "!"));
    }

    static Job loop(Job first, boolean stream, String ticket, String followUp) {
        ObjectNode extra = Json.MAPPER.createObjectNode().put("stream", stream).put("ticket", ticket + "!");
        extra.set("followUp", NpmSdkTest.json(followUp));
        return new Job(first.sdk(), "tool-loop", first.request(), extra);
    }

    /** The one call of an OpenAI answer, after checking the answer is a tool call whose arguments fit the schema. */
    static JsonNode openAiCall(JsonNode completion, String expectedName) {
        JsonNode choice = completion.get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).as(completion.toString()).isEqualTo("tool_calls");
        JsonNode calls = choice.get("message").get("tool_calls");
        assertThat(calls).as(completion.toString()).hasSize(1);
        JsonNode call = calls.get(0);
        assertThat(call.get("type").asText()).isEqualTo("function");
        assertThat(call.get("id").asText()).isNotBlank();
        String name = call.get("function").get("name").asText();
        if (expectedName != null) {
            assertThat(name).isEqualTo(expectedName);
        }
        assertFits(name, call.get("function").get("arguments").asText());
        return call;
    }

    static JsonNode anthropicCall(JsonNode message, String expectedName) {
        assertThat(message.get("stop_reason").asText()).as(message.toString()).isEqualTo("tool_use");
        List<JsonNode> uses = new ArrayList<>();
        message.get("content").forEach(b -> {
            if (b.get("type").asText().equals("tool_use")) {
                uses.add(b);
            }
        });
        assertThat(uses).as(message.toString()).hasSize(1);
        JsonNode use = uses.getFirst();
        assertThat(use.get("id").asText()).isNotBlank();
        if (expectedName != null) {
            assertThat(use.get("name").asText()).isEqualTo(expectedName);
        }
        assertFits(use.get("name").asText(), use.get("input").toString());
        return use;
    }

    static void assertFits(String tool, String arguments) {
        assertThat(SCHEMAS).as("tool name").containsKey(tool);
        assertThat(SCHEMAS.get(tool).errors(arguments)).as(tool + " arguments " + arguments).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void openAiNamedToolCallFitsItsSchemaStreamedAndNot(Family family) {
        Batch b = batch(family);
        JsonNode whole = openAiCall(b.ok("openai-named").get("response"), "get_weather");
        JsonNode streamed = b.ok("openai-named-stream");
        JsonNode accumulated = openAiCall(streamed.get("response"), "get_weather");
        // Greedy, so the stream carries the same call; the SDK's helper rebuilt it from the argument fragments.
        assertThat(SchemaCheck.parse(accumulated.get("function").get("arguments").asText()))
                .isEqualTo(SchemaCheck.parse(whole.get("function").get("arguments").asText()));
        JsonNode done = streamed.get("argumentsDone");
        assertThat(done).hasSize(1);
        assertThat(done.get(0).get("name").asText()).isEqualTo("get_weather");
        assertThat(done.get(0).get("parsed_arguments"))
                .isEqualTo(SchemaCheck.parse(whole.get("function").get("arguments").asText()));
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void openAiRequiredToolCallParsesWithTheSdksParseHelper(Family family) {
        Batch b = batch(family);
        JsonNode call = openAiCall(b.ok("openai-required-parse").get("response"), null);
        assertThat(call.get("function").get("parsed_arguments"))
                .isEqualTo(SchemaCheck.parse(call.get("function").get("arguments").asText()));
        JsonNode streamed = openAiCall(b.ok("openai-required-stream").get("response"), null);
        assertThat(streamed.get("function").get("name")).isEqualTo(call.get("function").get("name"));
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void openAiToolRunnerCallsTheFunctionWithArgumentsThatFit(Family family) {
        JsonNode run = batch(family).ok("openai-run-tools");
        // A named tool_choice makes the runner stop after running that function once.
        assertThat(run.get("calls")).hasSize(1);
        JsonNode call = run.get("calls").get(0);
        assertThat(call.get("name").asText()).isEqualTo("get_weather");
        assertFits("get_weather", call.get("args").toString());
        JsonNode messages = run.get("messages");
        JsonNode last = messages.get(messages.size() - 1);
        assertThat(last.get("role").asText()).isEqualTo("tool");
        assertThat(last.get("content").asText()).contains("openai-run-tools!");
        openAiCall(run.get("response"), "get_weather");
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void openAiJsonSchemaAnswerFitsStreamedAndNot(Family family) {
        Batch b = batch(family);
        SchemaCheck check = new SchemaCheck(ANSWER_SCHEMA);
        JsonNode choice = b.ok("openai-schema").get("response").get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).as(choice.toString()).isEqualTo("stop");
        String content = choice.get("message").get("content").asText();
        assertThat(check.errors(content)).as(content).isEmpty();

        JsonNode streamed = b.ok("openai-schema-stream");
        assertThat(streamed.get("response").get("choices").get(0).get("message").get("content").asText())
                .isEqualTo(content);
        assertThat(streamed.get("contentDone").get(0).get("parsed")).isEqualTo(SchemaCheck.parse(content));

        JsonNode parsed = b.ok("openai-schema-parse").get("response").get("choices").get(0).get("message");
        assertThat(parsed.get("parsed")).isEqualTo(SchemaCheck.parse(content));
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void anthropicForcedToolUseFitsItsSchemaStreamedAndNot(Family family) {
        Batch b = batch(family);
        JsonNode named = anthropicCall(b.ok("anthropic-tool").get("response"), "get_weather");
        JsonNode streamed = b.ok("anthropic-tool-stream");
        JsonNode accumulated = anthropicCall(streamed.get("response"), "get_weather");
        assertThat(accumulated.get("input")).isEqualTo(named.get("input"));
        JsonNode inputJson = streamed.get("inputJson");
        assertThat(inputJson.size()).isGreaterThan(0);
        assertThat(inputJson.get(inputJson.size() - 1).get("snapshot")).isEqualTo(named.get("input"));

        JsonNode any = anthropicCall(b.ok("anthropic-any").get("response"), null);
        JsonNode anyStreamed = anthropicCall(b.ok("anthropic-any-stream").get("response"), null);
        assertThat(anyStreamed.get("name")).isEqualTo(any.get("name"));
        assertThat(anyStreamed.get("input")).isEqualTo(any.get("input"));
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void openAiToolLoopCallsThenAnswersWithTheResultInThePrompt(Family family) {
        Batch b = batch(family);
        for (String job : List.of("openai-loop", "openai-loop-stream")) {
            JsonNode loop = b.ok(job);
            openAiCall(loop.get("first").get("response"), "get_weather");
            JsonNode answer = loop.get("second").get("response").get("choices").get(0);
            JsonNode calls = answer.get("message").get("tool_calls");
            assertThat(calls == null || calls.isNull() || calls.isEmpty()).as(job + ": " + answer).isTrue();
            assertThat(answer.get("finish_reason").asText()).as(job).isIn("stop", "length");
            assertThat(answer.get("message").get("content").asText()).as(job).isNotEmpty();
            assertResultReachedThePrompt(b, family, job);
        }
    }

    @ParameterizedTest
    @EnumSource(Family.class)
    void anthropicToolLoopCallsThenAnswersWithTheResultInThePrompt(Family family) {
        Batch b = batch(family);
        for (String job : List.of("anthropic-loop", "anthropic-loop-stream")) {
            JsonNode loop = b.ok(job);
            anthropicCall(loop.get("first").get("response"), "get_weather");
            JsonNode answer = loop.get("second").get("response");
            assertThat(answer.get("stop_reason").asText()).as(job).isIn("end_turn", "max_tokens");
            assertThat(answer.get("content")).as(job).allSatisfy(c -> assertThat(c.get("type").asText())
                    .isEqualTo("text"));
            assertResultReachedThePrompt(b, family, job);
        }
    }

    /** The follow-up's prompt holds the call written back and the tool's result, in the family's markup. */
    static void assertResultReachedThePrompt(Batch b, Family family, String ticket) {
        List<String> withResult = b.prompts().stream().filter(p -> p.contains(ticket + "!")).toList();
        assertThat(withResult).as("prompts with the result of " + ticket).hasSize(1);
        assertThat(withResult.getFirst()).contains(LOOP_MARKUP.get(family));
    }
}
