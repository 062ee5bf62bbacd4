package dev.cairn.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cairn.chat.ChatMessage;
import dev.cairn.chat.ToolCall;
import dev.cairn.chat.ToolChoice;
import dev.cairn.chat.ToolSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks shared by the OpenAI and Anthropic tool fields: names, schemas, the named choice, call arguments. */
final class ToolRequests {
    private ToolRequests() {
    }

    /** A tool's parameter schema: an object, or (absent) a function without parameters. */
    static JsonNode parameters(Fields f, String field) {
        ObjectNode schema = f.object(field);
        if (schema != null) {
            return schema;
        }
        ObjectNode none = Json.object();
        none.put("type", "object");
        none.putObject("properties");
        return none;
    }

    /** Names must be unique: a call names exactly one tool. */
    static void checkUniqueNames(List<ToolSpec> tools, String where) {
        Set<String> seen = new HashSet<>();
        for (ToolSpec t : tools) {
            if (!seen.add(t.name())) {
                throw ApiException.badParam(where, "'" + where + "' names the tool \"" + t.name() + "\" twice");
            }
        }
    }

    /** A named choice must name one of the tools. */
    static ToolChoice named(String name, boolean parallel, List<ToolSpec> tools, String where) {
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw ApiException.badParam(where, "'" + where + "' names the tool \"" + name
                    + "\", which is not among the tools given" + (tools.isEmpty() ? " (none)" : ""));
        }
        return new ToolChoice(ToolChoice.Mode.NAMED, name, parallel);
    }

    /** Calling is asked for, so there must be something to call. */
    static void requireTools(ToolChoice choice, List<ToolSpec> tools, String where) {
        if (tools.isEmpty() && (choice.mode() == ToolChoice.Mode.REQUIRED || choice.mode() == ToolChoice.Mode.NAMED)) {
            throw ApiException.badParam(where, "'" + where + "' asks for a tool call but no tools are given");
        }
    }

    /**
     * A call's arguments as compact JSON text of an object (templates get them as an object). An empty string is a
     * call without arguments.
     */
    static String arguments(String text, String where) {
        if (text.isBlank()) {
            return "{}";
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badParam(where, "'" + where + "' must be a JSON object in a string: "
                    + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badParam(where, "'" + where + "' must be a JSON object in a string, got "
                    + Fields.kind(node));
        }
        return Json.write(node);
    }

    /**
     * Tool results name the function they answer by the call's id alone; templates want the name too, so it is
     * looked up among the calls made earlier in the conversation.
     */
    static final class CallNames {
        private final Map<String, String> byId = new HashMap<>();

        void remember(List<ToolCall> calls) {
            for (ToolCall c : calls) {
                if (c.id() != null) {
                    byId.put(c.id(), c.name());
                }
            }
        }

        String nameOf(String id) {
            return byId.get(id);
        }
    }

    /** A tool turn answering call {@code id}. */
    static ChatMessage result(String id, String name, String content) {
        return new ChatMessage("tool", content, List.of(), id, name, null);
    }
}
