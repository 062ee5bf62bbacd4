package dev.cairn.gguf;

/**
 * Text read from a file, made fit for a one-line error message: control characters, unpaired surrogates and the
 * replacement character of broken UTF-8 shown as escapes, and long values cut, so a corrupted name never prints
 * binary or a screenful of bytes.
 */
public final class Printable {
    private static final int MAX_CHARS = 60;

    private Printable() {
    }

    /** {@code s} in single quotes, escaped and cut to a sane length (the cut says how long the whole was). */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 16).append('\'');
        int shown = 0;
        for (int i = 0; i < s.length() && shown < MAX_CHARS; i++, shown++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '\'') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\ufffd' || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))) {
                out.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else if (Character.isHighSurrogate(c)) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(c);
            }
        }
        out.append('\'');
        if (shown < s.length() && s.length() > MAX_CHARS) {
            out.append("... (").append(s.length()).append(" characters)");
        }
        return out.toString();
    }
}
