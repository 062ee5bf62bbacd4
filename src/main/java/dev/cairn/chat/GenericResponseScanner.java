package dev.cairn.chat;

import java.util.List;

/**
 * The generic format's plain answer, {@code {"response": "…"}}, streamed as text while the string arrives (so a
 * client sees it as it is written, not once the JSON closes); every other answer goes to the call scanner. Once the
 * string is done, what follows other than the closing brace is text.
 */
final class GenericResponseScanner implements AnswerScanner {
    private static final String[] OPENING = {"{", "\"response\"", ":", "\""};

    private enum State { DECIDING, RESPONSE, AFTER, TEXT, DELEGATED }

    private final CallScanner calls;
    private final StringBuilder held = new StringBuilder();
    private State state = State.DECIDING;
    private boolean closed;

    GenericResponseScanner(CallScanner calls) {
        this.calls = calls;
    }

    @Override
    public void push(String text, List<AssistantEvent> out) {
        held.append(text);
        step(false, out);
    }

    @Override
    public void finish(boolean truncated, List<AssistantEvent> out) {
        step(true, out);
        if (state == State.DELEGATED) {
            calls.finish(truncated, out);
        }
    }

    private void step(boolean ending, List<AssistantEvent> out) {
        if (state == State.DECIDING) {
            CallSyntax.Match opening = opening();
            if (opening == CallSyntax.Match.PARTIAL && !ending) {
                return;
            }
            if (opening == CallSyntax.Match.YES) {
                held.delete(0, held.indexOf("\"", held.indexOf(":")) + 1);
                state = State.RESPONSE;
            } else {
                state = State.DELEGATED;
            }
        }
        switch (state) {
            case RESPONSE -> response(ending, out);
            case AFTER -> after(ending, out);
            case TEXT -> plain(out);
            case DELEGATED -> {
                calls.push(held.toString(), out);
                held.setLength(0);
            }
            case DECIDING -> throw new IllegalStateException();
        }
    }

    /** Whether the held text starts {@code {"response": "} (JSON whitespace allowed between the parts). */
    private CallSyntax.Match opening() {
        String text = held.toString();
        int i = 0;
        for (String part : OPENING) {
            i = CallSyntax.skipWhitespace(text, i);
            CallSyntax.Match m = CallSyntax.literal(text, i, part);
            if (m != CallSyntax.Match.YES) {
                return m;
            }
            i += part.length();
        }
        return CallSyntax.Match.YES;
    }

    /** Decodes the string's characters that are complete; a bad escape ends decoding and the rest is text. */
    private void response(boolean ending, List<AssistantEvent> out) {
        StringBuilder decoded = new StringBuilder();
        int i = 0;
        while (i < held.length()) {
            char c = held.charAt(i);
            if (c == '"') {
                i++;
                state = State.AFTER;
                break;
            }
            if (c != '\\') {
                decoded.append(c);
                i++;
                continue;
            }
            int length = escapeLength(i);
            if (length == 0) {
                break;
            }
            if (length < 0) {
                state = State.AFTER;
                break;
            }
            decoded.append(unescape(held.substring(i, i + length)));
            i += length;
        }
        held.delete(0, i);
        if (!decoded.isEmpty()) {
            out.add(new AssistantEvent.Text(decoded.toString()));
        }
        if (state == State.AFTER) {
            after(ending, out);
        } else if (ending) {
            // Cut off inside the string: what was decoded stands; a partial escape is dropped.
            held.setLength(0);
        }
    }

    /** Length of the escape at {@code at}: 0 while incomplete, -1 when it is not a JSON escape. */
    private int escapeLength(int at) {
        if (at + 1 >= held.length()) {
            return 0;
        }
        char kind = held.charAt(at + 1);
        if ("\"\\/bfnrt".indexOf(kind) >= 0) {
            return 2;
        }
        if (kind != 'u') {
            return -1;
        }
        int unit = hexUnit(at);
        if (unit < 0) {
            return unit == -2 ? 0 : -1;
        }
        if (!Character.isHighSurrogate((char) unit)) {
            return 6;
        }
        // A pair's halves come out together, so no event ever ends between them.
        if (at + 6 >= held.length() || (at + 7 >= held.length() && held.charAt(at + 6) == '\\')) {
            return 0;
        }
        if (held.charAt(at + 6) != '\\' || held.charAt(at + 7) != 'u') {
            return 6;
        }
        int low = hexUnit(at + 6);
        return low == -2 ? 0 : low >= 0 && Character.isLowSurrogate((char) low) ? 12 : 6;
    }

    /** The code unit of the {@code \\uXXXX} at {@code at}: -2 while incomplete, -1 when not hex. */
    private int hexUnit(int at) {
        if (at + 6 > held.length()) {
            for (int k = at + 2; k < held.length(); k++) {
                if (asciiHex(held.charAt(k)) < 0) {
                    return -1;
                }
            }
            return -2;
        }
        int value = 0;
        for (int k = at + 2; k < at + 6; k++) {
            int digit = asciiHex(held.charAt(k));
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private static int asciiHex(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }

    private static String unescape(String escape) {
        return switch (escape.charAt(1)) {
            case 'b' -> "\b";
            case 'f' -> "\f";
            case 'n' -> "\n";
            case 'r' -> "\r";
            case 't' -> "\t";
            case 'u' -> escape.length() == 12
                    ? new String(new char[] {(char) Integer.parseInt(escape.substring(2, 6), 16),
                            (char) Integer.parseInt(escape.substring(8), 16)})
                    : String.valueOf((char) Integer.parseInt(escape.substring(2), 16));
            default -> escape.substring(1);
        };
    }

    /**
     * After the string: whitespace and one closing brace are the JSON's, and whitespace at the very end is dropped;
     * anything else, and all after it, is text.
     */
    private void after(boolean ending, List<AssistantEvent> out) {
        String text = held.toString();
        int i = CallSyntax.skipWhitespace(text, 0);
        if (!closed && i < text.length() && text.charAt(i) == '}') {
            closed = true;
            held.delete(0, i + 1);
            text = held.toString();
            i = CallSyntax.skipWhitespace(text, 0);
        }
        if (i == text.length()) {
            if (ending) {
                held.setLength(0);
            }
            return;
        }
        state = State.TEXT;
        plain(out);
    }

    private void plain(List<AssistantEvent> out) {
        if (!held.isEmpty()) {
            out.add(new AssistantEvent.Text(held.toString()));
            held.setLength(0);
        }
    }
}
