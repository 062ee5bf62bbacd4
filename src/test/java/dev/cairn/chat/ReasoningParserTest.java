package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@code <think>…</think>} split out of answers (Qwen3, QwQ, DeepSeek-R1 distills), or left inline. */
class ReasoningParserTest {
    private static Supplier<AssistantParser> parser(TurnRequest.ReasoningFormat format, boolean startsInReasoning) {
        return () -> ToolCallFormat.HERMES.parser(List.of(), format, startsInReasoning);
    }

    private static final Supplier<AssistantParser> DEEPSEEK = parser(TurnRequest.ReasoningFormat.DEEPSEEK, false);
    private static final Supplier<AssistantParser> OPENED = parser(TurnRequest.ReasoningFormat.DEEPSEEK, true);

    @Test
    void thinkingAtTheStartIsReasoning() {
        ParsedAnswer answer = ParsedAnswer.parse(DEEPSEEK, "<think>I'm\nthinking</think>Hello, world!\nWhat's up?");
        assertThat(answer.reasoning()).isEqualTo("I'm\nthinking");
        assertThat(answer.text()).isEqualTo("Hello, world!\nWhat's up?");
    }

    @Test
    void whitespaceAroundThinkingIsTrimmed() {
        ParsedAnswer answer = ParsedAnswer.parse(DEEPSEEK, "\n<think>\n\n  a  b \n</think>\n\n  Answer  ");
        assertThat(answer.reasoning()).isEqualTo("a  b");
        assertThat(answer.text()).isEqualTo("Answer  ");
    }

    @Test
    void qwen3EmptyThinkingLeavesOnlyTheAnswer() {
        ParsedAnswer answer = ParsedAnswer.parse(DEEPSEEK, "<think>\n\n</think>\n\nHi there");
        assertThat(answer.reasoning()).isEmpty();
        assertThat(answer.text()).isEqualTo("Hi there");
    }

    @Test
    void thinkingLaterInTheAnswerIsText() {
        ParsedAnswer answer = ParsedAnswer.parse(DEEPSEEK, "Hi <think>not reasoning</think>");
        assertThat(answer.reasoning()).isEmpty();
        assertThat(answer.text()).isEqualTo("Hi <think>not reasoning</think>");
    }

    @Test
    void promptOpenedThinkingStartsAsReasoning() {
        ParsedAnswer answer = ParsedAnswer.parse(OPENED, "I'm\nthinking\n</think>\n\nHello, world!");
        assertThat(answer.reasoning()).isEqualTo("I'm\nthinking");
        assertThat(answer.text()).isEqualTo("Hello, world!");
    }

    @Test
    void thinkingNeverClosedIsAllReasoning() {
        ParsedAnswer answer = ParsedAnswer.parse(OPENED, "Still thinking about </thin", true);
        assertThat(answer.reasoning()).isEqualTo("Still thinking about </thin");
        assertThat(answer.text()).isEmpty();
    }

    @Test
    void reasoningIsStreamedBeforeTheBlockCloses() {
        AssistantParser parser = OPENED.get();
        assertThat(ParsedAnswer.of(parser.push("Let me think </th")).reasoning()).isEqualTo("Let me think");
        assertThat(ParsedAnswer.of(parser.push("ink>Answer")).text()).isEqualTo("Answer");
    }

    @Test
    void reasoningThenToolCall() {
        ParsedAnswer answer = ParsedAnswer.parse(() -> ToolCallFormat.HERMES.parser(TestTools.ALL,
                TurnRequest.ReasoningFormat.DEEPSEEK, true), "I should call it.</think>\n<tool_call>\n"
                + "{\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}}\n</tool_call>");
        assertThat(answer.reasoning()).isEqualTo("I should call it.");
        assertThat(answer.text()).isEmpty();
        assertThat(answer.names()).containsExactly("special_function");
    }

    @Test
    void formatNoneLeavesThinkingInlineAsText() {
        String output = "<think>I'm\nthinking</think>Hello";
        ParsedAnswer answer = ParsedAnswer.parse(parser(TurnRequest.ReasoningFormat.NONE, false), output);
        assertThat(answer.reasoning()).isEmpty();
        assertThat(answer.text()).isEqualTo(output);
        ParsedAnswer opened = ParsedAnswer.parse(parser(TurnRequest.ReasoningFormat.NONE, true), "hmm</think>Hi");
        assertThat(opened.reasoning()).isEmpty();
        assertThat(opened.text()).isEqualTo("hmm</think>Hi");
    }
}
