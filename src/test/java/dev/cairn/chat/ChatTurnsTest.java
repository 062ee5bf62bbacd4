package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.grammar.SchemaException;
import dev.cairn.grammar.TokenConstraint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Turn plans on real templates: prompt, constraint and parser for each tool_choice and response format. */
class ChatTurnsTest {
    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();
    private static final List<ChatMessage> MESSAGES = List.of(new ChatMessage("user", "Call the function."));
    private static final List<ToolSpec> TOOLS = List.of(TestTools.SPECIAL_FUNCTION,
            TestTools.SPECIAL_FUNCTION_WITH_OPT);
    private static final String HERMES_CALL = "<tool_call>\n{\"name\": \"special_function\", \"arguments\": "
            + "{\"arg1\": 1}}\n</tool_call>";

    private static ChatTemplate template(String file, String bos, String eos) {
        try {
            return ChatTemplates.fromString(Files.readString(Path.of("src/test/resources/templates", file)), bos, eos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final ChatTemplate QWEN25 = template("Qwen-Qwen2.5-7B-Instruct.jinja", "", "<|im_end|>");
    private static final ChatTemplate LLAMA31 = template("meta-llama-Llama-3.1-8B-Instruct.jinja",
            "<|begin_of_text|>", "<|eot_id|>");

    private static TurnRequest request(ToolChoice choice, JsonNode responseFormat, String prefill,
                                       Map<String, Object> args) {
        return new TurnRequest(MESSAGES, TOOLS, choice, responseFormat, prefill, args,
                TurnRequest.ReasoningFormat.DEEPSEEK);
    }

    private static TurnRequest request(ToolChoice choice) {
        return request(choice, null, "", Map.of());
    }

    private static ParsedAnswer parse(TurnPlan plan, String output) {
        List<AssistantEvent> events = new java.util.ArrayList<>(plan.parser().push(output));
        events.addAll(plan.parser().finish(false));
        return ParsedAnswer.of(events);
    }

    private static boolean accepts(TokenConstraint constraint, String text) {
        return ToolCallGrammarsTest.feed(constraint, text) == text.length() && constraint.canEnd();
    }

    @Test
    void toolChoiceNoneOffersNoToolsAndReadsNoCalls() {
        TurnPlan plan = ChatTurns.plan(request(new ToolChoice(ToolChoice.Mode.NONE, null, true)), QWEN25, TOKENIZER);
        assertThat(plan.prompt()).isEqualTo(QWEN25.renderForTokenizer(MESSAGES, true, Map.of()));
        assertThat(plan.prompt()).doesNotContain("special_function");
        assertThat(plan.constraint()).isNull();
        ParsedAnswer answer = parse(plan, HERMES_CALL);
        assertThat(answer.calls()).isEmpty();
        assertThat(answer.text()).isEqualTo(HERMES_CALL);
    }

    @Test
    void autoRendersTheToolsAndConstrainsOnlyOnceACallOpens() {
        TurnPlan plan = ChatTurns.plan(request(ToolChoice.auto()), QWEN25, TOKENIZER);
        assertThat(plan.prompt()).contains("<tools>", "\"name\": \"special_function\"")
                .endsWith("<|im_start|>assistant\n");
        assertThat(accepts(plan.constraint(), "Free text first. " + HERMES_CALL)).isTrue();
        TokenConstraint other = ChatTurns.plan(request(ToolChoice.auto()), QWEN25, TOKENIZER).constraint();
        String wrong = "Sure. <tool_call>\n{\"name\": \"unknown\"";
        assertThat(ToolCallGrammarsTest.feed(other, wrong)).isLessThan(wrong.length());
        assertThat(parse(plan, "Free text first. " + HERMES_CALL).names()).containsExactly("special_function");
    }

    @Test
    void requiredForcesACallFromTheFirstByte() {
        TurnPlan plan = ChatTurns.plan(request(new ToolChoice(ToolChoice.Mode.REQUIRED, null, true)), LLAMA31,
                TOKENIZER);
        assertThat(plan.prompt()).contains("special_function").doesNotStartWith("<|begin_of_text|>");
        assertThat(ToolCallGrammarsTest.feed(plan.constraint(), "Hello")).isZero();
        String call = "{\"name\": \"special_function\", \"parameters\": {\"arg1\": 1}}";
        TokenConstraint fresh = ChatTurns.plan(request(new ToolChoice(ToolChoice.Mode.REQUIRED, null, true)), LLAMA31,
                TOKENIZER).constraint();
        assertThat(accepts(fresh, call)).isTrue();
        assertThat(parse(plan, call).names()).containsExactly("special_function");
    }

    @Test
    void aNamedFunctionIsTheOnlyOneAllowed() {
        ToolChoice named = new ToolChoice(ToolChoice.Mode.NAMED, "special_function_with_opt", false);
        TokenConstraint constraint = ChatTurns.plan(request(named), QWEN25, TOKENIZER).constraint();
        assertThat(accepts(constraint, HERMES_CALL)).isFalse();
        TokenConstraint again = ChatTurns.plan(request(named), QWEN25, TOKENIZER).constraint();
        assertThat(accepts(again, "<tool_call>\n{\"name\": \"special_function_with_opt\", \"arguments\": "
                + "{\"arg1\": 1, \"arg2\": 2}}\n</tool_call>")).isTrue();
        ToolChoice missing = new ToolChoice(ToolChoice.Mode.NAMED, "nope", true);
        assertThatThrownBy(() -> ChatTurns.plan(request(missing), QWEN25, TOKENIZER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
    }

    @Test
    void aTemplateWithoutToolsGetsTheGenericJsonFormat() {
        ChatTemplate gemma = template("google-gemma-2-2b-it.jinja", "<bos>", "<eos>");
        TurnPlan plan = ChatTurns.plan(request(ToolChoice.auto()), gemma, TOKENIZER);
        assertThat(plan.prompt()).contains(GenericToolPrompt.INSTRUCTION, "special_function_with_opt");
        assertThat(ToolCallGrammarsTest.feed(plan.constraint(), "Hello")).isZero();
        String response = "{\"response\": \"Hi there\"}";
        TokenConstraint fresh = ChatTurns.plan(request(ToolChoice.auto()), gemma, TOKENIZER).constraint();
        assertThat(accepts(fresh, response)).isTrue();
        assertThat(parse(plan, response).text()).isEqualTo("Hi there");
    }

    @Test
    void responseFormatIsAStrictSchema() {
        JsonNode schema = TestTools.json("""
                {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}""");
        TurnRequest json = new TurnRequest(MESSAGES, List.of(), ToolChoice.auto(), schema, "", Map.of(),
                TurnRequest.ReasoningFormat.DEEPSEEK);
        assertThat(accepts(ChatTurns.plan(json, QWEN25, TOKENIZER).constraint(), "{\"a\": 1}")).isTrue();
        String wrong = "{\"b\": 1}";
        assertThat(ToolCallGrammarsTest.feed(ChatTurns.plan(json, QWEN25, TOKENIZER).constraint(), wrong))
                .isLessThan(wrong.length());
        TurnRequest anyObject = new TurnRequest(MESSAGES, List.of(), ToolChoice.auto(), TestTools.json("{}"), "",
                Map.of(), TurnRequest.ReasoningFormat.DEEPSEEK);
        assertThat(ToolCallGrammarsTest.feed(ChatTurns.plan(anyObject, QWEN25, TOKENIZER).constraint(), "[1]"))
                .isZero();
    }

    @Test
    void anUnsupportedKeywordInAResponseSchemaIsAnError() {
        JsonNode schema = TestTools.json("{\"type\": \"string\", \"format\": \"no-such-format\"}");
        TurnRequest json = new TurnRequest(MESSAGES, List.of(), ToolChoice.auto(), schema, "", Map.of(),
                TurnRequest.ReasoningFormat.DEEPSEEK);
        assertThatThrownBy(() -> ChatTurns.plan(json, QWEN25, TOKENIZER)).isInstanceOf(SchemaException.class)
                .satisfies(e -> assertThat(((SchemaException) e).keyword()).isEqualTo("format"));
    }

    @Test
    void aPromptThatOpensThinkingStartsTheAnswerInReasoning() {
        ChatTemplate r1 = template("deepseek-ai-DeepSeek-R1-Distill-Qwen-32B.jinja", "<｜begin▁of▁sentence｜>",
                "<｜end▁of▁sentence｜>");
        TurnRequest plain = new TurnRequest(MESSAGES, List.of(), ToolChoice.auto(), null, "", Map.of(),
                TurnRequest.ReasoningFormat.DEEPSEEK);
        TurnPlan plan = ChatTurns.plan(plain, r1, TOKENIZER);
        assertThat(plan.prompt()).endsWith("<think>\n");
        assertThat(plan.startsInReasoning()).isTrue();
        assertThat(plan.constraint()).isNull();
        ParsedAnswer answer = parse(plan, "Hmm.\n</think>\n\nAnswer.");
        assertThat(answer.reasoning()).isEqualTo("Hmm.");
        assertThat(answer.text()).isEqualTo("Answer.");
    }

    @Test
    void qwen3WithThinkingOffClosesTheBlockInThePrompt() {
        ChatTemplate qwen3 = template("Qwen-Qwen3-8B.jinja", "", "<|im_end|>");
        TurnPlan off = ChatTurns.plan(request(ToolChoice.auto(), null, "", Map.of("enable_thinking", false)), qwen3,
                TOKENIZER);
        assertThat(off.prompt()).endsWith("<think>\n\n</think>\n\n");
        assertThat(off.startsInReasoning()).isFalse();
        TurnPlan prefilled = ChatTurns.plan(request(ToolChoice.auto(), null, "<think>\nFirst,", Map.of()), qwen3,
                TOKENIZER);
        assertThat(prefilled.prompt()).endsWith("<|im_start|>assistant\n<think>\nFirst,");
        assertThat(prefilled.startsInReasoning()).isTrue();
        ParsedAnswer answer = parse(prefilled, " I call it.</think>\n" + HERMES_CALL);
        assertThat(answer.reasoning()).isEqualTo("I call it.");
        assertThat(answer.names()).containsExactly("special_function");
    }

    @Test
    void mistralNemoOffersToolsAndWaitsForItsMarker() {
        ChatTemplate nemo = template("mistralai-Mistral-Nemo-Instruct-2407.jinja", "<s>", "</s>");
        TurnPlan plan = ChatTurns.plan(request(ToolChoice.auto()), nemo, TOKENIZER);
        assertThat(plan.prompt()).contains("[AVAILABLE_TOOLS]", "special_function");
        String call = "[TOOL_CALLS][{\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}, "
                + "\"id\": \"abcdefghi\"}]";
        assertThat(accepts(plan.constraint(), "Okay." + call)).isTrue();
        assertThat(parse(plan, "Okay." + call).calls())
                .containsExactly(new ToolCall("abcdefghi", "special_function", "{\"arg1\":1}"));
    }
}
