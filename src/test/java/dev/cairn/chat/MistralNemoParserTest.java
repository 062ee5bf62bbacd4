package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Mistral Nemo's {@code [TOOL_CALLS]} arrays, as llama.cpp's test-chat.cpp writes them. */
class MistralNemoParserTest {
    private static final Supplier<AssistantParser> PARSER = () -> ToolCallFormat.MISTRAL_NEMO.parser(TestTools.ALL,
            TurnRequest.ReasoningFormat.DEEPSEEK, false);

    @Test
    void callWithTheModelsId() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER,
                "[TOOL_CALLS][{\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}, \"id\": \"123456789\"}]");
        assertThat(answer.text()).isEmpty();
        assertThat(answer.calls()).containsExactly(new ToolCall("123456789", "special_function", "{\"arg1\":1}"));
    }

    @Test
    void withoutAnIdTheCallGetsNineAlphanumerics() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER,
                "[TOOL_CALLS] [{\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}}]");
        assertThat(answer.calls().getFirst().id()).matches("[A-Za-z0-9]{9}");
    }

    @Test
    void textBeforeAndSeveralCallsInOneArray() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, "Sure.[TOOL_CALLS][{\"name\": \"special_function\", "
                + "\"arguments\": {\"arg1\": 1}, \"id\": \"aaaaaaaaa\"}, {\"name\": \"python\", \"arguments\": "
                + "{\"code\": \"1+1\"}, \"id\": \"bbbbbbbbb\"}]");
        assertThat(answer.text()).isEqualTo("Sure.");
        assertThat(answer.calls()).containsExactly(
                new ToolCall("aaaaaaaaa", "special_function", "{\"arg1\":1}"),
                new ToolCall("bbbbbbbbb", "python", "{\"code\":\"1+1\"}"));
    }

    @Test
    void malformedAndTruncatedCallsAreText() {
        String malformed = "[TOOL_CALLS][{\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}}, 7]";
        assertThat(ParsedAnswer.parse(PARSER, malformed).text()).isEqualTo(malformed);
        String empty = "[TOOL_CALLS][]";
        assertThat(ParsedAnswer.parse(PARSER, empty).text()).isEqualTo(empty);
        String cut = "[TOOL_CALLS][{\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}}";
        ParsedAnswer truncated = ParsedAnswer.parse(PARSER, cut, true);
        assertThat(truncated.calls()).isEmpty();
        assertThat(truncated.text()).isEqualTo(cut);
    }
}
