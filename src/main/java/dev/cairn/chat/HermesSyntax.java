package dev.cairn.chat;

import java.util.List;

/** Hermes 2 Pro, Hermes 3, Qwen2.5, Qwen3: {@code <tool_call>\n{"name": …, "arguments": {…}}\n</tool_call>}. */
final class HermesSyntax implements CallSyntax {
    static final String OPEN = "<tool_call>";
    static final String CLOSE = "</tool_call>";

    @Override
    public Match start(String text, int at) {
        return CallSyntax.literal(text, at, OPEN);
    }

    @Override
    public Block block(String text, int at, boolean complete) {
        return CallSyntax.json(text, at + OPEN.length(), '{', complete, c -> closed(text, c, complete));
    }

    private static Block closed(String text, JsonPrefix.Complete json, boolean complete) {
        Piece.Call call = JsonCalls.read(json.value(), List.of("arguments", "parameters"), false, CallIds::openAi);
        if (call == null) {
            return new Block.Malformed();
        }
        int j = CallSyntax.skipWhitespace(text, json.end());
        return switch (CallSyntax.literal(text, j, CLOSE)) {
            case YES -> new Block.Parsed(List.of(call), j + CLOSE.length());
            // Some models leave out the closing tag; what follows the JSON is then ordinary text.
            case NO -> new Block.Parsed(List.of(call), json.end());
            case PARTIAL -> complete ? new Block.Parsed(List.of(call), json.end()) : new Block.NeedMore();
        };
    }
}
