package dev.cairn.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Mistral Nemo: {@code [TOOL_CALLS][{"name": …, "arguments": {…}, "id": "abcdefghi"}, …]}. */
final class MistralNemoSyntax implements CallSyntax {
    static final String OPEN = "[TOOL_CALLS]";

    @Override
    public Match start(String text, int at) {
        return CallSyntax.literal(text, at, OPEN);
    }

    @Override
    public Block block(String text, int at, boolean complete) {
        return CallSyntax.json(text, at + OPEN.length(), '[', complete, c -> calls(c.value(), c.end()));
    }

    private static Block calls(JsonNode array, int end) {
        if (array.isEmpty()) {
            return new Block.Malformed();
        }
        List<Piece> calls = new ArrayList<>();
        for (JsonNode element : array) {
            Piece.Call call = JsonCalls.read(element, List.of("arguments", "parameters"), false, CallIds::mistral);
            if (call == null) {
                return new Block.Malformed();
            }
            calls.add(call);
        }
        return new Block.Parsed(calls, end);
    }
}
