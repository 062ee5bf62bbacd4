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
        int i = CallSyntax.skipWhitespace(text, at + OPEN.length());
        if (i == text.length()) {
            return complete ? new Block.Malformed() : new Block.NeedMore();
        }
        if (text.charAt(i) != '[') {
            return new Block.Malformed();
        }
        return switch (JsonPrefix.read(text, i)) {
            case JsonPrefix.Incomplete ignored -> complete ? new Block.Malformed() : new Block.NeedMore();
            case JsonPrefix.Invalid ignored -> new Block.Malformed();
            case JsonPrefix.Complete c -> calls(c.value(), c.end());
        };
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
