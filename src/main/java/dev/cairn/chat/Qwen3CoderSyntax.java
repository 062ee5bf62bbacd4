package dev.cairn.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Qwen3-Coder: {@code <tool_call>\n<function=NAME>\n<parameter=P>\nVALUE\n</parameter>\n</function>\n</tool_call>}.
 * Values are bare text; they become JSON by the type the tool's schema gives the parameter, as llama.cpp does.
 */
final class Qwen3CoderSyntax implements CallSyntax {
    static final String OPEN = "<tool_call>";
    static final String FUNCTION = "<function=";
    static final String PARAMETER = "<parameter=";
    static final String PARAMETER_END = "</parameter>";
    static final String FUNCTION_END = "</function>";
    static final String CLOSE = "</tool_call>";
    private static final int MAX_NAME = 256;

    private final Map<String, ToolSpec> tools = new HashMap<>();

    Qwen3CoderSyntax(List<ToolSpec> tools) {
        for (ToolSpec tool : tools) {
            this.tools.put(tool.name(), tool);
        }
    }

    @Override
    public Match start(String text, int at) {
        return CallSyntax.literal(text, at, OPEN);
    }

    @Override
    public Block block(String text, int at, boolean complete) {
        Block block = read(text, at);
        if (block instanceof Block.NeedMore && complete) {
            return new Block.Malformed();
        }
        return block;
    }

    private Block read(String text, int at) {
        int i = CallSyntax.skipWhitespace(text, at + OPEN.length());
        Match open = CallSyntax.literal(text, i, FUNCTION);
        if (open != Match.YES) {
            return open == Match.NO ? new Block.Malformed() : new Block.NeedMore();
        }
        i += FUNCTION.length();
        int nameEnd = nameEnd(text, i);
        if (nameEnd < 0) {
            return nameEnd == -1 ? new Block.NeedMore() : new Block.Malformed();
        }
        String name = text.substring(i, nameEnd);
        ObjectNode arguments = JsonPrefix.MAPPER.createObjectNode();
        i = nameEnd + 1;
        while (true) {
            i = CallSyntax.skipWhitespace(text, i);
            Match parameter = CallSyntax.literal(text, i, PARAMETER);
            Match functionEnd = CallSyntax.literal(text, i, FUNCTION_END);
            if (parameter == Match.YES) {
                i += PARAMETER.length();
                int keyEnd = nameEnd(text, i);
                if (keyEnd < 0) {
                    return keyEnd == -1 ? new Block.NeedMore() : new Block.Malformed();
                }
                String key = text.substring(i, keyEnd);
                int valueEnd = text.indexOf(PARAMETER_END, keyEnd + 1);
                if (valueEnd < 0) {
                    return new Block.NeedMore();
                }
                arguments.set(key, value(name, key, trimNewline(text.substring(keyEnd + 1, valueEnd))));
                i = valueEnd + PARAMETER_END.length();
            } else if (functionEnd == Match.YES) {
                i = CallSyntax.skipWhitespace(text, i + FUNCTION_END.length());
                Match close = CallSyntax.literal(text, i, CLOSE);
                if (close != Match.YES) {
                    return close == Match.NO ? new Block.Malformed() : new Block.NeedMore();
                }
                Piece.Call call = new Piece.Call(CallIds.openAi(), name, List.of(JsonPrefix.compact(arguments)));
                return new Block.Parsed(List.of(call), i + CLOSE.length());
            } else if (parameter == Match.PARTIAL || functionEnd == Match.PARTIAL) {
                return new Block.NeedMore();
            } else {
                return new Block.Malformed();
            }
        }
    }

    /** Index of the '>' closing a name; -1 when the text ends first, -2 when the name is not a name. */
    private static int nameEnd(String text, int from) {
        for (int j = from; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '>') {
                return j == from ? -2 : j;
            }
            if (c == '\n' || c == '<' || j - from >= MAX_NAME) {
                return -2;
            }
        }
        return -1;
    }

    /** The template writes a value between a newline after the tag and one before the closing tag. */
    private static String trimNewline(String value) {
        if (value.startsWith("\n")) {
            value = value.substring(1);
        }
        if (value.endsWith("\n")) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }

    private JsonNode value(String function, String parameter, String raw) {
        ToolSpec tool = tools.get(function);
        JsonNode schema = tool == null ? null : tool.parameters().path("properties").path(parameter);
        return ParameterValues.convert(raw, schema == null || schema.isMissingNode() ? null : schema);
    }

    /** Bare parameter text to JSON by the parameter's schema type. */
    static final class ParameterValues {
        private ParameterValues() {
        }

        static JsonNode convert(String raw, JsonNode schema) {
            List<String> types = types(schema);
            if (types.size() == 1 && types.getFirst().equals("string")) {
                return TextNode.valueOf(raw);
            }
            String trimmed = raw.strip();
            if (JsonPrefix.read(trimmed, 0) instanceof JsonPrefix.Complete c && c.end() == trimmed.length()
                    && (types.isEmpty() || fits(c.value(), types))) {
                return c.value();
            }
            return TextNode.valueOf(raw);
        }

        private static List<String> types(JsonNode schema) {
            if (schema == null) {
                return List.of();
            }
            JsonNode type = schema.get("type");
            if (type != null && type.isTextual()) {
                return List.of(type.asText());
            }
            if (type != null && type.isArray()) {
                return java.util.stream.StreamSupport.stream(type.spliterator(), false)
                        .map(JsonNode::asText).toList();
            }
            return List.of();
        }

        private static boolean fits(JsonNode value, List<String> types) {
            for (String type : types) {
                boolean ok = switch (type) {
                    case "integer" -> value.isIntegralNumber();
                    case "number" -> value.isNumber();
                    case "boolean" -> value.isBoolean();
                    case "object" -> value.isObject();
                    case "array" -> value.isArray();
                    case "null" -> value.isNull();
                    default -> false;
                };
                if (ok) {
                    return true;
                }
            }
            return false;
        }
    }
}
