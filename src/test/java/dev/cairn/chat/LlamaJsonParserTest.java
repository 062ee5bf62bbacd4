package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Llama 3.1 / 3.2 / 3.3 JSON calls, as llama.cpp's test-chat.cpp writes them. */
class LlamaJsonParserTest {
    private static final Supplier<AssistantParser> PARSER = () -> ToolCallFormat.LLAMA3_JSON.parser(TestTools.ALL,
            TurnRequest.ReasoningFormat.DEEPSEEK, false);

    @Test
    void plainJsonCall() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER,
                "{\"name\": \"special_function\", \"parameters\": {\"arg1\": 1}}");
        assertThat(answer.text()).isEmpty();
        assertThat(answer.names()).containsExactly("special_function");
        assertThat(answer.arguments()).containsExactly("{\"arg1\":1}");
    }

    @Test
    void typedFunctionCall() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER,
                "{\"type\": \"function\", \"name\": \"special_function\", \"parameters\": {\"arg1\": 1}}");
        assertThat(answer.names()).containsExactly("special_function");
        assertThat(answer.arguments()).containsExactly("{\"arg1\":1}");
    }

    @Test
    void afterPythonTag() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER,
                "<|python_tag|>{\"name\": \"python\", \"parameters\": {\"code\": \"print('hey')\"}}");
        assertThat(answer.text()).isEmpty();
        assertThat(answer.arguments()).containsExactly("{\"code\":\"print('hey')\"}");
    }

    @Test
    void textBeforeAndSeveralCalls() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, "Calling both.\n"
                + "{\"name\": \"special_function\", \"parameters\": {\"arg1\": 1}}; "
                + "{\"name\": \"special_function_with_opt\", \"parameters\": {\"arg1\": 1, \"arg2\": 2}}\n");
        assertThat(answer.text()).isEqualTo("Calling both.\n");
        assertThat(answer.names()).containsExactly("special_function", "special_function_with_opt");
    }

    @Test
    void jsonThatIsNotACallIsText() {
        for (String output : List.of("{\"answer\": 42}", "Here: {\"name\": \"John\", \"age\": 3} ok",
                "{\"type\": \"person\", \"name\": \"x\", \"parameters\": {}}", "a {b} c {", "{ \"name\"")) {
            ParsedAnswer answer = ParsedAnswer.parse(PARSER, output);
            assertThat(answer.calls()).as(output).isEmpty();
            assertThat(answer.text()).as(output).isEqualTo(output);
        }
    }

    @Test
    void builtinPythonTagCallsAreText() {
        String output = "<|python_tag|>brave_search.call(query=\"weather\")";
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, output);
        assertThat(answer.calls()).isEmpty();
        assertThat(answer.text()).isEqualTo(output);
    }

    @Test
    void truncatedCallIsText() {
        String cut = "{\"name\": \"special_function\", \"parameters\": {\"arg1\": {\"name\": \"x\", \"parameters\": {}}";
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, cut, true);
        assertThat(answer.calls()).isEmpty();
        assertThat(answer.text()).isEqualTo(cut);
    }
}
