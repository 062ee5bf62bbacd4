package dev.cairn.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.grammar.Grammar;
import dev.cairn.grammar.SchemaException;
import dev.cairn.grammar.TokenConstraint;
import dev.cairn.grammar.TokenConstraints;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each format's call grammar accepts the format's own well-formed calls, refuses other names and extra calls, and
 * whatever it lets a (random) model write, the format's parser reads back as exactly those calls.
 */
class ToolCallGrammarsTest {
    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();
    private static final ToolSpec PICK = TestTools.tool("pick", """
            {"type": "object", "properties": {"color": {"type": "string", "enum": ["red", "green"]},
             "count": {"type": "integer"}, "exact": {"type": "boolean"}}, "required": ["color", "count"]}""");
    private static final List<ToolSpec> TOOLS = List.of(TestTools.SPECIAL_FUNCTION,
            TestTools.SPECIAL_FUNCTION_WITH_OPT, PICK);

    private static String wellFormed(ToolCallFormat format) {
        return switch (format) {
            case HERMES -> "<tool_call>\n{\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}}\n</tool_call>\n"
                    + "<tool_call>\n{\"name\": \"pick\", \"arguments\": {\"color\": \"red\", \"count\": 2}}\n"
                    + "</tool_call>";
            case QWEN3_CODER -> "<tool_call>\n<function=special_function>\n<parameter=arg1>\n1\n</parameter>\n"
                    + "</function>\n</tool_call>\n<tool_call>\n<function=pick>\n<parameter=color>\ngreen\n"
                    + "</parameter>\n<parameter=count>\n2\n</parameter>\n<parameter=exact>\ntrue\n</parameter>\n"
                    + "</function>\n</tool_call>";
            case LLAMA3_JSON -> "{\"name\": \"special_function\", \"parameters\": {\"arg1\": 1}}\n"
                    + "{\"name\": \"pick\", \"parameters\": {\"color\": \"red\", \"count\": 2}}";
            case MISTRAL_NEMO -> "[TOOL_CALLS][{\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}, "
                    + "\"id\": \"123456789\"}, {\"name\": \"pick\", \"arguments\": {\"color\": \"red\", \"count\": 2}, "
                    + "\"id\": \"abcdEFGH9\"}]";
            case GENERIC -> "{\"tool_calls\": [{\"name\": \"special_function\", \"arguments\": {\"arg1\": 1}}, "
                    + "{\"name\": \"pick\", \"arguments\": {\"color\": \"red\", \"count\": 2}}]}";
        };
    }

    @ParameterizedTest
    @EnumSource(ToolCallFormat.class)
    void forcedGrammarAcceptsTheFormatsOwnCalls(ToolCallFormat format) {
        String output = wellFormed(format);
        TokenConstraint constraint = TokenConstraints.strict(ToolCallGrammars.calls(format, TOOLS, true), TOKENIZER);
        assertThat(feed(constraint, output)).as(output).isEqualTo(output.length());
        assertThat(constraint.canEnd()).isTrue();
        ParsedAnswer answer = ParsedAnswer.of(parse(format, output));
        assertThat(answer.text()).isEmpty();
        assertThat(answer.names()).containsExactly("special_function", "pick");
    }

    @ParameterizedTest
    @EnumSource(ToolCallFormat.class)
    void withoutParallelCallsOnlyOneCallIsAllowed(ToolCallFormat format) {
        String output = wellFormed(format);
        TokenConstraint constraint = TokenConstraints.strict(ToolCallGrammars.calls(format, TOOLS, false), TOKENIZER);
        int fed = feed(constraint, output);
        assertThat(fed).isLessThan(output.length());
        assertThat(output.substring(0, fed)).doesNotContain("pick");
    }

    @ParameterizedTest
    @EnumSource(ToolCallFormat.class)
    void otherFunctionNamesAreRefused(ToolCallFormat format) {
        String output = wellFormed(format).replace("special_function", "special_functioX");
        TokenConstraint constraint = TokenConstraints.strict(ToolCallGrammars.calls(format, TOOLS, true), TOKENIZER);
        assertThat(output.substring(0, feed(constraint, output))).endsWith("special_functio");
    }

    @Test
    void strictToolsRefuseKeywordsTheGrammarCannotEnforceAndOthersGetWhatCanBe() {
        String parameters = """
                {"type": "object", "properties": {"when": {"type": "string", "format": "no-such-format"}},
                 "required": ["when"]}""";
        ToolSpec loose = TestTools.tool("schedule", parameters);
        ToolSpec strict = new ToolSpec("schedule", null, TestTools.json(parameters), true);
        assertThatThrownBy(() -> ToolCallGrammars.calls(ToolCallFormat.HERMES, List.of(strict), true))
                .isInstanceOf(SchemaException.class);
        String call = "<tool_call>\n{\"name\": \"schedule\", \"arguments\": {\"when\": \"soon\"}}\n</tool_call>";
        TokenConstraint constraint = TokenConstraints.strict(
                ToolCallGrammars.calls(ToolCallFormat.HERMES, List.of(loose), true), TOKENIZER);
        assertThat(feed(constraint, call)).isEqualTo(call.length());
        String missing = "<tool_call>\n{\"name\": \"schedule\", \"arguments\": {}}";
        TokenConstraint again = TokenConstraints.strict(
                ToolCallGrammars.calls(ToolCallFormat.HERMES, List.of(loose), true), TOKENIZER);
        assertThat(feed(again, missing)).isLessThan(missing.length());
    }

    @Test
    void thinkingMayComeFirst() {
        Grammar calls = ToolCallGrammars.calls(ToolCallFormat.HERMES, TOOLS, true);
        String call = wellFormed(ToolCallFormat.HERMES);
        String opened = "Let me see.\n</think>\n\n" + call;
        assertThat(feed(TokenConstraints.strict(ToolCallGrammars.afterThinking(calls, true, true), TOKENIZER), opened))
                .isEqualTo(opened.length());
        String whole = "\n<think>\nLet me see.\n</think>\n\n" + call;
        assertThat(feed(TokenConstraints.strict(ToolCallGrammars.afterThinking(calls, true, false), TOKENIZER), whole))
                .isEqualTo(whole.length());
        assertThat(feed(TokenConstraints.strict(ToolCallGrammars.afterThinking(calls, false, false), TOKENIZER),
                whole)).isLessThan(whole.length());
    }

    @ParameterizedTest
    @EnumSource(ToolCallFormat.class)
    void whatTheGrammarAllowsParsesBackAsThoseCalls(ToolCallFormat format) {
        for (boolean parallel : new boolean[] {true, false}) {
            for (long seed = 1; seed <= 6; seed++) {
                TokenConstraint constraint = TokenConstraints.strict(ToolCallGrammars.calls(format, TOOLS, parallel),
                        TOKENIZER);
                String output = walk(constraint, new SplittableRandom(seed * 31 + format.ordinal()));
                ParsedAnswer answer = ParsedAnswer.parse(() -> format.parser(TOOLS, TurnRequest.ReasoningFormat.DEEPSEEK,
                        false), output);
                assertThat(answer.text()).as(output).isEmpty();
                assertThat(answer.calls()).as(output).isNotEmpty();
                if (!parallel) {
                    assertThat(answer.calls()).as(output).hasSize(1);
                }
                for (ToolCall call : answer.calls()) {
                    checkArguments(call, output);
                }
            }
        }
    }

    /** The call names a tool and its arguments hold that tool's required parameters, of their types. */
    private static void checkArguments(ToolCall call, String output) {
        ToolSpec tool = TOOLS.stream().filter(t -> t.name().equals(call.name())).findFirst().orElseThrow();
        JsonNode arguments = TestTools.json(call.arguments());
        assertThat(arguments.isObject()).as(output).isTrue();
        tool.parameters().path("required").forEach(r -> assertThat(arguments.has(r.asText())).as(output).isTrue());
        arguments.properties().forEach(e -> {
            String type = tool.parameters().path("properties").path(e.getKey()).path("type").asText();
            JsonNode value = e.getValue();
            boolean fits = switch (type) {
                case "integer" -> value.isIntegralNumber();
                case "boolean" -> value.isBoolean();
                case "string" -> value.isTextual();
                default -> false;
            };
            assertThat(fits).as("%s in %s", e, output).isTrue();
        });
    }

    private static List<AssistantEvent> parse(ToolCallFormat format, String output) {
        AssistantParser parser = format.parser(TOOLS, TurnRequest.ReasoningFormat.DEEPSEEK, false);
        List<AssistantEvent> events = new java.util.ArrayList<>(parser.push(output));
        events.addAll(parser.finish(false));
        return events;
    }

    /** Feeds the text's bytes while the constraint allows them; returns how many characters went in. */
    static int feed(TokenConstraint constraint, String text) {
        int chars = 0;
        for (int i = 0; i < text.length(); i++) {
            for (byte b : String.valueOf(text.charAt(i)).getBytes(StandardCharsets.UTF_8)) {
                if (!constraint.allows(b & 0xff)) {
                    return chars;
                }
                constraint.accept(b & 0xff);
            }
            chars++;
        }
        return chars;
    }

    /**
     * Generates under the constraint with random logits, until it must end or (when it may) at a coin toss. Printable
     * bytes and closing characters get a boost, like a model that writes text and does close its strings.
     */
    static String walk(TokenConstraint constraint, SplittableRandom random) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int step = 0; step < 20_000 && !constraint.mustEnd(); step++) {
            if (constraint.canEnd() && random.nextInt(3) == 0) {
                break;
            }
            float[] logits = new float[TOKENIZER.vocabSize()];
            for (int id = 0; id < logits.length; id++) {
                logits[id] = (float) random.nextDouble() + (id >= 0x20 && id < 0x7f ? 1f : 0f);
            }
            for (char c : "\"}]\n".toCharArray()) {
                logits[c] += 1.5f;
            }
            logits[ByteTokenizer.END] = Float.NEGATIVE_INFINITY;
            int best = argmax(logits);
            if (!constraint.allows(best)) {
                constraint.mask(logits);
                best = argmax(logits);
            }
            assertThat(logits[best]).as("no byte may follow %s", out).isGreaterThan(Float.NEGATIVE_INFINITY);
            constraint.accept(best);
            out.write(best);
        }
        assertThat(constraint.canEnd()).as(out.toString(StandardCharsets.UTF_8)).isTrue();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }
}
