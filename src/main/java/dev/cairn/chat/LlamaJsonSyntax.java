package dev.cairn.chat;

import java.util.List;

/**
 * Llama 3.1 / 3.2 / 3.3 JSON calls: {@code {"name": …, "parameters": {…}}} (also with a leading
 * {@code "type": "function"}, and after {@code <|python_tag|>}), anywhere in the answer; several separated by
 * whitespace or ';'.
 */
final class LlamaJsonSyntax implements CallSyntax {
    static final String PYTHON_TAG = "<|python_tag|>";

    @Override
    public Match start(String text, int at) {
        if (text.charAt(at) == '<') {
            return CallSyntax.literal(text, at, PYTHON_TAG);
        }
        return text.charAt(at) == '{' ? objectStart(text, at) : Match.NO;
    }

    /** {@code \{\s*("type"\s*:\s*"function"\s*,\s*)?"name"\s*:} at {@code at}, or the text ends inside it. */
    private static Match objectStart(String text, int at) {
        int i = CallSyntax.skipWhitespace(text, at + 1);
        Match type = CallSyntax.literal(text, i, "\"type\"");
        if (type == Match.YES) {
            String[] steps = {":", "\"function\"", ","};
            i += 6;
            for (String step : steps) {
                i = CallSyntax.skipWhitespace(text, i);
                Match m = CallSyntax.literal(text, i, step);
                if (m != Match.YES) {
                    return m;
                }
                i += step.length();
            }
            i = CallSyntax.skipWhitespace(text, i);
        }
        Match name = CallSyntax.literal(text, i, "\"name\"");
        if (name != Match.YES) {
            return name == Match.NO && type == Match.PARTIAL ? Match.PARTIAL : name;
        }
        i = CallSyntax.skipWhitespace(text, i + 6);
        return CallSyntax.literal(text, i, ":");
    }

    @Override
    public Block block(String text, int at, boolean complete) {
        int from = text.startsWith(PYTHON_TAG, at) ? at + PYTHON_TAG.length() : at;
        return CallSyntax.json(text, from, '{', complete, c -> {
            var node = c.value();
            if (node.has("type") && !"function".equals(node.get("type").asText())) {
                return new Block.Malformed();
            }
            Piece.Call call = JsonCalls.read(node, List.of("parameters", "arguments"), true, CallIds::openAi);
            return call == null ? new Block.Malformed() : new Block.Parsed(List.of(call), c.end());
        });
    }

    @Override
    public boolean separator(char c) {
        return Character.isWhitespace(c) || c == ';';
    }
}
