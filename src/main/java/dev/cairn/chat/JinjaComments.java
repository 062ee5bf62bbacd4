package dev.cairn.chat;

/**
 * Removes {@code {# comments #}} as jinja2 does with {@code trim_blocks} and {@code lstrip_blocks}: {@code {#-} strips
 * the whitespace before, {@code -#}} the whitespace after; otherwise a comment alone on its line takes its indentation
 * (lstrip_blocks) and the newline after {@code #}} goes (trim_blocks). Jinjava's own comment trimming strips both
 * sides for {@code {#-}, which changes prompts.
 */
final class JinjaComments {
    private JinjaComments() {
    }

    static String strip(String t) {
        int open = t.indexOf("{#");
        if (open < 0) {
            return t;
        }
        StringBuilder out = new StringBuilder(t.length());
        int i = 0;
        while (open >= 0) {
            int close = t.indexOf("#}", open + 2);
            if (close < 0) {
                throw new TemplateException("chat template syntax error: comment opened with {# is never closed");
            }
            char first = open + 2 < close ? t.charAt(open + 2) : ' ';
            boolean stripBefore = first == '-';
            boolean stripAfter = close - 1 > open + 2 && t.charAt(close - 1) == '-';
            int beforeEnd = open;
            if (stripBefore) {
                while (beforeEnd > i && Character.isWhitespace(t.charAt(beforeEnd - 1))) {
                    beforeEnd--;
                }
            } else if (first != '+') {
                int lineStart = t.lastIndexOf('\n', open - 1) + 1;
                if (lineStart >= i && t.substring(lineStart, open).chars().allMatch(c -> c == ' ' || c == '\t')) {
                    beforeEnd = lineStart;
                }
            }
            out.append(t, i, beforeEnd);
            i = close + 2;
            if (stripAfter) {
                while (i < t.length() && Character.isWhitespace(t.charAt(i))) {
                    i++;
                }
            } else if (i < t.length() && t.charAt(i) == '\n') {
                i++;
            }
            open = t.indexOf("{#", i);
        }
        out.append(t, i, t.length());
        return out.toString();
    }
}
