package dev.cairn.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** The tools llama.cpp's test-chat.cpp uses, and a few with more parameter types. */
final class TestTools {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static final ToolSpec SPECIAL_FUNCTION = tool("special_function", """
            {"type": "object", "properties": {"arg1": {"type": "integer", "description": "The arg."}},
             "required": ["arg1"]}""");
    static final ToolSpec SPECIAL_FUNCTION_WITH_OPT = tool("special_function_with_opt", """
            {"type": "object", "properties": {"arg1": {"type": "integer"}, "arg2": {"type": "integer"}},
             "required": ["arg1"]}""");
    static final ToolSpec PYTHON = tool("python", """
            {"type": "object", "properties": {"code": {"type": "string", "description": "Python code to execute."}},
             "required": ["code"]}""");
    static final ToolSpec WRITE_FILE = tool("write_file", """
            {"type": "object", "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
             "required": ["path", "content"]}""");
    static final ToolSpec SET_OPTIONS = tool("set_options", """
            {"type": "object", "properties": {
               "enabled": {"type": "boolean"}, "ratio": {"type": "number"}, "tags": {"type": "array",
               "items": {"type": "string"}}, "extra": {"type": "object"}, "note": {"type": ["string", "null"]},
               "anything": {}},
             "required": ["enabled"]}""");

    static final List<ToolSpec> ALL = List.of(SPECIAL_FUNCTION, SPECIAL_FUNCTION_WITH_OPT, PYTHON, WRITE_FILE,
            SET_OPTIONS);

    private TestTools() {
    }

    static ToolSpec tool(String name, String parameters) {
        return new ToolSpec(name, "Test tool " + name, json(parameters), false);
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
