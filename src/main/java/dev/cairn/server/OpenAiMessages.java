package dev.cairn.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.ToolCall;
import java.util.ArrayList;
import java.util.List;

/** The "messages" of an OpenAI chat request: system/developer, user, assistant (with tool_calls) and tool turns. */
final class OpenAiMessages {
    private OpenAiMessages() {
    }

    static List<ChatMessage> parse(JsonNode list) {
        List<ChatMessage> messages = new ArrayList<>();
        ToolRequests.CallNames names = new ToolRequests.CallNames();
        for (int i = 0; i < list.size(); i++) {
            ChatMessage m = message(list.get(i), i, names);
            names.remember(m.toolCalls());
            messages.add(m);
        }
        return messages;
    }

    private static ChatMessage message(JsonNode node, int i, ToolRequests.CallNames names) {
        String where = "messages[" + i + "]";
        Fields m = Fields.of(node, where);
        String role = m.requireString("role");
        return switch (role) {
            case "system", "developer", "user" -> new ChatMessage(role.equals("developer") ? "system" : role,
                    text(m, where, true));
            case "assistant" -> assistant(m, where);
            case "tool" -> {
                String id = m.requireString("tool_call_id");
                String name = m.string("name");
                yield ToolRequests.result(id, name != null ? name : names.nameOf(id), text(m, where, true));
            }
            case "function" -> throw ApiException.badParam(where + ".role", "'" + where + ".role' \"function\" belongs"
                    + " to the deprecated function-calling API and is not supported; send \"tool\" messages with"
                    + " 'tool_call_id'");
            default -> throw ApiException.badParam(where + ".role", "'" + where
                    + ".role' must be one of system, developer, user, assistant, tool; got \"" + role + "\"");
        };
    }

    private static ChatMessage assistant(Fields m, String where) {
        if (m.has("function_call")) {
            throw ApiException.badParam(where + ".function_call", "'" + where + ".function_call' belongs to the"
                    + " deprecated function-calling API and is not supported; send 'tool_calls'");
        }
        List<ToolCall> calls = toolCalls(m, where);
        // OpenAI lets an assistant turn that only calls tools have null (or no) content.
        String content = text(m, where, calls.isEmpty());
        String reasoning = m.string("reasoning_content");
        return new ChatMessage("assistant", content, calls, null, null, reasoning);
    }

    private static List<ToolCall> toolCalls(Fields m, String where) {
        List<ToolCall> calls = new ArrayList<>();
        for (Fields c : m.objects("tool_calls", j -> where + ".tool_calls[" + j + "]")) {
            String at = c.where();
            String type = c.string("type");
            if (type != null && !type.equals("function")) {
                throw ApiException.badParam(at + ".type", "'" + at + ".type' \"" + type
                        + "\" is not supported; only \"function\" calls are");
            }
            Fields fn = c.requireObject("function");
            String name = fn.requireString("name");
            String arguments = fn.string("arguments");
            calls.add(new ToolCall(c.string("id"), name,
                    ToolRequests.arguments(arguments == null ? "" : arguments, at + ".function.arguments")));
        }
        return calls;
    }

    private static String text(Fields m, String where, boolean required) {
        JsonNode content = required ? m.require("content") : m.node("content");
        if (content == null) {
            return "";
        }
        if (content.isTextual()) {
            return content.textValue();
        }
        if (content.isArray()) {
            return TextParts.join(content, j -> where + ".content[" + j + "]", "only text content is");
        }
        throw m.wrongType("content", "a string or an array of content parts", content);
    }
}
