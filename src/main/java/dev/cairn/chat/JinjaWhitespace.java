package dev.cairn.chat;

/**
 * Applies jinja2's whitespace control to a template's text, the way jinja2's lexer does with {@code trim_blocks} and
 * {@code lstrip_blocks} (as Hugging Face configures it), and hands Jinjava a template with comments removed and no
 * {@code -}/{@code +} markers left, so Jinjava's own (different) trimming has nothing to do:
 * <ul>
 *   <li>{@code {%-}, {@code {{-}, {@code {#-} strip all whitespace before the tag; {@code -%}}, {@code -}}},
 *       {@code -#}} all whitespace after it;</li>
 *   <li>lstrip_blocks: spaces and tabs between the start of a line and a block or comment tag go (not before
 *       {@code {{}, not with {@code {%+});</li>
 *   <li>trim_blocks: the newline right after a block or comment tag goes (not after {@code }}}, not with
 *       {@code +%}}).</li>
 * </ul>
 */
final class JinjaWhitespace {
    private JinjaWhitespace() {
    }

    static String apply(String t) {
        StringBuilder out = new StringBuilder(t.length());
        int pos = 0;
        boolean lineStarting = true; // the previous tag's match ended with a newline (or we are at the start)
        while (true) {
            int open = nextTag(t, pos);
            if (open < 0) {
                out.append(t, pos, t.length());
                return out.toString();
            }
            char kind = t.charAt(open + 1);
            char sign = open + 2 < t.length() && (t.charAt(open + 2) == '-' || t.charAt(open + 2) == '+') ? t.charAt(open + 2) : 0;
            String text = t.substring(pos, open);
            if (sign == '-') {
                text = rstrip(text);
            } else if (sign != '+' && kind != '{') {
                int lineStart = text.lastIndexOf('\n') + 1;
                if ((lineStart > 0 || lineStarting) && lineStart < text.length() && isBlank(text, lineStart)) {
                    text = text.substring(0, lineStart);
                }
            }
            out.append(text);
            int bodyStart = open + 2 + (sign != 0 ? 1 : 0);
            int close = closeOf(t, kind, bodyStart);
            if (close < 0) {
                String what = kind == '#' ? "comment" : kind == '%' ? "block tag" : "expression";
                throw new TemplateException("chat template syntax error: " + what + " opened at offset " + open + " is never closed");
            }
            char endSign = close > bodyStart && (t.charAt(close - 1) == '-' || t.charAt(close - 1) == '+') ? t.charAt(close - 1) : 0;
            if (kind != '#') {
                out.append('{').append(kind).append(t, bodyStart, endSign != 0 ? close - 1 : close)
                        .append(kind == '{' ? '}' : '%').append('}');
            }
            int after = close + 2;
            if (endSign == '-') {
                while (after < t.length() && Character.isWhitespace(t.charAt(after))) {
                    after++;
                }
            } else if (endSign != '+' && kind != '{' && after < t.length() && t.charAt(after) == '\n') {
                after++;
            }
            lineStarting = t.charAt(after - 1) == '\n';
            pos = after;
        }
    }

    private static int nextTag(String t, int from) {
        for (int i = t.indexOf('{', from); i >= 0 && i + 1 < t.length(); i = t.indexOf('{', i + 1)) {
            char c = t.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the closing "}}", "%}" or "#}": quoted text and bracketed expressions are skipped inside tags. */
    private static int closeOf(String t, char kind, int from) {
        if (kind == '#') {
            return t.indexOf("#}", from);
        }
        char closer = kind == '{' ? '}' : '%';
        int depth = 0;
        for (int i = from; i + 1 < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\'' || c == '"') {
                i = QuotedText.end(t, i);
            } else if (depth == 0 && c == closer && t.charAt(i + 1) == '}') {
                return i;
            } else if (c == '{' || c == '(' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ')' || c == ']') && depth > 0) {
                depth--;
            }
        }
        return -1;
    }

    private static String rstrip(String s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean isBlank(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!Character.isWhitespace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
