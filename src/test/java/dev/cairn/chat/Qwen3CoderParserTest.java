package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Qwen3-Coder's XML-style calls; values typed by the tools' schemas. */
class Qwen3CoderParserTest {
    private static final Supplier<AssistantParser> PARSER = () -> ToolCallFormat.QWEN3_CODER.parser(TestTools.ALL,
            TurnRequest.ReasoningFormat.DEEPSEEK, false);

    private static String call(String function, String... parameters) {
        StringBuilder sb = new StringBuilder("<tool_call>\n<function=" + function + ">\n");
        for (int i = 0; i < parameters.length; i += 2) {
            sb.append("<parameter=").append(parameters[i]).append(">\n").append(parameters[i + 1])
                    .append("\n</parameter>\n");
        }
        return sb.append("</function>\n</tool_call>").toString();
    }

    @Test
    void integerParameter() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, call("special_function", "arg1", "1"));
        assertThat(answer.text()).isEmpty();
        assertThat(answer.names()).containsExactly("special_function");
        assertThat(answer.arguments()).containsExactly("{\"arg1\":1}");
        assertThat(answer.calls().getFirst().id()).matches(ParsedAnswer.OPENAI_ID);
    }

    @Test
    void stringParametersStayStringsWhateverTheyHold() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, call("write_file", "path", "123",
                "content", "{\"a\": 1}\ndef f():\n    return \"<b>\"\n"));
        assertThat(answer.arguments()).containsExactly(
                "{\"path\":\"123\",\"content\":\"{\\\"a\\\": 1}\\ndef f():\\n    return \\\"<b>\\\"\\n\"}");
    }

    @Test
    void typedParametersBecomeJson() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, call("set_options", "enabled", "true", "ratio", "0.5",
                "tags", "[\"a\", \"b\"]", "extra", "{\"k\": [1, 2]}", "note", "null", "anything", "42"));
        assertThat(answer.arguments()).containsExactly("{\"enabled\":true,\"ratio\":0.5,\"tags\":[\"a\",\"b\"],"
                + "\"extra\":{\"k\":[1,2]},\"note\":null,\"anything\":42}");
    }

    @Test
    void valuesThatDoNotFitTheirTypeStayText() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, call("set_options", "enabled", "yes", "ratio", "\"x\"",
                "note", "hello"));
        assertThat(answer.arguments()).containsExactly(
                "{\"enabled\":\"yes\",\"ratio\":\"\\\"x\\\"\",\"note\":\"hello\"}");
    }

    @Test
    void unknownToolsParseWhatLooksLikeJson() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, call("mystery", "n", "3", "s", "three"));
        assertThat(answer.arguments()).containsExactly("{\"n\":3,\"s\":\"three\"}");
    }

    @Test
    void aCallWithoutParameters() {
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, "<tool_call>\n<function=special_function>\n</function>\n"
                + "</tool_call>");
        assertThat(answer.arguments()).containsExactly("{}");
    }

    @Test
    void textBeforeAndSeveralCalls() {
        String output = "I'll run both.\n\n" + call("special_function", "arg1", "1") + "\n"
                + call("python", "code", "print('hi')");
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, output);
        assertThat(answer.text()).isEqualTo("I'll run both.\n\n");
        assertThat(answer.names()).containsExactly("special_function", "python");
        assertThat(answer.arguments()).containsExactly("{\"arg1\":1}", "{\"code\":\"print('hi')\"}");
    }

    @Test
    void malformedCallsBecomeText() {
        String output = "<tool_call>\n<function=special_function>\n<parameter=arg1>\n1\n</parameter>\n</tool_call>";
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, output);
        assertThat(answer.calls()).isEmpty();
        assertThat(answer.text()).isEqualTo(output);
        String noName = "<tool_call>\n<function=>\n</function>\n</tool_call>";
        assertThat(ParsedAnswer.parse(PARSER, noName).text()).isEqualTo(noName);
    }

    @Test
    void truncatedCallIsText() {
        String cut = "<tool_call>\n<function=write_file>\n<parameter=path>\na.txt\n</parameter>\n<parameter=con";
        ParsedAnswer answer = ParsedAnswer.parse(PARSER, cut, true);
        assertThat(answer.calls()).isEmpty();
        assertThat(answer.text()).isEqualTo(cut);
    }
}
