package dev.cairn.chat;

import java.util.List;

/**
 * Streams answer text through a {@link CallSyntax}: text before, between and after calls comes out as text as soon as
 * it cannot be the start of a call; a call comes out whole once its block is read, so a call cut off by the length
 * limit or written wrong is never reported, and its text comes out as text instead.
 */
final class CallScanner implements AnswerScanner {
    private final CallSyntax syntax;
    private final StringBuilder buffer = new StringBuilder();
    private int position;
    private boolean afterBlock;
    private int nextIndex;

    CallScanner(CallSyntax syntax) {
        this.syntax = syntax;
    }

    @Override
    public void push(String text, List<AssistantEvent> out) {
        buffer.append(text);
        scan(false, false, out);
    }

    @Override
    public void finish(boolean truncated, List<AssistantEvent> out) {
        scan(true, truncated, out);
    }

    private void scan(boolean ending, boolean truncated, List<AssistantEvent> out) {
        String text = buffer.toString();
        while (position < text.length()) {
            if (afterBlock && !dropSeparators(text, ending)) {
                return;
            }
            int start = findStart(text, ending, out);
            if (start < 0 || !block(text, start, ending, truncated, out)) {
                return;
            }
        }
    }

    /**
     * After a call, separators up to the next call or the end are dropped; before anything else they are text.
     * False while that is not yet known.
     */
    private boolean dropSeparators(String text, boolean ending) {
        int j = position;
        while (j < text.length() && syntax.separator(text.charAt(j))) {
            j++;
        }
        if (j == text.length()) {
            if (ending) {
                position = j;
            }
            return false;
        }
        CallSyntax.Match m = syntax.start(text, j);
        if (m == CallSyntax.Match.PARTIAL && !ending) {
            return false;
        }
        if (m == CallSyntax.Match.YES) {
            position = j;
        }
        afterBlock = false;
        return true;
    }

    /** Emits text up to the next call start and returns that start, or -1 when the text is exhausted or held. */
    private int findStart(String text, boolean ending, List<AssistantEvent> out) {
        for (int i = position; i < text.length(); i++) {
            CallSyntax.Match m = syntax.start(text, i);
            if (m == CallSyntax.Match.YES || (m == CallSyntax.Match.PARTIAL && !ending)) {
                emitText(text, i, out);
                return m == CallSyntax.Match.YES ? i : -1;
            }
        }
        emitText(text, text.length(), out);
        return -1;
    }

    /** Reads the block at {@code start}; false when it needs more text. */
    private boolean block(String text, int start, boolean ending, boolean truncated, List<AssistantEvent> out) {
        switch (syntax.block(text, start, ending && !truncated)) {
            case CallSyntax.Block.NeedMore ignored -> {
                if (ending) {
                    // Cut off inside a call: no call, its text is answer text.
                    emitText(text, text.length(), out);
                }
                return false;
            }
            case CallSyntax.Block.Malformed ignored -> {
                emitText(text, start + 1, out);
                afterBlock = false;
            }
            case CallSyntax.Block.Parsed parsed -> {
                for (CallSyntax.Piece piece : parsed.pieces()) {
                    emit(piece, out);
                }
                position = parsed.end();
                afterBlock = true;
            }
        }
        return true;
    }

    private void emit(CallSyntax.Piece piece, List<AssistantEvent> out) {
        switch (piece) {
            case CallSyntax.Piece.Text t -> out.add(new AssistantEvent.Text(t.text()));
            case CallSyntax.Piece.Call c -> {
                int index = nextIndex++;
                out.add(new AssistantEvent.ToolCallStart(index, c.id(), c.name()));
                for (String fragment : c.arguments()) {
                    out.add(new AssistantEvent.ToolCallArguments(index, fragment));
                }
                out.add(new AssistantEvent.ToolCallEnd(index));
            }
        }
    }

    private void emitText(String text, int end, List<AssistantEvent> out) {
        if (end > position) {
            out.add(new AssistantEvent.Text(text.substring(position, end)));
            position = end;
        }
    }
}
