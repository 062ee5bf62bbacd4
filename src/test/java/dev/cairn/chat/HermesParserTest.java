package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Hermes / Qwen2.5 / Qwen3 {@code <tool_call>} outputs, many of them as llama.cpp's test-chat.cpp has them. */
class HermesParserTest {
    private static final Supplier<AssistantParser> PARSER = () -> ToolCallFormat.HERMES.parser(TestTools.ALL,
            TurnRequest.ReasoningFormat.DEEPSEEK, false);
    private static final String CALL = "<tool_call>\n{\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}}\n"
            + "</tool_call>";

    @Test
    void oneCall() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, CALL);
        assertThat(answer.text()).isEmpty();
        assertThat(answer.names()).containsExactly("special_function");
        assertThat(answer.arguments()).containsExactly("{\"arg1\":1}");
        assertThat(answer.calls().getFirst().id()).matches(ParsedAnswer.OPENAI_ID);
    }

    @Test
    void textBeforeTheCallStreamsAsText() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, "Hello, world!\nWhat's up?" + CALL);
        assertThat(answer.text()).isEqualTo("Hello, world!\nWhat's up?");
        assertThat(answer.names()).containsExactly("special_function");
    }

    @Test
    void textIsReleasedBeforeTheCallIsComplete() {
        AssistantParser parser = PARSER.get();
        assertThat(ParsedAnswer.of(parser.push("Let me check.<tool_")).text()).isEqualTo("Let me check.");
        assertThat(parser.push("call>\n{\"name\": \"special_function\", ")).isEmpty();
        assertThat(ParsedAnswer.of(parser.push("\"arguments\": {\"arg1\": 1}}\n</tool_call>")).names())
                .containsExactly("special_function");
    }

    @Test
    void severalCallsInOneAnswerAreNumberedInOrder() {
        String output = CALL + "\n<tool_call>\n{\"name\": \"special_function_with_opt\", \"arguments\": "
                + "{\"arg1\": 1, \"arg2\": 2}}\n</tool_call>";
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, output);
        assertThat(answer.text()).isEmpty();
        assertThat(answer.names()).containsExactly("special_function", "special_function_with_opt");
        assertThat(answer.arguments()).containsExactly("{\"arg1\":1}", "{\"arg1\":1,\"arg2\":2}");
        assertThat(answer.calls().get(0).id()).isNotEqualTo(answer.calls().get(1).id());
    }

    @Test
    void argumentsKeepTheirText() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, "<tool_call>\n{\"name\": \"python\", \"arguments\": "
                + "{\"code\": \"print('Hello, World!')\\nprint(\\\"</tool_call>\\\")\"}}\n</tool_call>");
        assertThat(answer.arguments()).containsExactly(
                "{\"code\":\"print('Hello, World!')\\nprint(\\\"</tool_call>\\\")\"}");
    }

    @Test
    void argumentsWrittenAsAStringOfJsonAreRead() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER,
                "<tool_call>{\"name\": \"special_function\", \"arguments\": \"{\\\"arg1\\\": 1}\"}</tool_call>");
        assertThat(answer.arguments()).containsExactly("{\"arg1\":1}");
    }

    @Test
    void aMissingClosingTagStillEndsTheCallAtTheEndOfTheAnswer() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER,
                "<tool_call>\n{\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}}");
        assertThat(answer.names()).containsExactly("special_function");
        assertThat(answer.text()).isEmpty();
    }

    @Test
    void malformedCallsBecomeText() {
        for (String output : List.of(
                "<tool_call>\n{\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}\n</tool_call>",
                "<tool_call>\n{\"arguments\": {\"arg1\": 1}}\n</tool_call>",
                "<tool_call>\nspecial_function(arg1=1)\n</tool_call>",
                "<tool_call>\n{\"name\": \"special_function\", \"arguments\": [1]}\n</tool_call>",
                "<tool_call>\n{\"name\": \"special_function\", \"arguments\": {\"arg1\": tru}}\n</tool_call>")) {
            ParsedAnswer answer = ParsedAnswer.parse(PARSER, output);
            assertThat(answer.calls()).as(output).isEmpty();
            assertThat(answer.text()).as(output).isEqualTo(output);
        }
    }

    @Test
    void aValidCallAfterAMalformedOneIsStillACall() {
        String broken = "<tool_call>\n{\"name\": oops}\n</tool_call>\n";
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, broken + CALL);
        assertThat(answer.text()).isEqualTo(broken);
        assertThat(answer.names()).containsExactly("special_function");
    }

    @Test
    void aCallCutOffByTheLengthLimitIsTextAndNoCall() {
        String cut = "Sure.\n<tool_call>\n{\"name\": \"special_function\", \"arguments\": {\"arg1\"";
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, cut, true);
        assertThat(answer.calls()).isEmpty();
        assertThat(answer.text()).isEqualTo(cut);
    }

    @Test
    void aCompleteCallWithoutItsClosingTagIsNoCallWhenTruncated() {
        String cut = "<tool_call>\n{\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}}\n</tool";
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, cut, true);
        assertThat(answer.calls()).isEmpty();
        assertThat(answer.text()).isEqualTo(cut);
    }

    @Test
    void earlierCallsSurviveATruncatedLastOne() {
        String cut = CALL + "\n<tool_call>\n{\"name\": \"special_function\", \"argu";
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, cut, true);
        assertThat(answer.names()).containsExactly("special_function");
        assertThat(answer.text()).isEqualTo("<tool_call>\n{\"name\": \"special_function\", \"argu");
    }

    @Test
    void textThatOnlyLooksLikeATagStartIsText() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, "Use <tool> or <tool_calls> in the <b>HTML</b>. <tool_");
        assertThat(answer.calls()).isEmpty();
        assertThat(answer.text()).isEqualTo("Use <tool> or <tool_calls> in the <b>HTML</b>. <tool_");
    }

    @Test
    void qwen3ThinkingThenTextThenCall() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER,
                "<think>\nI'm\nthinking\n</think>\n\nHello, world!\nWhat's up?" + CALL);
        assertThat(answer.reasoning()).isEqualTo("I'm\nthinking");
        assertThat(answer.text()).isEqualTo("Hello, world!\nWhat's up?");
        assertThat(answer.names()).containsExactly("special_function");
    }

    @Test
    void aToolCallInsideThinkingIsThinking() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, "<think>maybe " + CALL + "</think>Done.");
        assertThat(answer.calls()).isEmpty();
        assertThat(answer.reasoning()).isEqualTo("maybe " + CALL);
        assertThat(answer.text()).isEqualTo("Done.");
    }
}
