package dev.cairn.chat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One function the model may call.
 *
 * @param description may be null
 * @param parameters  the JSON schema of its arguments (an object schema); never null
 * @param strict      OpenAI's "strict": the schema must be enforced exactly (unsupported keywords are an error)
 */
public record ToolSpec(String name, String description, JsonNode parameters, boolean strict) {
}
