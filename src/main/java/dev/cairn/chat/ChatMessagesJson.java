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
 * ones are joined with newlines, as llama.cpp does. Errors name the message and what is wrong with it.
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
        return new ChatMessage(role.asText(), content(m.get("content"), n));
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
