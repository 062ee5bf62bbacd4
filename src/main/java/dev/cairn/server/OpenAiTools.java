package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.ToolChoice;
import dev.cairn.chat.ToolSpec;
import java.util.ArrayList;
import java.util.List;

/** The OpenAI chat fields that shape the answer: tools, tool_choice, parallel_tool_calls, response_format. */
final class OpenAiTools {
    private OpenAiTools() {
    }

    static List<ToolSpec> tools(Fields f) {
        List<ToolSpec> tools = new ArrayList<>();
        for (Fields t : f.objects("tools", i -> "tools[" + i + "]")) {
            String where = t.where();
            String type = t.requireString("type");
            if (!type.equals("function")) {
                throw ApiException.badParam(where + ".type", "'" + where + ".type' \"" + type
                        + "\" is not supported; only \"function\" tools are");
            }
            Fields fn = t.requireObject("function");
            String name = fn.requireString("name");
            if (name.isEmpty()) {
                throw ApiException.badParam(where + ".function.name", "'" + where + ".function.name' must not be empty");
            }
            tools.add(new ToolSpec(name, fn.string("description"), ToolRequests.parameters(fn, "parameters"),
                    fn.bool("strict", false)));
        }
        ToolRequests.checkUniqueNames(tools, "tools");
        return tools;
    }

    /** tool_choice: "auto" (the default), "none", "required", or {"type": "function", "function": {"name": …}}. */
    static ToolChoice choice(Fields f, List<ToolSpec> tools) {
        return choice(f, tools, false);
    }

    /**
     * tool_choice as chat completions ({@code flatName} false: {"type": "function", "function": {"name": …}}) or the
     * Responses API ({@code flatName} true: {"type": "function", "name": …}) write it.
     */
    static ToolChoice choice(Fields f, List<ToolSpec> tools, boolean flatName) {
        boolean parallel = f.bool("parallel_tool_calls", true);
        JsonNode node = f.node("tool_choice");
        ToolChoice choice;
        if (node == null) {
            choice = new ToolChoice(tools.isEmpty() ? ToolChoice.Mode.NONE : ToolChoice.Mode.AUTO, null, parallel);
        } else if (node.isTextual()) {
            choice = switch (node.textValue()) {
                case "auto" -> new ToolChoice(ToolChoice.Mode.AUTO, null, parallel);
                case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null, parallel);
                case "required" -> new ToolChoice(ToolChoice.Mode.REQUIRED, null, parallel);
                default -> throw ApiException.badParam("tool_choice", "'tool_choice' must be \"auto\", \"none\","
                        + " \"required\" or a function object, got \"" + node.textValue() + "\"");
            };
        } else if (node.isObject()) {
            Fields c = new Fields((ObjectNode) node, "tool_choice.");
            String type = c.requireString("type");
            if (!type.equals("function")) {
                throw ApiException.badParam("tool_choice.type", "'tool_choice.type' \"" + type
                        + "\" is not supported; only \"function\" is");
            }
            String name = flatName ? c.requireString("name") : c.requireObject("function").requireString("name");
            choice = ToolRequests.named(name, parallel, tools, flatName ? "tool_choice.name" : "tool_choice.function.name");
        } else {
            throw f.wrongType("tool_choice", "a string or an object", node);
        }
        ToolRequests.requireTools(choice, tools, "tool_choice");
        return choice;
    }

    /**
     * response_format: null for "text"; any object schema for "json_object"; the given schema for "json_schema"
     * ({"json_schema": {"name", "schema", "strict"}}; a missing schema allows any JSON object).
     */
    static JsonNode responseFormat(Fields f) {
        ObjectNode format = f.object("response_format");
        if (format == null) {
            return null;
        }
        Fields rf = new Fields(format, "response_format.");
        String type = rf.requireString("type");
        return switch (type) {
            case "text" -> null;
            case "json_object" -> anyObject();
            case "json_schema" -> {
                ObjectNode spec = rf.object("json_schema");
                if (spec == null) {
                    throw ApiException.badParam("response_format.json_schema",
                            "'response_format.json_schema' is required for type \"json_schema\"");
                }
                Fields js = new Fields(spec, "response_format.json_schema.");
                js.requireString("name");
                js.bool("strict");
                ObjectNode schema = js.object("schema");
                yield schema == null ? anyObject() : schema;
            }
            default -> throw ApiException.badParam("response_format.type", "'response_format.type' must be \"text\","
                    + " \"json_object\" or \"json_schema\", got \"" + type + "\"");
        };
    }

    private static ObjectNode anyObject() {
        ObjectNode schema = Json.object();
        schema.put("type", "object");
        return schema;
    }
}
