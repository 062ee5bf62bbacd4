package dev.cairn.chat;

import java.util.List;
import java.util.function.Consumer;

/**
 * Takes a {@code <think>…</think>} block at the start of an answer (or the rest of one the prompt opened) out of the
 * stream as {@link AssistantEvent.Reasoning}, trimmed of the whitespace at its ends, and passes what follows, without
 * its leading whitespace, on as answer text.
 */
final class ReasoningSplitter {
    static final String OPEN = "<think>";
    static final String CLOSE = "</think>";

    private enum State { START, THINKING, AFTER_THINKING, ANSWER }

    private final StringBuilder held = new StringBuilder();
    private State state;
    private boolean reasoned;

    ReasoningSplitter(boolean startsInReasoning) {
        this.state = startsInReasoning ? State.THINKING : State.START;
    }

    /** Feeds text; reasoning goes to {@code out}, answer text to {@code answer}. */
    void push(String text, List<AssistantEvent> out, Consumer<String> answer) {
        held.append(text);
        step(false, out, answer);
    }

    void finish(List<AssistantEvent> out, Consumer<String> answer) {
        step(true, out, answer);
    }

    private void step(boolean ending, List<AssistantEvent> out, Consumer<String> answer) {
        while (true) {
            switch (state) {
                case START -> {
                    int k = CallSyntax.skipWhitespace(held.toString(), 0);
                    CallSyntax.Match open = CallSyntax.literal(held.toString(), k, OPEN);
                    if (open == CallSyntax.Match.YES) {
                        held.delete(0, k + OPEN.length());
                        state = State.THINKING;
                    } else if (open == CallSyntax.Match.PARTIAL && !ending) {
                        return;
                    } else {
                        state = State.ANSWER;
                    }
                }
                case THINKING -> {
                    if (!think(ending, out)) {
                        return;
                    }
                }
                case AFTER_THINKING -> {
                    int k = CallSyntax.skipWhitespace(held.toString(), 0);
                    held.delete(0, k);
                    if (held.isEmpty()) {
                        return;
                    }
                    state = State.ANSWER;
                }
                case ANSWER -> {
                    if (!held.isEmpty()) {
                        answer.accept(held.toString());
                        held.setLength(0);
                    }
                    return;
                }
            }
        }
    }

    /** Emits the thinking that is certain; true once the block is closed. */
    private boolean think(boolean ending, List<AssistantEvent> out) {
        int close = held.indexOf(CLOSE);
        int safe = close >= 0 ? close : ending ? held.length() : held.length() - pendingClose();
        int end = safe;
        while (end > 0 && Character.isWhitespace(held.charAt(end - 1))) {
            end--;
        }
        int begin = 0;
        if (!reasoned) {
            while (begin < end && Character.isWhitespace(held.charAt(begin))) {
                begin++;
            }
        }
        if (begin < end) {
            out.add(new AssistantEvent.Reasoning(held.substring(begin, end)));
            reasoned = true;
            held.delete(0, end);
        } else if (!reasoned) {
            held.delete(0, begin);
        }
        if (close < 0) {
            return false;
        }
        held.delete(0, held.indexOf(CLOSE) + CLOSE.length());
        state = State.AFTER_THINKING;
        return true;
    }

    /** Length of the longest end of the held text that is a proper start of the closing tag. */
    private int pendingClose() {
        for (int k = Math.min(CLOSE.length() - 1, held.length()); k > 0; k--) {
            if (held.substring(held.length() - k).equals(CLOSE.substring(0, k))) {
                return k;
            }
        }
        return 0;
    }
}
