package dev.cairn.chat;

import java.util.List;

/**
 * How one tool-call format marks its calls in generated text. The answers depend only on the text given, and a
 * definite answer ({@link Match#NO}, {@link Block.Parsed}, {@link Block.Malformed}) never changes when more text
 * arrives, so streaming in any split gives the same result as the whole text.
 */
interface CallSyntax {
    /** Whether a call block starts at {@code at}: no, not known until more text comes, or yes. */
    Match start(String text, int at);

    /**
     * Reads the call block starting at {@code at} (where {@link #start} said yes).
     *
     * @param complete the text is the whole output: nothing more will come
     */
    Block block(String text, int at, boolean complete);

    /** Characters dropped between and after calls. */
    default boolean separator(char c) {
        return Character.isWhitespace(c);
    }

    enum Match { NO, PARTIAL, YES }

    sealed interface Block {
        /** The block may still become a call once more text arrives. */
        record NeedMore() implements Block {
        }

        /** The block can never be a call; its text is answer text. */
        record Malformed() implements Block {
        }

        /** The block is read; {@code end} is the index just after it. */
        record Parsed(List<Piece> pieces, int end) implements Block {
        }
    }

    /** What a block holds: calls, or (for the generic JSON format) answer text. */
    sealed interface Piece {
        record Text(String text) implements Piece {
        }

        /** @param arguments the arguments JSON split as it is to be reported; joined they are the arguments object */
        record Call(String id, String name, List<String> arguments) implements Piece {
        }
    }

    /** Whether {@code literal} is at {@code at}: yes, no, or the text ends inside it. */
    static Match literal(String text, int at, String literal) {
        int n = Math.min(literal.length(), text.length() - at);
        if (!text.regionMatches(at, literal, 0, n)) {
            return Match.NO;
        }
        return n == literal.length() ? Match.YES : Match.PARTIAL;
    }

    /**
     * Reads the JSON value that starts, after whitespace, at {@code from} with {@code opening} ('{' or '['), and
     * hands a complete one to {@code read}; an unfinished one needs more text (or is malformed at the end).
     */
    static Block json(String text, int from, char opening, boolean complete,
                      java.util.function.Function<JsonPrefix.Complete, Block> read) {
        int i = skipWhitespace(text, from);
        if (i == text.length()) {
            return complete ? new Block.Malformed() : new Block.NeedMore();
        }
        if (text.charAt(i) != opening) {
            return new Block.Malformed();
        }
        return switch (JsonPrefix.read(text, i)) {
            case JsonPrefix.Incomplete ignored -> complete ? new Block.Malformed() : new Block.NeedMore();
            case JsonPrefix.Invalid ignored -> new Block.Malformed();
            case JsonPrefix.Complete c -> read.apply(c);
        };
    }

    static int skipWhitespace(String text, int at) {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at;
    }
}
