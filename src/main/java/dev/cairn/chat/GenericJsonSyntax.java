package dev.cairn.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * llama.cpp's generic format for templates that know no tools: the whole answer is one JSON object,
 * {@code {"tool_call": {"name": …, "arguments": {…}}}}, {@code {"tool_calls": [...]}} or {@code {"response": "…"}}.
 */
final class GenericJsonSyntax implements CallSyntax {
    @Override
    public Match start(String text, int at) {
        // Only an answer that is JSON from its start is read as the format.
        return text.charAt(at) == '{' && text.substring(0, at).isBlank() ? Match.YES : Match.NO;
    }

    @Override
    public Block block(String text, int at, boolean complete) {
        return CallSyntax.json(text, at, '{', complete, c -> pieces(c.value(), c.end()));
    }

    private static Block pieces(JsonNode node, int end) {
        List<Piece> pieces = new ArrayList<>();
        if (node.has("tool_calls") && node.get("tool_calls").isArray() && !node.get("tool_calls").isEmpty()) {
            for (JsonNode element : node.get("tool_calls")) {
                if (!addCall(pieces, element)) {
                    return new Block.Malformed();
                }
            }
        } else if (node.has("tool_call")) {
            if (!addCall(pieces, node.get("tool_call"))) {
                return new Block.Malformed();
            }
        } else if (node.has("response")) {
            JsonNode response = node.get("response");
            String text = response.isTextual() ? response.asText() : JsonPrefix.compact(response);
            if (!text.isEmpty()) {
                pieces.add(new Piece.Text(text));
            }
        } else {
            return new Block.Malformed();
        }
        return new Block.Parsed(pieces, end);
    }

    private static boolean addCall(List<Piece> pieces, JsonNode element) {
        Piece.Call call = JsonCalls.read(element, List.of("arguments", "parameters"), false, CallIds::openAi);
        if (call == null) {
            return false;
        }
        pieces.add(call);
        return true;
    }
}
