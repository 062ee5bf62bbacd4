package dev.cairn.chat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cairn.grammar.Grammar;
import dev.cairn.grammar.SchemaException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The grammar of a format's calls for given tools: each tool's name fixed and its arguments by its parameters'
 * schema, written exactly as the format's parser reads them back. Strict tools get their schema enforced (an
 * unsupported keyword is an error); the others get what of their schema can be enforced.
 */
final class ToolCallGrammars {
    private static final String THINK_OPEN = ReasoningSplitter.OPEN;
    private static final String THINK_CLOSE = ReasoningSplitter.CLOSE;

    private ToolCallGrammars() {
    }

    /**
     * One call, or with {@code parallel} one or more, of any of {@code tools}; nothing before or after. Starts with
     * the format's marker, so it is also the grammar a lazy constraint switches on at {@link #triggers}.
     */
    static Grammar calls(ToolCallFormat format, List<ToolSpec> tools, boolean parallel) {
        if (tools.isEmpty()) {
            throw new IllegalArgumentException("no tools to call");
        }
        return switch (format) {
            case HERMES, QWEN3_CODER -> repeated(anyCall(format, tools), Grammar.literal("\n"), parallel);
            case LLAMA3_JSON -> {
                Grammar calls = repeated(anyCall(format, tools), Grammar.literal("\n"), parallel);
                yield Grammar.choice(calls, Grammar.sequence(Grammar.literal(LlamaJsonSyntax.PYTHON_TAG), calls));
            }
            case MISTRAL_NEMO -> Grammar.sequence(Grammar.literal(MistralNemoSyntax.OPEN + "["),
                    repeated(anyCall(format, tools), Grammar.literal(", "), parallel), Grammar.literal("]"));
            case GENERIC -> parallel
                    ? Grammar.sequence(Grammar.literal("{\"tool_calls\": ["),
                            repeated(anyCall(format, tools), Grammar.literal(", "), true), Grammar.literal("]}"))
                    : Grammar.sequence(Grammar.literal("{\"tool_call\": "), anyCall(format, tools),
                            Grammar.literal("}"));
        };
    }

    /** The generic format's other answer: {@code {"response": "…"}}. */
    static Grammar genericResponse() {
        return Grammar.sequence(Grammar.literal("{\"response\": "),
                Grammar.jsonSchema(JsonPrefix.MAPPER.valueToTree(Map.of("type", "string"))), Grammar.literal("}"));
    }

    /** The texts at which a lazy constraint switches on {@link #calls} (each one a start of that grammar). */
    static List<String> triggers(ToolCallFormat format) {
        return switch (format) {
            case HERMES, QWEN3_CODER -> List.of(HermesSyntax.OPEN);
            case LLAMA3_JSON -> List.of("{\"name\"", LlamaJsonSyntax.PYTHON_TAG);
            case MISTRAL_NEMO -> List.of(MistralNemoSyntax.OPEN);
            case GENERIC -> List.of("{");
        };
    }

    /**
     * {@code body} after optional leading whitespace, and after thinking: the rest of a thinking block the prompt
     * opened, or an optional whole block when the model thinks.
     */
    static Grammar afterThinking(Grammar body, boolean thinks, boolean startsInReasoning) {
        Grammar thinking = Grammar.sequence(Grammar.textWithout(THINK_CLOSE), Grammar.literal(THINK_CLOSE));
        if (startsInReasoning) {
            return Grammar.sequence(thinking, Grammar.whitespace(), body);
        }
        if (thinks) {
            Grammar block = Grammar.sequence(Grammar.literal(THINK_OPEN), thinking, Grammar.whitespace());
            return Grammar.sequence(Grammar.whitespace(), Grammar.repeat(block, 0, 1), body);
        }
        return Grammar.sequence(Grammar.whitespace(), body);
    }

    private static Grammar repeated(Grammar item, Grammar separator, boolean parallel) {
        if (!parallel) {
            return item;
        }
        return Grammar.sequence(item, Grammar.repeat(Grammar.sequence(separator, item), 0, -1));
    }

    private static Grammar anyCall(ToolCallFormat format, List<ToolSpec> tools) {
        List<Grammar> calls = new ArrayList<>();
        for (ToolSpec tool : tools) {
            calls.add(call(format, tool));
        }
        return calls.size() == 1 ? calls.getFirst() : Grammar.choice(calls.toArray(Grammar[]::new));
    }

    private static Grammar call(ToolCallFormat format, ToolSpec tool) {
        String name = jsonString(tool.name());
        return switch (format) {
            case HERMES -> Grammar.sequence(
                    Grammar.literal(HermesSyntax.OPEN + "\n{\"name\": " + name + ", \"arguments\": "),
                    arguments(tool), Grammar.literal("}\n" + HermesSyntax.CLOSE));
            case QWEN3_CODER -> qwen3CoderCall(tool);
            case LLAMA3_JSON -> Grammar.sequence(Grammar.literal("{\"name\": " + name + ", \"parameters\": "),
                    arguments(tool), Grammar.literal("}"));
            case MISTRAL_NEMO -> Grammar.sequence(Grammar.literal("{\"name\": " + name + ", \"arguments\": "),
                    arguments(tool), Grammar.literal(", \"id\": \""), mistralId(), Grammar.literal("\"}"));
            case GENERIC -> Grammar.sequence(Grammar.literal("{\"name\": " + name + ", \"arguments\": "),
                    arguments(tool), Grammar.literal("}"));
        };
    }

    private static Grammar arguments(ToolSpec tool) {
        return schema(tool.parameters(), tool.strict(), Grammar.jsonObject());
    }

    private static Grammar schema(JsonNode schema, boolean strict, Grammar fallback) {
        if (strict) {
            return Grammar.jsonSchema(schema);
        }
        try {
            // Not strict: keywords the grammar cannot enforce are left out, the rest of the schema still holds.
            return Grammar.jsonSchemaLenient(schema);
        } catch (SchemaException e) {
            // Even a broken schema of a tool that did not ask for strictness gets valid JSON of the right kind.
            return fallback;
        }
    }

    private static Grammar mistralId() {
        String alphabet = CallIds.alphabet();
        Grammar[] chars = new Grammar[alphabet.length()];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = Grammar.literal(String.valueOf(alphabet.charAt(i)));
        }
        return Grammar.repeat(Grammar.choice(chars), 9, 9);
    }

    /** Parameters in the schema's order, the required ones always, the others optionally. */
    private static Grammar qwen3CoderCall(ToolSpec tool) {
        List<Grammar> parts = new ArrayList<>();
        parts.add(Grammar.literal(Qwen3CoderSyntax.OPEN + "\n" + Qwen3CoderSyntax.FUNCTION + tool.name() + ">\n"));
        JsonNode properties = tool.parameters().path("properties");
        List<String> required = new ArrayList<>();
        tool.parameters().path("required").forEach(r -> required.add(r.asText()));
        for (var it = properties.properties().iterator(); it.hasNext(); ) {
            var property = it.next();
            Grammar parameter = Grammar.sequence(
                    Grammar.literal(Qwen3CoderSyntax.PARAMETER + property.getKey() + ">\n"),
                    parameterValue(tool, property.getValue()),
                    Grammar.literal("\n" + Qwen3CoderSyntax.PARAMETER_END + "\n"));
            parts.add(required.contains(property.getKey()) ? parameter : Grammar.repeat(parameter, 0, 1));
        }
        parts.add(Grammar.literal(Qwen3CoderSyntax.FUNCTION_END + "\n" + Qwen3CoderSyntax.CLOSE));
        return Grammar.sequence(parts.toArray(Grammar[]::new));
    }

    /**
     * A string parameter is bare text (its enum or const values when it has them); any other is JSON, which the
     * parser reads back by the same schema.
     */
    private static Grammar parameterValue(ToolSpec tool, JsonNode schema) {
        if ("string".equals(schema.path("type").asText(null))) {
            if (schema.has("const") && schema.get("const").isTextual()) {
                return Grammar.literal(schema.get("const").asText());
            }
            if (schema.path("enum").isArray() && !schema.get("enum").isEmpty()) {
                List<Grammar> values = new ArrayList<>();
                schema.get("enum").forEach(v -> values.add(Grammar.literal(v.asText())));
                return Grammar.choice(values.toArray(Grammar[]::new));
            }
            return Grammar.textWithout(Qwen3CoderSyntax.PARAMETER_END);
        }
        return schema(schema, tool.strict(), Grammar.jsonValue());
    }

    private static String jsonString(String text) {
        return JsonPrefix.compact(JsonPrefix.MAPPER.getNodeFactory().textNode(text));
    }
}
