package dev.cairn.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Supplier;

/** Reads one call out of a JSON object such as {@code {"name": "f", "arguments": {...}}}. */
final class JsonCalls {
    private JsonCalls() {
    }

    /**
     * @param argumentKeys  the keys the arguments may sit under, first found wins
     * @param needArguments whether an object without arguments is not a call (otherwise it gets {@code {}})
     * @param ids           makes an id when the object carries none
     * @return null when the object is not a call
     */
    static CallSyntax.Piece.Call read(JsonNode node, List<String> argumentKeys, boolean needArguments,
                                      Supplier<String> ids) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode name = node.get("name");
        if (name == null || !name.isTextual() || name.asText().isEmpty()) {
            return null;
        }
        JsonNode arguments = null;
        for (String key : argumentKeys) {
            if (node.has(key)) {
                arguments = node.get(key);
                break;
            }
        }
        String argumentsJson = argumentsJson(arguments, needArguments);
        if (argumentsJson == null) {
            return null;
        }
        JsonNode id = node.get("id");
        String callId = id != null && id.isTextual() && !id.asText().isEmpty() ? id.asText() : ids.get();
        return new CallSyntax.Piece.Call(callId, name.asText(), List.of(argumentsJson));
    }

    private static String argumentsJson(JsonNode arguments, boolean needArguments) {
        if (arguments == null) {
            return needArguments ? null : "{}";
        }
        if (arguments.isObject()) {
            return JsonPrefix.compact(arguments);
        }
        if (arguments.isTextual()) {
            // Some models write the arguments as a string holding the JSON object.
            String text = arguments.asText();
            if (JsonPrefix.read(text, 0) instanceof JsonPrefix.Complete c && c.value().isObject()
                    && text.substring(c.end()).isBlank()) {
                return JsonPrefix.compact(c.value());
            }
        }
        return null;
    }
}
