package dev.cairn.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an OpenAI-style messages array: {@code [{"role": "user", "content": "Hi"}, ...]}, where content is a string,
 * null (an assistant turn with only tool calls) or an array of parts of which the {@code {"type": "text", "text": ...}}
 * ones are joined with newlines, as llama.cpp does; assistant {@code tool_calls} ({@code id}, {@code function.name},
 * {@code function.arguments} as JSON text or an object), {@code tool_call_id}, {@code name} and
 * {@code reasoning_content}. Errors name the message and what is wrong with it.
 */
public final class ChatMessagesJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatMessagesJson() {
    }

    public static List<ChatMessage> parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("messages are not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("messages must be a JSON array of {\"role\", \"content\"} objects");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            out.add(message(root.get(i), i + 1));
        }
        return out;
    }

    private static ChatMessage message(JsonNode m, int n) {
        if (!m.isObject()) {
            throw new IllegalArgumentException("message " + n + " is not an object");
        }
        JsonNode role = m.get("role");
        if (role == null || !role.isTextual() || role.asText().isEmpty()) {
            throw new IllegalArgumentException("message " + n + " has no \"role\" string");
        }
        List<ToolCall> calls = new ArrayList<>();
        JsonNode toolCalls = m.get("tool_calls");
        if (toolCalls != null && !toolCalls.isNull()) {
            if (!toolCalls.isArray()) {
                throw new IllegalArgumentException("message " + n + ": \"tool_calls\" must be an array");
            }
            for (JsonNode c : toolCalls) {
                calls.add(toolCall(c, n));
            }
        }
        return new ChatMessage(role.asText(), content(m.get("content"), n), calls, text(m, "tool_call_id", n),
                text(m, "name", n), text(m, "reasoning_content", n));
    }

    private static ToolCall toolCall(JsonNode c, int n) {
        JsonNode function = c.get("function");
        if (function == null || !function.isObject() || !function.path("name").isTextual()) {
            throw new IllegalArgumentException("message " + n + ": a tool call has no \"function\" with a \"name\"");
        }
        JsonNode arguments = function.get("arguments");
        String args = arguments == null || arguments.isNull() ? "{}"
                : arguments.isTextual() ? arguments.asText() : arguments.toString();
        return new ToolCall(c.hasNonNull("id") ? c.get("id").asText() : null, function.get("name").asText(), args);
    }

    private static String text(JsonNode m, String field, int n) {
        JsonNode v = m.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("message " + n + ": \"" + field + "\" must be a string");
        }
        return v.asText();
    }

    /**
     * Reads an OpenAI-style tools array: {@code [{"type": "function", "function": {"name", "description",
     * "parameters"}}]} (the bare {@code {"name", ...}} objects too).
     */
    public static List<ToolSpec> parseTools(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("tools are not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("tools must be a JSON array of {\"type\": \"function\", \"function\": {...}}");
        }
        List<ToolSpec> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode t = root.get(i).has("function") ? root.get(i).get("function") : root.get(i);
            if (!t.path("name").isTextual()) {
                throw new IllegalArgumentException("tool " + (i + 1) + " has no \"name\" string");
            }
            JsonNode parameters = t.hasNonNull("parameters") ? t.get("parameters") : JSON.createObjectNode();
            out.add(new ToolSpec(t.get("name").asText(), t.hasNonNull("description") ? t.get("description").asText()
                    : null, parameters, t.path("strict").asBoolean(false)));
        }
        return out;
    }

    private static String content(JsonNode c, int n) {
        if (c == null || c.isNull()) {
            return "";
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (!c.isArray()) {
            throw new IllegalArgumentException("message " + n + ": \"content\" must be a string or an array of parts");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : c) {
            String type = part.path("type").asText("");
            if (!type.equals("text")) {
                throw new IllegalArgumentException("message " + n + ": content part of type '" + type
                        + "' is not supported (only \"text\" parts)");
            }
            JsonNode t = part.get("text");
            if (t == null || !t.isTextual()) {
                throw new IllegalArgumentException("message " + n + ": text part has no \"text\" string");
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(t.asText());
        }
        return text.toString();
    }

    /** Parses a JSON object of extra template arguments, e.g. {@code {"enable_thinking": false}}. */
    public static Map<String, Object> parseKwargs(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("template arguments must be a JSON object, e.g. {\"enable_thinking\": false}");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = JSON.convertValue(root, Map.class);
            return map;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("template arguments are not valid JSON: " + e.getOriginalMessage());
        }
    }
}
