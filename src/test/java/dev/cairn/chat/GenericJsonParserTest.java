package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** llama.cpp's generic JSON answers for templates that know no tools. */
class GenericJsonParserTest {
    private static final Supplier<AssistantParser> PARSER = () -> ToolCallFormat.GENERIC.parser(TestTools.ALL,
            TurnRequest.ReasoningFormat.DEEPSEEK, false);

    @Test
    void oneToolCall() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER,
                "{\n  \"tool_call\": {\n    \"name\": \"special_function\",\n    \"arguments\": {\n      \"arg1\": 1\n"
                        + "    }\n  }\n}");
        assertThat(answer.text()).isEmpty();
        assertThat(answer.names()).containsExactly("special_function");
        assertThat(answer.arguments()).containsExactly("{\"arg1\":1}");
    }

    @Test
    void severalToolCalls() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, "{\"tool_calls\": [{\"name\": \"special_function\", "
                + "\"arguments\": {\"arg1\": 1}}, {\"name\": \"python\", \"arguments\": {\"code\": \"x\"}}]}");
        assertThat(answer.names()).containsExactly("special_function", "python");
    }

    @Test
    void responseIsText() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, "{\n  \"response\": \"Hello, world!\\nWhat's up?\"\n}");
        assertThat(answer.calls()).isEmpty();
        assertThat(answer.text()).isEqualTo("Hello, world!\nWhat's up?");
    }

    @Test
    void responseTextStreamsBeforeTheJsonCloses() {
        AssistantParser parser = PARSER.get();
        assertThat(parser.push("{\"response\": ")).isEmpty();
        assertThat(ParsedAnswer.of(parser.push("\"Hel")).text()).isEqualTo("Hel");
        assertThat(ParsedAnswer.of(parser.push("lo\\")).text()).isEqualTo("lo");
        assertThat(ParsedAnswer.of(parser.push("n\"}")).text()).isEqualTo("\n");
        assertThat(parser.finish(false)).isEmpty();
    }

    @Test
    void responseEscapesAreDecoded() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER,
                "{\"response\":\"a\\\"b\\\\c\\u00e9\\t\\/\\ud83d\\ude00!\"}\n");
        assertThat(answer.text()).isEqualTo("a\"b\\c\u00e9\t/\ud83d\ude00!");
    }

    @Test
    void aTruncatedResponseKeepsWhatWasWritten() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, "{\"response\": \"Half a sent\\u00", true);
        assertThat(answer.text()).isEqualTo("Half a sent");
    }

    @Test
    void textAfterTheResponseIsText() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, "{\"response\": \"Hi\"} and more {\"tool_call\": 1}");
        assertThat(answer.text()).isEqualTo("Hi and more {\"tool_call\": 1}");
        assertThat(answer.calls()).isEmpty();
    }

    @Test
    void anythingElseIsText() {
        for (String output : new String[] {"Hello, world!", "{\"answer\": 1}", "{\"tool_call\": {\"x\": 1}}",
                "Not { JSON }"}) {
            ParsedAnswer answer = ParsedAnswer.parse(PARSER, output);
            assertThat(answer.calls()).as(output).isEmpty();
            assertThat(answer.text()).as(output).isEqualTo(output);
        }
    }

    @Test
    void truncatedIsText() {
        String cut = "{\"tool_call\": {\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}}";
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, cut, true);
        assertThat(answer.calls()).isEmpty();
        assertThat(answer.text()).isEqualTo(cut);
    }
}
