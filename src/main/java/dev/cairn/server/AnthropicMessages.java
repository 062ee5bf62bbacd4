package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * The "messages" of an Anthropic request as chat turns: a user turn's tool_result blocks become tool turns (in their
 * order, before or after its text), an assistant turn's tool_use blocks its calls and its thinking blocks its
 * reasoning (redacted_thinking is opaque to anyone but Anthropic, so it is dropped).
 */
final class AnthropicMessages {
    private static final String BLOCKS = "only text, tool_use, tool_result, thinking and redacted_thinking blocks are";

    private AnthropicMessages() {
    }

    static List<ChatMessage> parse(JsonNode list) {
        List<ChatMessage> messages = new ArrayList<>();
        ToolRequests.CallNames names = new ToolRequests.CallNames();
        for (int i = 0; i < list.size(); i++) {
            String where = "messages." + i;
            Fields m = Fields.of(list.get(i), where);
            String role = m.requireString("role");
            JsonNode content = m.require("content");
            if (!content.isTextual() && !content.isArray()) {
                throw m.wrongType("content", "a string or an array of content blocks", content);
            }
            switch (role) {
                case "user" -> user(content, where + ".content", names, messages);
                case "assistant" -> {
                    ChatMessage a = assistant(content, where + ".content");
                    names.remember(a.toolCalls());
                    messages.add(a);
                }
                // Claude Code (2.1.x, for a model it does not know) sends its environment notes as a system turn
                // after the first user turn; it stays where it was put.
                case "system" -> messages.add(new ChatMessage("system", content.isTextual() ? content.textValue()
                        : TextParts.join(content, k -> where + ".content." + k, "only text blocks are")));
                default -> throw ApiException.badParam(where + ".role",
                        "'" + where + ".role' must be \"user\", \"assistant\" or \"system\", got \"" + role + "\"");
            }
        }
        return messages;
    }

    private static void user(JsonNode content, String where, ToolRequests.CallNames names, List<ChatMessage> out) {
        if (content.isTextual()) {
            out.add(new ChatMessage("user", content.textValue()));
            return;
        }
        StringBuilder text = new StringBuilder();
        for (int j = 0; j < content.size(); j++) {
            Fields b = Fields.of(content.get(j), where + "." + j);
            String type = b.requireString("type");
            switch (type) {
                case "text" -> append(text, b.requireString("text"));
                case "tool_result" -> {
                    flushUser(text, out);
                    String id = b.requireString("tool_use_id");
                    out.add(ToolRequests.result(id, names.nameOf(id), toolResult(b, where + "." + j)));
                }
                default -> throw unsupported(where + "." + j, type);
            }
        }
        flushUser(text, out);
    }

    /** is_error has no place in the templates, so the model reads it in the text. */
    private static String toolResult(Fields b, String where) {
        JsonNode content = b.node("content");
        String text;
        if (content == null) {
            text = "";
        } else if (content.isTextual()) {
            text = content.textValue();
        } else if (content.isArray()) {
            text = TextParts.join(content, k -> where + ".content." + k, "only text blocks are");
        } else {
            throw b.wrongType("content", "a string or an array of text blocks", content);
        }
        return b.bool("is_error", false) ? "Error: " + text : text;
    }

    private static void flushUser(StringBuilder text, List<ChatMessage> out) {
        if (!text.isEmpty()) {
            out.add(new ChatMessage("user", text.toString()));
            text.setLength(0);
        }
    }

    private static ChatMessage assistant(JsonNode content, String where) {
        if (content.isTextual()) {
            return new ChatMessage("assistant", content.textValue());
        }
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (int j = 0; j < content.size(); j++) {
            String at = where + "." + j;
            Fields b = Fields.of(content.get(j), at);
            String type = b.requireString("type");
            switch (type) {
                case "text" -> append(text, b.requireString("text"));
                case "thinking" -> append(reasoning, b.requireString("thinking"));
                case "redacted_thinking" -> {
                }
                case "tool_use" -> {
                    String id = b.requireString("id");
                    String name = b.requireString("name");
                    ObjectNode input = b.object("input");
                    calls.add(new ToolCall(id, name, input == null ? "{}" : Json.write(input)));
                }
                default -> throw unsupported(at, type);
            }
        }
        return new ChatMessage("assistant", text.toString(), calls, null, null,
                reasoning.isEmpty() ? null : reasoning.toString());
    }

    private static ApiException unsupported(String where, String type) {
        return ApiException.badParam(where + ".type", "'" + where + ".type' \"" + type + "\" is not supported; "
                + BLOCKS);
    }

    private static void append(StringBuilder sb, String text) {
        if (!sb.isEmpty()) {
            sb.append('\n');
        }
        sb.append(text);
    }
}
